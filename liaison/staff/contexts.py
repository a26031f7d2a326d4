"""The patterns of contexts across families, for the police partners and analysts of a
police unit: the contexts linked to the most families in the last 90 days and the hits
first seen this week, filtered by kind; a CSV of the same for the police partners. Of a
family outside their unit they learn only that it exists in the count. Liaison officers,
supervisors and parents never reach these pages (404)."""

import csv
from functools import partial
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from families.models import ContextKind
from families.models.contexts import ACCESS_REASON_MIN_LENGTH
from families.selectors import contexts as selectors
from families.services import contexts as services
from liaison.access import (
    context_hits_unit_or_404,
    context_hits_units,
    may_decide_context_access,
    may_download_patterns,
    shows_family_details,
)
from liaison.accounts.models import PoliceUnit
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.forms import GovukFormMixin, form_page

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


def _units(request: HttpRequest) -> tuple[list[int], str]:
    """The units the reader filters on: one of the units they serve, or every one of them
    for anything else; and the chosen one as the filter shows it ("" for all)."""
    context_hits_unit_or_404(request)
    served = context_hits_units(request.user)
    chosen = request.GET.get("unit", "")
    if chosen.isdigit() and int(chosen) in served:
        return [int(chosen)], chosen
    return list(served), ""


def _unit_choices(request: HttpRequest) -> list[tuple[str, str]]:
    """The filter by unit, for someone who serves more than one; none for one unit."""
    served = context_hits_units(request.user)
    if len(served) < 2:
        return []
    units = PoliceUnit.objects.filter(pk__in=served).order_by("name").values_list("pk", "name")
    return [("", _("Every unit you serve")), *((str(pk), name) for pk, name in units)]


