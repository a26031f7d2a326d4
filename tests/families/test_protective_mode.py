"""Protective mode: when a parent may be the exploiter, nothing new reaches any parent of
the family from the moment an officer starts it, and nothing on the parents' side shows
that it holds. Marking a caregiver suspected ends it (the other parent sees what is new
again, the suspect stays shut out); so does closing the concern with a reason."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from families.models import HouseholdMember, PortalMessage, ProtectiveMode, ProtectiveModeEnd, SharedInformation
from families.services import justice
from families.services.household import suspicion_mark
from families.services.messages import portal_message_send
from families.services.protection import protective_mode_close, protective_mode_confirm, protective_mode_start
from families.services.shared import shared_information_acknowledge
from liaison.access import PROTECTIVE_MODE_HOLDS, parents_to_tell
from liaison.audit.models import AuditEvent
from liaison.notifications import notify_parents
from liaison.privacy.subject_access import subject_access_for_member
from safety_plans import services as plans
from safety_plans.models import PlanStatus
from tests.factories import ChildFactory, HouseholdMemberFactory
from tests.safety_plans import conftest as plan_states

pytestmark = pytest.mark.django_db

# A plan shared with the parents, made as the safety plan tests make it.
child = plan_states.child
draft = plan_states.draft
filled_draft = plan_states.filled_draft
shared_plan = plan_states.shared_plan

PORTAL_READS = [
    "portal:home",
    "portal:messages",
    "portal:justice",
    "portal:shared",
    "portal:plan",
    "portal:plan_shared",
]


@pytest.fixture
def stepfather(family):
    """A caregiver with a portal account who is not (yet) suspected."""
    return HouseholdMemberFactory(
        family=family, full_name="Sam Step", relation="stepfather", user__email="sam@example.org"
    )


@pytest.fixture
def case(family, police):
    child = ChildFactory(family=family)
    return justice.criminal_case_record(
        family=family, created_by=police, child=child, opened_on=timezone.localdate() - timedelta(days=30)
    )


def police_text(case, police, text: str, *, approve: bool = True):
    step = justice.milestone_record(
        case=case,
        created_by=police,
        kind="report_made",
        occurs_on=timezone.localdate() - timedelta(days=1),
        parents_text=text,
    )
    return justice.milestone_approve(milestone=step, officer=police, notify=False) if approve else step


def portal_text(client) -> str:
    return "".join(client.get(reverse(name)).content.decode() for name in PORTAL_READS)


def start(family, officer, reason="The child said they cannot talk at home.") -> ProtectiveMode:
    return protective_mode_start(family=family, started_by=officer, reason=reason)


# Starting, confirming, ending ---------------------------------------------------------


def test_an_officer_starts_it_and_it_holds_at_once_awaiting_a_supervisor(english, officer, supervisor, family):
    response = english(officer).post(
        reverse("families:protective_mode", args=[family.pk]), {"reason": "The child is afraid at home."}
    )
    assert response.status_code == 302
    mode = ProtectiveMode.objects.get(family=family)
    assert mode.holds and mode.confirmed_at is None
    assert mode.confirmation_due_at - mode.started_at == timedelta(hours=24)
    assert AuditEvent.objects.filter(family_id=family.pk, detail__what="protective_mode_started").exists()
    page = english(officer).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "nothing new reaches the parents" in page
    dashboard = english(supervisor).get(reverse("dashboard")).content.decode()
    assert reverse("families:protective_mode_confirm", args=[family.pk]) in dashboard


def test_the_team_sets_the_time_to_confirm(officer, family):
    family.team.protective_mode_confirm_hours = 4
    family.team.save()
    mode = start(family, officer)
    assert mode.confirmation_due_at - mode.started_at == timedelta(hours=4)


def test_a_supervisor_confirms_it_and_the_dashboard_no_longer_asks(english, officer, supervisor, family):
    start(family, officer)
    client = english(supervisor)
    response = client.post(reverse("families:protective_mode_confirm", args=[family.pk]), {})
    assert response.status_code == 302
    mode = ProtectiveMode.objects.get(family=family)
    assert mode.confirmed_by == supervisor
    assert (
        reverse("families:protective_mode_confirm", args=[family.pk])
        not in client.get(reverse("dashboard")).content.decode()
    )
    with pytest.raises(ValidationError):
        protective_mode_confirm(family=family, supervisor=supervisor)


def test_started_by_a_supervisor_it_needs_no_second_confirmation(supervisor, family):
    mode = start(family, supervisor)
    assert mode.confirmed_by == supervisor


def test_an_overdue_confirmation_shows_on_the_case(english, officer, family):
    mode = start(family, officer)
    ProtectiveMode.objects.filter(pk=mode.pk).update(confirmation_due_at=timezone.now() - timedelta(minutes=1))
    page = english(officer).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "confirmation was due by" in page


@pytest.mark.parametrize("reason", ["", "   ", "why\x00", "x" * 2001])
def test_a_start_without_a_clear_reason_is_refused_and_saves_nothing(english, officer, family, reason):
    response = english(officer).post(reverse("families:protective_mode", args=[family.pk]), {"reason": reason})
    assert response.status_code == 400
    assert not ProtectiveMode.objects.exists()


def test_a_second_start_is_refused(english, officer, family):
    start(family, officer)
    response = english(officer).post(reverse("families:protective_mode", args=[family.pk]), {"reason": "Again."})
    assert response.status_code == 400
    assert "already holds" in response.content.decode()
    assert ProtectiveMode.objects.count() == 1


def test_closing_the_concern_needs_a_reason_and_reopens_the_parents_channels(english, officer, family, parent):
    start(family, officer)
    url = reverse("families:protective_mode_close", args=[family.pk])
    assert english(officer).post(url, {"note": ""}).status_code == 400
    assert ProtectiveMode.objects.get().holds
    assert english(officer).post(url, {"note": "The signals had another cause."}).status_code == 302
    mode = ProtectiveMode.objects.get()
    assert mode.end == ProtectiveModeEnd.CONCERN_CLOSED and not mode.holds
    assert list(parents_to_tell(family)) == [parent]
    with pytest.raises(ValidationError):
        protective_mode_close(family=family, ended_by=officer, note="Twice.")


@pytest.mark.parametrize("persona", ["police", "parent", "suspect_caregiver", "other_officer", "outsider"])
def test_no_one_outside_the_family_s_staff_sees_or_starts_it(request, login, family, officer, persona):
    start(family, officer)
    client = login(request.getfixturevalue(persona))
    for name in ("families:protective_mode", "families:protective_mode_confirm", "families:protective_mode_close"):
        assert client.get(reverse(name, args=[family.pk])).status_code == 404
        assert client.post(reverse(name, args=[family.pk]), {"reason": "x", "note": "x"}).status_code == 404
    assert ProtectiveMode.objects.get().holds


def test_an_officer_cannot_confirm_their_own_start(login, officer, family):
    start(family, officer)
    assert login(officer).post(reverse("families:protective_mode_confirm", args=[family.pk])).status_code == 404
    assert ProtectiveMode.objects.get().confirmed_at is None


# What the parents get ----------------------------------------------------------------


def test_nothing_new_can_be_sent_to_the_parents(english, officer, police, family, case, parent):
    start(family, officer)
    response = english(officer).post(reverse("families:messages", args=[family.pk]), {"text": "NEWMESSAGE"})
    assert response.status_code == 400
    assert not PortalMessage.objects.filter(family=family).exists()
    with pytest.raises(ValidationError) as refused:
        portal_message_send(family=family, author=officer, text="NEW", from_parent=False)
    assert str(PROTECTIVE_MODE_HOLDS) in " ".join(refused.value.messages)
    step = police_text(case, police, "NEWPOLICETEXT", approve=False)
    with pytest.raises(ValidationError):
        justice.milestone_approve(milestone=step, officer=police, notify=False)


def test_a_parent_can_still_write_to_the_officer_without_a_hint(login, officer, family, parent):
    start(family, officer)
    client = login(parent)
    response = client.post(reverse("portal:messages"), {"text": "Can we talk on Monday?"})
    assert response.status_code == 302
    assert PortalMessage.objects.get(from_parent=True).text == "Can we talk on Monday?"
    assert "protective" not in portal_text(client).lower()


def test_the_portal_stands_still_at_the_start(login, officer, police, family, case, parent):
    portal_message_send(family=family, author=officer, text="OLDMESSAGE", from_parent=False)
    police_text(case, police, "OLDPOLICETEXT")
    item = SharedInformation.objects.create(family=family, text="A grey car.", created_by=parent)
    client = login(parent)
    before = portal_text(client)
    mode = start(family, officer)
    # What would reach the parents if anything wrote it past the services: a message, a
    # police text approved, the police's answer to what the parent shared.
    PortalMessage.objects.create(family=family, text="LATEMESSAGE", from_parent=False, created_by=officer)
    late = police_text(case, police, "LATEPOLICETEXT", approve=False)
    type(late).objects.filter(pk=late.pk).update(approved_at=timezone.now(), approved_by=police)
    shared_information_acknowledge(item=item, officer=police, status="acted_on", feedback="LATEFEEDBACK")
    now = portal_text(client)
    for marker in ("OLDMESSAGE", "OLDPOLICETEXT"):
        assert marker in before and marker in now
    for marker in ("LATEMESSAGE", "LATEPOLICETEXT", "LATEFEEDBACK"):
        assert marker not in now
    assert "protective" not in now.lower()
    assert mode.holds


def test_the_police_s_answer_stays_as_it_was_at_the_start(login, officer, police, family, parent):
    """Only the feedback changes while the mode holds (the status stays): the parents
    still read the answer of the start, on the portal and in their own export."""
    item = SharedInformation.objects.create(family=family, text="A grey car.", created_by=parent)
    shared_information_acknowledge(item=item, officer=police, status="acted_on", feedback="FIRSTFEEDBACK")
    client = login(parent)
    assert "FIRSTFEEDBACK" in portal_text(client)
    start(family, officer)
    shared_information_acknowledge(item=item, officer=police, status="acted_on", feedback="LATEFEEDBACK")
    now = portal_text(client)
    assert "FIRSTFEEDBACK" in now and "LATEFEEDBACK" not in now
    member = HouseholdMember.objects.get(user=parent)
    exported = str(subject_access_for_member(member).sections)
    assert "FIRSTFEEDBACK" in exported and "LATEFEEDBACK" not in exported


def test_no_e_mail_reaches_a_parent_while_it_holds(officer, family, parent, mailoutbox):
    parent.notify_by = "email"
    parent.save()
    assert notify_parents(family) == [parent.pk]
    start(family, officer)
    assert notify_parents(family) == []
    assert len(mailoutbox) == 1


def test_no_invitation_goes_to_a_parent_while_it_holds(english, officer, family):
    member = HouseholdMemberFactory(family=family, full_name="Ana Mother", email="ana@example.org", user=None)
    start(family, officer)
    response = english(officer).post(
        reverse("invitation_create"), {"member": member.pk, "email": "ana@example.org", "role": "parent"}
    )
    assert response.status_code == 400
    member.refresh_from_db()
    assert not member.invitations.exists()


def test_the_plan_parents_read_is_the_one_of_the_start(login, officer, police, family, shared_plan, parent):
    """A plan shared before the start stays what the parents read, and its PDF too; a new
    version cannot be shared with them while the mode holds."""
    client = login(parent)
    shared_before = client.get(reverse("portal:plan_shared")).content.decode()
    pdf_in_force_before = client.get(reverse("portal:plan_pdf")).status_code
    start(family, officer)
    member = parent.household_memberships.get()
    plans.plan_agree(version=shared_plan, agreed_by=member, words="We agree.", recorded_by=parent)
    plans.plan_endorse(version=shared_plan, officer=police, note="Endorsed.")
    shared_plan.refresh_from_db()
    assert shared_plan.status == PlanStatus.ACTIVE
    # The portal still shows the plan as shared (waiting), not as the plan in force.
    assert client.get(reverse("portal:plan_shared")).status_code == 200
    home = client.get(reverse("portal:home")).content.decode()
    assert shared_before and "protective" not in home.lower()
    # The plan in force was none at the start and stays none; the shared copy stays.
    assert client.get(reverse("portal:plan_pdf")).status_code == pdf_in_force_before == 404
    pdf = client.get(reverse("portal:plan_pdf") + "?shared=1")
    assert pdf.status_code == 200
    assert PdfReader(BytesIO(pdf.content)).pages
    draft = plans.plan_version_start(family=family, created_by=officer)
    plans.plan_review_date_set(
        version=draft, review_on=timezone.localdate() + timedelta(weeks=4), base_revision=draft.revision, actor=officer
    )
    draft.refresh_from_db()
    with pytest.raises(ValidationError):
        plans.plan_share(version=draft, base_revision=draft.revision, actor=officer)


def test_a_plan_endorsed_while_it_holds_reads_as_agreed_not_endorsed(
    login, officer, police, family, shared_plan, parent
):
    """The police endorse the shared plan while the mode holds: the parents' PDF of it and
    their own export still show it waiting for the police, as it stood at the start."""
    client = login(parent)
    member = parent.household_memberships.get()
    plans.plan_agree(version=shared_plan, agreed_by=member, words="We agree.", recorded_by=parent)
    start(family, officer)
    plans.plan_endorse(version=shared_plan, officer=police, note="Endorsed.")
    pdf = client.get(reverse("portal:plan_pdf") + "?shared=1")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert pdf.status_code == 200 and police.full_name not in text
    export = subject_access_for_member(member)
    plan_rows = [row for section in export.sections if section.group == "Veiligheidsplan" for row in section.rows]
    assert plan_rows and police.full_name not in str(plan_rows)
    assert "Actief" not in str(plan_rows) and "Actief sinds" not in str(plan_rows)


# Marking a caregiver suspected ends it ---------------------------------------------


def test_marking_the_stepfather_reopens_the_mother_s_channels_and_shuts_him_out(
    login, officer, police, family, case, parent, stepfather
):
    start(family, officer)
    with pytest.raises(ValidationError):
        portal_message_send(family=family, author=officer, text="HELD", from_parent=False)
    suspicion_mark(member=stepfather, marked_by=officer, reason="The child named him.")
    mode = ProtectiveMode.objects.get()
    assert mode.end == ProtectiveModeEnd.SUSPECT_NAMED and not mode.holds
    portal_message_send(family=family, author=officer, text="AFTERMARK", from_parent=False)
    assert "AFTERMARK" in portal_text(login(parent))
    assert login(stepfather.user).get(reverse("portal:home")).status_code == 404
    assert list(parents_to_tell(family)) == [parent]


# Any order of events -----------------------------------------------------------------

EVENTS = ("start", "confirm", "message", "police_text", "answer", "mark", "close")


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(EVENTS), min_size=1, max_size=6))
def test_in_any_order_of_events_a_parent_sees_only_what_was_sent_while_no_mode_held(
    login, officer, supervisor, police, family, case, parent, stepfather, events
):
    """A model of the rule: an item reaches the mother when it was sent while no mode
    held (sending is refused while one holds); the police's answer shows only while no
    mode holds or when it came before the start. The stepfather, once marked, reaches
    nothing at all. Checked after every event, on every portal page."""
    with transaction.atomic():
        item = SharedInformation.objects.create(family=family, text="A grey car.", created_by=parent)
        holds, started, marked = False, None, False
        expected, answers = set(), []
        for number, event in enumerate(events):
            marker = f"EVENT{number}{event.upper()}"
            try:
                if event == "start":
                    start(family, officer)
                elif event == "confirm":
                    protective_mode_confirm(family=family, supervisor=supervisor)
                elif event == "message":
                    portal_message_send(family=family, author=officer, text=marker, from_parent=False)
                elif event == "police_text":
                    police_text(case, police, marker)
                elif event == "answer":
                    # Each answer says something new; every other one changes the status too.
                    status = ("acted_on", "no_action")[len(answers) // 2 % 2]
                    shared_information_acknowledge(item=item, officer=police, status=status, feedback=marker)
                elif event == "mark":
                    suspicion_mark(member=stepfather, marked_by=officer, reason="Named by the child.")
                elif event == "close":
                    protective_mode_close(family=family, ended_by=officer, note="Closed.")
            except ValidationError:
                refused = True
            else:
                refused = False
            if event == "start" and not refused:
                holds, started = True, timezone.now()
            if event in ("message", "police_text"):
                assert refused == holds
                if not refused:
                    expected.add(marker)
            if event == "answer" and not refused:
                answers.append((marker, timezone.now()))
            if event == "mark" and not refused:
                holds, marked = False, True
            if event == "close":
                assert refused == (not holds)
                holds = False
            seen = portal_text(login(parent))
            for sent in expected:
                assert sent in seen
            # The police's last answer, or while a mode holds the last one before it began.
            given = [marker for marker, at in answers if not holds or at <= started]
            for marker, _at in answers:
                assert (marker in seen) == (bool(given) and marker == given[-1])
            assert "protective" not in seen.lower()
            assert bool(list(parents_to_tell(family))) == (not holds)
            if marked:
                assert login(stepfather.user).get(reverse("portal:home")).status_code == 404
        transaction.set_rollback(True)
