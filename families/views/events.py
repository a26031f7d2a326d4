"""Incidents and threats against the family, and missing episodes with the return and
the return conversation."""

from functools import partial

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import case_context, case_form_page
from families.forms.events import IncidentForm, MissingEpisodeForm, MissingReturnForm, ReturnConversationForm
from families.models import ContextSource, Family, MissingEpisode
from families.selectors import events as selectors
from families.services import events as services
from families.views.contexts import contexts_on_source_page
from liaison.access import CHANGE, VIEW, allows, get_family_or_404

PAGE_SIZE = 25


@require_GET
def incident_list(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section="incidents")
    page = Paginator(selectors.incidents_of(family), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    context = case_context(
        request,
        family,
        "families:incidents",
        page=page,
        can_change=allows(request.user, family, CHANGE),
        source=ContextSource.INCIDENT,
        **contexts_on_source_page(request, family, ContextSource.INCIDENT, page.object_list),
    )
    return render(request, "families/incidents/list.html", context)


@require_http_methods(["GET", "POST"])
def incident_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="incidents")
    form = IncidentForm(request.POST if request.method == "POST" else None)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.incident_log, family=family, created_by=request.user),
        success=_("The incident is recorded."),
        redirect_to=reverse("families:incidents", args=[family.pk]),
        template="families/incidents/form.html",
        current="families:incident_add",
    )


@require_GET
def missing_list(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section="missing")
    page = Paginator(selectors.missing_returned(family), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    missing_now = list(selectors.missing_now(family))
    context = case_context(
        request,
        family,
        "families:missing",
        missing_now=missing_now,
        page=page,
        can_change=allows(request.user, family, CHANGE),
        source=ContextSource.MISSING_EPISODE,
        **contexts_on_source_page(request, family, ContextSource.MISSING_EPISODE, missing_now, page.object_list),
    )
    return render(request, "families/missing/list.html", context)


@require_http_methods(["GET", "POST"])
def missing_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="missing")
    form = MissingEpisodeForm(request.POST if request.method == "POST" else None, family=family)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.missing_log, family=family, created_by=request.user),
        success=_("The missing episode is recorded."),
        redirect_to=reverse("families:missing", args=[family.pk]),
        template="families/missing/form.html",
        current="families:missing_add",
        has_children=family.children.exists(),
    )


def _episode_or_404(family: Family, episode_pk: int) -> MissingEpisode:
    episode = selectors.missing_episode_of(family, episode_pk)
    if episode is None:
        raise Http404
    return episode


@require_http_methods(["GET", "POST"])
def missing_return(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="missing")
    episode = _episode_or_404(family, episode_pk)
    form = MissingReturnForm(request.POST if request.method == "POST" else None, episode=episode)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.missing_return, episode=episode, recorded_by=request.user),
        success=_("The return is recorded. The return conversation is due within 72 hours."),
        redirect_to=reverse("families:missing", args=[family.pk]),
        template="families/missing/return.html",
        current="families:missing_return",
        episode=episode,
    )


@require_http_methods(["GET", "POST"])
def return_conversation(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="missing")
    episode = _episode_or_404(family, episode_pk)
    form = ReturnConversationForm(request.POST if request.method == "POST" else None, episode=episode)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.return_conversation_record, episode=episode, recorded_by=request.user),
        success=_("The return conversation is recorded."),
        redirect_to=reverse("families:missing", args=[family.pk]),
        template="families/missing/return_conversation.html",
        current="families:return_conversation",
        episode=episode,
    )
