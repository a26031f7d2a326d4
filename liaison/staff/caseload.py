"""The caseload: the families a person works with, with what needs attention."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from families.selectors import case as selectors
from liaison.access import CHANGE, VIEW, can, families_for, may_schedule_meetings, own_families
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.fragments import cached_fragment
from liaison.staff.attention import attach_attention, attention_lists
from liaison.staff.meeting_attention import meeting_attention
from liaison.staff.services import reminders_mark_read

PAGE_SIZE = 25
PAGES_READ_AT_ONCE = 10_000  # the highest page number read together with the count


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
        families=families_for(request.user, VIEW),
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
    page = _page(selectors.caseload(request.user, search=search, sort=sort), request.GET.get("page"))
    # The page's families and the officer's own (for their attention lists) in one read.
    page.object_list, own = selectors.caseload_rows(
        request.user, list(page.object_list), None if search else own_families(request.user)
    )
    attach_attention([*page.object_list, *own])  # one pass for the page and the officer's own lists
    return {
        "page": page,
        "search": search,
        "sort": sort,
        "sort_options": SORT_OPTIONS,
        "risk_by_rank": selectors.RISK_BY_RANK,
        "can_open": can(request.user, CHANGE),
        "my_attention": [attention for attention in attention_lists(own) if attention.families],
    }


def _page(families: QuerySet, number: str | None) -> Page:
    """The page ``Paginator.get_page`` gives, with the ids of its families: counted in
    the same query as they are read (a page past the last is looked for again)."""
    paginator = Paginator(families.values_list("pk", flat=True), PAGE_SIZE)
    try:
        wanted = max(int(number or 1), 1)
    except ValueError:
        wanted = 1
    counted = families.annotate(total=Window(Count("pk"))).values_list("pk", "total")
    # A page number out of all measure is not read at all: the paginator finds the last.
    rows = list(counted[(wanted - 1) * PAGE_SIZE : wanted * PAGE_SIZE]) if wanted <= PAGES_READ_AT_ONCE else []
    if rows or wanted == 1:
        paginator.count = rows[0][1] if rows else 0
    page = paginator.get_page(number)
    page.object_list = [pk for pk, _total in rows] if page.number == wanted else list(page.object_list)
    return page
