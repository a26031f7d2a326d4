"""Who looked at this file: every read and change of one family from the audit trail, with
who, when, which page or change, and the reason when emergency access let them in.

Supervisors of the family's team read it inside the case. Administrators, who never see
case data, have their own pages that show the audit rows and the family's reference only."""

import csv

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from families.case_page import case_context
from liaison.access import (
    VIEW,
    audit_family_pk,
    family_for_audit_or_404,
    family_references_for_audit,
    get_family_or_404,
    verified_administrator_or_404,
)
from liaison.audit.refusals import refused_read_hours, refused_reads_of_family
from liaison.audit.selectors import ACCESS_LOG_KINDS, KIND_CONDITIONS, access_log_events, access_log_rows

PAGE_SIZE = 25
# The most recent hours of refused reads shown with a family's access log.
REFUSED_HOURS_SHOWN = 50
SECTION = "access_log"
# A spreadsheet treats a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in KIND_CONDITIONS else ""


def _log_context(request: HttpRequest, family_pk: int, csv_url: str) -> dict:
    kind = _kind(request)
    page = Paginator(access_log_events(family_pk, kind), PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "rows": access_log_rows(page.object_list),
        "kind": kind,
        "kinds": [(value, label) for value, label, _condition in ACCESS_LOG_KINDS],
        "csv_url": f"{csv_url}?kind={kind}" if kind else csv_url,
        # Who tried to read the file and was refused, by the hour.
        "refused": list(refused_reads_of_family(family_pk)[:REFUSED_HOURS_SHOWN]),
    }


def _cell(value) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_response(family_pk: int, kind: str) -> HttpResponse:
    """The whole log as CSV under a neutral file name: it is a staff audit export."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("When"),
            _("Who"),
            _("E-mail address"),
            _("Role"),
            _("What"),
            _("Page or change"),
            _("Emergency access"),
            _("Reason"),
        ]
    )
    for row in access_log_rows(access_log_events(family_pk, kind)):
        writer.writerow(
            _cell(value)
            for value in (
                timezone.localtime(row.occurred_at).isoformat(timespec="seconds"),
                row.who,
                row.email,
                row.role,
                row.happened,
                row.what,
                _("yes") if row.break_glass else _("no"),
                row.reason,
            )
        )
    return response


@require_GET
def family_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The supervisor's view, as a part of the case."""
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    csv_url = reverse("family_access_log_csv", args=[family.pk])
    context = case_context(request, family, "family_access_log", **_log_context(request, family.pk, csv_url))
    return render(request, "liaison/access_log_case.html", context)


@require_GET
def family_access_log_csv(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    return _csv_response(family.pk, _kind(request))


@require_GET
def access_log_find(request: HttpRequest) -> HttpResponse:
    """An administrator finds a family's access log by its reference."""
    verified_administrator_or_404(request)
    reference = request.GET.get("reference", "").strip()[:20]
    error, status = "", 200
    if "reference" in request.GET:
        family_pk = audit_family_pk(request.user, reference)
        if family_pk is not None:
            return redirect("access_log", pk=family_pk)
        if reference:
            error, status = _("No family with this reference"), 404
        else:
            error, status = _("Enter the family's reference"), 400
    context = {"reference": reference, "error": error}
    return render(request, "liaison/access_log_find.html", context, status=status)


@require_GET
def access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The administrator's view: the audit rows and the family's reference, no case data."""
    family = family_for_audit_or_404(request, pk)
    csv_url = reverse("access_log_csv", args=[family.pk])
    context = {"reference": family.reference, **_log_context(request, family.pk, csv_url)}
    return render(request, "liaison/access_log.html", context)


@require_GET
def access_log_csv(request: HttpRequest, pk: int) -> HttpResponse:
    family = family_for_audit_or_404(request, pk)
    return _csv_response(family.pk, _kind(request))


@require_GET
def refused_reads(request: HttpRequest) -> HttpResponse:
    """The administrators' list of refused reads of case files, per person and hour, with
    the files each tried (their references, and the access log of each)."""
    verified_administrator_or_404(request)
    page = Paginator(refused_read_hours(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    references = family_references_for_audit(request.user, {pk for row in rows for pk in row.families_tried})
    for row in rows:
        row.tried = [(pk, references.get(pk)) for pk in row.families_tried]
    context = {"page": page, "rows": rows, "alert_at": settings.REFUSED_READS_ALERT_AT}
    return render(request, "liaison/refused_reads.html", context)
