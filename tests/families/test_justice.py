"""The justice journey: criminal cases and their milestones, who sees what of them, the
police's approval of the parents' texts, and the bad input that is refused. Marker
strings stand in the staff detail, the police-only notes and unapproved parents' texts:
none may reach a parent's page, a notification or a page of someone not allowed."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from families.models import CaseMilestone, CriminalCase, HouseholdMember, MilestoneKind
from families.services import justice
from liaison.accounts.models import Role
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import ChildFactory, HouseholdMemberFactory, PoliceUnitFactory, UserFactory, confirmed_totp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def service_messages_in_english():
    """The services' refusals are matched in English, whatever a test before left active."""
    with translation.override("en"):
        yield


POLICE_CASE_NOTE = "MARKER-POLICE-CASE-NOTE"
POLICE_STEP_NOTE = "MARKER-POLICE-STEP-NOTE"
STAFF_DETAIL = "MARKER-STAFF-DETAIL"
UNAPPROVED = "MARKER-UNAPPROVED-PARENTS-TEXT"
APPROVED = "The police have spoken with a suspect."
CONCERN = "MARKER-PERSON-OF-CONCERN"


def today():
    return timezone.localdate()


def days(n: int):
    return today() + timedelta(days=n)


@pytest.fixture
def police_of_another_unit():
    user = UserFactory(role=Role.POLICE, police_unit=PoliceUnitFactory(name="Vice unit South"), full_name="Pim South")
    confirmed_totp(user)
    return user


@pytest.fixture
def child(family):
    return ChildFactory(family=family, full_name="Noor Jansen")


@pytest.fixture
def case(family, child, police):
    return justice.criminal_case_record(
        family=family,
        created_by=police,
        child=child,
        police_reference="ZP-2026-77",
        opened_on=days(-60),
        people_of_concern=CONCERN,
        staff_detail=STAFF_DETAIL,
        police_note=POLICE_CASE_NOTE,
    )


@pytest.fixture
def steps(case, police, officer):
    """A report approved for the parents (with its date), an arrest whose text waits for
    approval, and a planned hearing approved with its date."""
    report = justice.milestone_record(
        case=case,
        created_by=police,
        kind=MilestoneKind.REPORT_MADE,
        occurs_on=days(-60),
        parents_text=APPROVED,
        staff_detail=STAFF_DETAIL,
        police_note=POLICE_STEP_NOTE,
    )
    justice.milestone_approve(milestone=report, officer=police, parents_see_date=True)
    arrest = justice.milestone_record(
        case=case, created_by=officer, kind=MilestoneKind.ARRESTED, occurs_on=days(-10), parents_text=UNAPPROVED
    )
    hearing = justice.milestone_record(
        case=case,
        created_by=police,
        kind=MilestoneKind.HEARING,
        occurs_on=days(30),
        is_planned=True,
        court="District court Groningen",
        hearing_kind="trial",
        parents_text="There will be a trial.",
    )
    justice.milestone_approve(milestone=hearing, officer=police, parents_see_date=True)
    return {"report": report, "arrest": arrest, "hearing": hearing}


def list_url(family) -> str:
    return reverse("families:justice", args=[family.pk])


PORTAL = reverse("portal:justice")
PORTAL_HOME = reverse("portal:home")


def milestone_post(**overrides) -> dict:
    data = {"kind": "hearing", "occurs_on": days(20).isoformat(), "is_planned": "on", "court": "Court A"}
    data |= {"hearing_kind": "trial", "parents_text": "", "staff_detail": ""}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# Who sees the section


