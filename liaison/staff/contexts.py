"""The patterns of contexts across families, for the police partners and analysts of a
police unit: the contexts linked to the most families in the last 90 days and the hits
first seen this week, filtered by kind; a CSV of the same for the police partners. Of a
family outside their unit they learn only that it exists in the count. Liaison officers,
supervisors and parents never reach these pages (404)."""

import csv

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from families.models import ContextKind
from families.selectors import contexts as selectors
from liaison.access import context_hits_unit_or_404, may_download_patterns
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record

PAGE_SIZE = 25
CSV_ROWS = 1000
# A spreadsheet treats a cell that starts with one of these as a formula: a phone number
# (+31...) or a handle (@...) must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _kind(request: HttpRequest) -> str:
    """The kind of context the reader filters on; every kind for anything else."""
    kind = request.GET.get("kind", "")
    return kind if kind in ContextKind.values else ""


@require_GET
def context_patterns(request: HttpRequest) -> HttpResponse:
    unit = context_hits_unit_or_404(request)
    kind = _kind(request)
    page = Paginator(selectors.hits_for_unit(unit, kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        action=AuditAction.CASE_LIST_VIEWED, actor=request.user, detail={"page": "context_patterns", "kind": kind}
    )
    context = {
        "kinds": [("", _("Every kind")), *ContextKind.choices],
        "kind": kind,
        "page": page,
        "rows": selectors.hit_rows(unit, page.object_list),
        "new_rows": selectors.hit_rows(unit, selectors.new_hits_for_unit(unit, kind=kind)[:PAGE_SIZE]),
        "days": selectors.PATTERN_DAYS,
        "may_download": may_download_patterns(request.user),
        "shows_families": may_download_patterns(request.user),
    }
    return render(request, "liaison/contexts/patterns.html", context)


@require_GET
def context_patterns_csv(request: HttpRequest) -> HttpResponse:
    unit = context_hits_unit_or_404(request)
    if not may_download_patterns(request.user):
        raise Http404
    kind = _kind(request)
    rows = selectors.hit_rows(unit, selectors.hits_for_unit(unit, kind=kind)[:CSV_ROWS])
    audit_record(
        action=AuditAction.CASE_LIST_VIEWED, actor=request.user, detail={"page": "context_patterns_csv", "kind": kind}
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="context-patterns-{day}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Kind"),
            _("Context"),
            _("Families now"),
            _("Families in the last %(days)s days") % {"days": selectors.PATTERN_DAYS},
            _("Families of your unit"),
            _("First seen"),
        ]
    )
    for row in rows:
        cells = [
            row.hit.get_kind_display(),
            row.label,
            row.families,
            row.recent_families,
            " ".join(family.reference for family in row.unit_families),
            timezone.localtime(row.hit.first_seen_at).date().isoformat(),
        ]
        writer.writerow([_cell(cell) for cell in cells])
    return response
