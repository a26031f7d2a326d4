"""Protective mode for staff: start it (officer or supervisor), confirm it (supervisor),
end it when the concern is closed. Marking a caregiver suspected ends it by itself."""

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from families.case_page import case_form_page
from families.forms.protection import ProtectiveModeCloseForm, ProtectiveModeConfirmForm, ProtectiveModeStartForm
from families.services.protection import protective_mode_close, protective_mode_confirm, protective_mode_start
from liaison.access import CHANGE, SUPERVISE, allows, get_family_or_404, open_protective_mode

CURRENT = "families:protective_mode"


def _page(request: HttpRequest, family) -> str:
    return reverse(CURRENT, args=[family.pk])


@require_http_methods(["GET", "POST"])
def protective_mode(request: HttpRequest, pk: int) -> HttpResponse:
    """What holds now and before, and the form to start it."""
    family = get_family_or_404(request, pk, CHANGE)
    form = ProtectiveModeStartForm(request.POST if request.method == "POST" else None)
    history = family.protective_modes.select_related("started_by", "confirmed_by", "ended_by")
    return case_form_page(
        request,
        family,
        form,
        save=partial(protective_mode_start, family=family, started_by=request.user),
        success=_("Protective mode holds from now: nothing new reaches the parents."),
        redirect_to=_page(request, family),
        template="families/protection/page.html",
        current=CURRENT,
        mode=open_protective_mode(family),
        history=list(history),
        can_confirm=allows(request.user, family, SUPERVISE),
    )


@require_http_methods(["GET", "POST"])
def protective_mode_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, SUPERVISE)
    form = ProtectiveModeConfirmForm(request.POST if request.method == "POST" else None)
    return case_form_page(
        request,
        family,
        form,
        save=partial(protective_mode_confirm, family=family, supervisor=request.user),
        success=_("Protective mode is confirmed."),
        redirect_to=_page(request, family),
        template="families/protection/confirm.html",
        current=CURRENT,
        mode=open_protective_mode(family),
    )


@require_http_methods(["GET", "POST"])
def protective_mode_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE)
    form = ProtectiveModeCloseForm(request.POST if request.method == "POST" else None)
    return case_form_page(
        request,
        family,
        form,
        save=partial(protective_mode_close, family=family, ended_by=request.user),
        success=_("Protective mode has ended: the parents see what is new again."),
        redirect_to=_page(request, family),
        template="families/protection/close.html",
        current=CURRENT,
        mode=open_protective_mode(family),
    )
