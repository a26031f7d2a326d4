"""The bulk demo generator (``seed_demo --families N``): consistent data, refusal of a
database with real data, and pages whose query count does not grow with the data."""

import pytest
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from families.models import Family, Incident, LiaisonAssignment
from liaison.accounts.models import User
from liaison.audit.models import AuditEvent
from liaison.demo import bulk as demo_bulk
from safety_plans.models import PlanStatement, PlanVersion
from tests.factories import UserFactory, confirmed_totp

pytestmark = pytest.mark.django_db


def test_generates_consistent_families():
    call_command("seed_demo", families=5, no_progress=True, stdout=None)
    families = Family.objects.all()
    assert families.count() == 5
    assert not User.objects.exclude(email__endswith=f"@{demo_bulk.DEMO_DOMAIN}").exists()
    for family in families:
        open_assignments = LiaisonAssignment.objects.filter(family=family, ended_at__isnull=True)
        assert [a.officer_id for a in open_assignments] == [family.liaison_officer_id]
        assert family.team_id == family.liaison_officer.team_id
        assert family.children.filter(role="exploited").count() == 1
        assert family.contacts.exists()
    # At most one active and one open version per plan; the database says so too.
    for plan_id in PlanVersion.objects.values_list("plan_id", flat=True).distinct():
        versions = PlanVersion.objects.filter(plan_id=plan_id)
        assert versions.filter(status="active").count() <= 1
    call_command("verify_audit", stdout=None)


def test_encrypted_fields_are_written_through_the_field():
    call_command("seed_demo", families=5, no_progress=True, stdout=None)
    statement = PlanStatement.objects.first()
    assert statement.text  # read back as plain text
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM safety_plans_planstatement WHERE id = %s", [statement.pk])
        assert cursor.fetchone()[0].startswith("enc:v1:")
    for incident in Incident.objects.all():
        assert not incident.description.startswith("enc:")


def test_same_seed_same_story():
    staff = demo_bulk.staff_create(families=2)
    demo_bulk.families_create(staff=staff, start=0, stop=1, seed=7)
    first = list(Family.objects.values_list("display_name", "referral_on", "status"))
    contacts = Family.objects.get().contacts.count()
    Family.objects.update(reference="moved")  # make room for the same family again
    demo_bulk.families_create(staff=staff, start=0, stop=1, seed=7)
    again = Family.objects.exclude(reference="moved").get()
    assert [(again.display_name, again.referral_on, again.status)] == first
    assert again.contacts.count() == contacts


def test_refuses_a_database_with_real_accounts():
    UserFactory(email="someone@example.org")
    with pytest.raises(CommandError, match="real data"):
        call_command("seed_demo", families=5, no_progress=True, language="en")
    assert not Family.objects.exists()


def test_the_small_demo_refuses_a_database_with_real_accounts_too():
    UserFactory(email="someone@example.org")
    with pytest.raises(CommandError, match="real data"):
        call_command("seed_demo", language="en")
    assert not Family.objects.exists()


def test_refuses_to_generate_twice():
    call_command("seed_demo", families=2, no_progress=True, stdout=None)
    with pytest.raises(CommandError, match="already holds generated"):
        call_command("seed_demo", families=2, no_progress=True, language="en")


def test_small_demo_still_works_after_generated_data():
    call_command("seed_demo", families=2, no_progress=True, stdout=None)
    call_command("seed_demo", stdout=None)
    assert User.objects.filter(email=f"officer@{demo_bulk.DEMO_DOMAIN}").exists()


def _queries(client, path: str) -> tuple[int, int]:
    """The page's queries with kept fragments served, and made anew (liaison/fragments.py)."""
    client.get(path)
    kept = _counted(client, path)
    caches["fragments"].clear()
    return kept, _counted(client, path)


def _counted(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def _counts(login, family: Family) -> dict[str, tuple[int, int]]:
    officer = User.objects.get(email=demo_bulk.FIRST_OFFICER_EMAIL)
    supervisor = User.objects.get(email=f"supervisor-000@{demo_bulk.DEMO_DOMAIN}")
    for user in (officer, supervisor):
        if not user.totpdevice_set.exists():
            confirmed_totp(user)
    parent = family.household_members.filter(user__isnull=False, is_suspected=False).first().user
    as_officer, as_supervisor, as_parent = login(officer), login(supervisor), login(parent)
    return {
        "caseload": _queries(as_officer, "/families/"),
        "family": _queries(as_officer, f"/families/{family.pk}/"),
        "chronology": _queries(as_officer, f"/families/{family.pk}/chronology/"),
        "progress": _queries(as_officer, f"/families/{family.pk}/progress/"),
        "plan": _queries(as_officer, f"/families/{family.pk}/plan/"),
        "dashboard": _queries(as_supervisor, "/team/dashboard/"),
        "portal": _queries(as_parent, "/families/portal/"),
    }


def _with_plan_and_parent(families):
    return (
        families.filter(safety_plan__versions__status="active", household_members__user__isnull=False, status="active")
        .exclude(household_members__is_suspected=True)
        .annotate(contact_count=Count("contacts", distinct=True), reviews=Count("progress_reviews", distinct=True))
        .filter(~Q(contact_count=0))
    )


def test_page_queries_do_not_grow_with_the_data(login):
    """5 families, then 30: a longer caseload and team, and families with short and long
    histories, cost the same number of queries on every page."""
    staff = demo_bulk.staff_create(families=30)
    demo_bulk.families_create(staff=staff, start=0, stop=5)
    small_family = _with_plan_and_parent(Family.objects.all()).order_by("contact_count").first()
    small = _counts(login, small_family)
    demo_bulk.families_create(staff=staff, start=5, stop=30)
    large_family = _with_plan_and_parent(Family.objects.all()).order_by("-contact_count").first()
    assert large_family.contact_count > small_family.contact_count
    large = _counts(login, large_family)
    assert small == large
    assert AuditEvent.objects.exists()
    call_command("verify_audit", stdout=None)


def test_generated_families_have_the_parents_needs_with_their_versions():
    from families.models import NeedVersion, ParentNeed

    call_command("seed_demo", families=30, no_progress=True, stdout=None)
    generated = ParentNeed.objects.count()
    assert generated
    assert NeedVersion.objects.filter(revision=1).count() == generated
    for need in ParentNeed.objects.select_related("family"):
        assert need.family.referral_on <= need.since_on
        assert need.is_open or need.next_on is None


def test_the_small_demo_has_a_need_changed_and_one_without_a_next_step():
    from families.models import ParentNeed

    call_command("seed_demo", stdout=None)
    changed = ParentNeed.objects.filter(revision=2).get()
    assert changed.versions.count() == 2 and changed.status == "being_helped"
    assert ParentNeed.objects.filter(next_on__isnull=True, status="open").exists()
