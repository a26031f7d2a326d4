"""The parents' portal: the home page and their own rating of how they are doing."""

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.forms.progress import ParentRatingForm
from families.models import RatingSource
from families.selectors.justice import next_hearing_for_parents, parents_news
from families.selectors.library import unread_articles
from families.selectors.meetings import outcome_notes_for_parents, voice_questions_for_parents
from families.selectors.messages import unread_messages
from families.selectors.portal import portal_overview
from families.selectors.together import count_together
from families.services.progress import parent_rating_record
from liaison.access import get_portal_family_or_404
from liaison.forms import form_page
from liaison.fragments import cached_case_part
from safety_plans.selectors import emergency_contacts, portal_home_versions


@require_GET
def portal_home(request: HttpRequest) -> HttpResponse:
    family = get_portal_family_or_404(request)
    content = cached_case_part(
        "portal/partials/home_content.html",
        request=request,
        family=family,
        context=lambda: _portal_home(request, family),
    )
    return render(request, "portal/home.html", {"content": content})


def _portal_home(request: HttpRequest, family) -> dict:
    plan_active, plan_shared = portal_home_versions(family)
    # What waits for the parents, asked with one statement.
    waiting = count_together(
        {
            "unread_messages": unread_messages(family, for_parent=True),
            "unread_articles": unread_articles(family),
            "open_meeting_questions": voice_questions_for_parents(family),
        },
        exists={"meeting_notes": outcome_notes_for_parents(family)},
    )
    return {
        "family": family,
        "overview": portal_overview(family),
        "emergency_contacts": emergency_contacts(plan_active),
        "plan_active": plan_active,
        "plan_shared": plan_shared,
        "next_hearing_on": next_hearing_for_parents(family, request.user),
        **waiting,
    }


@require_GET
def portal_justice(request: HttpRequest) -> HttpResponse:
    """Police and court: only what the police approved for the parents to read."""
    family = get_portal_family_or_404(request)
    context = {
        "news": parents_news(family, request.user),
        "next_hearing_on": next_hearing_for_parents(family, request.user),
    }
    return render(request, "portal/justice.html", context)


@require_GET
def portal_about(request: HttpRequest) -> HttpResponse:
    """What the portal is and who sees what, in plain words."""
    get_portal_family_or_404(request)
    return render(request, "portal/about.html")


@require_http_methods(["GET", "POST"])
def portal_rating(request: HttpRequest) -> HttpResponse:
    """Parents rate how they are doing, in plain words; it lands beside the officer's review."""
    family = get_portal_family_or_404(request)
    form = ParentRatingForm(request.POST if request.method == "POST" else None, for_parent=True)
    rate = partial(
        parent_rating_record,
        family=family,
        created_by=request.user,
        source=RatingSource.PORTAL,
        rated_on=timezone.localdate(),
        given_by=request.user.full_name,
    )
    return form_page(
        request,
        form,
        save=rate,
        success=_("Thank you. Your liaison officer will see your answers."),
        redirect_to="portal:home",
        show=lambda form: render(request, "portal/rating.html", {"form": form}),
    )
