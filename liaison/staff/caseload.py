"""The caseload: the families a person works with, with what needs attention."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from families.selectors import case as selectors
from liaison.access import CHANGE, VIEW, can, may_schedule_meetings, visible_families
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.fragments import cached_fragment
from liaison.staff.attention import attach_attention, attention_lists
from liaison.staff.meeting_attention import meeting_attention
from liaison.staff.services import reminders_mark_read

PAGE_SIZE = 25


SORT_OPTIONS = [
    ("status", gettext_lazy("Status")),
    ("reference", gettext_lazy("Reference")),
    ("name", gettext_lazy("Family name")),
    ("risk", gettext_lazy("Highest risk first")),
    ("last_contact", gettext_lazy("Longest without contact first")),
    ("next_contact", gettext_lazy("Next planned contact")),
]


@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    """The families this person works with, with what needs attention."""
    if not can(request.user, VIEW):
        raise Http404
    content = cached_fragment(
        "caseload",
        user=request.user,
        families=lambda: visible_families(request.user, VIEW),
        parts=[sorted(request.GET.lists())],
        make=lambda: render_to_string("families/partials/caseload_content.html", _caseload(request), request=request),
    )
    audit_record(
        action=AuditAction.CASE_LIST_VIEWED, actor=request.user, detail={"page": request.GET.get("page", "1")[:10]}
    )
    reminders_mark_read(user=request.user, page="families:caseload")
    # Whoever keeps meetings (a police partner lands here) sees what of them waits.
    meetings = meeting_attention(request.user) if may_schedule_meetings(request.user) else {}
    return render(request, "families/caseload.html", {"content": content} | meetings)


def _caseload(request: HttpRequest) -> dict:
    search = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("sort", "status")
    # Every id in order, with one query: the page and how many there are come of it.
    families = selectors.caseload_ids(request.user, search=search, sort=sort)
    page = Paginator(families, PAGE_SIZE).get_page(request.GET.get("page"))
    # The page's families and the officer's own (for their attention lists) in one read.
    page.object_list, own = selectors.caseload_rows(request.user, list(page.object_list), with_own=not search)
    attach_attention([*page.object_list, *own])  # one pass for the page and the officer's own lists
    return {
        "page": page,
        "search": search,
        "sort": sort,
        "sort_options": SORT_OPTIONS,
        "risk_by_rank": selectors.RISK_BY_RANK,
        "can_open": can(request.user, CHANGE),
        # Whose families they are, asked once rather than on every row.
        "lists_officer": not request.user.is_officer,
        "my_attention": [attention for attention in attention_lists(own) if attention.families],
    }
