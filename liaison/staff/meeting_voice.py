"""Pages of the parents' part of a multi-agency meeting (issue 28): before the meeting the
family's officer asks the parents what they want it to know; afterwards the officer or a
keeper of the meeting writes a note in plain language for them, a police partner of the
family's unit approves it where it touches police work, and it is sent to the portal.
Who may do what is the access policy's (``get_parents_item_or_404``); the services refuse
a suspected caregiver and protective mode, and these pages say why instead of offering."""

from functools import partial

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import case_context
from families.forms.meeting_voice import ConfirmForm, OutcomeNoteChangeForm, OutcomeNoteForm
from families.models import AgendaItem, Family, OutcomeNote
from families.selectors import meetings as selectors
from families.services import meetings as services
from liaison.access import (
    APPROVE_NOTE,
    ASK_PARENTS,
    PROTECTIVE_MODE_HOLDS,
    VIEW,
    WRITE_NOTE,
    get_family_or_404,
    get_parents_item_or_404,
    may_approve_outcome_note,
    may_ask_parents,
    meetings_for,
    open_protective_mode,
    parents_to_tell,
)
from liaison.forms import form_page, posted_data

PAGE_SIZE = 20
CURRENT = "family_meetings"


def _family_meetings_url(item: AgendaItem) -> str:
    return f"{reverse(CURRENT, args=[item.family_id])}#item-{item.pk}"


def _held(item: AgendaItem, today) -> bool:
    return item.meeting.cancelled_at is None and item.meeting.held_on <= today


def _to_come(item: AgendaItem, today) -> bool:
    return item.meeting.cancelled_at is None and item.withdrawn_at is None and item.meeting.held_on >= today


def _offers(items: list[AgendaItem], *, user, family: Family) -> None:
    """What this person may do on each item now, from the policy asked once per page."""
    today = timezone.localdate()
    may_ask = may_ask_parents(user, family)
    may_approve = may_approve_outcome_note(user, family)
    kept = set(meetings_for(user).filter(pk__in=[item.meeting_id for item in items]).values_list("pk", flat=True))
    for item in items:
        note = getattr(item, "outcome_note", None)
        writes = may_ask or item.meeting_id in kept
        item.note = note
        item.kept = item.meeting_id in kept
        item.offers_ask = may_ask and _to_come(item, today) and getattr(item, "voice_request", None) is None
        item.offers_note = writes and _held(item, today) and item.withdrawn_at is None and note is None
        item.offers_approval = (
            may_approve and note is not None and note.touches_police_work and note.approved_at is None
        )
        item.offers_send = writes and note is not None and note.sent_at is None
        item.offers_change = item.offers_send


