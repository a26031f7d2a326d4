"""The parents' own needs in the family case: the register with the history of each
need, recording a need and changing it. Staff pages only; who sees them is the access
policy's ``needs`` section."""

from functools import partial

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import case_context
from families.forms.needs import NeedChangeForm, NeedForm
from families.models import Family, ParentNeed
from families.selectors import needs as selectors
from families.services import needs as services
from liaison.access import CHANGE, VIEW, allows, get_family_or_404
from liaison.forms import form_page, posted_data

SECTION = "needs"
CURRENT = "families:needs"
# The code of the refusal when someone else saved the need first (answered with 409).
CONFLICT = "conflict"


def _register_url(family: Family) -> str:
    return reverse(CURRENT, args=[family.pk])


@require_GET
def need_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Every need of the parents, open ones first, each with its history."""
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    context = case_context(
        request,
        family,
        CURRENT,
        needs=list(selectors.needs_of(family)),
        can_change=allows(request.user, family, CHANGE),
    )
    return render(request, "families/needs/list.html", context)


def _need_form_page(request: HttpRequest, family: Family, form, *, save, success: str, heading: str) -> HttpResponse:
    """The one form page of a need; back on the register once saved, 409 when someone
    else saved the need first."""

    def show(form) -> HttpResponse:
        context = case_context(request, family, CURRENT, form=form, heading=heading, cancel_url=_register_url(family))
        status = 409 if form.has_error(NON_FIELD_ERRORS, code=CONFLICT) else 200
        return render(request, "families/needs/form.html", context, status=status)

    return form_page(request, form, save=save, success=success, redirect_to=_register_url(family), show=show)


@require_http_methods(["GET", "POST"])
def need_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section=SECTION)
    return _need_form_page(
        request,
        family,
        NeedForm(posted_data(request)),
        save=partial(services.need_record, family=family, created_by=request.user),
        success=_("The need is recorded."),
        heading=_("Record a need of the parents"),
    )


def _need_or_404(family: Family, need_pk: int) -> ParentNeed:
    need = selectors.need_of(family, need_pk)
    if need is None:
        raise Http404
    return need


def _refusing_conflicts(form, need: ParentNeed, save):
    """``save`` for a change of a need. When someone else saved in between, the change is
    refused on the form (409); the person's text stays on screen with the revision saved
    now, to save again after checking."""

    def claim(**data):
        try:
            return save(**data)
        except services.NeedConflict:
            form.data = form.data.copy()
            form.data["base_revision"] = ParentNeed.objects.values_list("revision", flat=True).get(pk=need.pk)
            raise ValidationError(
                _(
                    "Someone else changed this need while you were writing. Your text is still below: "
                    "check the history of the need, then save again if it is still right."
                ),
                code=CONFLICT,
            ) from None

    return claim


@require_http_methods(["GET", "POST"])
def need_change(request: HttpRequest, pk: int, need_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section=SECTION)
    need = _need_or_404(family, need_pk)
    form = NeedChangeForm(posted_data(request), need=need)
    return _need_form_page(
        request,
        family,
        form,
        save=_refusing_conflicts(form, need, partial(services.need_change, need=need, changed_by=request.user)),
        success=_("The change is saved. The earlier version is kept in the history."),
        heading=_("Change a need of the parents"),
    )
