"""A context on the agenda of a multi-agency meeting: a supervisor chooses a context of
one of the team's families, a police partner a hit of the unit, each only as the access
policy lets them. Marker strings planted in the contexts reach only the packs of the
agencies that may receive people of concern, never the other packs or the parents."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from families.models import Agency, AgendaItem, AgendaItemKind, ContextHit, ContextKind, Meeting
from families.services import meetings as services
from families.services.contexts import context_link_record
from liaison.access.meetings import AGENCIES_WITH_PEOPLE_OF_CONCERN
from liaison.audit.models import AuditAction, AuditEvent
from liaison.staff.meeting_pack import meeting_pack
from tests.factories import FamilyFactory, UserFactory, confirmed_totp

pytestmark = pytest.mark.django_db

NEXT_WEEK = timezone.localdate() + timedelta(days=7)
LINK_MARKER = "Kevin Linkmarkerq"
ALIAS_MARKER = "Aliasmarkerq"
HIT_MARKER = "Dino Hitmarkerq"
OTHER_TEAM_MARKER = "Otherteammarkerq"
OTHER_UNIT_PLATE = "ZZ-999-Z"
MARKERS = (LINK_MARKER, ALIAS_MARKER, HIT_MARKER, OTHER_TEAM_MARKER, "ZZ999Z")


def _link(family, user, label, kind=ContextKind.PERSON, **extra):
    return context_link_record(family=family, created_by=user, kind=kind, label=label, **extra)


@pytest.fixture
def contexts(family, officer, other_family, other_officer, police_unit, other_unit):
    """A context of the team's family (no hit), a hit of the unit (two of its families),
    a context of another team's family, and a hit of another unit only."""
    second = FamilyFactory(liaison_officer=officer, police_unit=police_unit)
    other_second = FamilyFactory(liaison_officer=other_officer, police_unit=other_unit)
    link = _link(family, officer, LINK_MARKER, aliases=ALIAS_MARKER)
    _link(family, officer, HIT_MARKER)
    _link(second, officer, HIT_MARKER)
    other_link = _link(other_family, other_officer, f"Park {OTHER_TEAM_MARKER}", kind="place", place_kind="park")
    _link(other_family, other_officer, OTHER_UNIT_PLATE, kind=ContextKind.VEHICLE)
    _link(other_second, other_officer, OTHER_UNIT_PLATE, kind=ContextKind.VEHICLE)
    unit_hit = ContextHit.objects.get(kind=ContextKind.PERSON)
    other_hit = ContextHit.objects.get(kind=ContextKind.VEHICLE)
    return {"link": link, "other_link": other_link, "hit": unit_hit, "other_hit": other_hit, "second": second}


def _meeting(user, agencies=tuple(Agency.values)) -> Meeting:
    return services.meeting_schedule(
        scheduled_by=user,
        kind="mace",
        held_on=NEXT_WEEK,
        chair="Chris Chair",
        venue="Town hall",
        attendances=[(agency, "") for agency in agencies],
    )


def _item(**overrides) -> dict:
    return {"kind": "context", "presenter": "Pat Presenter", "minutes_allotted": "15"} | overrides


def _other_supervisor(other_team):
    user = UserFactory(role="supervisor", team=other_team, full_name="Sina South")
    confirmed_totp(user)
    return user


def test_the_supervisor_chooses_a_context_of_the_teams_families_only(english, supervisor, contexts):
    meeting = _meeting(supervisor)
    client = english(supervisor)
    url = reverse("meeting_item_add", args=[meeting.pk])
    form = client.get(url).content.decode()
    assert LINK_MARKER in form and OTHER_TEAM_MARKER not in form
    assert 'name="context_hit"' not in form and "not possible yet" not in form
    for refused in (
        _item(context_link=contexts["other_link"].pk),
        _item(context_hit=contexts["hit"].pk),
        _item(),
    ):
        response = client.post(url, refused)
        assert response.status_code == 400 and "Choose a context from the list." in response.content.decode()
    assert not AgendaItem.objects.exists()
    assert client.post(url, _item(context_link=contexts["link"].pk)).status_code == 302
    item = AgendaItem.objects.get()
    assert item.kind == AgendaItemKind.CONTEXT and item.context_link == contexts["link"] and item.context_hit is None


