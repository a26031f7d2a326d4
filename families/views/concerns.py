"""When a parent may be the exploiter: the concern and its Meldcode steps, the screen
for exploitation within the family and its history, and the children seen alone. Staff
pages only; which staff see which part is the access policy's sections."""

from functools import partial

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import case_context, case_form_page
from families.forms.concerns import ConcernCloseForm, ConcernRaiseForm, MeldcodeStepForm, ScreenForm, SeenAloneForm
from families.models import Family, FamilyConcern, ScreenOccasion
from families.selectors import concerns as selectors
from families.services import concerns as services
from liaison.access import CHANGE, VIEW, allows, can_see_section, get_family_or_404
from liaison.forms import posted_data

CURRENT = "families:concerns"


@require_GET
def concern_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The concern that a caregiver may be involved, open and closed, each with its
    Meldcode steps; with links to the screen and the children seen alone."""
    family = get_family_or_404(request, pk, VIEW, section="concerns")
    concerns = list(selectors.concerns_of(family))
    context = case_context(
        request,
        family,
        CURRENT,
        open_concern=next((concern for concern in concerns if concern.is_open), None),
        closed_concerns=[concern for concern in concerns if not concern.is_open],
        can_change=allows(request.user, family, CHANGE),
        sees_meldcode=can_see_section(request.user, "meldcode", family),
        sees_screen=can_see_section(request.user, "screen", family),
        sees_seen_alone=can_see_section(request.user, "seen_alone", family),
    )
    return render(request, "families/concerns/list.html", context)


@require_http_methods(["GET", "POST"])
def concern_raise(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="concerns")
    return case_form_page(
        request,
        family,
        ConcernRaiseForm(posted_data(request)),
        save=partial(services.concern_raise, family=family, raised_by=request.user),
        success=_("The concern is raised. Plan to see the child alone, and follow the steps of the Meldcode."),
        redirect_to=reverse(CURRENT, args=[family.pk]),
        template="families/concerns/form.html",
        current="families:concern_raise",
        heading=_("Raise a concern that a caregiver may be involved"),
        submit=_("Raise the concern"),
        already_open=selectors.open_concern(family),
    )


def _concern_or_404(family: Family, concern_pk: int) -> FamilyConcern:
    concern = selectors.concern_of(family, concern_pk)
    if concern is None:
        raise Http404
    return concern


@require_http_methods(["GET", "POST"])
def concern_close(request: HttpRequest, pk: int, concern_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="concerns")
    concern = _concern_or_404(family, concern_pk)
    return case_form_page(
        request,
        family,
        ConcernCloseForm(posted_data(request)),
        save=partial(services.concern_close, concern=concern, closed_by=request.user),
        success=_("The concern is closed. It stays in the history with its steps."),
        redirect_to=reverse(CURRENT, args=[family.pk]),
        template="families/concerns/form.html",
        current="families:concern_close",
        heading=_("Close the concern"),
        submit=_("Close the concern"),
        concern=concern,
    )


@require_http_methods(["GET", "POST"])
def meldcode_step_add(request: HttpRequest, pk: int, concern_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="meldcode")
    concern = _concern_or_404(family, concern_pk)
    if not concern.is_open:
        raise Http404
    form = MeldcodeStepForm(posted_data(request), initial={"taken_by": request.user.full_name})
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.meldcode_step_record, concern=concern, created_by=request.user),
        success=_("The Meldcode step is recorded."),
        redirect_to=reverse(CURRENT, args=[family.pk]),
        template="families/concerns/step_form.html",
        current="families:meldcode_step_add",
        concern=concern,
    )


@require_GET
def screen_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Every screen of the family, newest first: the history of the answers."""
    family = get_family_or_404(request, pk, VIEW, section="screen")
    context = case_context(
        request,
        family,
        CURRENT,
        screens=list(selectors.screens_of(family)),
        can_change=allows(request.user, family, CHANGE),
    )
    return render(request, "families/concerns/screens.html", context)


def _screen_moment(request: HttpRequest, family: Family) -> dict:
    """What the screen is answered for: the review named in ``?review=``, the intake
    (``?occasion=intake``) or another moment."""
    review_pk = request.GET.get("review", "")
    if review_pk.isdigit() and len(review_pk) < 12:
        review = selectors.review_of(family, int(review_pk))
        if review is not None:
            return {"review": review, "occasion": ScreenOccasion.REVIEW}
    if request.GET.get("occasion") == ScreenOccasion.INTAKE:
        return {"review": None, "occasion": ScreenOccasion.INTAKE}
    return {"review": None, "occasion": ScreenOccasion.OTHER}


def _screen_saved(screen) -> str:
    if getattr(screen, "raised_concern", False):
        return _("The screen is saved. It raised a concern that a caregiver may be involved.")
    if screen.concern_id:
        return _("The screen is saved and added to the open concern.")
    return _("The screen is saved.")


def _after_screen(family: Family):
    def target(screen) -> str:
        if screen.concern_id:
            return reverse(CURRENT, args=[family.pk])
        return reverse("families:detail", args=[family.pk])

    return target


@require_http_methods(["GET", "POST"])
def screen_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="screen")
    moment = _screen_moment(request, family)
    return case_form_page(
        request,
        family,
        ScreenForm(posted_data(request), family=family),
        save=partial(services.screen_record, family=family, created_by=request.user, **moment),
        success=_screen_saved,
        redirect_to=_after_screen(family),
        template="families/concerns/screen_form.html",
        current="families:screen_add",
        **moment,
    )


@require_GET
def seen_alone_list(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section="seen_alone")
    context = case_context(
        request,
        family,
        CURRENT,
        children=selectors.children_seen_alone(family),
        records=list(selectors.seen_alone_of(family)),
        can_change=allows(request.user, family, CHANGE),
        within_days=selectors.SEEN_ALONE_WITHIN_DAYS,
    )
    return render(request, "families/concerns/seen_alone.html", context)


@require_http_methods(["GET", "POST"])
def seen_alone_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="seen_alone")
    return case_form_page(
        request,
        family,
        SeenAloneForm(posted_data(request), family=family),
        save=partial(services.seen_alone_record, family=family, created_by=request.user),
        success=_("It is recorded that the child was seen alone."),
        redirect_to=reverse("families:seen_alone", args=[family.pk]),
        template="families/concerns/seen_alone_form.html",
        current="families:seen_alone_add",
    )
