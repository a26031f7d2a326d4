"""Reads of the audit trail about one family: who looked at the file, who changed it, and
who used emergency access to it and why; and the changes to accounts. Each page costs a
fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import BreakGlassAccess, NotifyBy, Role, User
from liaison.audit.models import AuditAction, AuditEvent

# The kinds a person can filter the log by: (value, label, condition).
ACCESS_LOG_KINDS = (
    ("", _("Everything"), Q()),
    ("reads", _("Reads"), Q(action=AuditAction.CASE_VIEWED)),
    ("changes", _("Changes"), Q(action__in=(AuditAction.CASE_CREATED, AuditAction.CASE_CHANGED))),
    (
        "break_glass",
        _("Emergency access"),
        Q(action=AuditAction.BREAK_GLASS) | Q(action=AuditAction.CASE_VIEWED, detail__break_glass=True),
    ),
)
KIND_CONDITIONS = {value: condition for value, _label, condition in ACCESS_LOG_KINDS}


@dataclass(frozen=True)
class AccessLogRow:
    """One line of the access log: who, when, what, and why when emergency access."""

    occurred_at: datetime
    who: str
    email: str
    role: str
    happened: str
    what: str
    break_glass: bool
    reason: str


def access_log_events(family_id: int, kind: str = "") -> QuerySet[AuditEvent]:
    """The family's audit rows, newest first, with the person who acted already joined."""
    condition = KIND_CONDITIONS.get(kind, Q())
    return (
        AuditEvent.objects.filter(condition, family_id=family_id)
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )


def _what(event: AuditEvent) -> str:
    """The page that was read, or the change in the domain's words; never case content."""
    if event.action == AuditAction.CASE_VIEWED:
        return str(event.detail.get("path", ""))
    if event.action == AuditAction.BREAK_GLASS:
        return ""
    return str(event.detail.get("what", ""))


def access_log_rows(events) -> list[AccessLogRow]:
    """The rows to show or export. The reasons of emergency access read under it come in
    one query for all the rows together."""
    events = list(events)
    access_ids = {
        event.detail["break_glass_access"]
        for event in events
        if event.action == AuditAction.CASE_VIEWED and event.detail.get("break_glass_access")
    }
    reasons = dict(BreakGlassAccess.objects.filter(pk__in=access_ids).values_list("pk", "reason")) if access_ids else {}
    rows = []
    for event in events:
        actor = event.actor
        is_grant = event.action == AuditAction.BREAK_GLASS
        under_break_glass = bool(event.detail.get("break_glass"))
        if is_grant:
            reason = str(event.detail.get("reason", ""))
        else:
            reason = reasons.get(event.detail.get("break_glass_access"), "") if under_break_glass else ""
        rows.append(
            AccessLogRow(
                occurred_at=event.occurred_at,
                who=actor.full_name if actor else event.actor_email,
                email=actor.email if actor else event.actor_email,
                role=actor.get_role_display() if actor else "",
                happened=event.get_action_display(),
                what=_what(event),
                break_glass=is_grant or under_break_glass,
                reason=reason,
            )
        )
    return rows


def recent_break_glass_in_team(team_id: int, *, days: int = 30) -> QuerySet[BreakGlassAccess]:
    """Emergency access to the team's families lately, for the supervisor who was told."""
    since = timezone.now() - timedelta(days=days)
    return (
        BreakGlassAccess.objects.filter(family__team_id=team_id, granted_at__gte=since)
        .select_related("user", "family")
        .order_by("-granted_at")
    )


