"""The agencies involved with a family: the timeline of named workers per agency,
adding an involvement, a change of worker, and ending an involvement."""

from functools import partial

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import case_context, case_form_page
from families.forms.agencies import AgencyInvolvementForm, InvolvementEndForm, WorkerChangeForm
from families.models import AgencyInvolvement, Family
from families.selectors import agencies as selectors
from families.selectors.referrals import referrals_of
from families.services import agencies as services
from liaison.access import CHANGE, VIEW, allows, can_see_section, get_family_or_404

SECTION = "agencies"


def _involvement_or_404(family: Family, involvement_pk: int) -> AgencyInvolvement:
    involvement = family.agency_involvements.filter(pk=involvement_pk).first()
    if involvement is None:
        raise Http404
    return involvement


@require_GET
def agency_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    sees_referrals = can_see_section(request.user, "referrals", family)
    context = case_context(
        request,
        family,
        "families:agencies",
        timeline=selectors.agency_timeline(family),
        can_change=allows(request.user, family, CHANGE),
        sees_referrals=sees_referrals,
        referrals=referrals_of(family) if sees_referrals else [],
    )
    return render(request, "families/agencies/agency_timeline.html", context)


@require_http_methods(["GET", "POST"])
def agency_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section=SECTION)
    form = AgencyInvolvementForm(request.POST if request.method == "POST" else None)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.agency_involvement_add, family=family, created_by=request.user),
        success=_("The agency involvement is added."),
        redirect_to=reverse("families:agencies", args=[family.pk]),
        template="families/agencies/agency_form.html",
        current="families:agency_add",
    )


@require_http_methods(["GET", "POST"])
def agency_change_worker(request: HttpRequest, pk: int, involvement_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section=SECTION)
    involvement = _involvement_or_404(family, involvement_pk)
    form = WorkerChangeForm(
        request.POST if request.method == "POST" else None,
        initial={"changed_on": timezone.localdate(), "agency_detail": involvement.agency_detail},
    )
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.agency_worker_change, involvement=involvement, changed_by=request.user),
        success=lambda successor: (
            _("%(worker)s is now the named worker at %(agency)s.")
            % {"worker": successor.worker_name, "agency": successor.get_agency_display()}
        ),
        redirect_to=reverse("families:agencies", args=[family.pk]),
        template="families/agencies/worker_change.html",
        current="families:agency_change_worker",
        involvement=involvement,
    )


@require_http_methods(["GET", "POST"])
def agency_end(request: HttpRequest, pk: int, involvement_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section=SECTION)
    involvement = _involvement_or_404(family, involvement_pk)
    form = InvolvementEndForm(
        request.POST if request.method == "POST" else None, initial={"ended_on": timezone.localdate()}
    )
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.agency_involvement_end, involvement=involvement, ended_by=request.user),
        success=_("The involvement of %(worker)s has ended.") % {"worker": involvement.worker_name},
        redirect_to=reverse("families:agencies", args=[family.pk]),
        template="families/agencies/involvement_end.html",
        current="families:agency_end",
        involvement=involvement,
    )
