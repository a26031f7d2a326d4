"""The chronology: one merged history of the case, newest first, filtered by kind, with a
page made for printing; police partners get only the parts of the case they may see; a
fixed query cost however long the history."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import (
    AgencyInvolvement,
    Article,
    ArticleDiscussion,
    ArticleSent,
    ArticleVersion,
    CaregiverSuspicion,
    Child,
    ContactEntry,
    FollowUpAction,
    Handover,
    HouseholdMember,
    Incident,
    LiaisonAssignment,
    MissingEpisode,
    SupervisionNote,
)
from families.models.agencies import Agency
from families.models.contacts import ContactKind
from families.models.events import IncidentKind
from families.models.household import ChildRole
from families.selectors import chronology as chronology_selector
from families.selectors.chronology import chronology, read_chronology
from liaison.accounts.models import Role
from tests.factories import FamilyFactory, UserFactory

pytestmark = pytest.mark.django_db

READERS = ["officer", "supervisor", "police"]
# The police's menu counts what waits for them (one query); an officer's reminder count
# comes with the user.
QUERIES_ON_SCREEN = {"officer": 9, "police": 10}
QUERIES_PRINTED = {"officer": 5, "police": 6}
NO_ACCESS = ["other_officer", "outsider", "parent", "suspect_caregiver", "administrator"]


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def record_history(family, officer, *, n: int = 1) -> None:
    """n records of every kind, spread over the past."""
    colleague = UserFactory(role=Role.OFFICER, team=officer.team, full_name="Chris Colleague")
    team_supervisor = UserFactory(role=Role.SUPERVISOR, team=officer.team, full_name="Sue Supervisor")
    for i in range(n):
        child = Child.objects.create(
            family=family, full_name=f"Sibling {i}", role=ChildRole.SIBLING, created_by=officer
        )
        contact = ContactEntry.objects.create(
            family=family,
            occurred_at=ago(days=i + 1, hours=2),
            kind=ContactKind.HOME_VISIT,
            with_whom="Both parents",
            summary=f"Contact summary {i}: the father blames himself.",
            created_by=officer,
        )
        FollowUpAction.objects.create(
            family=family,
            contact=contact,
            description=f"Call the school {i}",
            owner="Liaison officer",
            due_on=timezone.localdate(),
            completed_at=ago(hours=i + 1),
            completed_by=officer,
            created_by=officer,
        )
        AgencyInvolvement.objects.create(
            family=family,
            agency=Agency.YOUTH_CARE,
            worker_name=f"Worker {i}",
            started_on=date(2025, 1, 1) + timedelta(days=i),
            ended_on=date(2025, 6, 1) + timedelta(days=i),
            created_by=officer,
        )
        Incident.objects.create(
            family=family,
            occurred_at=ago(days=i + 2),
            kind=IncidentKind.INTIMIDATION,
            description=f"Incident description {i}",
            created_by=officer,
        )
        MissingEpisode.objects.create(
            family=family,
            child=child,
            started_at=ago(days=i + 3),
            ended_at=ago(days=i + 3) + timedelta(hours=10),
            return_conversation_at=ago(days=i + 3) + timedelta(hours=30),
            return_conversation_note=f"Return conversation note {i}",
            where_found="Station square",
            created_by=officer,
        )
        member = HouseholdMember.objects.create(
            family=family, full_name=f"Caregiver {i}", relation="uncle", created_by=officer
        )
        CaregiverSuspicion.objects.create(
            member=member,
            reason=f"Secret suspicion reason {i}",
            marked_by=officer,
            lifted_at=timezone.now(),
            lifted_by=officer,
            lift_reason=f"Secret lift reason {i}",
        )
        SupervisionNote.objects.create(
            family=family,
            officer=officer,
            held_on=timezone.localdate() - timedelta(days=i + 4),
            note=f"Supervision note {i}",
            created_by=team_supervisor,
        )
        article = Article.objects.create(published_at=timezone.now())
        version = ArticleVersion.objects.create(
            article=article, number=1, title_nl=f"Artikel {i}", title_en=f"Article {i}", body_nl="Tekst", body_en="Text"
        )
        ArticleSent.objects.create(family=family, article=article, version=version, created_by=officer)
        ArticleDiscussion.objects.create(
            family=family,
            article=article,
            version=version,
            discussed_on=timezone.localdate() - timedelta(days=i + 2),
            note=f"Talked about article {i}",
            created_by=officer,
        )
    LiaisonAssignment.objects.create(
        family=family, officer=colleague, started_at=ago(days=400), ended_at=ago(days=100), created_by=officer
    )
    current = LiaisonAssignment.objects.filter(family=family, ended_at__isnull=True)
    if not current.update(started_at=ago(days=100)):
        LiaisonAssignment.objects.create(family=family, officer=officer, started_at=ago(days=100), created_by=officer)
    Handover.objects.create(
        family=family,
        from_officer=colleague,
        to_officer=officer,
        reason="Colleague leaves the team",
        note="Handover note text",
        created_by=officer,
        acknowledged_at=timezone.now(),
    )


# Who reaches it


@pytest.mark.parametrize("persona", READERS)
def test_staff_with_access_see_the_chronology(request, english, family, officer, persona):
    record_history(family, officer)
    response = english(request.getfixturevalue(persona)).get(reverse("families:chronology", args=[family.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Incident description 0" in body
    assert "Sibling 0 went missing" in body


@pytest.mark.parametrize("persona", NO_ACCESS)
def test_everyone_else_gets_404_for_the_chronology(request, english, family, persona):
    client = english(request.getfixturevalue(persona))
    url = reverse("families:chronology", args=[family.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, {"print": "1"}).status_code == 404


def test_the_chronology_refuses_post(english, officer, family):
    assert english(officer).post(reverse("families:chronology", args=[family.pk])).status_code == 405


def test_the_chronology_of_another_family_is_404(english, officer, other_officer):
    foreign = FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    assert english(officer).get(reverse("families:chronology", args=[foreign.pk])).status_code == 404


# What it shows


def test_the_liaison_officer_sees_every_kind_merged_newest_first(english, officer, family):
    record_history(family, officer)
    response = english(officer).get(reverse("families:chronology", args=[family.pk]))
    entries = list(response.context["page"].object_list)
    assert {entry.kind for entry in entries} == {
        "contact",
        "follow_up",
        "agency",
        "incident",
        "missing",
        "handover",
        "supervision",
        "household",
        "library",
    }
    assert [entry.when for entry in entries] == sorted((entry.when for entry in entries), reverse=True)
    body = response.content.decode()
    for text in (
        "Contact summary 0: the father blames himself.",
        "Agreed: Call the school 0",
        "Follow-up action done: Call the school 0",
        "Youth care involved, named worker Worker 0",
        "Worker 0 no longer involved",
        "Sibling 0 returned",
        "Return conversation note 0",
        "Handed over from Chris Colleague to Olivia Officer",
        "Article sent to the parents: Article 0",
        "Article discussed with the parents: Article 0",
        "Talked about article 0",
        "Olivia Officer acknowledged the handover",
        "Chris Colleague became the liaison officer",
        "Sibling added: Sibling 0",
        "Caregiver added: Caregiver 0 (uncle)",
        "Caregiver 0 marked as suspected of exploitation or abuse",
        "Suspicion mark on Caregiver 0 lifted",
        "Supervision with Olivia Officer",
        "Supervision note 0",
    ):
        assert text in body, text


def test_the_chronology_never_shows_why_a_caregiver_was_suspected(english, officer, supervisor, police, family):
    record_history(family, officer)
    for user in (officer, supervisor, police):
        for params in ({}, {"print": "1"}):
            body = english(user).get(reverse("families:chronology", args=[family.pk]), params).content.decode()
            assert "Secret suspicion reason" not in body
            assert "Secret lift reason" not in body


def test_police_do_not_see_contacts_follow_ups_or_handovers(english, officer, police, family):
    record_history(family, officer)
    client = english(police)
    url = reverse("families:chronology", args=[family.pk])
    for params in ({}, {"print": "1"}, {"kind": ["contact", "follow_up", "handover", "supervision"]}):
        response = client.get(url, params)
        body = response.content.decode()
        assert "Contact summary 0" not in body
        assert "Call the school" not in body
        assert "Handed over" not in body and "Handover note text" not in body
        assert "became the liaison officer" not in body
        assert "Supervision note 0" not in body and "Supervision with" not in body
        assert "Incident description 0" in body
    kinds = {kind for kind, _label in response.context["form"].fields["kind"].choices}
    assert kinds == {"agency", "referral", "incident", "missing", "household", "justice"}


def test_the_selector_gives_police_only_their_sections(officer, police, family):
    record_history(family, officer)
    kinds = {entry.kind for entry in chronology(family, police, ["contact", "incident"])}
    assert kinds == {"incident"}


def test_the_chronology_filter_narrows_the_kinds(english, officer, family):
    record_history(family, officer)
    client = english(officer)
    url = reverse("families:chronology", args=[family.pk])
    response = client.get(url, {"kind": "incident"})
    assert {entry.kind for entry in response.context["page"].object_list} == {"incident"}
    body = response.content.decode()
    assert "Incident description 0" in body and "Contact summary 0" not in body
    checked = re.findall(r'<input type="checkbox" name="kind" value="(\w+)"[^>]* checked>', body)
    assert checked == ["incident"]
    response = client.get(url, {"kind": ["missing", "household"]})
    assert {entry.kind for entry in response.context["page"].object_list} == {"missing", "household"}


def test_an_unknown_kind_in_the_filter_shows_everything(english, officer, family):
    record_history(family, officer)
    response = english(officer).get(reverse("families:chronology", args=[family.pk]), {"kind": "nonsense"})
    assert response.status_code == 200
    assert len({entry.kind for entry in response.context["page"].object_list}) == 9


def test_the_chronology_has_an_empty_state(english, officer, police, family):
    url = reverse("families:chronology", args=[family.pk])
    assert "Nothing is recorded in this case yet." in english(police).get(url).content.decode()
    body = english(officer).get(url, {"kind": "incident"}).content.decode()
    assert "Nothing of the chosen kinds is recorded in this case." in body


def test_the_chronology_is_paginated_by_50_and_keeps_the_filter(english, officer, family):
    for i in range(60):
        Incident.objects.create(
            family=family, occurred_at=ago(hours=i + 1), kind="other", description=f"I{i}", created_by=officer
        )
    client = english(officer)
    url = reverse("families:chronology", args=[family.pk])
    first = client.get(url, {"kind": "incident"})
    assert len(first.context["page"].object_list) == 50
    assert "kind=incident&amp;page=2" in first.content.decode()
    second = client.get(url, {"kind": "incident", "page": 2})
    assert len(second.context["page"].object_list) == 10


def test_a_page_of_the_chronology_writes_only_the_entries_it_shows(english, officer, family, monkeypatch):
    """Each entry is translated and formatted only when a page shows it: a history of 60
    incidents writes 50 for the first page and 10 for the second."""
    for i in range(60):
        Incident.objects.create(
            family=family, occurred_at=ago(hours=i + 1), kind="other", description=f"I{i}", created_by=officer
        )
    written = []
    entry = chronology_selector.ChronologyEntry
    monkeypatch.setattr(
        chronology_selector, "ChronologyEntry", lambda **fields: written.append(fields) or entry(**fields)
    )
    client = english(officer)
    url = reverse("families:chronology", args=[family.pk])
    first = client.get(url, {"kind": "incident"})
    assert len(written) == 50
    assert [entry.detail for entry in first.context["page"].object_list] == [f"I{i}" for i in range(50)]
    written.clear()
    second = client.get(url, {"kind": "incident", "page": 2})
    assert len(written) == 10
    assert [entry.detail for entry in second.context["page"].object_list] == [f"I{i}" for i in range(50, 60)]


def test_the_chronology_read_a_page_at_a_time_is_the_whole_history_in_order(officer, police, family):
    record_history(family, officer, n=3)
    for user in (officer, police):
        whole = chronology(family, user)
        read = read_chronology(family, user)
        assert len(read) == len(whole) > 10
        assert read[:10] + read[10:] == whole
        assert read[3] == whole[3]


def test_the_printable_chronology_has_no_navigation_and_every_entry(english, officer, family):
    for i in range(60):
        Incident.objects.create(
            family=family, occurred_at=ago(hours=i + 1), kind="other", description=f"Printed {i}", created_by=officer
        )
    client = english(officer)
    url = reverse("families:chronology", args=[family.pk])
    screen = client.get(url).content.decode()
    assert f"{url}?print=1" in screen
    response = client.get(url, {"print": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "liaison-case-nav" not in body
    assert "govuk-pagination" not in body
    assert "Printed 0" in body and "Printed 59" in body


@pytest.mark.parametrize("params", [{}, {"print": "1"}])
def test_the_chronology_names_the_family_by_its_reference_only_and_has_no_inline_style_or_script(
    english, officer, family, params
):
    record_history(family, officer)
    body = english(officer).get(reverse("families:chronology", args=[family.pk]), params).content.decode()
    title = body.split("<title>")[1].split("</title>")[0]
    assert family.display_name not in title and family.reference in title
    assert "style=" not in body
    assert "<script>" not in body


@pytest.mark.parametrize("persona", ["officer", "police"])
@pytest.mark.parametrize("count", [1, 30])
def test_the_chronology_reads_every_kind_with_one_statement_however_long_the_history(
    request, english, officer, family, persona, count, django_assert_num_queries
):
    record_history(family, officer, n=count)
    client = english(request.getfixturevalue(persona))
    # The frame of the case page (session, the user with their second factor and reminder
    # count, family, the read in the audit trail, the warnings) and one statement for
    # every kind of record.
    with django_assert_num_queries(QUERIES_ON_SCREEN[persona]):
        response = client.get(reverse("families:chronology", args=[family.pk]))
    assert response.status_code == 200
    with django_assert_num_queries(QUERIES_PRINTED[persona]):
        response = client.get(reverse("families:chronology", args=[family.pk]), {"print": "1"})
    assert response.status_code == 200


def test_the_selector_reads_the_history_with_one_statement(officer, family, django_assert_num_queries):
    record_history(family, officer, n=3)
    with django_assert_num_queries(1):
        entries = chronology(family, officer)
    assert len(entries) > 30