def test_the_police_partner_chooses_a_hit_of_the_unit_only(english, police, contexts):
    meeting = _meeting(police)
    client = english(police)
    url = reverse("meeting_item_add", args=[meeting.pk])
    form = client.get(url).content.decode()
    assert HIT_MARKER in form and "ZZ999Z" not in form and "(2 families)" in form
    assert 'name="context_link"' not in form and LINK_MARKER not in form
    for refused in (
        _item(context_hit=contexts["other_hit"].pk),
        _item(context_link=contexts["link"].pk),
        _item(),
    ):
        assert client.post(url, refused).status_code == 400
    assert not AgendaItem.objects.exists()
    assert client.post(url, _item(context_hit=contexts["hit"].pk)).status_code == 302
    item = AgendaItem.objects.get()
    assert item.context_hit == contexts["hit"] and item.context_link is None


def test_another_teams_supervisor_and_another_units_police_choose_nothing_of_ours(
    english, other_team, other_police, contexts
):
    other_supervisor = _other_supervisor(other_team)
    for user, field, ours in (
        (other_supervisor, "context_link", contexts["link"]),
        (other_police, "context_hit", contexts["hit"]),
    ):
        meeting = _meeting(user)
        client = english(user)
        url = reverse("meeting_item_add", args=[meeting.pk])
        form = client.get(url).content.decode()
        assert LINK_MARKER not in form and HIT_MARKER not in form
        assert client.post(url, _item(**{field: ours.pk})).status_code == 400
    assert not AgendaItem.objects.exists()


def test_the_service_refuses_another_teams_context_and_another_units_hit(supervisor, police, contexts):
    for user, values in (
        (supervisor, {"context_link": contexts["other_link"]}),
        (supervisor, {"context_hit": contexts["hit"]}),
        (police, {"context_hit": contexts["other_hit"]}),
        (police, {"context_link": contexts["link"]}),
    ):
        meeting = _meeting(user)
        with pytest.raises(ValidationError):
            services.agenda_item_add(
                meeting=meeting, added_by=user, kind="context", presenter="P", minutes_allotted=5, **values
            )
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("persona", ["officer", "parent", "other_police", "analyst"])
def test_nobody_else_reaches_the_form_of_a_teams_or_units_meeting(login, request, supervisor, police, persona):
    client = login(request.getfixturevalue(persona))
    for keeper in (supervisor, police):
        url = reverse("meeting_item_add", args=[_meeting(keeper).pk])
        assert client.get(url).status_code == 404
        assert client.post(url, _item()).status_code == 404
    assert not AgendaItem.objects.exists()


