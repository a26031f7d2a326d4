"""Incidents and threats against the family, and missing episodes with the return and
the return conversation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import apply_errors, case_context, form_status
from families.forms.events import IncidentForm, MissingEpisodeForm, MissingReturnForm, ReturnConversationForm
from families.models import Family, MissingEpisode
from families.selectors import events as selectors
from families.services import events as services
from liaison.access import CHANGE, VIEW, allows, get_family_or_404

PAGE_SIZE = 25


@require_GET
def incident_list(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section="incidents")
    page = Paginator(selectors.incidents_of(family), PAGE_SIZE).get_page(request.GET.get("page"))
    context = case_context(
        request, family, "families:incidents", page=page, can_change=allows(request.user, family, CHANGE)
    )
    return render(request, "families/incidents/list.html", context)


@require_http_methods(["GET", "POST"])
def incident_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="incidents")
    form = IncidentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_log(family=family, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The incident is recorded."))
            return redirect("families:incidents", pk=family.pk)
    context = case_context(request, family, "families:incident_add", form=form)
    return render(request, "families/incidents/form.html", context, status=form_status(form))


@require_GET
def missing_list(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section="missing")
    page = Paginator(selectors.missing_returned(family), PAGE_SIZE).get_page(request.GET.get("page"))
    context = case_context(
        request,
        family,
        "families:missing",
        missing_now=list(selectors.missing_now(family)),
        page=page,
        can_change=allows(request.user, family, CHANGE),
    )
    return render(request, "families/missing/list.html", context)


@require_http_methods(["GET", "POST"])
def missing_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="missing")
    form = MissingEpisodeForm(request.POST if request.method == "POST" else None, family=family)
    if request.method == "POST" and form.is_valid():
        try:
            services.missing_log(family=family, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The missing episode is recorded."))
            return redirect("families:missing", pk=family.pk)
    context = case_context(request, family, "families:missing_add", form=form, has_children=family.children.exists())
    return render(request, "families/missing/form.html", context, status=form_status(form))


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
    if request.method == "POST" and form.is_valid():
        try:
            services.missing_return(episode=episode, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The return is recorded. The return conversation is due within 72 hours."),
            )
            return redirect("families:missing", pk=family.pk)
    context = case_context(request, family, "families:missing_return", form=form, episode=episode)
    return render(request, "families/missing/return.html", context, status=form_status(form))


@require_http_methods(["GET", "POST"])
def return_conversation(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="missing")
    episode = _episode_or_404(family, episode_pk)
    form = ReturnConversationForm(request.POST if request.method == "POST" else None, episode=episode)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_conversation_record(episode=episode, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The return conversation is recorded."))
            return redirect("families:missing", pk=family.pk)
    context = case_context(request, family, "families:return_conversation", form=form, episode=episode)
    return render(request, "families/missing/return_conversation.html", context, status=form_status(form))