@require_GET
def context_patterns(request: HttpRequest) -> HttpResponse:
    units, unit = _units(request)
    kind = _kind(request)
    page = Paginator(selectors.hits_for_unit(units, kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        action=AuditAction.CASE_LIST_VIEWED,
        actor=request.user,
        detail={"page": "context_patterns", "kind": kind, "unit": unit},
    )
    rows, new_rows = selectors.hit_rows_of(
        units, page.object_list, selectors.new_hits_for_unit(units, kind=kind)[:PAGE_SIZE]
    )
    filters = {name: value for name, value in (("kind", kind), ("unit", unit)) if value}
    context = {
        "kinds": [("", _("Every kind")), *ContextKind.choices],
        "kind": kind,
        "units": _unit_choices(request),
        "unit": unit,
        "filters": urlencode(filters),
        "page": page,
        "rows": rows,
        "new_rows": new_rows,
        "days": selectors.PATTERN_DAYS,
        "may_download": may_download_patterns(request.user),
        "shows_families": may_download_patterns(request.user),
    }
    return render(request, "liaison/contexts/patterns.html", context)


@require_GET
def context_patterns_csv(request: HttpRequest) -> HttpResponse:
    units, unit = _units(request)
    if not may_download_patterns(request.user):
        raise Http404
    kind = _kind(request)
    rows = selectors.hit_rows(units, selectors.hits_for_unit(units, kind=kind)[:CSV_ROWS])
    audit_record(
        action=AuditAction.CASE_LIST_VIEWED,
        actor=request.user,
        detail={"page": "context_patterns_csv", "kind": kind, "unit": unit},
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


class AccessAskForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you need to read how the other unit's families name this context?"),
        min_length=ACCESS_REASON_MIN_LENGTH,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("A police partner of that unit reads your reason and decides. Kept in the audit trail."),
        error_messages={
            "required": gettext_lazy("Give the reason for your request."),
            "min_length": gettext_lazy("Give the reason in at least %(limit_value)d characters."),
        },
    )


class AccessDecideForm(GovukFormMixin, forms.Form):
    grant = forms.TypedChoiceField(
        label=gettext_lazy("Your decision"),
        choices=[("yes", gettext_lazy("Grant access for a week")), ("no", gettext_lazy("Refuse"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose whether you grant access."),
            "invalid_choice": gettext_lazy("Choose whether you grant access."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the person who asked"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _hit_or_404(unit: int, pk: int):
    hit = selectors.hit_in_unit(unit, pk)
    if hit is None:
        raise Http404
    return hit


@require_GET
def context_hit(request: HttpRequest, pk: int) -> HttpResponse:
    """One hit: how the reader's own unit's families name it, the other units with their
    counts, and the other units' families where a request was granted (each read logged)."""
    unit = context_hits_unit_or_404(request)
    hit = _hit_or_404(unit, pk)
    granted = selectors.granted_units(request.user, hit)
    others = []
    for hit_unit in selectors.hit_units(hit):
        if hit_unit.unit_id == unit:
            continue
        links = list(selectors.links_of_hit_in_unit(hit, hit_unit.unit_id)) if hit_unit.unit_id in granted else []
        for link in links:
            audit_record(
                action=AuditAction.CASE_VIEWED,
                actor=request.user,
                target=link,
                family=link.family,
                detail={"path": request.path, "access": "context_access", "hit": hit.pk},
            )
        others.append(
            {"unit": hit_unit, "links": links, "waiting": selectors.open_request(request.user, hit, hit_unit.unit_id)}
        )
    audit_record(action=AuditAction.CASE_LIST_VIEWED, actor=request.user, detail={"page": "context_hit", "hit": hit.pk})
    context = {
        "hit": hit,
        "own_links": list(selectors.links_of_hit_in_unit(hit, unit)),
        "others": others,
        "shows_families": shows_family_details(request.user),
    }
    return render(request, "liaison/contexts/hit.html", context)


@require_http_methods(["GET", "POST"])
def context_access_ask(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """Ask the police partners of another unit in the hit for access, with a reason."""
    unit = context_hits_unit_or_404(request)
    hit = _hit_or_404(unit, pk)
    other = next((u for u in selectors.hit_units(hit) if u.unit_id == unit_pk and u.unit_id != unit), None)
    if other is None:
        raise Http404
    hit_url = reverse("context_hit", args=[hit.pk])

    def show(form) -> HttpResponse:
        context = {"form": form, "hit": hit, "other": other, "cancel_url": hit_url}
        return render(request, "liaison/contexts/access_ask.html", context)

    return form_page(
        request,
        AccessAskForm(_data(request)),
        save=partial(services.context_access_request, hit=hit, unit=_unit(other.unit_id), requested_by=request.user),
        success=_("Your request is sent. A police partner of the other unit decides."),
        redirect_to=hit_url,
        show=show,
    )


def _unit(pk: int) -> PoliceUnit:
    return PoliceUnit.objects.get(pk=pk)


@require_GET
def context_access_requests(request: HttpRequest) -> HttpResponse:
    """The requests waiting for this police partner's unit, and the reader's own."""
    unit = context_hits_unit_or_404(request)
    to_decide = selectors.access_requests_to_decide(unit) if may_download_patterns(request.user) else None
    context = {
        "to_decide": Paginator(to_decide, PAGE_SIZE).get_page(request.GET.get("waiting"))
        if to_decide is not None
        else None,
        "page": Paginator(selectors.access_requests_of(request.user), PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return render(request, "liaison/contexts/access_requests.html", context)


@require_http_methods(["GET", "POST"])
def context_access_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """A police partner of the unit asked grants or refuses a request."""
    unit = context_hits_unit_or_404(request)
    access = selectors.access_request_to_decide(unit, pk)
    if access is None or not may_decide_context_access(request.user, access):
        raise Http404

    def show(form) -> HttpResponse:
        context = {"form": form, "access": access, "cancel_url": reverse("context_access_requests")}
        return render(request, "liaison/contexts/access_decide.html", context)

    return form_page(
        request,
        AccessDecideForm(_data(request)),
        save=partial(services.context_access_decide, access=access, decided_by=request.user),
        success=_("Your decision is saved and the person who asked can see it."),
        redirect_to=reverse("context_access_requests"),
        show=show,
    )
