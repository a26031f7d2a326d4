"""The parents' own needs (issue 19): the officer records a need, who helps and the next
step, and changes it with every version kept; a change that started from an older version
is refused. Staff of the family see them; police partners, parents, a suspected
caregiver and other officers do not. Open needs show on the family page and the
supervisor's dashboard, each change in the chronology and the audit trail."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from families.models import Family, NeedStatus, NeedVersion, ParentNeed
from families.selectors.case import with_attention
from families.selectors.chronology import chronology
from families.services import needs as services
from liaison.audit.models import AuditEvent
from liaison.staff.attention import Attention, attach_attention, needs_attention
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db

STAFF = ["officer", "supervisor"]
NOT_ALLOWED = ["police", "parent", "suspect_caregiver", "other_officer", "outsider"]


def today():
    return timezone.localdate()


def data(**changes) -> dict:
    return {
        "kind": "debts",
        "status": "being_helped",
        "agency": "other",
        "helper": "Debt counsellor Fatima",
        "since_on": (today() - timedelta(days=10)).isoformat(),
        "next_step": "First meeting with the debt counsellor",
        "next_on": (today() + timedelta(days=7)).isoformat(),
        "note": "NEED-note: the mother fears the bailiff.",
        **changes,
    }


def record(family, officer, **changes) -> ParentNeed:
    values = {
        "kind": "health",
        "since_on": today() - timedelta(days=5),
        "status": "open",
        "next_step": "Ask the family doctor",
        "next_on": today() + timedelta(days=3),
        **changes,
    }
    return services.need_record(family=family, created_by=officer, **values)


def add_url(family) -> str:
    return reverse("families:need_add", args=[family.pk])


def change_url(need) -> str:
    return reverse("families:need_change", args=[need.family_id, need.pk])


def list_url(family) -> str:
    return reverse("families:needs", args=[family.pk])


def test_the_officer_records_a_need_and_the_family_page_shows_it(english, officer, family):
    client = english(officer)
    response = client.post(add_url(family), data())
    assert response.status_code == 302
    need = ParentNeed.objects.get()
    assert (need.kind, need.status, need.revision) == ("debts", "being_helped", 1)
    assert need.helper == "Debt counsellor Fatima"
    assert need.versions.count() == 1
    page = client.get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "Parents&#x27; needs" in page and "Debts and money" in page and "First meeting with the debt" in page
    listing = client.get(list_url(family)).content.decode()
    assert "NEED-note" in listing and "History: 1 version" in listing


def test_the_family_page_and_the_register_say_when_there_are_no_needs(english, officer, family):
    client = english(officer)
    page = client.get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "No open needs of the parents." in page
    assert "No needs of the parents have been recorded yet." in client.get(list_url(family)).content.decode()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kind": ""}, "kind", "Choose the kind of need."),
        ({"kind": "lottery"}, "kind", "Choose the kind of need."),
        ({"status": ""}, "status", "Choose the status of the need."),
        ({"since_on": ""}, "since_on", "Give the date since when the need is known."),
        ({"since_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "since_on", "cannot be in the future"),
        ({"next_on": (timezone.localdate() - timedelta(days=1)).isoformat()}, "next_on", "cannot be in the past"),
        ({"next_on": (timezone.localdate() + timedelta(days=6 * 366)).isoformat()}, "next_on", "at most 5 years"),
        ({"next_on": "0001-01-01"}, "next_on", "cannot be before 1900"),
        ({"next_step": ""}, "next_step", "Say what the next step is"),
        ({"kind": "other", "note": ""}, "note", "Say what the need is."),
        ({"agency": "mafia"}, "agency", "Choose an agency from the list."),
        ({"helper": "Fatima\x00"}, "helper", "invisible control character"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(english, officer, family, change, field, message):
    response = english(officer).post(add_url(family), data(**change))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not ParentNeed.objects.exists() and not NeedVersion.objects.exists()


def test_a_double_submit_saves_one_need(english, officer, family):
    client = english(officer)
    form = client.get(add_url(family)).context["form"]
    token = form.initial["submission"]
    first = client.post(add_url(family), data(submission=token))
    second = client.post(add_url(family), data(submission=token))
    assert first.status_code == second.status_code == 302
    assert ParentNeed.objects.count() == 1


def test_a_change_keeps_the_earlier_version_and_the_history_shows_both(english, officer, family):
    need = record(family, officer)
    client = english(officer)
    response = client.post(
        change_url(need),
        data(kind="health", status="met", next_step="", next_on="", note="Helped by the GP.", base_revision=1),
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.status, need.revision, need.next_on, need.note) == ("met", 2, None, "Helped by the GP.")
    versions = list(need.versions.order_by("revision"))
    assert [version.status for version in versions] == ["open", "met"]
    assert versions[0].next_step == "Ask the family doctor"
    listing = client.get(list_url(family)).content.decode()
    assert "History: 2 versions" in listing and "Ask the family doctor" in listing


def test_met_or_no_longer_needed_drops_the_next_step(officer, family):
    need = record(family, officer)
    need = services.need_change(
        need=need,
        changed_by=officer,
        base_revision=1,
        kind="health",
        since_on=need.since_on,
        status=NeedStatus.NO_LONGER_NEEDED,
        next_step="Still typed",
        next_on=today() + timedelta(days=1),
    )
    assert (need.next_step, need.next_on) == ("", None)
    assert not ParentNeed.objects.open().exists()


def test_an_overdue_next_step_may_be_kept_while_the_need_is_closed_but_not_set_anew(officer, family):
    need = record(family, officer)
    ParentNeed.objects.filter(pk=need.pk).update(next_on=today() - timedelta(days=2))
    need.refresh_from_db()
    kept = services.need_change(
        need=need,
        changed_by=officer,
        base_revision=1,
        kind="health",
        since_on=need.since_on,
        status="being_helped",
        next_step=need.next_step,
        next_on=need.next_on,
        note="Waiting for the GP.",
    )
    assert kept.revision == 2 and kept.next_on == today() - timedelta(days=2)


def test_a_change_started_from_an_older_version_is_refused_and_the_text_stays(english, officer, supervisor, family):
    need = record(family, officer)
    services.need_change(
        need=need,
        changed_by=supervisor,
        base_revision=1,
        kind="health",
        since_on=need.since_on,
        status="being_helped",
        helper="Family doctor",
        next_step="GP appointment",
        next_on=today() + timedelta(days=2),
    )
    response = english(officer).post(change_url(need), data(kind="health", note="My stale text", base_revision=1))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this need" in page and "My stale text" in page
    assert response.context["form"].data["base_revision"] == 2
    need.refresh_from_db()
    assert (need.revision, need.helper) == (2, "Family doctor")
    assert need.versions.count() == 2


def test_a_need_of_another_family_is_not_found(login, officer, family):
    elsewhere = FamilyFactory(liaison_officer=officer, team=officer.team)
    need = record(elsewhere, officer)
    url = reverse("families:need_change", args=[family.pk, need.pk])
    assert login(officer).get(url).status_code == 404


def test_every_write_is_in_the_audit_trail_without_the_text(officer, family):
    need = record(family, officer, note="NEED-secret")
    services.need_change(
        need=need, changed_by=officer, base_revision=1, kind="health", since_on=need.since_on, status="met"
    )
    events = list(AuditEvent.objects.filter(family_id=family.pk, detail__what__startswith="need_").order_by("pk"))
    assert [event.detail["what"] for event in events] == ["need_recorded", "need_changed"]
    assert events[1].detail["fields"] == ["next_on", "next_step", "note", "status"]
    assert all("NEED-secret" not in str(event.detail) for event in events)


def test_the_chronology_shows_a_need_recorded_and_changed(officer, family):
    need = record(family, officer)
    services.need_change(
        need=need, changed_by=officer, base_revision=1, kind="health", since_on=need.since_on, status="met"
    )
    with translation.override("en"):
        titles = [entry.title for entry in chronology(family, officer) if entry.kind == "need"]
    assert any(title.startswith("Need recorded") for title in titles)
    assert any(title.startswith("Need changed") for title in titles)


def test_police_partners_never_find_the_needs_in_the_chronology(police, officer, family):
    record(family, officer, note="NEED-secret")
    assert not [entry for entry in chronology(family, police) if entry.kind == "need"]


@pytest.mark.parametrize("persona", STAFF)
def test_staff_of_the_family_see_and_record_needs(request, login, family, officer, persona):
    need = record(family, officer)
    client = login(request.getfixturevalue(persona))
    assert client.get(list_url(family)).status_code == 200
    assert client.post(add_url(family), data()).status_code == 302
    assert client.post(change_url(need), data(kind="health", base_revision=1)).status_code == 302


@pytest.mark.parametrize("persona", NOT_ALLOWED)
def test_nobody_else_sees_or_changes_the_needs(request, login, family, officer, persona):
    need = record(family, officer, note="NEED-secret")
    client = login(request.getfixturevalue(persona))
    assert client.get(list_url(family)).status_code == 404
    assert client.post(add_url(family), data()).status_code == 404
    assert client.post(change_url(need), data(base_revision=1)).status_code == 404
    detail = client.get(reverse("families:detail", args=[family.pk]))
    assert "NEED-secret" not in detail.content.decode() and "Parents&#x27; needs" not in detail.content.decode()
    assert ParentNeed.objects.count() == 1 and need.versions.count() == 1


@pytest.mark.parametrize("persona", ["parent", "suspect_caregiver"])
def test_the_parents_portal_shows_no_needs(request, login, family, officer, persona):
    record(family, officer, note="NEED-secret", helper="NEED-helper")
    client = login(request.getfixturevalue(persona))
    response = client.get(reverse("portal:home"))
    assert response.status_code in (200, 404)
    assert "NEED-" not in response.content.decode()


def flagged(family) -> bool:
    families = list(with_attention(Family.objects.filter(pk=family.pk).select_related("team")))
    attach_attention(families)
    return Attention.NEEDS_WITHOUT_NEXT_STEP in needs_attention(families[0])


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, False),
        ({"next_step": "", "next_on": None}, True),
        ({"status": "met", "next_step": "", "next_on": None}, False),
    ],
)
def test_an_open_need_without_a_next_step_needs_attention(officer, family, changes, expected):
    assert not flagged(family)
    record(family, officer, **changes)
    assert flagged(family) is expected


def test_an_open_need_whose_next_step_passed_needs_attention(officer, family):
    need = record(family, officer)
    ParentNeed.objects.filter(pk=need.pk).update(next_on=today() - timedelta(days=1))
    assert flagged(family)


def test_the_supervisor_sees_families_with_stalled_needs_on_the_dashboard(english, supervisor, officer, family):
    record(family, officer, next_step="", next_on=None)
    record(family, officer)
    page = english(supervisor).get(reverse("dashboard")).content.decode()
    assert "Open needs of the parents without a next step, or past it" in page
    assert "2 open needs, 1 without a next step or past it" in page


def many_needs(family, officer, count: int) -> None:
    for number in range(count):
        record(family, officer, kind=["debts", "health", "housing"][number % 3], next_on=None, next_step="")


def test_the_family_page_and_the_register_cost_the_same_queries_for_1_or_25_needs(
    english, officer, family, django_assert_max_num_queries
):
    """A few more needs, each with a second version, cost no query more."""
    client = english(officer)
    pages = [reverse("families:detail", args=[family.pk]), list_url(family)]
    many_needs(family, officer, 1)
    few = []
    for page in pages:
        with django_assert_max_num_queries(40) as counted:
            assert client.get(page).status_code == 200
        few.append(len(counted.captured_queries))
    many_needs(family, officer, 24)
    for need in ParentNeed.objects.all():
        services.need_change(
            need=need, changed_by=officer, base_revision=1, kind=need.kind, since_on=need.since_on, status="open"
        )
    for page, queries in zip(pages, few, strict=True):
        with django_assert_max_num_queries(queries):
            response = client.get(page)
        assert response.content.decode().count("No next step yet") >= 25


@pytest.mark.parametrize("families", [1, 20])
def test_the_dashboard_costs_the_same_queries_however_many_needs(
    english, supervisor, officer, team, families, django_assert_max_num_queries
):
    for _number in range(families):
        many_needs(FamilyFactory(liaison_officer=officer, team=team), officer, 3)
    client = english(supervisor)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    # The dashboard shows the first ten families of the list (the rest on the list's own page).
    assert response.content.decode().count("3 open needs, 3 without a next step or past it") == min(families, 10)


def handover_pack_text(client, family) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    response = client.get(reverse("families:handover_pack", args=[family.pk]))
    assert response.status_code == 200
    return "".join("".join(page.extract_text().split()) for page in PdfReader(BytesIO(response.content)).pages)


@pytest.mark.parametrize("persona", STAFF)
def test_the_handover_pack_carries_the_open_needs_and_not_the_met_ones(request, english, officer, family, persona):
    record(family, officer, kind="housing", helper="PACK-housing-helper", note="PACK-housing-note")
    record(family, officer, kind="legal", status="met", next_step="", next_on=None, note="PACK-met-note")
    text = handover_pack_text(english(request.getfixturevalue(persona)), family)
    section = text.split("Theparents'openneeds", 1)[1].split("Progress", 1)[0]
    assert "Housing" in section and "PACK-housing-helper" in section and "PACK-housing-note" in section
    assert "PACK-met-note" not in section and "Legalhelp" not in section
    # The met need stays in the story of the case, the chronology.
    assert "Needrecorded:Legalhelp(Met)PACK-met-note" in text


def test_the_handover_pack_of_a_family_without_needs_says_so(english, officer, family):
    assert "Noopenneedsoftheparents." in handover_pack_text(english(officer), family)


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("officer", True),
        ("supervisor", True),
        ("police", False),
        ("parent", False),
        ("suspect_caregiver", False),
        ("other_officer", True),  # the section; the family itself is still refused them
        ("outsider", False),
    ],
)
def test_the_access_policy_keeps_the_needs_section_for_staff(request, family, persona, sees):
    from liaison.access import can_see_section

    assert can_see_section(request.getfixturevalue(persona), "needs", family) is sees


def test_two_changes_from_the_same_version_the_second_is_refused(officer, supervisor, family):
    need = record(family, officer)
    change = {"kind": "health", "since_on": need.since_on, "status": "being_helped", "base_revision": 1}
    services.need_change(need=need, changed_by=supervisor, helper="First", **change)
    with pytest.raises(services.NeedConflict):
        services.need_change(need=need, changed_by=officer, helper="Second", **change)
    need.refresh_from_db()
    assert (need.helper, need.revision) == ("First", 2)
    assert list(need.versions.values_list("revision", flat=True).order_by("revision")) == [1, 2]
