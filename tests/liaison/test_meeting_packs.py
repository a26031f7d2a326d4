"""The pack of a multi-agency meeting per attending agency: marker strings planted in the
police-only parts of the plan and in every place a person of concern is named; each
agency's pack, on screen and in the PDF, holds only what that agency may receive."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from families.models import Agency, AgendaItemKind, HouseholdMember, Incident, Meeting
from families.services.meetings import agenda_item_add, meeting_schedule, parents_voice_answer, parents_voice_ask
from liaison.access.meetings import AGENCIES_WITH_PEOPLE_OF_CONCERN, AGENCIES_WITH_POLICE_ONLY
from liaison.staff.meeting_pack import meeting_pack
from safety_plans import services as plans
from safety_plans.models import PersonOfConcern, PlanStatement, Visibility
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

POLICE_ONLY_MARKER = "POLICEONLY-7731"
POLICE_PERSON_MARKER = "POLICEPERSON-5150"
STAFF_PERSON_MARKER = "STAFFPERSON-4242"
INCIDENT_PERSON_MARKER = "INCIDENTPERSON-9090"
ITEM_PERSON_MARKER = "ITEMPERSON-6060"
PARENTS_WORDS = "She is not to blame — please listen to her! (Mia)"
SHARED_STATEMENT = "We keep the door open for our daughter"


@pytest.fixture
def planted(family, officer, police, supervisor, parent):
    """A meeting with every agency, a family item with a plan holding every marker and
    the parents' words, and a person-of-concern item."""
    ChildFactory(family=family, full_name="Noor Jansen")
    version = plans.plan_version_start(family=family, created_by=officer)
    parts = [
        PlanStatement(version=version, section="parents_do", text=SHARED_STATEMENT, visibility=Visibility.PARENTS),
        PlanStatement(version=version, section="risks", text=POLICE_ONLY_MARKER, visibility=Visibility.POLICE),
        PersonOfConcern(version=version, name=POLICE_PERSON_MARKER, concern="Grooming", visibility=Visibility.POLICE),
        PersonOfConcern(version=version, name=STAFF_PERSON_MARKER, concern="Drives her", visibility=Visibility.STAFF),
    ]
    for part in parts:
        plans.plan_part_save(version=version, part=part, base_revision=version.revision, actor=officer)
        version.refresh_from_db()
    Incident.objects.create(
        family=family,
        occurred_at=timezone.now() - timedelta(days=3),
        kind="intimidation",
        description="Threat at the door",
        person_of_concern=INCIDENT_PERSON_MARKER,
        created_by=officer,
    )
    meeting = meeting_schedule(
        scheduled_by=supervisor,
        kind="mace",
        held_on=timezone.localdate() + timedelta(days=3),
        chair="Chris Chair",
        venue="Town hall",
        attendances=[(agency, "") for agency in Agency.values],
    )
    item = agenda_item_add(
        meeting=meeting,
        added_by=supervisor,
        kind=AgendaItemKind.FAMILY,
        family=family,
        presenter="Olivia Officer",
        minutes_allotted=20,
    )
    request = parents_voice_ask(item=item, asked_by=officer, notify=False)
    parents_voice_answer(request=request, member=HouseholdMember.objects.get(user=parent), words=PARENTS_WORDS)
    agenda_item_add(
        meeting=meeting,
        added_by=supervisor,
        kind=AgendaItemKind.PERSON_OF_CONCERN,
        concern_name=ITEM_PERSON_MARKER,
        concern_detail="Seen at the station",
        presenter="Pat Police",
        minutes_allotted=10,
    )
    return meeting


def _text(pack) -> str:
    return "\n".join(
        f"{entry.heading} {entry.note} "
        + " ".join(f"{section.heading} {label} {text}" for section in entry.sections for label, text in section.lines)
        for entry in pack
    )


@pytest.mark.parametrize("agency", Agency.values)
def test_each_pack_holds_only_what_the_agency_may_receive(planted, agency):
    text = _text(meeting_pack(planted, agency))
    assert PARENTS_WORDS in text
    assert (POLICE_ONLY_MARKER in text) == (agency in AGENCIES_WITH_POLICE_ONLY)
    assert (POLICE_PERSON_MARKER in text) == (agency in AGENCIES_WITH_POLICE_ONLY)
    for marker in (STAFF_PERSON_MARKER, INCIDENT_PERSON_MARKER, ITEM_PERSON_MARKER):
        assert (marker in text) == (agency in AGENCIES_WITH_PEOPLE_OF_CONCERN), marker


@pytest.mark.parametrize("agency", [Agency.POLICE_VICE, Agency.SCHOOL, Agency.VEILIG_THUIS])
def test_the_page_and_the_pdf_show_the_same(english, supervisor, planted, agency):
    client = english(supervisor)
    page = client.get(reverse("meeting_pack", args=[planted.pk, agency])).content.decode()
    response = client.get(reverse("meeting_pack_pdf", args=[planted.pk, agency]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    pages = [page_of_pdf.extract_text() for page_of_pdf in reader.pages]
    printed = "\n".join(pages)
    label = dict(Agency.choices)[agency]
    for text in (page, printed):
        assert (POLICE_ONLY_MARKER in text) == (agency == Agency.POLICE_VICE)
        assert (ITEM_PERSON_MARKER in text) == (agency in AGENCIES_WITH_PEOPLE_OF_CONCERN)
        assert "not to blame" in text
    date = planted.held_on.strftime("%-d")
    for text_of_page in pages:
        assert str(label) in text_of_page and date in text_of_page


def test_a_pack_of_an_agency_that_does_not_attend_is_404(english, supervisor, family):
    meeting = meeting_schedule(
        scheduled_by=supervisor,
        kind="strategy",
        held_on=timezone.localdate() + timedelta(days=3),
        chair="C",
        venue="V",
        attendances=[("school", "")],
    )
    client = english(supervisor)
    assert client.get(reverse("meeting_pack", args=[meeting.pk, "police_vice"])).status_code == 404
    assert client.get(reverse("meeting_pack", args=[meeting.pk, "nonsense"])).status_code == 404
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize("persona", ["officer", "police", "parent", "suspect_caregiver", "outsider"])
def test_nobody_outside_the_meeting_gets_a_pack(login, request, planted, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("meeting_pack", args=[planted.pk, "police_vice"])).status_code == 404
    assert client.get(reverse("meeting_pack_pdf", args=[planted.pk, "police_vice"])).status_code == 404
