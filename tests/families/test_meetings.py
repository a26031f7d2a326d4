"""Multi-agency meetings: scheduling, the agenda, the parents' words, minutes, actions
that carry over, and the outcome note for the parents (services and policy)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from families.models import (
    Agency,
    AgendaItem,
    AgendaItemKind,
    HouseholdMember,
    ItemDecision,
    Meeting,
    MeetingAction,
    MeetingKind,
    OutcomeNote,
    ParentsVoiceAnswer,
    ParentsVoiceRequest,
)
from families.selectors.meetings import (
    carried_actions,
    outcome_notes_for_parents,
    outcome_notes_not_sent,
    overdue_actions_for,
    voice_questions_for_parents,
)
from families.services.meetings import (
    MeetingConflict,
    action_agree,
    action_complete,
    agenda_item_add,
    agenda_item_withdraw,
    decision_record,
    meeting_cancel,
    meeting_change,
    meeting_schedule,
    outcome_note_approve,
    outcome_note_send,
    outcome_note_write,
    parents_voice_answer,
    parents_voice_ask,
)
from families.services.protection import protective_mode_start
from liaison.access import meetings_for, pack_parts_for
from liaison.access.meetings import PackPart
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import FamilyFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _schedule(user, **overrides):
    values = {
        "scheduled_by": user,
        "kind": MeetingKind.MACE,
        "held_on": TODAY() + timedelta(days=7),
        "chair": "Chris Chair",
        "venue": "Town hall",
        "attendances": [(Agency.POLICE_VICE, "Pat Police"), (Agency.SCHOOL, "Sue School")],
    }
    return meeting_schedule(**values | overrides)


def _family_item(meeting, user, family, **overrides):
    values = {
        "meeting": meeting,
        "added_by": user,
        "kind": AgendaItemKind.FAMILY,
        "family": family,
        "presenter": "Olivia Officer",
        "minutes_allotted": 15,
    }
    return agenda_item_add(**values | overrides)


def _held(meeting, days_ago=1):
    Meeting.objects.filter(pk=meeting.pk).update(held_on=TODAY() - timedelta(days=days_ago))
    meeting.refresh_from_db()
    return meeting


def _parent_member(family):
    return HouseholdMember.objects.get(family=family, full_name="Mia Parent")


class TestSchedule:
    def test_supervisor_schedules_a_meeting_of_the_team_audited(self, supervisor):
        meeting = _schedule(supervisor)
        assert meeting.team_id == supervisor.team_id and meeting.police_unit_id is None
        assert sorted(meeting.attendances.values_list("agency", flat=True)) == ["police_vice", "school"]
        event = AuditEvent.objects.get(action=AuditAction.MEETING_CHANGED)
        assert event.detail["what"] == "meeting_scheduled"

    def test_police_partner_schedules_a_meeting_of_the_unit(self, police):
        meeting = _schedule(police, venue="", is_online=True)
        assert meeting.police_unit_id == police.police_unit_id and meeting.team_id is None

    @pytest.mark.parametrize("persona", ["officer", "parent", "outsider_officer"])
    def test_others_may_not_schedule(self, persona, officer, parent):
        user = {"officer": officer, "parent": parent, "outsider_officer": UserFactory()}[persona]
        with pytest.raises(PermissionDenied):
            _schedule(user)
        assert not Meeting.objects.exists()

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"kind": "party"}, "kind"),
            ({"held_on": None}, "held_on"),
            ({"venue": "  ", "is_online": False}, "venue"),
            ({"chair": " "}, "chair"),
            ({"attendances": []}, "agencies"),
            ({"attendances": [("mafia", "")]}, "agencies"),
            ({"attendances": [("school", "a"), ("school", "b")]}, "agencies"),
        ],
    )
    def test_bad_input_is_refused_with_nothing_saved(self, supervisor, overrides, field):
        with pytest.raises(ValidationError) as refused:
            _schedule(supervisor, **overrides)
        assert field in refused.value.message_dict
        assert not Meeting.objects.exists()
        assert not AuditEvent.objects.filter(action=AuditAction.MEETING_CHANGED).exists()

    def test_a_date_in_the_past_is_refused(self, supervisor):
        with pytest.raises(ValidationError) as refused:
            _schedule(supervisor, held_on=TODAY() - timedelta(days=1))
        assert "held_on" in refused.value.message_dict
        assert not Meeting.objects.exists()

    def test_a_stale_change_is_refused(self, supervisor):
        meeting = _schedule(supervisor)
        values = {
            "kind": MeetingKind.STRATEGY,
            "held_on": meeting.held_on,
            "chair": "New chair",
            "venue": "Police station",
            "attendances": [(Agency.YOUTH_CARE, "")],
        }
        changed = meeting_change(meeting=meeting, changed_by=supervisor, base_revision=1, **values)
        assert changed.revision == 2 and changed.chair == "New chair"
        assert list(changed.attendances.current().values_list("agency", flat=True)) == ["youth_care"]
        with pytest.raises(MeetingConflict):
            meeting_change(meeting=meeting, changed_by=supervisor, base_revision=1, **values | {"chair": "Late"})
        assert Meeting.objects.get().chair == "New chair"

    def test_a_meeting_is_cancelled_not_deleted(self, supervisor):
        meeting = meeting_cancel(meeting=_schedule(supervisor), cancelled_by=supervisor)
        assert meeting.cancelled_at is not None and Meeting.objects.count() == 1


class TestWhoSeesMeetings:
    def test_the_team_and_the_unit_see_their_own(self, supervisor, police, other_team):
        team_meeting, unit_meeting = _schedule(supervisor), _schedule(police)
        other_supervisor = UserFactory(role="supervisor", team=other_team)
        assert list(meetings_for(supervisor)) == [team_meeting]
        assert list(meetings_for(police)) == [unit_meeting]
        assert not meetings_for(other_supervisor).exists()

    @pytest.mark.parametrize("persona", ["officer", "parent", "suspect_caregiver", "outsider"])
    def test_nobody_else_sees_a_meeting(self, request, persona, supervisor):
        _schedule(supervisor)
        assert not meetings_for(request.getfixturevalue(persona)).exists()

    def test_another_team_cannot_change_it(self, supervisor, other_team):
        meeting = _schedule(supervisor)
        with pytest.raises(PermissionDenied):
            meeting_cancel(meeting=meeting, cancelled_by=UserFactory(role="supervisor", team=other_team))
        assert Meeting.objects.get().cancelled_at is None


class TestAgenda:
    def test_family_and_person_of_concern_items_in_order(self, supervisor, family):
        meeting = _schedule(supervisor)
        first = _family_item(meeting, supervisor, family)
        second = agenda_item_add(
            meeting=meeting,
            added_by=supervisor,
            kind=AgendaItemKind.PERSON_OF_CONCERN,
            concern_name="Scooter Sam",
            concern_detail="Black scooter at the station",
            presenter="Pat Police",
            minutes_allotted=10,
            family=family,
        )
        assert (first.position, second.position) == (1, 2)
        assert second.family is None and second.concern_name == "Scooter Sam"

    def test_a_family_of_another_team_is_refused(self, supervisor, other_officer):
        meeting = _schedule(supervisor)
        elsewhere = FamilyFactory(liaison_officer=other_officer)
        with pytest.raises(ValidationError) as refused:
            _family_item(meeting, supervisor, elsewhere)
        assert "family" in refused.value.message_dict
        assert not AgendaItem.objects.exists()

    def test_a_family_of_another_unit_is_refused_for_the_unit_meeting(self, police, officer):
        meeting = _schedule(police)
        elsewhere = FamilyFactory(liaison_officer=officer)
        with pytest.raises(ValidationError):
            _family_item(meeting, police, elsewhere)
        assert not AgendaItem.objects.exists()

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"minutes_allotted": 0}, "minutes_allotted"),
            ({"minutes_allotted": 121}, "minutes_allotted"),
            ({"minutes_allotted": None}, "minutes_allotted"),
            ({"presenter": ""}, "presenter"),
            ({"kind": "place"}, "kind"),
            ({"kind": AgendaItemKind.CONTEXT}, "context_link"),
            ({"kind": AgendaItemKind.PERSON_OF_CONCERN, "concern_name": " "}, "concern_name"),
        ],
    )
    def test_bad_items_are_refused_with_nothing_saved(self, supervisor, family, overrides, field):
        meeting = _schedule(supervisor)
        with pytest.raises(ValidationError) as refused:
            _family_item(meeting, supervisor, family, **overrides)
        assert field in refused.value.message_dict
        assert not AgendaItem.objects.exists()

    def test_the_agenda_of_a_past_meeting_is_closed(self, supervisor, family):
        meeting = _held(_schedule(supervisor))
        with pytest.raises(ValidationError):
            _family_item(meeting, supervisor, family)

    def test_a_full_agenda_takes_no_more_items(self, supervisor, family, monkeypatch):
        monkeypatch.setattr("families.services.meetings.AGENDA_ITEMS_MAX", 2)
        meeting = _schedule(supervisor)
        _family_item(meeting, supervisor, family)
        withdrawn = _family_item(meeting, supervisor, family)
        agenda_item_withdraw(item=withdrawn, withdrawn_by=supervisor)
        _family_item(meeting, supervisor, family)
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            _family_item(meeting, supervisor, family)
        assert "at most 2 items" in str(refused.value)
        assert AgendaItem.objects.filter(meeting=meeting).count() == 3

    def test_a_withdrawn_item_is_kept(self, supervisor, family):
        item = agenda_item_withdraw(
            item=_family_item(_schedule(supervisor), supervisor, family), withdrawn_by=supervisor
        )
        assert item.withdrawn_at is not None and AgendaItem.objects.count() == 1


class TestParentsVoice:
    def test_officer_asks_and_only_the_trusted_parent_is_told(
        self, supervisor, officer, family, parent, suspect_caregiver
    ):
        item = _family_item(_schedule(supervisor), supervisor, family)
        request = parents_voice_ask(item=item, asked_by=officer, notify=False)
        assert request.asked_by == officer
        assert list(voice_questions_for_parents(family)) == [request]

    def test_the_mail_goes_to_the_parent_only_and_says_nothing_of_the_case(
        self, django_capture_on_commit_callbacks, supervisor, officer, family, parent, suspect_caregiver
    ):
        item = _family_item(_schedule(supervisor), supervisor, family)
        with django_capture_on_commit_callbacks(execute=True):
            parents_voice_ask(item=item, asked_by=officer)
        recipients = [address for message in mail.outbox for address in message.to]
        assert recipients == ["parent@example.org"]
        body = mail.outbox[0].body + mail.outbox[0].subject
        assert "meeting" not in body.lower() and "Jansen" not in body and "overleg" not in body.lower()

    def test_parent_answers_in_their_own_words(self, supervisor, officer, family, parent):
        request = parents_voice_ask(item=_family_item(_schedule(supervisor), supervisor, family), asked_by=officer)
        words = "Please  listen: she is *not* to blame!\nWe want the school to know."
        answer = parents_voice_answer(request=request, member=_parent_member(family), words=words)
        assert ParentsVoiceAnswer.objects.get(pk=answer.pk).words == words

    def test_a_suspected_caregiver_can_never_answer(self, supervisor, officer, family, parent, suspect_caregiver):
        request = parents_voice_ask(item=_family_item(_schedule(supervisor), supervisor, family), asked_by=officer)
        suspect = HouseholdMember.objects.get(user=suspect_caregiver)
        with pytest.raises(PermissionDenied):
            parents_voice_answer(request=request, member=suspect, words="All is well at home")
        assert not ParentsVoiceAnswer.objects.exists()

    def test_only_a_suspected_caregiver_in_the_family_means_nobody_is_asked(
        self, supervisor, officer, family, suspect_caregiver
    ):
        item = _family_item(_schedule(supervisor), supervisor, family)
        with pytest.raises(ValidationError):
            parents_voice_ask(item=item, asked_by=officer)
        assert not ParentsVoiceRequest.objects.exists()

    def test_nobody_is_asked_in_protective_mode(self, supervisor, officer, family, parent):
        item = _family_item(_schedule(supervisor), supervisor, family)
        protective_mode_start(family=family, started_by=officer, reason="The child cannot talk at home.")
        with pytest.raises(ValidationError):
            parents_voice_ask(item=item, asked_by=officer)
        assert not ParentsVoiceRequest.objects.exists()

    def test_an_officer_of_another_family_may_not_ask(self, supervisor, other_officer, family, parent):
        item = _family_item(_schedule(supervisor), supervisor, family)
        with pytest.raises(PermissionDenied):
            parents_voice_ask(item=item, asked_by=other_officer)

    def test_an_empty_answer_is_refused(self, supervisor, officer, family, parent):
        request = parents_voice_ask(item=_family_item(_schedule(supervisor), supervisor, family), asked_by=officer)
        with pytest.raises(ValidationError):
            parents_voice_answer(request=request, member=_parent_member(family), words="   ")
        assert not ParentsVoiceAnswer.objects.exists()


class TestMinutesAndActions:
    def test_decisions_need_the_meeting_to_have_taken_place(self, supervisor, family):
        item = _family_item(_schedule(supervisor), supervisor, family)
        with pytest.raises(ValidationError):
            decision_record(item=item, recorded_by=supervisor, text="Refer to youth care")
        _held(item.meeting)
        item.refresh_from_db()
        decision_record(item=item, recorded_by=supervisor, text="Refer to youth care")
        assert ItemDecision.objects.get().text == "Refer to youth care"

    def test_open_actions_carry_over_until_done(self, supervisor, family):
        first = _schedule(supervisor)
        item = _family_item(first, supervisor, family)
        _held(first, days_ago=20)
        action = action_agree(
            meeting=first,
            item=item,
            agreed_by=supervisor,
            description="Warning notice to the harbourer",
            owner_agency=Agency.POLICE_VICE,
            owner_person="Pat Police",
            due_on=TODAY() + timedelta(days=3),
        )
        second = _schedule(supervisor)
        other_team_meeting = _schedule(UserFactory(role="supervisor"))
        assert list(carried_actions(second)) == [action]
        assert not carried_actions(other_team_meeting).exists()
        assert not carried_actions(first).exists()
        action_complete(action=action, done_by=supervisor, done_on=TODAY())
        assert not carried_actions(second).exists()

    def test_overdue_actions_show_for_those_who_keep_the_meeting(self, supervisor, police, family):
        meeting = _held(_schedule(supervisor), days_ago=30)
        action = action_agree(
            meeting=meeting,
            agreed_by=supervisor,
            description="Call the school",
            owner_agency=Agency.SCHOOL,
            owner_person="Sue School",
            due_on=TODAY() - timedelta(days=2),
        )
        assert list(overdue_actions_for(supervisor)) == [action]
        assert not overdue_actions_for(police).exists()
        action_complete(action=action, done_by=supervisor, done_on=TODAY())
        assert not overdue_actions_for(supervisor).exists()

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"description": ""}, "description"),
            ({"owner_agency": "mafia"}, "owner_agency"),
            ({"owner_person": " "}, "owner_person"),
            ({"due_on": None}, "due_on"),
        ],
    )
    def test_bad_actions_are_refused_with_nothing_saved(self, supervisor, overrides, field):
        meeting = _held(_schedule(supervisor))
        values = {
            "meeting": meeting,
            "agreed_by": supervisor,
            "description": "Visit",
            "owner_agency": Agency.YOUTH_CARE,
            "owner_person": "Yara",
            "due_on": TODAY(),
        }
        with pytest.raises(ValidationError) as refused:
            action_agree(**values | overrides)
        assert field in refused.value.message_dict
        assert not MeetingAction.objects.exists()

    def test_done_in_the_future_is_refused(self, supervisor):
        meeting = _held(_schedule(supervisor))
        action = action_agree(
            meeting=meeting,
            agreed_by=supervisor,
            description="Visit",
            owner_agency=Agency.YOUTH_CARE,
            owner_person="Yara",
            due_on=TODAY(),
        )
        with pytest.raises(ValidationError):
            action_complete(action=action, done_by=supervisor, done_on=TODAY() + timedelta(days=1))
        assert MeetingAction.objects.get().done_on is None


class TestOutcomeNote:
    def _note(self, supervisor, family, touches_police_work):
        item = _family_item(_schedule(supervisor), supervisor, family)
        _held(item.meeting)
        item.refresh_from_db()
        return outcome_note_write(
            item=item, written_by=supervisor, text="The school will help.", touches_police_work=touches_police_work
        )

    def test_a_note_touching_police_work_waits_for_the_police(self, supervisor, police, family, parent):
        note = self._note(supervisor, family, touches_police_work=True)
        with pytest.raises(ValidationError):
            outcome_note_send(note=note, sent_by=supervisor)
        assert list(outcome_notes_not_sent(meetings_for(supervisor))) == [note.item]
        outcome_note_approve(note=note, approved_by=police)
        outcome_note_send(note=note, sent_by=supervisor, notify=False)
        assert list(outcome_notes_for_parents(family)) == [OutcomeNote.objects.get()]
        assert not outcome_notes_not_sent(meetings_for(supervisor)).exists()

    def test_only_the_police_of_the_family_approve(self, supervisor, outsider, family):
        note = self._note(supervisor, family, touches_police_work=True)
        for user in (supervisor, outsider):
            with pytest.raises(PermissionDenied):
                outcome_note_approve(note=note, approved_by=user)
        assert OutcomeNote.objects.get().approved_at is None

    def test_no_note_is_sent_in_protective_mode(self, supervisor, officer, family, parent):
        note = self._note(supervisor, family, touches_police_work=False)
        protective_mode_start(family=family, started_by=officer, reason="The child cannot talk at home.")
        with pytest.raises(ValidationError):
            outcome_note_send(note=note, sent_by=supervisor)
        assert OutcomeNote.objects.get().sent_at is None

    def test_a_note_is_written_once_and_kept(self, supervisor, family):
        note = self._note(supervisor, family, touches_police_work=False)
        with pytest.raises(ValidationError):
            outcome_note_write(item=note.item, written_by=supervisor, text="Other", touches_police_work=False)
        assert OutcomeNote.objects.get().text == "The school will help."


class TestPackParts:
    def test_only_the_police_receive_police_only_parts(self):
        for agency in Agency.values:
            assert (PackPart.POLICE_ONLY in pack_parts_for(agency)) == (agency == Agency.POLICE_VICE)

    @pytest.mark.parametrize("agency", [Agency.SCHOOL, Agency.HEALTH_CARE, Agency.YOUTH_CARE, Agency.OTHER])
    def test_agencies_without_the_right_receive_no_people_of_concern(self, agency):
        assert PackPart.PEOPLE_OF_CONCERN not in pack_parts_for(agency)

    def test_every_agency_receives_the_parents_words(self):
        assert all(PackPart.PARENTS_WORDS in pack_parts_for(agency) for agency in Agency.values)
