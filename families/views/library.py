"""The library for parents in the case: the officer sends an article to the parents'
portal and records which articles they talked through together. Police partners never
see this part (the access policy's ``library`` section); while protective mode holds,
nothing is sent."""

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import case_context, case_form_page
from families.forms.library import ArticleDiscussionForm, ArticleSendForm
from families.selectors.library import family_library
from families.services.library import SECTION, article_discussion_record, article_send
from liaison.access import CHANGE, PROTECTIVE_MODE_HOLDS, VIEW, allows, get_family_or_404, open_protective_mode


def _library_url(family) -> str:
    return reverse("families:library", args=[family.pk])


def _parents_unreachable(family) -> str:
    """Why nothing can be sent to the parents now, or "" when it can."""
    return str(PROTECTIVE_MODE_HOLDS) if open_protective_mode(family) is not None else ""


@require_GET
def family_library_page(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    context = case_context(
        request,
        family,
        "families:library",
        library=family_library(family),
        can_change=allows(request.user, family, CHANGE),
        parents_unreachable=_parents_unreachable(family),
    )
    return render(request, "families/library/family_library.html", context)


@require_http_methods(["GET", "POST"])
def article_send_page(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section=SECTION)
    form = ArticleSendForm(request.POST if request.method == "POST" else None)
    return case_form_page(
        request,
        family,
        form,
        save=partial(article_send, family=family, officer=request.user),
        success=_("The article is sent. The parents find it in their portal."),
        redirect_to=_library_url(family),
        template="families/library/send_form.html",
        current="families:library",
        parents_unreachable=_parents_unreachable(family),
    )


@require_http_methods(["GET", "POST"])
def article_discussion_page(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section=SECTION)
    form = ArticleDiscussionForm(request.POST if request.method == "POST" else None)
    return case_form_page(
        request,
        family,
        form,
        save=partial(article_discussion_record, family=family, officer=request.user),
        success=_("Saved: you talked about the article with the parents."),
        redirect_to=_library_url(family),
        template="families/library/discussion_form.html",
        current="families:library",
    )
