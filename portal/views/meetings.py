"""The parents' side of multi-agency meetings: before a meeting they read the team's
question and write, in their own words, what they want the meeting to know; afterwards
their words stay readable and they read what the meeting decided. A suspected caregiver
has no portal family, so every page here is a 404 for them; while protective mode holds
the pages show what they showed when it began."""

from functools import partial

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.forms.meeting_voice import ParentsWordsForm
from families.selectors.meetings import answers_of_member, outcome_notes_for_parents, voice_questions_of_family
from families.services.meetings import WORDS_MAX_LENGTH, parents_voice_answer
from liaison.access import get_portal_family_or_404, get_portal_member_or_404
from liaison.forms import form_page, posted_data

PAGE_SIZE = 10


@require_GET
def portal_meetings(request: HttpRequest) -> HttpResponse:
    """The team's questions before a meeting, the latest meeting first."""
    family = get_portal_family_or_404(request)
    page = Paginator(voice_questions_of_family(family), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "today": timezone.localdate()}
    return render(request, "portal/meetings.html", context)


@require_http_methods(["GET", "POST"])
def portal_meeting_answer(request: HttpRequest, request_pk: int) -> HttpResponse:
    """One question: the parent's answers so far, and, until the day of the meeting, the
    form to write (more)."""
    family = get_portal_family_or_404(request)
    question = voice_questions_of_family(family).filter(pk=request_pk).first()
    if question is None:
        raise Http404
    member = get_portal_member_or_404(request, family)
    form = ParentsWordsForm(posted_data(request))

    def show(form) -> HttpResponse:
        context = {
            "form": form,
            "question": question,
            "answers": list(answers_of_member(question, member)),
            "is_open": question.item.meeting.held_on >= timezone.localdate(),
            "limit": WORDS_MAX_LENGTH,
        }
        return render(request, "portal/meeting_answer.html", context)

    return form_page(
        request,
        form,
        save=partial(parents_voice_answer, request=question, member=member),
        success=_("Thank you. The meeting will read your words as you wrote them."),
        redirect_to=reverse("portal:meeting_answer", args=[question.pk]),
        show=show,
    )


@require_GET
def portal_meeting_notes(request: HttpRequest) -> HttpResponse:
    """What the meetings decided, in plain words, the newest first."""
    family = get_portal_family_or_404(request)
    page = Paginator(outcome_notes_for_parents(family), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/meeting_notes.html", {"page": page})
