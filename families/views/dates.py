"""Dates to check: what was found outside its range, and the page to give the right date."""

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from families.case_page import case_context, case_form_page
from families.forms.dates import DateCorrectionForm
from families.selectors.dates import date_to_check_row, date_to_check_rows, open_dates_to_check
from families.services.dates import date_correct as date_correct_service
from liaison.access import CHANGE, allows, get_family_or_404


@require_http_methods(["GET"])
def dates_to_check(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk)
    rows = date_to_check_rows(family)
    context = case_context(
        request, family, "families:dates_to_check", rows=rows, can_correct=allows(request.user, family, CHANGE)
    )
    return render(request, "families/dates/list.html", context)


@require_http_methods(["GET", "POST"])
def date_correct(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE)
    item = get_object_or_404(open_dates_to_check(family), pk=item_pk)
    row = date_to_check_row(item)
    form = DateCorrectionForm(request.POST if request.method == "POST" else None, item=item)
    return case_form_page(
        request,
        family,
        form,
        save=partial(date_correct_service, item=item, corrected_by=request.user),
        success=_("The date is corrected."),
        redirect_to=reverse("families:dates_to_check", args=[family.pk]),
        template="families/dates/correct_form.html",
        current="families:dates_to_check",
        row=row,
    )
