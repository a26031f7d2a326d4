"""One person, one record: merge the household members that are the same person.

Inviting a parent used to create a new household member beside the one already recorded,
so a suspicion mark on the original did not reach the account. Within one family, two
records are the same person when they share an account or an e-mail address (of the
record or of its account), or when they share a name and nothing tells them apart (no
two different accounts, no two different addresses). The earliest record is kept; the
blanks in it are filled from the others; every link (suspicion marks, criminal cases,
plan agreements, erasure requests, invitations) moves to it; the others are removed.
Each merge is appended to the audit trail."""

from django.db import connection, migrations, models
from django.db.models.functions import Lower
from django.utils import timezone

FILLED_FIELDS = ("phone", "email", "safe_times", "safe_channel", "never_call_number", "language")
LINKS = (
    ("families", "CaregiverSuspicion", "member"),
    ("families", "CriminalCase", "suspected_caregiver"),
    ("safety_plans", "PlanAgreement", "agreed_by"),
    ("privacy", "ErasureRequest", "member"),
    ("accounts", "Invitation", "member"),
)
# A fixed key for the PostgreSQL advisory lock that serialises writers of the chain.
_CHAIN_LOCK_KEY = 7_031_551
GENESIS_HASH = "0" * 64


def _address(member) -> str:
    return (member.email or (member.user.email if member.user_id else "")).strip().lower()


def _name(member) -> str:
    return " ".join(member.full_name.split()).lower()


def _same_person(a, b) -> bool:
    if a.user_id and a.user_id == b.user_id:
        return True
    if _address(a) and _address(a) == _address(b):
        return True
    different_accounts = a.user_id and b.user_id and a.user_id != b.user_id
    different_addresses = _address(a) and _address(b) and _address(a) != _address(b)
    return _name(a) == _name(b) and not different_accounts and not different_addresses


def duplicate_groups(members: list) -> list[list]:
    """The members of one family grouped by person, earliest first; a group never holds
    two different accounts."""
    groups: list[list] = []
    for member in sorted(members, key=lambda m: m.pk):
        for group in groups:
            accounts = {m.user_id for m in group if m.user_id}
            addresses = {_address(m) for m in group if _address(m)}
            no_conflict = (not member.user_id or accounts <= {member.user_id}) and (
                not _address(member) or addresses <= {_address(member)}
            )
            if no_conflict and any(_same_person(member, other) for other in group):
                group.append(member)
                break
        else:
            groups.append([member])
    return [group for group in groups if len(group) > 1]


def _merge_group(apps, kept, duplicates) -> dict:
    filled = []
    for duplicate in duplicates:
        for field in FILLED_FIELDS:
            if not getattr(kept, field) and getattr(duplicate, field):
                setattr(kept, field, getattr(duplicate, field))
                filled.append(field)
        if not kept.user_id and duplicate.user_id:
            kept.user_id = duplicate.user_id
            filled.append("user")
        kept.needs_interpreter = kept.needs_interpreter or duplicate.needs_interpreter
        kept.is_suspected = kept.is_suspected or duplicate.is_suspected
    duplicate_pks = [duplicate.pk for duplicate in duplicates]
    _close_second_open_marks(apps, kept, duplicate_pks)
    for app_label, model_name, field in LINKS:
        model = apps.get_model(app_label, model_name)
        model.objects.filter(**{f"{field}_id__in": duplicate_pks}).update(**{field: kept})
    users = [duplicate.user_id for duplicate in duplicates]
    apps.get_model("families", "HouseholdMember").objects.filter(pk__in=duplicate_pks).delete()
    kept.save()
    return {"kept": kept.pk, "merged": duplicate_pks, "filled": sorted(set(filled)), "accounts": users}


def _close_second_open_marks(apps, kept, duplicate_pks) -> None:
    """Only one open suspicion mark per member: the earliest stays open, a later one of
    the same person is closed as merged (it is kept, with its reason, as history)."""
    suspicion = apps.get_model("families", "CaregiverSuspicion")
    open_marks = list(
        suspicion.objects.filter(member_id__in=[kept.pk, *duplicate_pks], lifted_at__isnull=True).order_by("marked_at")
    )
    for mark in open_marks[1:]:
        mark.lifted_at = timezone.now()
        mark.lifted_by_id = mark.marked_by_id
        mark.lift_reason = "Merged with an earlier open mark of the same person."
        mark.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])


def _audit(apps, *, family_id: int, detail: dict) -> None:
    from liaison.audit.models import AuditEvent as CurrentAuditEvent

    event_model = apps.get_model("audit", "AuditEvent")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    last = event_model.objects.order_by("-id").values_list("hash", flat=True).first()
    event = event_model(
        occurred_at=timezone.now(),
        actor=None,
        actor_email="",
        action="case_changed",
        object_type="families.HouseholdMember",
        object_id=str(detail["kept"]),
        family_id=family_id,
        ip_address=None,
        detail={"what": "household_members_merged", **detail},
        previous_hash=last or GENESIS_HASH,
    )
    event.hash = CurrentAuditEvent.compute_hash(event)
    event.save(force_insert=True)


def merge_duplicate_members(apps, schema_editor=None) -> int:
    """Merge every group of records of one person in one family; return how many merged."""
    member_model = apps.get_model("families", "HouseholdMember")
    merged = 0
    family_ids = member_model.objects.values_list("family_id", flat=True).distinct().order_by("family_id")
    for family_id in list(family_ids):
        members = list(member_model.objects.filter(family_id=family_id).select_related("user"))
        for kept, *duplicates in duplicate_groups(members):
            detail = _merge_group(apps, kept, duplicates)
            _audit(apps, family_id=family_id, detail=detail)
            merged += len(duplicates)
    return merged


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0009_person_one_record"),
        ("accounts", "0009_person_one_record"),
        ("safety_plans", "0002_encrypt_sensitive_text"),
        ("privacy", "0002_justice_record_kind"),
        ("audit", "0007_archive_and_erasure"),
    ]

    operations = [
        migrations.RunPython(merge_duplicate_members, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="householdmember",
            constraint=models.UniqueConstraint(
                "family",
                Lower("email"),
                condition=~models.Q(email=""),
                name="household_member_address_once_per_family",
                violation_error_message="This e-mail address is already recorded for someone in this household.",
            ),
        ),
    ]
