"""Writes about teams, done by their supervisors."""

from django.db import transaction

from liaison.accounts.models import Team, User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record


@transaction.atomic
def team_set_team_view(*, team: Team, supervisor: User, enabled: bool) -> Team:
    """Let the team's officers read (never change) each other's families, e.g. for cover."""
    if team.team_view != enabled:
        team.team_view = enabled
        team.save(update_fields=["team_view"])
        audit_record(action=AuditAction.TEAM_CHANGED, actor=supervisor, target=team, detail={"team_view": enabled})
    return team