@pytest.mark.parametrize("persona", ["officer", "supervisor", "police"])
def test_staff_of_the_family_see_the_criminal_cases(request, english, persona, steps):
    user = request.getfixturevalue(persona)
    response = english(user).get(list_url(steps["report"].case.family))
    assert response.status_code == 200
    body = response.content.decode()
    assert "ZP-2026-77" in body and STAFF_DETAIL in body and CONCERN in body
    assert UNAPPROVED in body


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_officers_and_supervisors_never_see_police_only_notes(request, english, persona, steps, family):
    client = english(request.getfixturevalue(persona))
    pages = [
        list_url(family),
        reverse("families:chronology", args=[family.pk]),
        reverse("families:milestone_edit", args=[family.pk, steps["report"].pk]),
        reverse("families:criminal_case_edit", args=[family.pk, steps["report"].case_id]),
    ]
    for page in pages:
        body = client.get(page).content.decode()
        assert POLICE_CASE_NOTE not in body and POLICE_STEP_NOTE not in body, page


def test_the_police_partner_of_the_unit_sees_everything(english, police, steps, family):
    client = english(police)
    body = client.get(list_url(family)).content.decode()
    assert POLICE_CASE_NOTE in body and POLICE_STEP_NOTE in body
    chronology = client.get(reverse("families:chronology", args=[family.pk])).content.decode()
    assert POLICE_STEP_NOTE in chronology
    assert "Report made to the police" in chronology


@pytest.mark.parametrize(
    "persona", ["other_officer", "police_of_another_unit", "outsider", "parent", "suspect_caregiver", "administrator"]
)
def test_everyone_else_gets_404_on_every_staff_page(request, english, persona, steps, family):
    client = english(request.getfixturevalue(persona))
    case, report = steps["report"].case, steps["report"]
    pages = [
        list_url(family),
        reverse("families:criminal_case_add", args=[family.pk]),
        reverse("families:criminal_case_edit", args=[family.pk, case.pk]),
        reverse("families:milestone_add", args=[family.pk, case.pk]),
        reverse("families:milestone_edit", args=[family.pk, report.pk]),
        reverse("families:milestone_approve", args=[family.pk, report.pk]),
    ]
    for page in pages:
        assert client.get(page).status_code == 404, page


def test_a_case_or_step_of_another_family_is_absent(english, officer, steps, family):
    other = ChildFactory(full_name="Someone Else").family
    client = english(officer)
    assert (
        client.get(reverse("families:criminal_case_edit", args=[other.pk, steps["report"].case_id])).status_code == 404
    )
    wrong_family = reverse("families:milestone_edit", args=[other.pk, steps["report"].pk])
    assert client.get(wrong_family).status_code == 404


def test_wrong_methods_get_405(english, police, parent, steps, family):
    client = english(police)
    assert client.post(list_url(family)).status_code == 405
    withdraw = reverse("families:milestone_approval_withdraw", args=[family.pk, steps["report"].pk])
    assert client.get(withdraw).status_code == 405
    assert english(parent).post(PORTAL).status_code == 405