def test_an_item_names_exactly_one_context_in_the_database(supervisor, contexts):
    meeting = _meeting(supervisor)
    values = {"meeting": meeting, "presenter": "P", "minutes_allotted": 5, "created_by": supervisor}
    for position, wrong in enumerate(
        (
            {"kind": "context"},
            {"kind": "context", "context_link": contexts["link"], "context_hit": contexts["hit"]},
            {"kind": "person_of_concern", "concern_name": "X", "context_hit": contexts["hit"]},
        ),
        start=1,
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            AgendaItem.objects.create(position=position, **values, **wrong)


@pytest.fixture
def link_item(supervisor, contexts):
    meeting = _meeting(supervisor)
    return services.agenda_item_add(
        meeting=meeting,
        added_by=supervisor,
        kind="context",
        context_link=contexts["link"],
        presenter="Sam Supervisor",
        minutes_allotted=25,
    )


@pytest.fixture
def hit_item(police, contexts):
    meeting = _meeting(police)
    return services.agenda_item_add(
        meeting=meeting,
        added_by=police,
        kind="context",
        context_hit=contexts["hit"],
        presenter="Pat Police",
        minutes_allotted=35,
    )


def _text(meeting, agency) -> str:
    with translation.override("en"):
        pack = meeting_pack(meeting, agency)
    return "\n".join(
        f"{entry.heading} {entry.note} "
        + " ".join(f"{section.heading} {label} {text}" for section in entry.sections for label, text in section.lines)
        for entry in pack
    )


@pytest.mark.parametrize("agency", Agency.values)
def test_the_context_reaches_only_the_packs_with_the_right_to_it(link_item, agency):
    text = _text(link_item.meeting, agency)
    allowed = agency in AGENCIES_WITH_PEOPLE_OF_CONCERN
    assert "An item about a context" in text
    assert (LINK_MARKER in text) == allowed and (ALIAS_MARKER in text) == allowed
    assert ("The details of this item are not shared with your agency." in text) != allowed


@pytest.mark.parametrize("agency", Agency.values)
def test_a_hit_shows_its_kind_and_count_never_the_families(hit_item, family, contexts, agency):
    text = _text(hit_item.meeting, agency)
    allowed = agency in AGENCIES_WITH_PEOPLE_OF_CONCERN
    assert ("Person of concern" in text and "Families that name it 2" in text) == allowed
    for never in (HIT_MARKER, family.reference, contexts["second"].reference, family.display_name):
        assert never not in text


@pytest.mark.parametrize("agency", [Agency.POLICE_VICE, Agency.VEILIG_THUIS, Agency.CHILD_PROTECTION, Agency.SCHOOL])
def test_the_pack_page_shows_the_item_with_its_time(english, supervisor, link_item, agency):
    page = english(supervisor).get(reverse("meeting_pack", args=[link_item.meeting_id, agency])).content.decode()
    assert "An item about a context" in page and "25 minutes" in page
    assert (LINK_MARKER in page) == (agency in AGENCIES_WITH_PEOPLE_OF_CONCERN)


def test_keepers_see_the_item_by_its_kind_with_a_neutral_label(english, supervisor, police, link_item, hit_item):
    for user, item, label in (
        (supervisor, link_item, "Context of a family: Person of concern"),
        (police, hit_item, "Context across families: Person of concern"),
    ):
        client = english(user)
        for name in ("meeting", "meeting_minutes"):
            page = client.get(reverse(name, args=[item.meeting_id])).content.decode()
            assert label in page
            for marker in MARKERS:
                assert marker not in page


def test_the_parents_never_see_anything_of_it(english, login, officer, supervisor, parent, link_item):
    with pytest.raises(ValidationError):
        services.parents_voice_ask(item=link_item, asked_by=officer, notify=False)
    Meeting.objects.filter(pk=link_item.meeting_id).update(held_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError):
        services.outcome_note_write(item=link_item, written_by=supervisor, text="Plain", touches_police_work=False)
    staff = english(officer)
    assert staff.get(reverse("meeting_voice_ask", args=[link_item.pk])).status_code == 404
    assert staff.get(reverse("outcome_note_write", args=[link_item.pk])).status_code == 404
    portal = english(parent)
    for name in ("portal:home", "portal:meetings", "portal:meeting_notes"):
        page = portal.get(reverse(name)).content.decode()
        for marker in MARKERS:
            assert marker not in page


def _meeting_page_queries(client, meeting) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("meeting", args=[meeting.pk])).status_code == 200
    return len(queries)


def test_the_meeting_page_costs_the_same_with_more_context_items(english, supervisor, contexts):
    meeting = _meeting(supervisor)
    client = english(supervisor)
    values = {"meeting": meeting, "kind": "context", "presenter": "P", "minutes_allotted": 5, "created_by": supervisor}
    AgendaItem.objects.create(position=1, context_link=contexts["link"], **values)
    _meeting_page_queries(client, meeting)
    one = _meeting_page_queries(client, meeting)
    for position in range(2, 9):
        context = {"context_link": contexts["link"]} if position % 2 else {"context_hit": contexts["hit"]}
        AgendaItem.objects.create(position=position, **context, **values)
    assert _meeting_page_queries(client, meeting) == one


def test_reading_a_meeting_logs_the_family_whose_context_is_on_its_agenda(english, supervisor, family, link_item):
    english(supervisor).get(reverse("meeting_pack", args=[link_item.meeting.pk, Agency.POLICE_VICE]))
    event = AuditEvent.objects.filter(action=AuditAction.CASE_LIST_VIEWED).latest("occurred_at")
    assert event.detail["meeting"] == link_item.meeting.pk and event.detail["families"] == [family.pk]