# Changes to accounts, for the administrators' list: who changed whose account, and what
# each recorded field was before and after (``liaison.accounts.signals``).
ACCOUNT_EVENTS = (
    AuditAction.ACCOUNT_CREATED,
    AuditAction.ROLE_CHANGED,
    AuditAction.ACCOUNT_CHANGED,
    AuditAction.SECOND_FACTOR_CHANGED,
)
# The changes that open or close families to a person, or the way they sign in.
ACCESS_CHANGES = ("role", "team", "police_unit", "is_active", "is_superuser", "authenticator", "backup_codes")
ACCOUNT_CHANGE_KINDS = (
    ("", _("Every change"), Q()),
    (
        "access",
        _("Role, team, police unit, active and second factor"),
        Q(action__in=(AuditAction.ACCOUNT_CREATED, AuditAction.ROLE_CHANGED, AuditAction.SECOND_FACTOR_CHANGED))
        | Q(detail__changes__has_any_keys=ACCESS_CHANGES),
    ),
)
ACCOUNT_KIND_CONDITIONS = {value: condition for value, _label, condition in ACCOUNT_CHANGE_KINDS}
FIELD_LABELS = {
    "role": _("Role"),
    "team": _("Team"),
    "police_unit": _("Police unit"),
    "is_active": _("Active"),
    "is_superuser": _("Superuser"),
    "notify_by": _("Told of something new"),
    "language": _("Language of the e-mails"),
    "email": _("E-mail address"),
    "full_name": _("Name"),
    "phone": _("Phone number"),
    "reachable_when": _("When parents can reach them"),
    "authenticator": _("Authenticator app"),
    "backup_codes": _("Backup codes"),
}
DEVICE_LABELS = {"authenticator": _("Authenticator app"), "backup_codes": _("Backup codes")}
DEVICE_STATES = {"none": _("none"), "not_confirmed": _("being set up"), "confirmed": _("in use")}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    # False for personal details: the trail keeps that they changed, not the values.
    values_kept: bool = True


@dataclass(frozen=True)
class AccountChangeRow:
    occurred_at: datetime
    by: str
    account: str
    account_email: str
    happened: str
    changes: list[FieldChange]


def account_change_events(kind: str = "") -> QuerySet[AuditEvent]:
    """Every change to an account, newest first, with the person who made it joined."""
    condition = ACCOUNT_KIND_CONDITIONS.get(kind, Q())
    return (
        AuditEvent.objects.filter(condition, action__in=ACCOUNT_EVENTS, object_type=User._meta.label)
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )


def _shown(field: str, value) -> str:
    if value is None or value == "":
        return ""
    if field == "role":
        return str(Role(value).label) if value in Role.values else str(value)
    if field == "notify_by":
        return str(NotifyBy(value).label) if value in NotifyBy.values else str(value)
    if field == "language":
        return str(dict(settings.LANGUAGES).get(value, value))
    if field in DEVICE_LABELS:
        return str(DEVICE_STATES.get(value, value))
    if isinstance(value, dict):
        return str(value.get("name") or value.get("id"))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _label(field: str) -> str:
    return str(FIELD_LABELS.get(field, field))


def _changes(event: AuditEvent) -> list[FieldChange]:
    changes = event.detail.get("changes")
    if changes is None and "from" in event.detail:
        # Recorded before every account change kept its values: a role change.
        changes = {"role": {"before": event.detail["from"], "after": event.detail.get("to")}}
    lines = []
    for field, change in (changes or {}).items():
        if "changed" in change:
            lines.append(FieldChange(_label(field), "", "", values_kept=False))
        else:
            lines.append(FieldChange(_label(field), _shown(field, change["before"]), _shown(field, change["after"])))
    return lines


def account_change_rows(events) -> list[AccountChangeRow]:
    """The rows to show; the accounts that were changed come in one query for all rows."""
    events = list(events)
    account_ids = {int(event.object_id) for event in events if event.object_id.isdigit()}
    accounts = User.objects.filter(pk__in=account_ids).only("pk", "full_name", "email").in_bulk()
    rows = []
    for event in events:
        account = accounts.get(int(event.object_id)) if event.object_id.isdigit() else None
        rows.append(
            AccountChangeRow(
                occurred_at=event.occurred_at,
                by=(event.actor.full_name or event.actor.email) if event.actor else event.actor_email,
                account=(account.full_name or account.email) if account else event.object_id,
                account_email=account.email if account else "",
                happened=event.get_action_display(),
                changes=_changes(event),
            )
        )
    return rows
