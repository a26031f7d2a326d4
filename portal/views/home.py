"""The parents' portal: the home page and their own rating of how they are doing."""

from functools import partial

from django.db.models import Exists, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.forms.progress import ParentRatingForm
from families.models import Family, RatingSource
from families.selectors.justice import hearing_rows, next_hearing_for_parents, next_hearing_from, parents_news
from families.selectors.library import unread_articles
from families.selectors.meetings import outcome_notes_for_parents, voice_questions_for_parents
from families.selectors.messages import unread_messages
from families.selectors.portal import assignment_rows, next_meeting_rows, overview_from, portal_overview
from families.selectors.together import count_of, count_together, read_together
from families.services.progress import parent_rating_record
from liaison.access import get_portal_family_or_404, parents_see_until_rows, remember_parents_see_until
from liaison.compiled import STAND_IN_USER
from liaison.forms import form_page
from liaison.fragments import cached_case_part
from safety_plans.selectors import (
    emergency_contact_rows,
    emergency_contacts_from,
    home_version_rows,
    home_versions_from,
)


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


# What waits for the parents: how many of each, and whether any meeting note reached them.
WAITING = {
    "unread_messages": lambda family: unread_messages(family, for_parent=True),
    "unread_articles": unread_articles,
    "open_meeting_questions": voice_questions_for_parents,
}
NOTES = {"meeting_notes": outcome_notes_for_parents}


def _waiting_rows(family_id: int) -> QuerySet:
    """What waits for the parents (``WAITING``, ``NOTES``) as one row, for a family whose
    portal does not stand still (the statement is used only then)."""
    family = Family(pk=family_id)
    remember_parents_see_until(family, [])
    counts = {name: count_of(read(family)) for name, read in WAITING.items()}
    notes = {name: Exists(read(family)) for name, read in NOTES.items()}
    return Family.objects.filter(pk=family_id).values(**counts, **notes)


# What the home page reads of the family, with one statement compiled once (``read_together``).
HOME_QUERIES = {
    "until": parents_see_until_rows,
    "versions": home_version_rows,
    "contacts": emergency_contact_rows,
    "assignments": assignment_rows,
    "next_meeting": next_meeting_rows,
    "hearings": lambda family_id: hearing_rows(family_id, STAND_IN_USER),
    "waiting": _waiting_rows,
}


def _portal_home(request: HttpRequest, family) -> dict:
    rows = read_together(HOME_QUERIES, list(HOME_QUERIES), family.pk, user_id=request.user.pk)
    until = remember_parents_see_until(family, rows["until"])
    plan_active, plan_shared = home_versions_from(rows["versions"], until)
    if until is None:
        overview = overview_from(rows["assignments"], rows["next_meeting"])
        next_hearing_on = next_hearing_from(rows["hearings"])
        waiting = rows["waiting"][0]
    else:  # protective mode: the portal shows the family as it stood then
        overview = portal_overview(family)
        next_hearing_on = next_hearing_for_parents(family, request.user)
        waiting = count_together(
            {name: read(family) for name, read in WAITING.items()},
            exists={name: read(family) for name, read in NOTES.items()},
        )
    return {
        "family": family,
        "overview": overview,
        "emergency_contacts": emergency_contacts_from(rows["contacts"], plan_active),
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
