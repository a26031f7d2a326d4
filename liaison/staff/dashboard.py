"""The supervisor's team dashboard: each officer's caseload, weighted by risk, and the
families that need attention, grouped by what needs doing: the first few of each list,
its true total, and a page of its own for the whole list, a page at a time. A fixed
number of queries however large the team. The rendered lists are kept for a minute at most and
made anew after any change in the team (``liaison.fragments``)."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from families.models import Family
from families.selectors.case import with_attention
from liaison.access import SUPERVISE, rows_in_reach, supervised_team_or_404, visible_families
from liaison.accounts.models import Role, User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.fragments import cached_fragment
from liaison.staff.attention import (
    Attention,
    AttentionList,
    attach_attention,
    attention_lists,
    families_needing,
    needs_attention,
    read_in_reach,
)
from liaison.staff.meeting_attention import ATTENTION_ROWS, meeting_attention
from liaison.staff.services import reminders_mark_read

# A family without a risk level still counts as one.
UNRATED_RISK_WEIGHT = 1
# Families per page of a whole attention list.
PAGE_SIZE = 20


@dataclass
class OfficerLoad:
    officer: User
    families: int = 0
    weighted: int = 0
    needing_attention: int = 0
    share_of_largest: int = field(default=0)


def caseload_balance(officers: list[User], families: list) -> list[OfficerLoad]:
    """Families per officer and their weight by the highest risk level of a child."""
    loads = {officer.pk: OfficerLoad(officer) for officer in officers}
    for family in families:
        load = loads.get(family.liaison_officer_id)
        if load is None:
            continue
        load.families += 1
        load.weighted += family.risk_rank or UNRATED_RISK_WEIGHT
        load.needing_attention += bool(needs_attention(family))
    largest = max((load.weighted for load in loads.values()), default=0)
    for load in loads.values():
        load.share_of_largest = round(100 * load.weighted / largest) if largest else 0
    return sorted(loads.values(), key=lambda load: (-load.weighted, load.officer.full_name))


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    supervised_team_or_404(request)
    user = request.user
    content = cached_fragment(
        "dashboard",
        user=user,
        families=lambda: visible_families(user, SUPERVISE),
        make=lambda: render_to_string("liaison/partials/dashboard_content.html", team_dashboard(user)),
    )
    audit_record(action=AuditAction.CASE_LIST_VIEWED, actor=user, detail={"page": "dashboard"})
    reminders_mark_read(user=user, page="dashboard")
    return render(request, "liaison/dashboard.html", {"content": content} | meeting_attention(user))


# What the lists show of a family beyond what the attention rules read (``with_attention``),
# and what those rules read of the family itself.
ROW_FIELDS = ("pk", "reference", "display_name", "liaison_officer_id", "referral_on", "review_every_weeks")


class FamilyRow:
    """A family of the team as the dashboard and its whole lists read it: the columns they
    show and what the attention rules read, as plain attributes. Read as values, so that
    no model instance is made of 232 families, their team and their officer (about 700)."""

    def __init__(self, values: dict) -> None:
        self.__dict__.update(values)


def _team_families(user: User) -> list[FamilyRow]:
    """The supervisor's open families by reference, with every attention flag. Their
    statement is built and compiled once per process (``rows_in_reach``)."""
    rows = rows_in_reach(user, SUPERVISE, ("dashboard",), _rows_of)
    families = [FamilyRow(row) for row in rows]
    attach_attention(families, read=read_in_reach(user, SUPERVISE))
    return families


def _rows_of(team: QuerySet[Family]) -> QuerySet:
    annotated = with_attention(team)
    return annotated.order_by("reference").values(
        *ROW_FIELDS, *annotated.query.annotations, officer_name=F("liaison_officer__full_name")
    )


def team_dashboard(user: User) -> dict:
    """Everything the dashboard shows of the supervisor's team, in a fixed number of queries."""
    families = _team_families(user)
    officers = list(User.objects.filter(team=user.team, role=Role.OFFICER, is_active=True))
    return {
        "team": user.team,
        "balance": caseload_balance(officers, families),
        "lists": attention_lists(families, first=ATTENTION_ROWS),
        "family_count": len(families),
    }


@require_GET
def attention_list(request: HttpRequest, kind: str) -> HttpResponse:
    """One attention list of the supervisor's team in full, in the dashboard's order."""
    supervised_team_or_404(request)
    if kind not in Attention.values:
        raise Http404
    kind = Attention(kind)
    matching = families_needing(kind, _team_families(request.user))
    page = Paginator(matching, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        action=AuditAction.CASE_LIST_VIEWED,
        actor=request.user,
        detail={"page": "attention_list", "kind": kind.value, "families": [family.pk for family in page.object_list]},
    )
    attention = AttentionList(kind, list(page.object_list), len(matching))
    return render(request, "liaison/attention_list.html", {"list": attention, "page": page})
