"""The parents' portal (its home page for now; the portal issue fills it out)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from families.selectors.case import portal_family
from liaison.access import PORTAL, log_case_read


@require_GET
def portal_home(request: HttpRequest) -> HttpResponse:
    family = portal_family(request.user)
    if family is None:
        raise Http404
    log_case_read(request, family, PORTAL)
    officer_since = family.assignments.filter(ended_at__isnull=True).values_list("started_at", flat=True).first()
    return render(request, "families/portal_home.html", {"family": family, "officer_since": officer_since})
