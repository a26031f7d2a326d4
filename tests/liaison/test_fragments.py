"""Kept page fragments (the team dashboard, the caseload, the reading pages of a case, the
parents' home page): made once, served to the same person until anything in their
families' teams changes or the families they may see change, thrown away by every change,
never by a read, and kept a minute at most."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from families.services.contacts import contact_log
from families.services.household import suspicion_mark
from families.services.messages import portal_message_send
from liaison import fragments
from liaison.access import visible_families
from liaison.accounts.models import Role
from liaison.audit.models import AuditAction, AuditEvent
from liaison.staff.services import break_glass_grant, team_settings_update
from tests.factories import FamilyFactory, UserFactory, confirmed_totp

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


def made_anew(response) -> bool:
    """Whether the lists were computed for this request (rather than served as kept)."""
    assert response.status_code == 200
    return "lists" in response.context


def main_part(response) -> bytes:
    """The page's main content (the rest carries this request's nonce and token)."""
    content = response.content
    return content[content.index(b"<main") : content.index(b"</main>")]


def without_contact(response) -> set[int]:
    no_contact = next(item for item in response.context["lists"] if item.kind == "no_contact")
    return {family.pk for family in no_contact.families}


def log_contact(family, officer) -> None:
    contact_log(
        family=family,
        created_by=officer,
        occurred_at=timezone.now() - timedelta(hours=1),
        kind="phone",
        with_whom="Mother",
        summary="Talked through the plan.",
    )


@pytest.fixture
def quiet_family(officer, family):
    """A family without contact for 30 days: on the 'no contact' list."""
    family.referral_on = timezone.localdate() - timedelta(days=30)
    family.save()
    return family


def test_the_dashboard_is_made_once_and_then_served_as_kept(login, supervisor, quiet_family):
    client = login(supervisor)

    first = client.get(DASHBOARD)
    second = client.get(DASHBOARD)

    assert made_anew(first)
    assert not made_anew(second)
    assert main_part(second) == main_part(first)
    assert quiet_family.reference.encode() in second.content


def test_a_change_in_the_team_shows_at_once(login, supervisor, officer, quiet_family):
    client = login(supervisor)
    before = client.get(DASHBOARD)
    assert quiet_family.pk in without_contact(before)

    log_contact(quiet_family, officer)
    after = client.get(DASHBOARD)

    assert made_anew(after)
    assert quiet_family.pk not in without_contact(after)


def test_a_change_in_another_team_keeps_the_fragment(login, supervisor, quiet_family, other_officer):
    elsewhere = FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    client = login(supervisor)
    client.get(DASHBOARD)

    log_contact(elsewhere, other_officer)

    assert not made_anew(client.get(DASHBOARD))


def test_a_change_outside_any_family_renews_every_team(login, supervisor, other_team, quiet_family):
    client = login(supervisor)
    client.get(DASHBOARD)
    other_supervisor = UserFactory(role=Role.SUPERVISOR, team=other_team)

    team_settings_update(team=other_team, supervisor=other_supervisor, contact_limit_days=40)

    assert made_anew(client.get(DASHBOARD))


def test_reading_a_case_keeps_the_fragment(login, supervisor, quiet_family):
    client = login(supervisor)
    client.get(DASHBOARD)

    assert client.get(reverse("families:detail", args=[quiet_family.pk])).status_code == 200
    assert client.get(reverse("families:caseload")).status_code == 200

    assert not made_anew(client.get(DASHBOARD))


def test_a_kept_fragment_is_only_for_the_person_it_was_made_for(login, supervisor, team, quiet_family):
    colleague = UserFactory(role=Role.SUPERVISOR, team=team, email="colleague@example.org")
    confirmed_totp(colleague)
    login(supervisor).get(DASHBOARD)

    assert made_anew(login(colleague).get(DASHBOARD))


def test_a_supervisor_moved_to_another_team_sees_only_the_new_team(
    login, supervisor, other_team, other_officer, quiet_family
):
    elsewhere = FamilyFactory(liaison_officer=other_officer, team=other_team, display_name="Family Elsewhere")
    client = login(supervisor)
    assert quiet_family.reference.encode() in client.get(DASHBOARD).content

    supervisor.team = other_team
    supervisor.save()
    moved = client.get(DASHBOARD)

    assert made_anew(moved)
    assert quiet_family.reference.encode() not in moved.content
    assert elsewhere.reference.encode() in moved.content


def test_a_fragment_is_kept_a_minute_at_most(login, supervisor, quiet_family, monkeypatch):
    client = login(supervisor)
    client.get(DASHBOARD)
    later = timezone.now().timestamp() + fragments.FRAGMENT_SECONDS + 1
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: later)

    assert made_anew(client.get(DASHBOARD))


def test_losing_the_marks_only_means_making_everything_anew(login, supervisor, quiet_family):
    client = login(supervisor)
    client.get(DASHBOARD)

    caches["default"].clear()

    assert made_anew(client.get(DASHBOARD))


def test_a_change_renews_the_mark_now_and_again_after_the_commit(team, django_capture_on_commit_callbacks):
    before = fragments._current_marks([team.pk])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        fragments.data_changed(team_id=team.pk)
    now = fragments._current_marks([team.pk])
    callbacks[0]()
    committed = fragments._current_marks([team.pk])

    assert before[0] == now[0] == committed[0]  # other teams keep theirs
    assert len({before[1], now[1], committed[1]}) == 3


CASELOAD = reverse("families:caseload")


def caseload_made_anew(response) -> bool:
    assert response.status_code == 200
    return "page" in response.context


def test_the_caseload_is_kept_per_query(login, officer, family):
    client = login(officer)

    assert caseload_made_anew(client.get(CASELOAD))
    assert not caseload_made_anew(client.get(CASELOAD))
    assert caseload_made_anew(client.get(CASELOAD, {"sort": "risk"}))
    assert not caseload_made_anew(client.get(CASELOAD, {"sort": "risk"}))


def test_a_new_case_shows_on_the_caseload_at_once(login, officer, family):
    client = login(officer)
    client.get(CASELOAD)

    opened = FamilyFactory(liaison_officer=officer, team=officer.team, display_name="Family Nieuw")

    assert opened.reference.encode() in client.get(CASELOAD).content


def test_emergency_access_that_runs_out_leaves_the_caseload_at_once(login, officer, other_officer):
    elsewhere = FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    access = break_glass_grant(user=officer, family=elsewhere, reason="Child missing tonight, officer unreachable")
    client = login(officer)
    assert elsewhere.reference.encode() in client.get(CASELOAD).content

    type(access).objects.filter(pk=access.pk).update(
        granted_at=timezone.now() - timedelta(hours=2), expires_at=timezone.now() - timedelta(hours=1)
    )

    assert elsewhere.reference.encode() not in client.get(CASELOAD).content


def test_reading_the_parents_messages_updates_the_unread_count(login, officer, family, parent):
    portal_message_send(family=family, author=parent, text="Can you call me?", from_parent=True)
    thread = reverse("families:messages", args=[family.pk])
    client = login(officer)
    assert thread.encode() in client.get(CASELOAD).content  # the unread count links to the thread

    assert client.get(thread).status_code == 200

    assert thread.encode() not in client.get(CASELOAD).content


# The reading pages of one case keep their main part the same way.


def case_page(family, name: str) -> str:
    return reverse(name, args=[family.pk])


CASE_PAGES = {
    "families:detail": "attention",
    "families:chronology": "page",
    "families:progress": "overview",
}


@pytest.mark.parametrize(("name", "made_with"), CASE_PAGES.items())
def test_a_case_page_is_made_once_and_then_served_as_kept(login, officer, family, name, made_with):
    client = login(officer)

    first = client.get(case_page(family, name))
    second = client.get(case_page(family, name))

    assert first.status_code == second.status_code == 200
    assert made_with in first.context
    assert made_with not in second.context
    assert main_part(second) == main_part(first)


@pytest.mark.parametrize("name", CASE_PAGES)
def test_every_read_of_a_kept_case_page_is_still_logged(login, officer, family, name):
    client = login(officer)
    client.get(case_page(family, name))
    before = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, family_id=family.pk).count()

    client.get(case_page(family, name))

    assert AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, family_id=family.pk).count() == before + 1


def test_a_new_contact_shows_in_the_chronology_at_once(login, officer, family):
    client = login(officer)
    chronology = case_page(family, "families:chronology")
    client.get(chronology)

    log_contact(family, officer)

    assert b"Talked through the plan." in client.get(chronology).content


def test_the_chronology_is_kept_per_filter(login, officer, family):
    log_contact(family, officer)
    client = login(officer)
    chronology = case_page(family, "families:chronology")
    assert b"Talked through the plan." in client.get(chronology).content

    only_incidents = client.get(chronology, {"kind": "incident"})

    assert "page" in only_incidents.context
    assert b"Talked through the plan." not in only_incidents.content


def test_a_police_partner_never_gets_the_part_kept_for_the_officer(login, officer, police, family):
    log_contact(family, officer)
    chronology = case_page(family, "families:chronology")
    assert b"Talked through the plan." in login(officer).get(chronology).content

    for_police = login(police).get(chronology)

    assert for_police.status_code == 200
    assert b"Talked through the plan." not in for_police.content


def test_someone_whose_access_ended_gets_404_not_the_kept_part(login, officer, other_officer, family):
    access = break_glass_grant(user=other_officer, family=family, reason="Child missing tonight, officer unreachable")
    client = login(other_officer)
    detail = case_page(family, "families:detail")
    assert client.get(detail).status_code == 200

    type(access).objects.filter(pk=access.pk).update(
        granted_at=timezone.now() - timedelta(hours=2), expires_at=timezone.now() - timedelta(hours=1)
    )

    assert client.get(detail).status_code == 404


PORTAL_HOME = reverse("portal:home")


def test_the_parents_home_page_is_kept_and_shows_a_new_message_at_once(login, officer, parent, family):
    client = login(parent)
    first = client.get(PORTAL_HOME)
    assert "overview" in first.context
    assert "overview" not in client.get(PORTAL_HOME).context

    portal_message_send(family=family, author=officer, text="Shall we meet on Friday?", from_parent=False)
    after = client.get(PORTAL_HOME)

    assert "overview" in after.context
    assert after.context["unread_messages"] == 1


def test_a_parent_marked_suspected_is_shut_out_not_served_the_kept_home_page(login, supervisor, parent, family):
    client = login(parent)
    assert client.get(PORTAL_HOME).status_code == 200
    member = family.household_members.get(user=parent)

    suspicion_mark(member=member, marked_by=supervisor, reason="Seen with the exploiter")
    response = client.get(PORTAL_HOME)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_with_no_fragments_kept_the_key_and_the_marks_are_not_read(
    settings, officer, family, django_assert_num_queries
):
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    with django_assert_num_queries(0):
        made = fragments.cached_fragment(
            "caseload", user=officer, families=lambda: visible_families(officer), make=lambda: "made anew"
        )
    assert made == "made anew"
