"""Reads of the audit trail about one family: who looked at the file, who changed it, and
who used emergency access to it and why. Each page costs a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import BreakGlassAccess
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
