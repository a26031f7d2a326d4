"""The parents' part of a multi-agency meeting, as pages: the officer asks the parents
before the meeting, the parents answer in the portal and their words reach every pack as
written; after the meeting the officer writes a note, the police approve it where it
touches their work, it is sent, and the parents read it. A suspected caregiver never sees
the question or the note; protective mode is said, never hidden behind an error."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from families.models import Agency, AgendaItem, Meeting, OutcomeNote, ParentsVoiceAnswer, ParentsVoiceRequest
from families.services import meetings
from families.services.protection import protective_mode_start
from liaison.accounts.models import NotifyBy
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import FamilyFactory, HouseholdMemberFactory

pytestmark = pytest.mark.django_db

NEXT_WEEK = timezone.localdate() + timedelta(days=7)
WORDS_MARKER = "MARKER-parents-words-7731"
NOTE_MARKER = "MARKER-outcome-note-4410"
ASK_BUTTON = "Ask the parents</button>"
SEND_BUTTON = "Yes, send the note</button>"


def _meeting(supervisor, family, *, agencies=(Agency.SCHOOL,)) -> AgendaItem:
    meeting = meetings.meeting_schedule(
        scheduled_by=supervisor,
        kind="mace",
        held_on=NEXT_WEEK,
        chair="Chris Chair",
        venue="Town hall",
        attendances=[(agency, "") for agency in agencies],
    )
    return meetings.agenda_item_add(
        meeting=meeting, added_by=supervisor, kind="family", family=family, presenter="Olivia", minutes_allotted=15
    )


def _hold(item: AgendaItem, days_ago: int = 3) -> AgendaItem:
    Meeting.objects.filter(pk=item.meeting_id).update(held_on=timezone.localdate() - timedelta(days=days_ago))
    return AgendaItem.objects.select_related("meeting", "family").get(pk=item.pk)


@pytest.fixture
def item(supervisor, family):
    return _meeting(supervisor, family)


@pytest.fixture
def asked(item, officer, parent):
    return meetings.parents_voice_ask(item=item, asked_by=officer, notify=False)


@pytest.fixture
def held(item):
    return _hold(item)


@pytest.fixture
def note(held, officer):
    return meetings.outcome_note_write(item=held, written_by=officer, text=NOTE_MARKER, touches_police_work=True)


@pytest.fixture
def protected_parent(parent, family, officer):
    """The parent of a family in protective mode."""
    protective_mode_start(family=family, started_by=officer, reason="The child cannot talk at home.")
    return parent


# Who gets which page.

STAFF_PAGES = {
    # url name: (fixture of the item, the personas who get it)
    "meeting_voice_ask": ("item", {"officer", "supervisor"}),
    "outcome_note_write": ("held", {"officer", "supervisor"}),
    "outcome_note_change": ("note", {"officer", "supervisor"}),
    "outcome_note_send": ("note", {"officer", "supervisor"}),
    "outcome_note_approve": ("note", {"police"}),
}
PERSONAS = (
    "officer",
    "supervisor",
    "police",
    "other_officer",
    "other_police",
    "parent",
    "suspect_caregiver",
    "protected_parent",
)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(STAFF_PAGES))
def test_each_staff_page_opens_for_its_personas_only(request, login, name, persona):
    needs, allowed = STAFF_PAGES[name]
    target = request.getfixturevalue(needs)
    pk = target.item_id if isinstance(target, OutcomeNote) else target.pk
    response = login(request.getfixturevalue(persona)).get(reverse(name, args=[pk]))
    assert response.status_code == (200 if persona in allowed else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_meetings_of_the_family_are_for_its_staff_and_police(request, login, family, item, persona):
    response = login(request.getfixturevalue(persona)).get(reverse("family_meetings", args=[family.pk]))
    assert response.status_code == (200 if persona in {"officer", "supervisor", "police"} else 404)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["portal:meetings", "portal:meeting_notes", "portal:meeting_answer"])
def test_the_portal_pages_are_for_a_trusted_parent_only(request, login, asked, name, persona):
    args = [asked.pk] if name == "portal:meeting_answer" else []
    response = login(request.getfixturevalue(persona)).get(reverse(name, args=args))
    assert response.status_code == (200 if persona in {"parent", "protected_parent"} else 404)


def test_a_question_of_another_family_is_a_404(english, parent, other_supervisor, other_officer):
    elsewhere = FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    HouseholdMemberFactory(family=elsewhere, user__email="else@example.org")
    item = _meeting(other_supervisor, elsewhere)
    question = meetings.parents_voice_ask(item=item, asked_by=other_officer, notify=False)
    client = english(parent)
    assert client.get(reverse("portal:meeting_answer", args=[question.pk])).status_code == 404
    assert client.post(reverse("portal:meeting_answer", args=[question.pk]), {"words": "x"}).status_code == 404
    assert not ParentsVoiceAnswer.objects.exists()


@pytest.mark.parametrize("name", ["family_meetings", "meeting_voice_ask", "portal:meetings"])
def test_a_wrong_method_is_refused(login, family, item, officer, parent, name):
    user, args = {
        "family_meetings": (officer, [family.pk]),
        "meeting_voice_ask": (officer, [item.pk]),
        "portal:meetings": (parent, []),
    }[name]
    assert login(user).delete(reverse(name, args=args)).status_code == 405


# The whole way, as pages.


def test_from_the_question_to_the_note_the_parents_read(
    english, django_capture_on_commit_callbacks, officer, supervisor, police, parent, family
):
    parent.notify_by = NotifyBy.EMAIL
    parent.save()
    item = _meeting(supervisor, family, agencies=Agency.values)
    staff = english(officer)
    family_page = staff.get(reverse("family_meetings", args=[family.pk])).content.decode()
    assert reverse("meeting_voice_ask", args=[item.pk]) in family_page
    home = english(parent).get(reverse("portal:home")).content.decode()
    assert reverse("portal:meetings") not in home

    with django_capture_on_commit_callbacks(execute=True):
        asked = staff.post(reverse("meeting_voice_ask", args=[item.pk]))
    assert asked.status_code == 302
    question = ParentsVoiceRequest.objects.get(item=item)
    assert [message.to for message in mail.outbox] == [[parent.email]]

    portal = english(parent)
    assert reverse("portal:meetings") in portal.get(reverse("portal:home")).content.decode()
    assert (
        reverse("portal:meeting_answer", args=[question.pk]) in portal.get(reverse("portal:meetings")).content.decode()
    )
    answered = portal.post(reverse("portal:meeting_answer", args=[question.pk]), {"words": f"{WORDS_MARKER}\nHelp."})
    assert answered.status_code == 302
    assert WORDS_MARKER in portal.get(answered.url).content.decode()

    keeper = english(supervisor)
    for agency in Agency.values:
        pack = keeper.get(reverse("meeting_pack", args=[item.meeting_id, agency])).content.decode()
        assert WORDS_MARKER in pack, agency
    assert WORDS_MARKER in staff.get(reverse("family_meetings", args=[family.pk])).content.decode()

    item = _hold(item)
    assert reverse("portal:meetings") not in portal.get(reverse("portal:home")).content.decode()
    closed = portal.get(reverse("portal:meeting_answer", args=[question.pk])).content.decode()
    assert WORDS_MARKER in closed and "The meeting has taken place" in closed and "<textarea" not in closed

    written = staff.post(
        reverse("outcome_note_write", args=[item.pk]), {"text": NOTE_MARKER, "touches_police_work": "on"}
    )
    assert written.status_code == 302
    refused = staff.post(reverse("outcome_note_send", args=[item.pk]))
    assert refused.status_code == 400 and "The police must approve this note" in refused.content.decode()
    assert OutcomeNote.objects.get().sent_at is None

    assert english(police).post(reverse("outcome_note_approve", args=[item.pk])).status_code == 302
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post(reverse("outcome_note_send", args=[item.pk])).status_code == 302
    assert OutcomeNote.objects.get().sent_at is not None
    assert [message.to for message in mail.outbox] == [[parent.email]]
    assert all(NOTE_MARKER not in message.body and NOTE_MARKER not in message.subject for message in mail.outbox)

    notes = portal.get(reverse("portal:meeting_notes")).content.decode()
    assert NOTE_MARKER in notes
    assert reverse("portal:meeting_notes") in portal.get(reverse("portal:home")).content.decode()
    kinds = set(AuditEvent.objects.filter(action=AuditAction.MEETING_CHANGED).values_list("detail__what", flat=True))
    assert {"parents_voice_asked", "parents_voice_answered", "outcome_note_written", "outcome_note_approved"} <= kinds
    assert "outcome_note_sent" in kinds


def test_a_keeper_of_a_unit_meeting_writes_and_sends_the_note(english, police, family, parent):
    meeting = meetings.meeting_schedule(
        scheduled_by=police,
        kind="strategy",
        held_on=NEXT_WEEK,
        chair="Pat",
        venue="Station",
        attendances=[(Agency.POLICE_VICE, "")],
    )
    item = _hold(
        meetings.agenda_item_add(
            meeting=meeting, added_by=police, kind="family", family=family, presenter="Pat", minutes_allotted=5
        )
    )
    client = english(police)
    assert client.post(reverse("outcome_note_write", args=[item.pk]), {"text": "The school helps."}).status_code == 302
    assert client.post(reverse("outcome_note_send", args=[item.pk])).status_code == 302
    assert OutcomeNote.objects.get().sent_at is not None


# Never a suspected caregiver, never in protective mode: said, not hidden.


def test_a_suspected_caregiver_is_never_asked_and_the_page_says_why(english, officer, item, suspect_caregiver):
    client = english(officer)
    page = client.get(reverse("meeting_voice_ask", args=[item.pk])).content.decode()
    assert "No parent of this family can be reached in the portal." in page and ASK_BUTTON not in page
    refused = client.post(reverse("meeting_voice_ask", args=[item.pk]))
    assert refused.status_code == 400 and "No parent of this family can be reached" in refused.content.decode()
    assert not ParentsVoiceRequest.objects.exists()


def test_a_suspected_caregiver_never_sees_the_question_or_the_note(login, asked, note, police, suspect_caregiver):
    meetings.outcome_note_approve(note=note, approved_by=police)
    meetings.outcome_note_send(note=note, sent_by=note.created_by, notify=False)
    client = login(suspect_caregiver)
    for url in (
        reverse("portal:meetings"),
        reverse("portal:meeting_notes"),
        reverse("portal:meeting_answer", args=[asked.pk]),
        reverse("portal:home"),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert NOTE_MARKER not in response.content.decode()


def test_in_protective_mode_asking_is_not_offered_and_the_page_says_why(english, officer, item, parent, family):
    protective_mode_start(family=family, started_by=officer, reason="The child cannot talk at home.")
    client = english(officer)
    page = client.get(reverse("meeting_voice_ask", args=[item.pk])).content.decode()
    assert "Protective mode holds for this family" in page and ASK_BUTTON not in page
    refused = client.post(reverse("meeting_voice_ask", args=[item.pk]))
    assert refused.status_code == 400 and "Protective mode holds" in refused.content.decode()
    assert not ParentsVoiceRequest.objects.exists()
    assert (
        reverse("meeting_voice_ask", args=[item.pk])
        in client.get(reverse("family_meetings", args=[family.pk])).content.decode()
    )


def test_in_protective_mode_no_note_is_sent_and_the_page_says_why(english, officer, note, family, police, parent):
    meetings.outcome_note_approve(note=note, approved_by=police)
    protective_mode_start(family=family, started_by=officer, reason="The child cannot talk at home.")
    client = english(officer)
    page = client.get(reverse("outcome_note_send", args=[note.item_id])).content.decode()
    assert "Protective mode holds for this family" in page and SEND_BUTTON not in page
    refused = client.post(reverse("outcome_note_send", args=[note.item_id]))
    assert refused.status_code == 400 and OutcomeNote.objects.get().sent_at is None
    assert NOTE_MARKER not in english(parent).get(reverse("portal:meeting_notes")).content.decode()


def test_in_protective_mode_the_portal_reveals_nothing(english, asked, officer, parent, family):
    protective_mode_start(family=family, started_by=officer, reason="The child cannot talk at home.")
    portal = english(parent)
    listed = portal.get(reverse("portal:meetings")).content.decode()
    assert reverse("portal:meeting_answer", args=[asked.pk]) in listed
    answered = portal.post(reverse("portal:meeting_answer", args=[asked.pk]), {"words": WORDS_MARKER})
    assert answered.status_code == 302
    page = portal.get(answered.url).content.decode()
    assert WORDS_MARKER in page and "rotective" not in page


# Bad input: a clear error, nothing saved.


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("", "Write what you want the meeting to know."),
        ("   \n ", "Write what you want the meeting to know."),
        ("x" * 2001, "This is too long. Write 2000 characters or fewer; it now has 2001."),
        ("Help\x07 us", "invisible"),
    ],
)
def test_a_bad_answer_is_refused_with_nothing_saved(english, asked, parent, words, message):
    response = english(parent).post(reverse("portal:meeting_answer", args=[asked.pk]), {"words": words})
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert message in page
    assert not ParentsVoiceAnswer.objects.exists()


def test_an_answer_after_the_meeting_is_refused(english, asked, parent):
    _hold(asked.item, days_ago=1)
    response = english(parent).post(reverse("portal:meeting_answer", args=[asked.pk]), {"words": "Late words"})
    assert response.status_code == 400 and "already taken place" in response.content.decode()
    assert not ParentsVoiceAnswer.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write the note for the parents."),
        ("x" * 4001, "This is too long. Write 4000 characters or fewer; it now has 4001."),
        ("The school\x1b helps", "invisible"),
    ],
)
def test_a_bad_note_is_refused_with_nothing_saved(english, held, officer, text, message):
    response = english(officer).post(reverse("outcome_note_write", args=[held.pk]), {"text": text})
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page and message in page
    assert not OutcomeNote.objects.exists()


def test_a_note_before_the_meeting_is_not_offered(english, item, officer):
    client = english(officer)
    page = client.get(reverse("outcome_note_write", args=[item.pk])).content.decode()
    assert "The meeting has not taken place yet." in page and "<textarea" not in page
    assert client.post(reverse("outcome_note_write", args=[item.pk]), {"text": "Too early"}).status_code == 400
    assert not OutcomeNote.objects.exists()


def test_a_second_writer_at_the_same_time_gets_409_with_their_text_kept(english, held, officer, supervisor):
    first, second = english(officer), english(supervisor)
    url = reverse("outcome_note_write", args=[held.pk])
    assert "<textarea" in second.get(url).content.decode()
    assert first.post(url, {"text": "First note"}).status_code == 302
    response = second.post(url, {"text": "Second note"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "already written" in page and "Second note" in page and "First note" in page
    assert OutcomeNote.objects.get().text == "First note"


def test_a_note_that_does_not_touch_police_work_has_no_approval_page(english, held, officer, police):
    meetings.outcome_note_write(item=held, written_by=officer, text="School helps.", touches_police_work=False)
    assert english(police).get(reverse("outcome_note_approve", args=[held.pk])).status_code == 404


# Changing the note before it is sent.

EARLIER_MARKER = "MARKER-earlier-wording-5521"


def _change(client, item, **data):
    note = OutcomeNote.objects.get(item=item)
    fields = {"text": note.text, "base_revision": note.revision} | data
    if fields.pop("touches_police_work", note.touches_police_work):
        fields["touches_police_work"] = "on"
    return client.post(reverse("outcome_note_change", args=[item.pk]), fields)


def test_a_change_keeps_the_earlier_wording_for_the_staff_and_withdraws_the_approval(
    english, held, officer, supervisor, police
):
    note = meetings.outcome_note_write(item=held, written_by=officer, text=EARLIER_MARKER, touches_police_work=True)
    meetings.outcome_note_approve(note=note, approved_by=police)
    client = english(supervisor)
    form_page = client.get(reverse("outcome_note_change", args=[held.pk])).content.decode()
    assert EARLIER_MARKER in form_page and "the approval is withdrawn" in form_page

    response = _change(client, held, text="The police will phone you on Monday.")

    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.text, note.revision, note.changed_by) == ("The police will phone you on Monday.", 2, supervisor)
    assert note.approved_at is None and note.approved_by is None
    (earlier,) = note.earlier_texts.all()
    assert (earlier.text, earlier.revision, earlier.written_by, earlier.approved_by) == (
        EARLIER_MARKER,
        1,
        officer,
        police,
    )
    event = AuditEvent.objects.filter(action=AuditAction.MEETING_CHANGED, object_id=str(note.pk)).last()
    assert event.detail["what"] == "outcome_note_changed" and event.detail["approval_withdrawn"] is True
    assert EARLIER_MARKER not in str(event.detail)
    meetings_page = english(officer).get(reverse("family_meetings", args=[held.family_id])).content.decode()
    assert EARLIER_MARKER in meetings_page and "Changed once: the earlier wording" in meetings_page
    assert "waits for their approval" in meetings_page
    # The police approve the new words; only then may the note be sent.
    assert english(police).get(reverse("outcome_note_approve", args=[held.pk])).status_code == 200


def test_the_parents_only_ever_read_the_note_as_sent(english, held, officer, parent):
    note = meetings.outcome_note_write(item=held, written_by=officer, text=EARLIER_MARKER, touches_police_work=False)
    assert _change(english(officer), held, text="The school helps from next week.").status_code == 302
    meetings.outcome_note_send(note=note, sent_by=officer, notify=False)
    portal = english(parent)
    pages = [portal.get(reverse(name)).content.decode() for name in ("portal:meeting_notes", "portal:home")]
    assert "The school helps from next week." in pages[0]
    assert all(EARLIER_MARKER not in page for page in pages)


def test_a_sent_note_is_kept_as_sent(english, held, officer):
    note = meetings.outcome_note_write(item=held, written_by=officer, text=EARLIER_MARKER, touches_police_work=False)
    meetings.outcome_note_send(note=note, sent_by=officer, notify=False)
    client = english(officer)
    page = client.get(reverse("outcome_note_change", args=[held.pk])).content.decode()
    assert "The note was already sent to the parents." in page and "<textarea" not in page
    assert "Change the note" not in client.get(reverse("family_meetings", args=[held.family_id])).content.decode()
    response = _change(client, held, text="Something else")
    assert response.status_code == 400 and "already sent" in response.content.decode()
    note.refresh_from_db()
    assert note.text == EARLIER_MARKER and note.revision == 1 and not note.earlier_texts.exists()


def test_a_second_changer_gets_409_with_their_words_kept_and_may_save_again(english, held, officer, supervisor):
    meetings.outcome_note_write(item=held, written_by=officer, text="First words", touches_police_work=False)
    first, second = english(officer), english(supervisor)
    assert _change(first, held, text="Words of the officer").status_code == 302
    response = _change(second, held, text="Words of the supervisor", base_revision=1)
    page = response.content.decode()
    assert response.status_code == 409
    assert (
        "Someone else changed this note" in page
        and "Words of the supervisor" in page
        and "Words of the officer" in page
    )
    assert 'name="base_revision" value="2"' in page
    note = OutcomeNote.objects.get(item=held)
    assert note.text == "Words of the officer" and note.revision == 2
    # Having read the note as it is now, the second writer saves again over it.
    assert _change(second, held, text="Words of the supervisor", base_revision=2).status_code == 302
    note.refresh_from_db()
    assert note.text == "Words of the supervisor" and note.revision == 3
    assert [earlier.text for earlier in note.earlier_texts.all()] == ["Words of the officer", "First words"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Write the note for the parents."),
        ({"text": "x" * 4001}, "This is too long. Write 4000 characters or fewer; it now has 4001."),
        ({}, "The note is the same as before"),
        ({"base_revision": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"base_revision": "many"}, "Enter a whole number."),
    ],
)
def test_a_bad_change_is_refused_with_nothing_saved(english, held, officer, data, message):
    meetings.outcome_note_write(item=held, written_by=officer, text=EARLIER_MARKER, touches_police_work=True)
    response = _change(english(officer), held, **data)
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page and message in page
    note = OutcomeNote.objects.get(item=held)
    assert note.text == EARLIER_MARKER and note.revision == 1 and not note.earlier_texts.exists()


def test_a_change_of_the_police_work_choice_alone_is_a_change(english, held, officer):
    meetings.outcome_note_write(item=held, written_by=officer, text=EARLIER_MARKER, touches_police_work=True)
    assert _change(english(officer), held, touches_police_work=False).status_code == 302
    note = OutcomeNote.objects.get(item=held)
    assert note.text == EARLIER_MARKER and not note.touches_police_work and note.revision == 2


# A fixed number of queries, however many rows.


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_family_meetings_page_costs_the_same_for_more_items(english, officer, supervisor, police, family, parent):
    item = _meeting(supervisor, family)
    meetings.parents_voice_ask(item=item, asked_by=officer, notify=False)
    first = meetings.outcome_note_write(item=_hold(item), written_by=officer, text="Note", touches_police_work=False)
    client = english(officer)
    url = reverse("family_meetings", args=[family.pk])
    client.get(url)
    one = _queries(client, url)
    for _ in range(4):
        more = _meeting(supervisor, family)
        request = meetings.parents_voice_ask(item=more, asked_by=officer, notify=False)
        meetings.parents_voice_answer(request=request, member=parent.household_memberships.get(), words="Words")
        _hold(more)
        note = meetings.outcome_note_write(item=more, written_by=officer, text="Note", touches_police_work=True)
        meetings.outcome_note_approve(note=note, approved_by=police)
        meetings.outcome_note_change(
            note=note, changed_by=supervisor, base_revision=1, text="Changed", touches_police_work=True
        )
    meetings.outcome_note_change(note=first, changed_by=officer, base_revision=1, text="New", touches_police_work=False)
    client.get(url)
    assert _queries(client, url) == one


def test_the_portal_pages_cost_the_same_for_more_rows(english, officer, supervisor, police, family, parent):
    def add_one():
        item = _meeting(supervisor, family)
        meetings.parents_voice_ask(item=item, asked_by=officer, notify=False)
        held = _hold(item)
        note = meetings.outcome_note_write(item=held, written_by=officer, text="Note", touches_police_work=False)
        meetings.outcome_note_send(note=note, sent_by=officer, notify=False)

    add_one()
    client = english(parent)
    urls = [reverse("portal:meetings"), reverse("portal:meeting_notes")]
    for url in urls:
        client.get(url)
    first = [_queries(client, url) for url in urls]
    for _ in range(4):
        add_one()
    for url in urls:
        client.get(url)
    assert [_queries(client, url) for url in urls] == first


def test_the_lists_are_paginated(english, officer, supervisor, family, parent):
    for _ in range(11):
        item = _meeting(supervisor, family)
        meetings.parents_voice_ask(item=item, asked_by=officer, notify=False)
    page = english(parent).get(reverse("portal:meetings")).content.decode()
    assert "Page 1 of 2" in page
