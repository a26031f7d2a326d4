from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from families import selectors
from liaison.access import CHANGE, PORTAL, VIEW, allows, can, get_family_or_404, log_case_read
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record

PAGE_SIZE = 25


@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    """The families this person works with, searchable by reference or name."""
    if not can(request.user, VIEW):
        raise Http404
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.caseload(request.user, search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(action=AuditAction.CASE_LIST_VIEWED, actor=request.user, detail={"page": page.number})
    return render(request, "families/caseload.html", {"page": page, "search": search})


@require_GET
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW)
    return render(
        request,
        "families/family_detail.html",
        {
            "family": family,
            "household": selectors.household_for_staff(family),
            "can_change": allows(request.user, family, CHANGE),
        },
    )


@require_GET
def portal_home(request: HttpRequest) -> HttpResponse:
    family = selectors.portal_family(request.user)
    if family is None:
        raise Http404
    log_case_read(request, family, PORTAL)
    return render(request, "families/portal_home.html", {"family": family})
