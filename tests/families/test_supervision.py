"""Supervision notes: only a supervisor of the family's team records one; bad input saves
nothing; the note joins the chronology and the handover pack for staff, never for the
police."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from families.models import FamilyStatus, SupervisionNote
from families.selectors.chronology import chronology
from families.services.supervision import NOTE_MAX_LENGTH, supervision_note_record
from liaison.accounts.models import Role
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import UserFactory, confirmed_totp

pytestmark = pytest.mark.django_db

NOTE = "Father sleeps badly since the threat; officer visits weekly until the plan review."
NOT_ALLOWED = ["officer", "other_officer", "police", "parent", "suspect_caregiver", "outsider", "administrator"]


@pytest.fixture
def referred(family):
    family.referral_on = timezone.localdate() - timedelta(days=60)
    family.save()
    return family


def url(family) -> str:
    return reverse("families:supervision_add", args=[family.pk])


def form_data(family, **change) -> dict:
    return {"held_on": timezone.localdate().isoformat(), "officer": family.liaison_officer_id, "note": NOTE, **change}


def record(family, supervisor, **change) -> SupervisionNote:
    data = {"held_on": timezone.localdate(), "note": NOTE, **change}
    return supervision_note_record(family=family, supervisor=supervisor, **data)


# Who may record one


def test_the_supervisor_records_a_note_with_the_familys_officer(english, supervisor, officer, referred):
    client = english(supervisor)
    form = client.get(url(referred))
    assert form.status_code == 200
    assert f'<option value="{officer.pk}" selected>' in form.content.decode()

    response = client.post(url(referred), form_data(referred))

    assert response.status_code == 302
    assert response["Location"] == reverse("families:chronology", args=[referred.pk]) + "?kind=supervision"
    note = SupervisionNote.objects.get()
    assert (note.family, note.officer, note.created_by, note.note) == (referred, officer, supervisor, NOTE)
    assert note.held_on == timezone.localdate()


def test_the_supervisor_may_name_another_officer_of_the_team(english, supervisor, team, referred):
    colleague = UserFactory(role=Role.OFFICER, team=team, full_name="Chris Colleague")
    response = english(supervisor).post(url(referred), form_data(referred, officer=colleague.pk))
    assert response.status_code == 302
    assert SupervisionNote.objects.get().officer == colleague


def test_the_note_is_audited_without_its_text(english, supervisor, officer, referred):
    english(supervisor).post(url(referred), form_data(referred))
    event = AuditEvent.objects.get(action=AuditAction.CASE_CHANGED, detail__what="supervision_note_recorded")
    assert event.family_id == referred.pk
    assert event.actor == supervisor
    assert event.detail["officer"] == officer.pk
    assert NOTE not in str(event.detail) and "sleeps" not in str(event.detail)


@pytest.mark.parametrize("persona", NOT_ALLOWED)
def test_everyone_but_the_supervisor_gets_404(request, english, referred, persona):
    client = english(request.getfixturevalue(persona))
    assert client.get(url(referred)).status_code == 404
    assert client.post(url(referred), form_data(referred)).status_code == 404
    assert not SupervisionNote.objects.exists()


def test_a_supervisor_of_another_team_gets_404(english, other_team, referred):
    elsewhere = UserFactory(role=Role.SUPERVISOR, team=other_team)
    confirmed_totp(elsewhere)
    client = english(elsewhere)
    assert client.get(url(referred)).status_code == 404
    assert client.post(url(referred), form_data(referred)).status_code == 404
    assert not SupervisionNote.objects.exists()


def test_a_closed_family_takes_no_new_notes(english, supervisor, referred):
    referred.status, referred.closing_reason = FamilyStatus.CLOSED, "The child is safe."
    referred.save()
    assert english(supervisor).get(url(referred)).status_code == 404


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_method_is_405(english, supervisor, referred, method):
    assert getattr(english(supervisor), method)(url(referred)).status_code == 405


# Bad input


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"note": ""}, "note", "Write down what was discussed and agreed."),
        ({"note": "   \n  "}, "note", "Write down what was discussed and agreed."),
        ({"note": "x" * (NOTE_MAX_LENGTH + 1)}, "note", "The note is too long."),
        ({"held_on": ""}, "held_on", "Enter the date of the supervision."),
        ({"held_on": "31-02-2026"}, "held_on", "Enter a real date"),
        ({"held_on": "2999-01-01"}, "held_on", "The date cannot be in the future."),
        ({"held_on": "2000-01-01"}, "held_on", "The date cannot be before the referral of the case."),
        ({"officer": "999999"}, "officer", "Choose an active liaison officer of the team."),
        ({"officer": ""}, "officer", "Choose an active liaison officer of the team."),
    ],
)
def test_bad_input_shows_an_error_and_saves_nothing(english, supervisor, referred, change, field, message):
    response = english(supervisor).post(url(referred), form_data(referred, **change))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    body = response.content.decode()
    assert message in body
    assert "govuk-error-summary" in body
    assert not SupervisionNote.objects.exists()
    assert not AuditEvent.objects.filter(detail__what="supervision_note_recorded").exists()


def test_every_problem_is_shown_at_once(english, supervisor, referred):
    response = english(supervisor).post(url(referred), form_data(referred, held_on="2999-01-01", note=""))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"held_on", "note"}
    assert not SupervisionNote.objects.exists()


def test_an_officer_of_another_team_is_refused(english, supervisor, other_officer, referred):
    response = english(supervisor).post(url(referred), form_data(referred, officer=other_officer.pk))
    assert response.status_code == 400
    assert not SupervisionNote.objects.exists()


def test_the_service_checks_every_rule_itself(supervisor, officer, other_officer, referred):
    today = timezone.localdate()
    for change, field in [
        ({"note": " "}, "note"),
        ({"note": "x" * (NOTE_MAX_LENGTH + 1)}, "note"),
        ({"held_on": today + timedelta(days=1)}, "held_on"),
        ({"held_on": referred.referral_on - timedelta(days=1)}, "held_on"),
        ({"officer": other_officer}, "officer"),
    ]:
        with pytest.raises(ValidationError) as error:
            record(referred, supervisor, **change)
        assert field in error.value.error_dict
    assert not SupervisionNote.objects.exists()
    # The boundaries themselves are fine.
    record(referred, supervisor, held_on=referred.referral_on, note="x" * NOTE_MAX_LENGTH)
    record(referred, supervisor, held_on=today)
    assert SupervisionNote.objects.count() == 2


def test_without_an_active_officer_a_note_cannot_name_one(supervisor, officer, referred):
    officer.is_active = False
    officer.save()
    with pytest.raises(ValidationError):
        record(referred, supervisor)


# Where it shows


def test_the_progress_page_offers_it_only_to_the_supervisor(english, supervisor, officer, referred):
    link = url(referred)
    assert link in english(supervisor).get(reverse("families:progress", args=[referred.pk])).content.decode()
    assert link not in english(officer).get(reverse("families:progress", args=[referred.pk])).content.decode()


def test_the_dashboard_offers_it_for_a_family_in_the_circle_list(english, supervisor, officer, referred):
    from families.models import ProgressReview

    for days_ago, resilience in ((40, 4), (20, 3), (2, 2)):
        ProgressReview.objects.create(
            family=referred,
            reviewed_on=timezone.localdate() - timedelta(days=days_ago),
            understanding_score=2,
            understanding_evidence="e",
            empowerment_score=2,
            empowerment_evidence="e",
            resilience_score=resilience,
            resilience_evidence="e",
            created_by=officer,
        )
    body = english(supervisor).get(reverse("dashboard")).content.decode()
    circle = body.split('id="attention-circle"')[1].split("</details>")[0]
    assert url(referred) in circle


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_staff_see_the_note_in_the_chronology_as_supervision(request, english, supervisor, referred, persona):
    record(referred, supervisor, held_on=timezone.localdate() - timedelta(days=3))
    client = english(request.getfixturevalue(persona))
    chronology_url = reverse("families:chronology", args=[referred.pk])
    response = client.get(chronology_url)
    entries = [entry for entry in response.context["page"].object_list if entry.kind == "supervision"]
    assert len(entries) == 1
    body = response.content.decode()
    assert "Supervision with Olivia Officer" in body
    assert NOTE in body
    assert "Sam Supervisor" in body
    kinds = dict(response.context["form"].fields["kind"].choices)
    assert kinds["supervision"] == "Supervision"
    only = client.get(chronology_url, {"kind": "supervision"})
    assert {entry.kind for entry in only.context["page"].object_list} == {"supervision"}
    assert NOTE in client.get(chronology_url, {"print": "1"}).content.decode()


def test_police_never_see_a_supervision_note(english, supervisor, police, referred):
    referred.progress_shared_with_police = True
    referred.save()
    record(referred, supervisor)
    client = english(police)
    chronology_url = reverse("families:chronology", args=[referred.pk])
    for params in ({}, {"print": "1"}, {"kind": "supervision"}):
        response = client.get(chronology_url, params)
        assert response.status_code == 200
        body = response.content.decode()
        assert NOTE not in body
        assert "Supervision with" not in body
    kinds = {kind for kind, _label in response.context["form"].fields["kind"].choices}
    assert "supervision" not in kinds
    assert NOTE not in client.get(reverse("families:progress", args=[referred.pk])).content.decode()
    assert chronology(referred, police, ["supervision"]) == []
    assert not [entry for entry in chronology(referred, police) if entry.kind == "supervision"]


def test_the_handover_pack_carries_the_note(english, supervisor, officer, referred):
    record(referred, supervisor)
    response = english(officer).get(reverse("families:handover_pack", args=[referred.pk]))
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    flat = "".join(text.split())
    assert "SupervisionwithOliviaOfficer" in flat
    assert "".join(NOTE.split()) in flat
