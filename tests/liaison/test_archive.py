"""The archive: a closed case moves there at once; only administrators open it, read
only, and may take it out again with a reason. Everyone else gets 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from families.models import ContactEntry, Family, FamilyStatus
from families.services.case import family_archive, family_close
from liaison.accounts.models import BreakGlassAccess, Role
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import FamilyFactory, UserFactory, confirmed_totp

pytestmark = pytest.mark.django_db

CLOSING_REASON = "The child is safe and the parents feel strong."
REOPEN_REASON = "The family was referred again by the police on Monday."


@pytest.fixture
def archived(family, officer):
    ContactEntry.objects.create(
        family=family,
        occurred_at=family.created_at,
        kind="home_visit",
        with_whom="Mia",
        summary="ARCHIVED-visit-summary",
        created_by=officer,
    )
    family_close(family=family, closed_by=officer, closing_reason=CLOSING_REASON)
    return family_archive(family=family)


def test_archiving_moves_a_closed_case_to_the_archive(officer, family):
    family_close(family=family, closed_by=officer, closing_reason=CLOSING_REASON)
    family_archive(family=family)
    family.refresh_from_db()
    assert family.status == FamilyStatus.CLOSED and family.archived_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.CASE_ARCHIVED, family_id=family.pk).exists()


def test_the_close_page_says_a_supervisor_decides(english, officer, supervisor, family):
    body = english(officer).get(reverse("families:close", args=[family.pk])).content.decode()
    assert "A supervisor of your team decides whether the case closes." in body
    body = english(supervisor).get(reverse("families:close", args=[family.pk])).content.decode()
    assert "As supervisor you close the case at once." in body


def test_closing_without_a_reason_archives_nothing(english, officer, family):
    response = english(officer).post(reverse("families:close", args=[family.pk]), {"closing_reason": ""})
    assert response.status_code == 400
    family.refresh_from_db()
    assert family.status != FamilyStatus.CLOSED and family.archived_at is None


@pytest.mark.parametrize("persona", ["officer", "supervisor", "police", "parent"])
def test_nobody_but_administrators_reaches_an_archived_case(request, english, archived, persona):
    client = english(request.getfixturevalue(persona))
    if persona == "parent":
        body = client.get(reverse("portal:home")).content.decode()
        assert "ARCHIVED" not in body and archived.display_name not in body
        return
    for name in ("families:detail", "families:chronology", "families:handover_pack"):
        assert client.get(reverse(name, args=[archived.pk])).status_code == 404, name
    assert archived.reference not in client.get(reverse("families:caseload")).content.decode()


def test_emergency_access_cannot_open_an_archived_case(english, other_officer, archived):
    reason = "On call tonight and the family's officer cannot be reached."
    response = english(other_officer).post(reverse("break_glass"), {"reference": archived.reference, "reason": reason})
    assert response.status_code == 404
    assert "No family with this reference" in response.content.decode()
    assert not BreakGlassAccess.objects.filter(user=other_officer).exists()
    assert english(other_officer).get(reverse("families:detail", args=[archived.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["officer", "supervisor", "police", "parent", "outsider"])
def test_other_personas_get_404_on_every_archive_page(request, english, archived, persona):
    client = english(request.getfixturevalue(persona))
    for url in (
        reverse("privacy:archive"),
        reverse("privacy:archived_case", args=[archived.pk]),
        reverse("privacy:archived_case_pdf", args=[archived.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("privacy:archived_case_reopen", args=[archived.pk]), {"reason": REOPEN_REASON})
    assert response.status_code == 404
    archived.refresh_from_db()
    assert archived.archived_at is not None


def test_an_administrator_without_the_second_factor_is_sent_to_verify(english, administrator, archived):
    response = english(administrator, verified=False).get(reverse("privacy:archived_case", args=[archived.pk]))
    assert response.status_code in (302, 404)
    assert "ARCHIVED-visit-summary" not in response.content.decode()


def test_the_archive_lists_and_finds_closed_cases(english, administrator, archived, officer):
    open_family = FamilyFactory(liaison_officer=officer, team=officer.team, display_name="Family Open")
    client = english(administrator)
    body = client.get(reverse("privacy:archive")).content.decode()
    assert archived.reference in body and open_family.reference not in body
    assert archived.reference in client.get(reverse("privacy:archive"), {"q": archived.reference}).content.decode()
    body = client.get(reverse("privacy:archive"), {"q": "no such family"}).content.decode()
    assert "No archived case matches your search." in body


def test_an_empty_archive_says_so(english, administrator):
    assert "The archive is empty" in english(administrator).get(reverse("privacy:archive")).content.decode()


def test_an_administrator_reads_an_archived_case_and_the_read_is_logged(english, administrator, archived):
    response = english(administrator).get(reverse("privacy:archived_case", args=[archived.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "ARCHIVED-visit-summary" in body and CLOSING_REASON in body
    read = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, family_id=archived.pk, actor=administrator)
    assert read.get().detail["access"] == "archive"


def test_an_administrator_downloads_the_archived_case_as_pdf(english, administrator, archived):
    response = english(administrator).get(reverse("privacy:archived_case_pdf", args=[archived.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_open_case_is_not_in_the_archive(english, administrator, family):
    client = english(administrator)
    assert client.get(reverse("privacy:archived_case", args=[family.pk])).status_code == 404
    assert client.get(reverse("families:detail", args=[family.pk])).status_code == 404


@pytest.mark.parametrize("reason", ["", "   ", "Referred again."])
def test_reopening_needs_a_real_reason(english, administrator, archived, reason):
    url = reverse("privacy:archived_case_reopen", args=[archived.pk])
    response = english(administrator).post(url, {"reason": reason})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    archived.refresh_from_db()
    assert archived.archived_at is not None and archived.status == FamilyStatus.CLOSED


def test_reopening_gives_the_case_back_to_its_officer(english, administrator, archived, officer):
    response = english(administrator).post(
        reverse("privacy:archived_case_reopen", args=[archived.pk]), {"reason": REOPEN_REASON}
    )
    assert response.status_code == 302
    archived.refresh_from_db()
    assert archived.archived_at is None and archived.status == FamilyStatus.ACTIVE and archived.closed_on is None
    event = AuditEvent.objects.get(action=AuditAction.CASE_REOPENED, family_id=archived.pk)
    assert event.actor == administrator and event.detail["reason"] == REOPEN_REASON
    assert english(officer).get(reverse("families:detail", args=[archived.pk])).status_code == 200


def test_an_anonymised_case_cannot_be_reopened(english, administrator, archived):
    Family.objects.filter(pk=archived.pk).update(anonymised_at=archived.archived_at)
    response = english(administrator).post(
        reverse("privacy:archived_case_reopen", args=[archived.pk]), {"reason": REOPEN_REASON}
    )
    assert response.status_code == 400
    assert "cannot be reopened" in response.content.decode()


def test_the_archive_list_costs_the_same_queries_for_few_and_many_cases(english, administrator, officer):
    def archive_some(count):
        for _number in range(count):
            family = FamilyFactory(liaison_officer=officer, team=officer.team)
            family_archive(family=family_close(family=family, closed_by=officer, closing_reason=CLOSING_REASON))

    def queries():
        client = english(administrator)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("privacy:archive")).status_code == 200
        return len(captured)

    archive_some(2)
    few = queries()
    archive_some(20)
    assert queries() == few


def test_the_administrators_start_page_links_to_the_archive(english, administrator):
    body = english(administrator).get(reverse("home")).content.decode()
    for name in ("privacy:archive", "privacy:retention", "privacy:erasure_requests"):
        assert reverse(name) in body


def test_a_police_partner_of_another_unit_never_sees_the_archive(english, archived):
    stranger = UserFactory(role=Role.POLICE)
    confirmed_totp(stranger)
    assert english(stranger).get(reverse("privacy:archive")).status_code == 404
