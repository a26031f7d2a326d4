"""The parents' home page: their officer and how and when to reach them, a plain note
when the officer changed, the next meeting, and the emergency contacts of their plan."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import LiaisonAssignment
from families.services.case import handover_create
from families.services.contacts import contact_log
from liaison.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def home(login, parent):
    response = login(parent).get(reverse("portal:home"))
    assert response.status_code == 200
    return response


def test_parent_sees_how_and_when_to_reach_the_officer(login, parent, officer):
    officer.phone, officer.reachable_when = "06 1111 2222", "Monday to Thursday, 9:00 to 17:00"
    officer.save()
    content = home(login, parent).content.decode()
    assert "06 1111 2222" in content and "Monday to Thursday, 9:00 to 17:00" in content


def test_a_recent_change_of_officer_is_noted_plainly(login, parent, family, officer, supervisor):
    overview = home(login, parent).context["overview"]
    assert overview.officer_changed_on is None
    colleague = UserFactory(role=Role.OFFICER, team=officer.team, full_name="Noor Nieuw")
    handover_create(family=family, supervisor=supervisor, to_officer=colleague, reason="Leave", note="All in the file.")
    started = LiaisonAssignment.objects.get(family=family, ended_at__isnull=True).started_at

    response = home(login, parent)

    assert response.context["overview"].officer_changed_on == started
    assert "Noor Nieuw" in response.content.decode()


def test_the_next_meeting_comes_from_the_latest_contact(login, parent, family, officer):
    assert home(login, parent).context["overview"].next_meeting_on is None
    soon = timezone.localdate() + timedelta(days=3)
    contact_log(
        family=family,
        occurred_at=timezone.now(),
        kind="phone",
        with_whom="mother",
        summary="STAFFONLY-summary",
        next_contact_on=soon,
        created_by=officer,
    )
    response = home(login, parent)
    assert response.context["overview"].next_meeting_on == soon
    assert b"STAFFONLY" not in response.content


@pytest.mark.parametrize("kind", ["with_police", "multi_agency"])
def test_a_date_planned_with_the_police_or_other_agencies_is_never_the_parents_next_meeting(
    login, parent, family, officer, kind
):
    """The parents' next meeting comes from the latest contact they may know of: a date
    planned with the police (an arrest, say) or at a multi-agency meeting never shows."""
    ours = timezone.localdate() + timedelta(days=3)
    theirs = timezone.localdate() + timedelta(days=9)
    for minutes_ago, contact_kind, next_on in ((60, "phone", ours), (5, kind, theirs)):
        contact_log(
            family=family,
            occurred_at=timezone.now() - timedelta(minutes=minutes_ago),
            kind=contact_kind,
            with_whom="Vice unit" if contact_kind == kind else "mother",
            summary="Planned with the others.",
            next_contact_on=next_on,
            created_by=officer,
        )
    response = home(login, parent)
    assert response.context["overview"].next_meeting_on == ours


def test_the_about_page_is_for_parents_with_a_family(login, parent, suspect_caregiver, officer):
    assert login(parent).get(reverse("portal:about")).status_code == 200
    assert login(suspect_caregiver).get(reverse("portal:about")).status_code == 404
    assert login(officer).get(reverse("portal:about")).status_code == 404
    assert login(parent).post(reverse("portal:about")).status_code == 405


# With nobody marked anywhere, who is untrusted costs one statement; with marks, a few more
# (``liaison.access.untrusted_people``), never more with more of the family's history.
PORTAL_HOME_QUERIES = 6


def test_the_parents_home_asks_what_waits_for_them_with_one_statement(
    login, parent, family, officer, django_assert_num_queries
):
    """Unread messages and articles, open meeting questions and notes: one statement,
    however many there are."""
    from django.core.cache import caches

    from families.models import PortalMessage

    client = login(parent)
    client.get(reverse("portal:home"))
    caches["fragments"].clear()
    with django_assert_num_queries(PORTAL_HOME_QUERIES):
        assert client.get(reverse("portal:home")).status_code == 200
    for number in range(12):
        PortalMessage.objects.create(family=family, text=f"Message {number}", from_parent=False, created_by=officer)
    caches["fragments"].clear()
    with django_assert_num_queries(PORTAL_HOME_QUERIES):
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200


def test_what_waits_for_the_parents_is_read_in_the_home_statement_as_counted_apart(
    login, parent, family, officer, monkeypatch
):
    """The counts the home page reads in its one statement (compiled once, for a family
    whose portal does not stand still) are those the queries give asked one by one; the
    next request compiles nothing anew."""
    from django.core.cache import caches

    from families.models import PortalMessage
    from families.selectors import together
    from portal.views.home import NOTES, WAITING

    for number in range(3):
        PortalMessage.objects.create(family=family, text=f"Message {number}", from_parent=False, created_by=officer)
    PortalMessage.objects.create(family=family, text="Mine", from_parent=True, created_by=parent)
    response = home(login, parent)
    apart = together.count_together(
        {name: read(family) for name, read in WAITING.items()},
        exists={name: read(family) for name, read in NOTES.items()},
    )
    assert {name: response.context[name] for name in apart} == apart
    assert apart["unread_messages"] == 3

    compiled_anew = []
    real = together.compile_values
    monkeypatch.setattr(together, "compile_values", lambda *args: compiled_anew.append(args[-1]) or real(*args))
    caches["fragments"].clear()
    assert home(login, parent).context["unread_messages"] == 3
    assert compiled_anew == []