def test_the_list_costs_the_same_queries_for_one_or_many_cases(
    english, officer, family, child, police, django_assert_max_num_queries
):
    def add_case(n: int):
        case = justice.criminal_case_record(family=family, created_by=police, child=child, opened_on=days(-90))
        for step in range(n):
            justice.milestone_record(
                case=case, created_by=police, kind=MilestoneKind.SUSPECT_IDENTIFIED, occurs_on=days(-80 + step)
            )

    client = english(officer)
    add_case(1)
    with django_assert_max_num_queries(25) as few:
        assert client.get(list_url(family)).status_code == 200
    for _ in range(5):
        add_case(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(list_url(family))
    assert len(response.context["cases"]) == 6


# Recording


def test_an_officer_records_a_case_and_cannot_write_a_police_note(english, officer, family, child):
    response = english(officer).post(
        reverse("families:criminal_case_add", args=[family.pk]),
        {"child": child.pk, "opened_on": days(-5).isoformat(), "police_reference": "R-1", "police_note": "sneaky"},
    )
    assert response.status_code == 302
    case = CriminalCase.objects.get()
    assert case.police_note == "" and case.created_by == officer
    event = AuditEvent.objects.filter(action=AuditAction.CASE_CHANGED, family_id=family.pk).latest("pk")
    assert event.detail["what"] == "criminal_case_recorded"


def test_an_officer_editing_a_step_keeps_the_police_note(english, officer, steps, family):
    report = steps["report"]
    response = english(officer).post(
        reverse("families:milestone_edit", args=[family.pk, report.pk]),
        milestone_post(kind="report_made", occurs_on=report.occurs_on.isoformat(), is_planned=None, court="")
        | {"hearing_kind": "", "parents_text": APPROVED, "staff_detail": "Corrected", "police_note": "overwrite"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.police_note == POLICE_STEP_NOTE and report.staff_detail == "Corrected"
    assert report.is_approved, "the parents' text did not change, so the approval stands"


def test_an_officer_records_a_planned_hearing_and_attendance(english, officer, case, family):
    client = english(officer)
    response = client.post(reverse("families:milestone_add", args=[family.pk, case.pk]), milestone_post())
    assert response.status_code == 302
    hearing = CaseMilestone.objects.get(kind="hearing")
    assert hearing.is_planned and not hearing.parent_attends
    edit = milestone_post(parent_attends="on", officer_attends="on", separate_waiting_room="on")
    assert client.post(reverse("families:milestone_edit", args=[family.pk, hearing.pk]), edit).status_code == 302
    hearing.refresh_from_db()
    assert hearing.parent_attends and hearing.officer_attends and hearing.separate_waiting_room


def test_officers_cannot_approve(english, officer, supervisor, steps, family):
    url = reverse("families:milestone_approve", args=[family.pk, steps["arrest"].pk])
    for person in (officer, supervisor):
        assert english(person).post(url, {"parents_see_date": "on"}).status_code == 404
    steps["arrest"].refresh_from_db()
    assert not steps["arrest"].is_approved


def test_changing_an_approved_text_takes_the_approval_back(police, officer, steps):
    report = steps["report"]
    values = {name: getattr(report, name) for name in justice.MILESTONE_FIELDS}
    justice.milestone_update(milestone=report, changed_by=officer, **(values | {"parents_text": "New words"}))
    report.refresh_from_db()
    assert not report.is_approved


def test_turning_an_approved_step_into_a_hearing_takes_the_approval_back(police, officer, steps):
    """The parents would read it headed 'Court hearing on …', which the police never approved."""
    report = steps["report"]
    values = {name: getattr(report, name) for name in justice.MILESTONE_FIELDS}
    hearing = {"kind": MilestoneKind.HEARING, "court": "District court Groningen", "hearing_kind": "trial"}
    justice.milestone_update(milestone=report, changed_by=officer, **(values | hearing))
    report.refresh_from_db()
    assert report.kind == MilestoneKind.HEARING
    assert not report.is_approved


def test_a_closed_family_is_read_only(english, officer, police, steps, family):
    family.status, family.closing_reason, family.closed_on = "closed", "Safe now", today()
    family.save()
    assert english(officer).get(list_url(family)).status_code == 200
    assert english(officer).get(reverse("families:criminal_case_add", args=[family.pk])).status_code == 404
    assert (
        english(police).get(reverse("families:milestone_approve", args=[family.pk, steps["arrest"].pk])).status_code
        == 404
    )


# Bad input: clear errors, nothing saved


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"kind": "hearing", "occurs_on": "REPORT-1"},
            "A hearing cannot be before the report to the police",
        ),
        (
            {"kind": "verdict", "occurs_on": "TODAY", "is_planned": None, "court": "", "hearing_kind": ""},
            "A verdict follows a court hearing: record the hearing first.",
        ),
        (
            {"kind": "case_ended", "occurs_on": "START-1", "is_planned": None, "court": "", "hearing_kind": ""},
            "The case cannot end before it started",
        ),
        ({"kind": "arrested", "occurs_on": "TOMORROW", "is_planned": None}, "tick &#x27;planned&#x27;"),
        ({"kind": "hearing", "court": ""}, "Give the court where the hearing is held."),
        ({"kind": "", "occurs_on": ""}, "Choose the step of the case."),
    ],
)
def test_bad_steps_are_refused_and_nothing_is_saved(english, police, family, child, overrides, message):
    case = justice.criminal_case_record(family=family, created_by=police, child=child, opened_on=days(-30))
    justice.milestone_record(case=case, created_by=police, kind="report_made", occurs_on=days(-20))
    named = {"REPORT-1": days(-21), "TODAY": today(), "START-1": days(-31), "TOMORROW": days(1)}
    if overrides.get("occurs_on") in named:
        overrides = overrides | {"occurs_on": named[overrides["occurs_on"]].isoformat()}
    before = CaseMilestone.objects.count()
    response = english(police).post(
        reverse("families:milestone_add", args=[family.pk, case.pk]), milestone_post(**overrides)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "govuk-error-summary" in body
    assert CaseMilestone.objects.count() == before


def test_a_report_after_a_hearing_is_refused(police, family, child):
    case = justice.criminal_case_record(family=family, created_by=police, child=child, opened_on=days(-30))
    justice.milestone_record(
        case=case, created_by=police, kind="hearing", occurs_on=days(-5), court="C", hearing_kind="trial"
    )
    with pytest.raises(justice.ValidationError, match="cannot be after a hearing"):
        justice.milestone_record(case=case, created_by=police, kind="report_made", occurs_on=days(-3))


def test_a_case_cannot_start_after_it_ended(english, police, family, child):
    case = justice.criminal_case_record(family=family, created_by=police, child=child, opened_on=days(-30))
    justice.milestone_record(case=case, created_by=police, kind="case_ended", occurs_on=days(-10))
    case.refresh_from_db()
    assert case.ended_on == days(-10)
    response = english(police).post(
        reverse("families:criminal_case_edit", args=[family.pk, case.pk]),
        {"child": child.pk, "opened_on": days(-5).isoformat()},
    )
    assert response.status_code == 400
    assert "The case cannot start after it ended" in response.content.decode()
    case.refresh_from_db()
    assert case.opened_on == days(-30)


def test_a_case_needs_a_child_and_a_start(english, officer, family, child):
    response = english(officer).post(reverse("families:criminal_case_add", args=[family.pk]), {})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose the child." in body and "Give the date." in body
    assert not CriminalCase.objects.exists()


# The parents' portal


def test_the_parent_reads_only_approved_texts_and_allowed_dates(english, parent, steps):
    client = english(parent)
    body = client.get(PORTAL).content.decode()
    assert APPROVED in body and "There will be a trial." in body
    for marker in (UNAPPROVED, STAFF_DETAIL, POLICE_CASE_NOTE, POLICE_STEP_NOTE, CONCERN, "ZP-2026-77"):
        assert marker not in body
    assert "District court Groningen" not in body
    home = client.get(PORTAL_HOME).content.decode()
    assert "Next court hearing" in home
    assert reverse("portal:justice") in home
    for marker in (UNAPPROVED, STAFF_DETAIL, POLICE_CASE_NOTE, POLICE_STEP_NOTE):
        assert marker not in home


def test_a_hearing_date_the_police_do_not_allow_stays_hidden(english, parent, police, steps):
    hearing = steps["hearing"]
    justice.milestone_approve(milestone=hearing, officer=police, parents_see_date=False)
    client = english(parent)
    assert "Next court hearing" not in client.get(PORTAL_HOME).content.decode()
    body = client.get(PORTAL).content.decode()
    assert "There will be a trial." in body
    assert f"{hearing.occurs_on.day} {hearing.occurs_on:%B %Y}" not in body


def test_an_approval_mails_the_parents_without_any_detail(
    police, parent, steps, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        justice.milestone_approve(milestone=steps["arrest"], officer=police)
    (mail,) = mailoutbox
    assert mail.to == [parent.email]
    text = mail.subject + mail.body
    for marker in (UNAPPROVED, STAFF_DETAIL, POLICE_STEP_NOTE, "ZP-2026-77", "Noor", "arrest"):
        assert marker not in text


@pytest.fixture
def suspect_case(family, child, police, suspect_caregiver):
    member = HouseholdMember.objects.get(user=suspect_caregiver)
    case = justice.criminal_case_record(
        family=family, created_by=police, child=child, opened_on=days(-20), suspected_caregiver=member
    )
    step = justice.milestone_record(
        case=case, created_by=police, kind="arrested", occurs_on=days(-2), parents_text="MARKER-SUSPECT-CASE"
    )
    justice.milestone_approve(milestone=step, officer=police, parents_see_date=True)
    return step


def test_a_case_against_a_caregiver_shows_nothing_without_explicit_approval(
    english, parent, police, suspect_case, mailoutbox, django_capture_on_commit_callbacks
):
    assert "MARKER-SUSPECT-CASE" not in english(parent).get(PORTAL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        justice.milestone_approve(milestone=suspect_case, officer=police, shown_despite_suspect=True)
    assert "MARKER-SUSPECT-CASE" in english(parent).get(PORTAL).content.decode()


def test_the_suspected_caregiver_sees_nothing_ever(
    english, suspect_caregiver, police, suspect_case, steps, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        justice.milestone_approve(milestone=suspect_case, officer=police, shown_despite_suspect=True)
    assert all(suspect_caregiver.email not in mail.to for mail in mailoutbox)
    client = english(suspect_caregiver)
    assert client.get(PORTAL).status_code == 404
    assert client.get(PORTAL_HOME).status_code == 404


def test_a_caregiver_named_as_suspect_but_not_marked_still_sees_nothing_of_that_case(english, family, child, police):
    member = HouseholdMemberFactory(family=family, full_name="Unmarked Uncle", user__email="uncle@example.org")
    case = justice.criminal_case_record(
        family=family, created_by=police, child=child, opened_on=days(-20), suspected_caregiver=member
    )
    step = justice.milestone_record(
        case=case, created_by=police, kind="arrested", occurs_on=days(-2), parents_text="MARKER-UNCLE"
    )
    justice.milestone_approve(milestone=step, officer=police, shown_despite_suspect=True)
    assert "MARKER-UNCLE" not in english(member.user).get(PORTAL).content.decode()


def test_the_portal_page_costs_the_same_queries_for_many_steps(
    english, parent, steps, police, django_assert_max_num_queries
):
    client = english(parent)
    with django_assert_max_num_queries(20) as few:
        client.get(PORTAL)
    case = steps["report"].case
    for n in range(10):
        step = justice.milestone_record(
            case=case, created_by=police, kind="suspect_identified", occurs_on=days(-50 + n), parents_text=f"News {n}"
        )
        justice.milestone_approve(milestone=step, officer=police)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(PORTAL).content.decode()
    assert "News 9" in body


# Chronology and handover pack


def test_the_handover_pack_holds_the_case_status_without_police_notes(english, officer, steps, family):
    response = english(officer).get(reverse("families:handover_pack", args=[family.pk]))
    assert response.status_code == 200
    text = "".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages).split())
    assert "Policeandcourt" in text
    assert "ZP-2026-77" in text
    assert "Courthearing" in text
    assert POLICE_STEP_NOTE not in text and POLICE_CASE_NOTE not in text


# Safeguards found in review: who the suspect is, what the police read, re-sent mail.
@pytest.fixture
def uncle(family):
    """A caregiver with a portal account who is not marked suspected in the household."""
    return HouseholdMemberFactory(
        family=family, full_name="Uncle Ugo", relation="uncle", user__email="uncle@example.org"
    )


def test_a_caregiver_named_as_suspect_loses_the_portal_and_every_notification(
    english, police, parent, uncle, steps, mailoutbox, django_capture_on_commit_callbacks
):
    case = steps["report"].case
    assert english(uncle.user).get(reverse("portal:home")).status_code == 200
    values = {name: getattr(case, name) for name in justice.CASE_FIELDS}
    justice.criminal_case_update(case=case, changed_by=police, **(values | {"suspected_caregiver": uncle}))
    assert english(uncle.user).get(reverse("portal:home")).status_code in (302, 404)
    assert english(uncle.user).get(PORTAL).status_code in (302, 404)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        justice.milestone_approve(milestone=steps["arrest"], officer=police, shown_despite_suspect=True)
    assert [message.to for message in mailoutbox] == [[parent.email]]


def test_changing_the_suspect_takes_every_approval_back(english, police, officer, parent, uncle, steps):
    case = steps["report"].case
    values = {name: getattr(case, name) for name in justice.CASE_FIELDS}
    justice.criminal_case_update(case=case, changed_by=police, **(values | {"suspected_caregiver": uncle}))
    assert not CaseMilestone.objects.filter(case=case, approved_at__isnull=False).exists()
    case.refresh_from_db()
    values = {name: getattr(case, name) for name in justice.CASE_FIELDS}
    justice.criminal_case_update(case=case, changed_by=officer, **(values | {"suspected_caregiver": None}))
    body = english(parent).get(PORTAL).content.decode()
    assert APPROVED not in body and UNAPPROVED not in body


def test_the_police_approve_only_the_text_they_read(english, police, officer, steps, family):
    arrest = steps["arrest"]
    url = reverse("families:milestone_approve", args=[family.pk, arrest.pk])
    client = english(police)
    read_version = client.get(url).context["form"]["read_version"].value()
    values = {name: getattr(arrest, name) for name in justice.MILESTONE_FIELDS}
    justice.milestone_update(milestone=arrest, changed_by=officer, **(values | {"parents_text": "Other words"}))
    response = client.post(url, {"read_version": read_version})
    assert response.status_code == 400
    assert "changed while you were reading it" in response.content.decode()
    arrest.refresh_from_db()
    assert not arrest.is_approved
    read_version = client.get(url).context["form"]["read_version"].value()
    assert client.post(url, {"read_version": read_version}).status_code == 302
    arrest.refresh_from_db()
    assert arrest.is_approved


def test_saving_an_approval_again_sends_no_second_mail(police, steps, mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        justice.milestone_approve(milestone=steps["report"], officer=police, parents_see_date=False)
    assert mailoutbox == []


def test_correcting_the_end_of_the_case_opens_it_again(police, steps):
    case = steps["report"].case
    end = justice.milestone_record(case=case, created_by=police, kind=MilestoneKind.CASE_ENDED, occurs_on=days(-1))
    case.refresh_from_db()
    assert case.ended_on == days(-1)
    values = {name: getattr(end, name) for name in justice.MILESTONE_FIELDS}
    justice.milestone_update(milestone=end, changed_by=police, **(values | {"kind": MilestoneKind.SENTENCE}))
    case.refresh_from_db()
    assert case.ended_on is None


def test_a_verdict_needs_a_hearing_that_happened(police, steps):
    case = steps["report"].case  # its only hearing is planned
    with pytest.raises(ValidationError, match="record the hearing first"):
        justice.milestone_record(case=case, created_by=police, kind=MilestoneKind.VERDICT, occurs_on=days(-1))


def test_moving_the_hearing_after_its_verdict_is_refused(police, steps):
    case = steps["report"].case
    held = justice.milestone_record(
        case=case,
        created_by=police,
        kind=MilestoneKind.HEARING,
        occurs_on=days(-5),
        court="District court Groningen",
        hearing_kind="trial",
    )
    justice.milestone_record(case=case, created_by=police, kind=MilestoneKind.VERDICT, occurs_on=days(-2))
    values = {name: getattr(held, name) for name in justice.MILESTONE_FIELDS}
    for change in ({"occurs_on": days(-1)}, {"kind": MilestoneKind.ARRESTED}):
        with pytest.raises(ValidationError, match="without a hearing before it"):
            justice.milestone_update(milestone=held, changed_by=police, **(values | change))
    held.refresh_from_db()
    assert held.occurs_on == days(-5) and held.kind == MilestoneKind.HEARING


def test_a_step_planned_centuries_ahead_is_refused(police, steps):
    with pytest.raises(ValidationError, match="at most ten years"):
        justice.milestone_record(
            case=steps["report"].case,
            created_by=police,
            kind=MilestoneKind.ARRESTED,
            occurs_on=days(365 * 50),
            is_planned=True,
        )
