"""The caseload, the family overview, opening and closing a case, and handovers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import apply_errors, case_context, kept_case_page
from families.forms.case import FamilyCloseForm, FamilyEditForm, FamilyOpenForm
from families.selectors import case as selectors
from families.selectors.progress import progress_summary
from families.services import case as services
from liaison.access import CHANGE, SUPERVISE, VIEW, allows, can, can_see_section, get_family_or_404


@require_GET
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW)

    def overview() -> dict:
        return {
            "can_change": allows(request.user, family, CHANGE),
            "can_supervise": allows(request.user, family, SUPERVISE),
            "progress": progress_summary(family) if can_see_section(request.user, "progress", family) else None,
            **selectors.family_overview(family),
        }

    return kept_case_page(
        request,
        family,
        "families:detail",
        template="families/family_detail.html",
        part="families/partials/family_overview.html",
        make=overview,
    )


@require_http_methods(["GET", "POST"])
def family_open(request: HttpRequest) -> HttpResponse:
    if not can(request.user, CHANGE):
        raise Http404
    form = FamilyOpenForm(request.POST if request.method == "POST" else None, opened_by=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        officer = data.pop("liaison_officer", request.user)
        try:
            family = services.family_open(created_by=request.user, officer=officer, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The case %(reference)s is open.") % {"reference": family.reference})
            return redirect("families:detail", pk=family.pk)
    return render(request, "families/family_open.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def family_edit(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE)
    form = FamilyEditForm(request.POST if request.method == "POST" else None, instance=family)
    if request.method == "POST" and form.is_valid():
        try:
            services.family_update(family=family, changed_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The case is saved."))
            return redirect("families:detail", pk=family.pk)
    context = case_context(request, family, "families:edit", form=form)
    return render(request, "families/family_edit.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def family_close(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE)
    form = FamilyCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.family_close(family=family, closed_by=request.user, closing_reason=form.cleaned_data["closing_reason"])
        messages.success(
            request,
            _("The case %(reference)s is closed and in the archive. Only an administrator can open it now.")
            % {"reference": family.reference},
        )
        return redirect("families:caseload")
    context = case_context(request, family, "families:close", form=form)
    return render(request, "families/family_close.html", context, status=400 if form.errors else 200)
