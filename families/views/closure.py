"""Supervised closure: the officer asks to close the case, a supervisor of the team
decides with a reason; a closed case stays readable for the team and a supervisor may
reopen it until it moves to the archive."""

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from families.case_page import case_form_page
from families.forms.case import ClosureDecisionForm, FamilyCloseForm, ReopenForm
from families.models import ClosureDecision, ClosureRequest
from families.services import closure as services
from liaison.access import CHANGE, SUPERVISE, allows, get_closed_family_or_404, get_family_or_404


def _closed_or_asked(closure: ClosureRequest) -> str:
    if closure.pending:
        return _("Your supervisor is asked to close the case. It stays open until they decide.")
    return _("The case is closed. The team can still read it until it moves to the archive.")


@require_http_methods(["GET", "POST"])
def family_close(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer asks a supervisor to close the case; a supervisor closes it."""
    family = get_family_or_404(request, pk, CHANGE)
    form = FamilyCloseForm(request.POST if request.method == "POST" else None)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.closure_request, family=family, requested_by=request.user),
        success=_closed_or_asked,
        redirect_to=reverse("families:detail", args=[family.pk]),
        template="families/family_close.html",
        current="families:close",
        decides=allows(request.user, family, SUPERVISE),
        months=family.team.closed_readable_months,
    )


def _decided(closure: ClosureRequest) -> str:
    return _("The case is closed.") if closure.decision == ClosureDecision.APPROVED else _("The case stays open.")


@require_http_methods(["GET", "POST"])
def closure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, SUPERVISE)
    closure = get_object_or_404(ClosureRequest.objects.select_related("requested_by"), family=family, decided_at=None)
    form = ClosureDecisionForm(request.POST if request.method == "POST" else None)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.closure_decide, closure=closure, supervisor=request.user),
        success=lambda decided: (
            _("The case is closed.") if decided.decision == "approved" else _("The case stays open.")
        ),
        redirect_to=reverse("families:detail", args=[family.pk]),
        template="families/closure_decide.html",
        current="families:closure_decide",
        closure=closure,
        months=family.team.closed_readable_months,
    )


@require_http_methods(["GET", "POST"])
def family_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_closed_family_or_404(request, pk)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.closed_family_reopen, family=family, supervisor=request.user),
        success=_("The case is open again, with its own liaison officer."),
        redirect_to=reverse("families:detail", args=[family.pk]),
        template="families/family_reopen.html",
        current="families:reopen",
    )
