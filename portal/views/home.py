"""The parents' portal: the home page and their own rating of how they are doing."""

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.forms.progress import ParentRatingForm
from families.models import RatingSource
from families.selectors.justice import hearing_rows, next_hearing_for_parents, next_hearing_from, parents_news
from families.selectors.library import unread_articles
from families.selectors.meetings import outcome_notes_for_parents, voice_questions_for_parents
from families.selectors.messages import unread_messages
from families.selectors.portal import assignment_rows, next_meeting_rows, overview_from, portal_overview
from families.selectors.together import count_together, read_together
from families.services.progress import parent_rating_record
from liaison.access import get_portal_family_or_404, parents_see_until_rows, remember_parents_see_until
from liaison.compiled import STAND_IN_USER
from liaison.forms import form_page
from liaison.fragments import cached_case_part
from safety_plans.selectors import emergency_contacts, home_version_rows, home_versions_from


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


# What the home page reads of the family, with one statement compiled once (``read_together``).
HOME_QUERIES = {
    "until": parents_see_until_rows,
    "versions": home_version_rows,
    "assignments": assignment_rows,
    "next_meeting": next_meeting_rows,
    "hearings": lambda family_id: hearing_rows(family_id, STAND_IN_USER),
}


def _portal_home(request: HttpRequest, family) -> dict:
    rows = read_together(HOME_QUERIES, list(HOME_QUERIES), family.pk, user_id=request.user.pk)
    until = remember_parents_see_until(family, rows["until"])
    plan_active, plan_shared = home_versions_from(rows["versions"], until)
    if until is None:
        overview = overview_from(rows["assignments"], rows["next_meeting"])
        next_hearing_on = next_hearing_from(rows["hearings"])
    else:  # protective mode: the portal shows the family as it stood then
        overview = portal_overview(family)
        next_hearing_on = next_hearing_for_parents(family, request.user)
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
        "overview": overview,
        "emergency_contacts": emergency_contacts(plan_active),
        "plan_active": plan_active,
        "plan_shared": plan_shared,
        "next_hearing_on": next_hearing_on,
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
