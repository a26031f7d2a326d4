"""The caseload, the family overview, opening and closing a case, and handovers."""

from functools import partial

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import case_context, case_form_page, kept_case_page
from families.forms.case import FamilyEditForm, FamilyOpenForm
from families.selectors import case as selectors
from families.services import case as services
from liaison.access import CHANGE, SUPERVISE, VIEW, allows_each, can, get_family_or_404, may_reopen
from liaison.forms import form_page
from liaison.staff.attention import police_waiting_for_family

# The parts of the case the overview shows or leaves out (``sees`` in its template).
OVERVIEW_SECTIONS = ("concerns", "screen", "seen_alone", "progress", "parents_words", "needs", "contexts")


@require_GET
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW)
    frame = case_context(request, family, "families:detail")

    def overview() -> dict:
        user = request.user
        sees = frame["case_sections"]
        allowed = allows_each(user, family, (CHANGE, SUPERVISE))
        can_change = allowed[CHANGE]
        return {
            "can_change": can_change,
            "can_supervise": allowed[SUPERVISE],
            "can_reopen": may_reopen(user, family),
            "sees": {section: section in sees for section in OVERVIEW_SECTIONS},
            # With the rest of the overview, each part only for those who see it:
            **selectors.family_overview(
                family,
                seen_alone="seen_alone" in sees,
                # As on the Contexts tab: that the police were told, never which or of whom.
                contexts="contexts" in sees,
                progress="progress" in sees,
                parents_words="parents_words" in sees,
                # Shown only to those who may change the case, when a closure was refused.
                closure=can_change,
                # The header already asked whether a concern is open (whoever sees the
                # concerns may know that one is open): its details only when one is.
                open_concern="concerns" in sees and frame["case_warnings"]["open_concern"],
                screen="screen" in sees,
                needs="needs" in sees,
            ),
            "police_waiting": police_waiting_for_family(family.pk),
        }

    return kept_case_page(
        request,
        family,
        "families:detail",
        template="families/family_detail.html",
        part="families/partials/family_overview.html",
        make=overview,
        frame=frame,
    )


@require_http_methods(["GET", "POST"])
def family_open(request: HttpRequest) -> HttpResponse:
    if not can(request.user, CHANGE):
        raise Http404
    form = FamilyOpenForm(request.POST if request.method == "POST" else None, opened_by=request.user)

    def open_case(liaison_officer=request.user, **fields):
        """An officer opens their own case; a supervisor chooses its officer."""
        return services.family_open(created_by=request.user, officer=liaison_officer, **fields)

    return form_page(
        request,
        form,
        save=open_case,
        success=lambda family: _("The case %(reference)s is open.") % {"reference": family.reference},
        redirect_to=lambda family: reverse("families:detail", args=[family.pk]),
        show=lambda form: render(request, "families/family_open.html", {"form": form}),
    )


@require_http_methods(["GET", "POST"])
def family_edit(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE)
    form = FamilyEditForm(request.POST if request.method == "POST" else None, instance=family)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.family_update, family=family, changed_by=request.user),
        success=_("The case is saved."),
        redirect_to=reverse("families:detail", args=[family.pk]),
        template="families/family_edit.html",
        current="families:edit",
    )