@require_GET
def family_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """The family's items on the agendas of meetings, as a part of the case: the question
    to the parents and their words, and the note that tells them what was decided."""
    family = get_family_or_404(request, pk, VIEW)
    page = Paginator(selectors.family_agenda_items(family), PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    _offers(items, user=request.user, family=family)
    context = case_context(request, family, CURRENT, page=page, items=items, today=timezone.localdate())
    return render(request, "liaison/meetings/family_meetings.html", context)


def _why_parents_are_not_asked(item: AgendaItem) -> str:
    """Why the question is not offered, in the words the service would refuse with."""
    if item.withdrawn_at is not None or item.meeting.cancelled_at is not None:
        return str(services.CANCELLED)
    if item.meeting.held_on < timezone.localdate():
        return str(services.ALREADY_HELD)
    if open_protective_mode(item.family) is not None:
        return str(PROTECTIVE_MODE_HOLDS)
    if not parents_to_tell(item.family).exists():
        return str(services.NO_PARENTS)
    return ""


def _item_form_page(
    request: HttpRequest, item: AgendaItem, form, *, template: str, save, success: str, status=None, **shown
) -> HttpResponse:
    """One page of the parents' part of an item: the form on the family's case frame,
    saved through the service, back to the family's meetings. ``status`` gives the status
    of a shown form (409 when someone else wrote first)."""

    def show(form) -> HttpResponse:
        context = case_context(
            request,
            family=item.family,
            current=CURRENT,
            form=form,
            item=item,
            back_url=_family_meetings_url(item),
            **shown,
        )
        return render(request, template, context, status=status(form) if status else 200)

    return form_page(request, form, save=save, success=success, redirect_to=_family_meetings_url(item), show=show)


@require_http_methods(["GET", "POST"])
def parents_voice_ask(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the parents, in the portal, what they want the meeting to know (a confirmation)."""
    item = get_parents_item_or_404(request, pk, ASK_PARENTS)
    return _item_form_page(
        request,
        item,
        ConfirmForm(posted_data(request)),
        template="liaison/meetings/voice_ask.html",
        save=partial(services.parents_voice_ask, item=item, asked_by=request.user),
        success=_("The parents are asked. They get a message that there is something new in the portal."),
        asked=getattr(item, "voice_request", None),
        not_offered=_why_parents_are_not_asked(item),
    )


def _note_or_404(item: AgendaItem) -> OutcomeNote:
    note = getattr(item, "outcome_note", None)
    if note is None:
        raise Http404
    return note


@require_http_methods(["GET", "POST"])
def outcome_note_write(request: HttpRequest, pk: int) -> HttpResponse:
    """Write what the meeting decided for the parents, once; a second writer at the same
    time is told that the note was written meanwhile (409), with their text kept."""
    item = get_parents_item_or_404(request, pk, WRITE_NOTE)
    return _item_form_page(
        request,
        item,
        OutcomeNoteForm(posted_data(request)),
        template="liaison/meetings/note_write.html",
        save=partial(services.outcome_note_write, item=item, written_by=request.user),
        success=_("The note is saved. Send it to the parents when it is ready."),
        status=_conflict_on(services.NOTE_ALREADY_WRITTEN),
        note=getattr(item, "outcome_note", None),
        held=_held(item, timezone.localdate()),
        limit=services.NOTE_MAX_LENGTH,
    )


def _conflict_on(code: str):
    """The status of a shown form: 409 when the service refused it with ``code`` (someone
    else wrote first), else 200."""
    return lambda form: 409 if form.has_error(NON_FIELD_ERRORS, code=code) else 200


@require_http_methods(["GET", "POST"])
def outcome_note_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the note before it is sent. A second writer who saved first wins; the other
    is told (409) with their words kept, and may save again over the new revision."""
    item = get_parents_item_or_404(request, pk, WRITE_NOTE)
    note = _note_or_404(item)
    form = OutcomeNoteChangeForm(posted_data(request), note=note)
    return _item_form_page(
        request,
        item,
        form,
        template="liaison/meetings/note_change.html",
        save=_refusing_changes_meanwhile(
            form, note, partial(services.outcome_note_change, note=note, changed_by=request.user)
        ),
        success=_("The note is changed. Send it to the parents when it is ready."),
        status=_conflict_on(services.NOTE_CHANGED_MEANWHILE),
        note=note,
        not_offered=str(services.NOTE_ALREADY_SENT) if note.sent_at else "",
        limit=services.NOTE_MAX_LENGTH,
    )


def _refusing_changes_meanwhile(form, note: OutcomeNote, change):
    """When someone else changed the note first, the form names their revision from then
    on, so that saving again replaces it knowingly."""

    def save(**data):
        try:
            return change(**data)
        except ValidationError as error:
            if getattr(error, "code", None) == services.NOTE_CHANGED_MEANWHILE:
                form.data = form.data.copy()
                form.data["base_revision"] = OutcomeNote.objects.values_list("revision", flat=True).get(pk=note.pk)
            raise

    return save


@require_http_methods(["GET", "POST"])
def outcome_note_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """A police partner of the family's unit approves a note about police work."""
    item = get_parents_item_or_404(request, pk, APPROVE_NOTE)
    note = _note_or_404(item)
    if not note.touches_police_work:
        raise Http404
    return _item_form_page(
        request,
        item,
        ConfirmForm(posted_data(request)),
        template="liaison/meetings/note_approve.html",
        save=partial(services.outcome_note_approve, note=note, approved_by=request.user),
        success=_("The note is approved. It can now be sent to the parents."),
        note=note,
    )


def _why_note_is_not_sent(note: OutcomeNote) -> str:
    if note.sent_at is not None:
        return str(services.NOTE_ALREADY_SENT)
    if note.touches_police_work and note.approved_at is None:
        return _("The police must approve this note before it is sent.")
    if open_protective_mode(note.item.family) is not None:
        return str(PROTECTIVE_MODE_HOLDS)
    return ""


@require_http_methods(["GET", "POST"])
def outcome_note_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the note in the parents' portal; the e-mail to them says only that there is
    something new."""
    item = get_parents_item_or_404(request, pk, WRITE_NOTE)
    note = _note_or_404(item)
    return _item_form_page(
        request,
        item,
        ConfirmForm(posted_data(request)),
        template="liaison/meetings/note_send.html",
        save=partial(services.outcome_note_send, note=note, sent_by=request.user),
        success=_("The note is sent. The parents can read it in the portal."),
        note=note,
        not_offered=_why_note_is_not_sent(note),
    )
