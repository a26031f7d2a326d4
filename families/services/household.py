"""Children and caregivers of the household, and the mark 'suspected of exploitation or
abuse' that cuts a caregiver off from everything of the family."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import CaregiverSuspicion, Child, Family, HouseholdMember
from families.models.household import ChildRole, dated_risk
from families.services.audit import record_case_change
from families.services.protection import protective_mode_end_for_suspect
from liaison.access import People, people_of, trusted_members
from liaison.accounts.models import Invitation, User
from liaison.fragments import data_changed


def _save_child(child: Child, actor: User, what: str) -> Child:
    if child.role == ChildRole.SIBLING:
        child.exploitation_kind, child.risk_level, child.risk_set_on = "", "", None
    child.full_clean()
    child.save()
    record_case_change(actor=actor, family=child.family, target=child, what=what, detail={"risk": child.risk_level})
    return child


@transaction.atomic
def child_add(*, family: Family, created_by: User, **fields) -> Child:
    child = Child(family=family, created_by=created_by, **fields)
    child.risk_set_on = dated_risk(level=child.risk_level, set_on=child.risk_set_on)
    return _save_child(child, created_by, "child_added")


@transaction.atomic
def child_update(*, child: Child, changed_by: User, **fields) -> Child:
    previous_level, previous_set_on = child.risk_level, child.risk_set_on
    for name, value in fields.items():
        setattr(child, name, value)
    child.risk_set_on = dated_risk(
        level=child.risk_level,
        set_on=fields.get("risk_set_on", previous_set_on),
        previous_level=previous_level,
        previous_set_on=previous_set_on,
    )
    return _save_child(child, changed_by, "child_updated")


@transaction.atomic
def member_add(*, family: Family, created_by: User, **fields) -> HouseholdMember:
    member = HouseholdMember(family=family, created_by=created_by, **fields)
    member.full_clean(exclude=["user"])
    member.save()
    record_case_change(actor=created_by, family=family, target=member, what="caregiver_added")
    return member


@transaction.atomic
def member_update(*, member: HouseholdMember, changed_by: User, **fields) -> HouseholdMember:
    """Change a caregiver's details. While a person is untrusted, the name and e-mail
    address they are known by stay as they are: they are how every account of theirs,
    in every family, is kept out (see ``liaison.access.untrusted_people``)."""
    member = HouseholdMember.objects.select_for_update().get(pk=member.pk)
    if not trusted_members().filter(pk=member.pk).exists():
        _keep_identity(member, fields)
    for name, value in fields.items():
        setattr(member, name, value)
    member.full_clean(exclude=["user"])
    member.save()
    record_case_change(actor=changed_by, family=member.family, target=member, what="caregiver_updated")
    return member


def _keep_identity(member: HouseholdMember, fields: dict) -> None:
    changed = {
        name
        for name in ("full_name", "email")
        if name in fields and (fields[name] or "").strip().lower() != getattr(member, name).strip().lower()
    }
    if changed:
        message = _("While the suspicion mark stands, this person's name and e-mail address stay as they are.")
        raise ValidationError(dict.fromkeys(sorted(changed), message))


@transaction.atomic
def suspicion_mark(*, member: HouseholdMember, marked_by: User, reason: str) -> CaregiverSuspicion:
    """From this moment the person reaches nothing of any family: the access policy
    excludes them, and ``person_shut_out`` ends what they still hold."""
    member = HouseholdMember.objects.select_for_update().get(pk=member.pk)
    if member.is_suspected:
        raise ValidationError(_("This caregiver is already marked as suspected."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this caregiver is suspected.")})
    suspicion = CaregiverSuspicion.objects.create(member=member, reason=reason.strip(), marked_by=marked_by)
    member.is_suspected = True
    member.save(update_fields=["is_suspected", "updated_at"])
    record_case_change(actor=marked_by, family=member.family, target=member, what="caregiver_marked_suspected")
    person_shut_out(member=member, actor=marked_by)
    return suspicion


def person_shut_out(*, member: HouseholdMember, actor: User) -> None:
    """A person just became untrusted (marked suspected, or named as the suspect of a
    criminal case): in every family, their open invitations are withdrawn and every
    session of every account of theirs ends now. The access policy already refuses them
    everything else, notifications included (see ``liaison.access.trusted_members``)."""
    protective_mode_end_for_suspect(member=member, actor=actor)
    person = people_of(HouseholdMember.objects.filter(pk=member.pk))
    accounts = list(User.objects.filter(pk__in=person.accounts))
    withdrawn = Invitation.objects.filter(pk__in=_open_invitations_of(person)).update(revoked_at=timezone.now())
    for account in accounts:
        # The session token is part of the session hash: every session they hold ends.
        account.end_all_sessions()
    record_case_change(
        actor=actor,
        family=member.family,
        target=member,
        what="person_shut_out",
        detail={"accounts": [account.pk for account in accounts], "invitations_withdrawn": withdrawn},
    )
    # The person may belong to families of other teams: no kept page may show them as before.
    data_changed(team_id=None)


def _open_invitations_of(person: People) -> list[int]:
    """The open invitations that would reach this person: for one of their records, at
    one of their addresses, or under their name in their family."""
    families = {family for family, _ in person.names}
    records = person.record_ids
    candidates = Invitation.objects.open().filter(
        Q(member_id__in=records) | Q(email__in=person.addresses) | Q(family_id__in=families)
    )
    return [
        invitation.pk
        for invitation in candidates.only("pk", "member_id", "email", "full_name", "family_id")
        if invitation.member_id in records
        or person.includes_invitee(
            email=invitation.email, full_name=invitation.full_name, family_id=invitation.family_id
        )
    ]


@transaction.atomic
def suspicion_lift(*, member: HouseholdMember, lifted_by: User, reason: str) -> CaregiverSuspicion:
    """Only a supervisor lifts the mark (the view checks this through the access policy)."""
    suspicion = member.suspicions.select_for_update().filter(lifted_at__isnull=True).first()
    if suspicion is None:
        raise ValidationError(_("This caregiver is not marked as suspected."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for lifting the mark.")})
    suspicion.lifted_at, suspicion.lifted_by, suspicion.lift_reason = timezone.now(), lifted_by, reason.strip()
    suspicion.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    member.is_suspected = False
    member.save(update_fields=["is_suspected", "updated_at"])
    record_case_change(actor=lifted_by, family=member.family, target=member, what="suspicion_lifted")
    return suspicion
