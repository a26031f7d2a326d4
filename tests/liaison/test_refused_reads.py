"""Refused reads of case files leave a trace: counted per person and hour (one row, not a
row per request), shown in "who looked at this file" of each family tried, listed for the
administrators, who are told by a mail without details when it happens often."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from families.services.case import family_close
from liaison.audit.models import AuditAction, AuditEvent, RefusedReadHour
from liaison.audit.refusals import refused_read_record, refused_reads_claim_alert
from tests.factories import FamilyFactory, UserFactory, confirmed_totp
from tests.liaison.conftest import CASE_MARKER

pytestmark = pytest.mark.django_db

ABSENT = 999_999


def detail(pk: int) -> str:
    return reverse("families:detail", args=[pk])


def probe(client, family, times: int = 1) -> None:
    for _ in range(times):
        assert client.get(detail(family.pk)).status_code == 404


def test_probing_family_numbers_is_one_row_with_a_count_and_the_numbers(login, other_officer, family):
    other = FamilyFactory()
    client = login(other_officer)
    for pk in (family.pk, family.pk, other.pk, ABSENT, family.pk):
        assert client.get(detail(pk)).status_code == 404
    row = RefusedReadHour.objects.get()
    assert (row.user, row.count) == (other_officer, 5)
    assert row.families_tried == [family.pk, other.pk, ABSENT]
    assert row.hour_started_at == timezone.now().replace(minute=0, second=0, microsecond=0)
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED).exists()


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("other_officer", lambda family: detail(family.pk)),
        ("outsider", lambda family: detail(family.pk)),
        ("parent", lambda family: detail(family.pk)),
        ("suspect_caregiver", lambda family: detail(family.pk)),
        ("administrator", lambda family: detail(family.pk)),
        ("police", lambda family: reverse("families:contacts", args=[family.pk])),
        ("officer", lambda family: reverse("family_access_log", args=[family.pk])),
        ("supervisor", lambda family: reverse("access_log", args=[family.pk])),
        ("administrator", lambda family: reverse("privacy:archived_case", args=[family.pk])),
    ],
)
def test_every_gate_counts_its_refusals_per_persona(request, login, family, persona, url):
    user = request.getfixturevalue(persona)
    assert login(user).get(url(family)).status_code == 404
    row = RefusedReadHour.objects.get()
    assert (row.user, row.count, row.families_tried) == (user, 1, [family.pk])


def test_a_suspected_caregiver_refused_the_portal_is_counted_without_a_family(login, suspect_caregiver):
    assert login(suspect_caregiver).get(reverse("portal:home")).status_code == 404
    row = RefusedReadHour.objects.get(user=suspect_caregiver)
    assert (row.count, row.families_tried) == (1, [])


@pytest.mark.parametrize("persona", ["officer", "supervisor", "police"])
def test_reads_that_are_allowed_are_not_counted(request, login, family, persona):
    assert login(request.getfixturevalue(persona)).get(detail(family.pk)).status_code == 200
    assert not RefusedReadHour.objects.exists()


def test_a_closed_case_refused_to_its_officer_is_counted(login, officer, family):
    family_close(family=family, closed_by=officer, closing_reason="The child is safe, no more support needed.")
    response = login(officer).get(reverse("families:edit", args=[family.pk]))
    assert response.status_code == 404
    assert RefusedReadHour.objects.get().user == officer


def test_each_hour_has_its_own_row(other_officer, family):
    now = timezone.now().replace(minute=30)
    with mock.patch("liaison.audit.refusals.timezone.now", return_value=now):
        refused_read_record(user=other_officer, family_id=family.pk)
        refused_read_record(user=other_officer, family_id=family.pk)
    with mock.patch("liaison.audit.refusals.timezone.now", return_value=now + timedelta(hours=1)):
        refused_read_record(user=other_officer, family_id=family.pk)
    counts = list(RefusedReadHour.objects.order_by("hour_started_at").values_list("count", flat=True))
    assert counts == [2, 1]


def test_each_person_has_their_own_row(other_officer, outsider, family):
    refused_read_record(user=other_officer, family_id=family.pk)
    refused_read_record(user=outsider, family_id=family.pk)
    assert RefusedReadHour.objects.count() == 2


def test_the_list_of_numbers_stops_growing_but_the_count_goes_on(other_officer):
    with mock.patch("liaison.audit.refusals.FAMILY_IDS_MAX_LENGTH", 12):
        for pk in range(1000, 1010):
            row = refused_read_record(user=other_officer, family_id=pk)
    assert row.count == 10
    assert row.families_tried == [1000, 1001, 1002]


# The alert.


def test_the_administrators_are_told_once_at_the_threshold_without_details(
    login, other_officer, administrator, marked_family, mailoutbox, settings
):
    second_administrator = UserFactory(role="administrator", email="admin2@example.org")
    UserFactory(role="administrator", email="gone@example.org", is_active=False)
    client = login(other_officer)
    probe(client, marked_family, settings.REFUSED_READS_ALERT_AT - 1)
    assert mailoutbox == []
    probe(client, marked_family)
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([administrator.email, second_administrator.email])
    probe(client, marked_family, 5)
    assert len(mailoutbox) == 2
    row = RefusedReadHour.objects.get()
    assert row.count == settings.REFUSED_READS_ALERT_AT + 5 and row.alerted_at is not None

    mail = mailoutbox[0]
    text = f"{mail.subject}\n{mail.body}"
    assert reverse("refused_reads") in mail.body
    assert "Herhaald geweigerde inzage" in mail.subject  # in the site's language
    for secret in (
        marked_family.reference,
        "Family Jansen",
        CASE_MARKER,
        other_officer.full_name,
        other_officer.email,
        f"/{marked_family.pk}/",
        str(settings.REFUSED_READS_ALERT_AT),
    ):
        assert secret not in text, secret


def test_the_alert_is_claimed_by_one_refusal_only(other_officer, family, settings):
    settings.REFUSED_READS_ALERT_AT = 2
    first = refused_read_record(user=other_officer, family_id=family.pk)
    assert not refused_reads_claim_alert(refusal=first)
    second = refused_read_record(user=other_officer, family_id=family.pk)
    stale_copy = RefusedReadHour.objects.get(pk=second.pk)
    assert refused_reads_claim_alert(refusal=second)
    assert not refused_reads_claim_alert(refusal=stale_copy)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_refusals_are_all_counted_and_alert_once(settings):
    settings.REFUSED_READS_ALERT_AT = 20
    user = UserFactory(role="officer")
    claims = []

    def refuse_ten_times() -> None:
        try:
            for pk in range(10):
                refusal = refused_read_record(user=user, family_id=pk)
                claims.append(refused_reads_claim_alert(refusal=refusal))
        finally:
            connection.close()

    threads = [threading.Thread(target=refuse_ten_times) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    row = RefusedReadHour.objects.get()
    assert row.count == 20
    assert sorted(row.families_tried) == list(range(10))
    assert claims.count(True) == 1


# "Who looked at this file" shows the attempts.


def test_the_supervisor_sees_who_was_refused_the_file(english, other_officer, supervisor, family):
    other_family = FamilyFactory()
    client = english(other_officer)
    probe(client, family, 3)
    probe(client, other_family)
    body = english(supervisor).get(reverse("family_access_log", args=[family.pk])).content.decode()
    assert "Refused attempts to read this file" in body
    assert "Otto Other" in body
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">4</td>' in body
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in body


def test_the_attempts_show_only_with_the_families_tried(english, other_officer, supervisor, family):
    probe(english(other_officer), FamilyFactory(team=family.team))
    body = english(supervisor).get(reverse("family_access_log", args=[family.pk])).content.decode()
    assert "Otto Other" not in body
    assert "Nobody was refused this file." in body


def test_the_administrator_sees_the_attempts_in_the_access_log(english, other_officer, administrator, family):
    probe(english(other_officer), family, 2)
    body = english(administrator).get(reverse("access_log", args=[family.pk])).content.decode()
    assert "Refused attempts to read this file" in body and "Otto Other" in body


# The administrators' list.


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("administrator", 200),
        ("officer", 404),
        ("other_officer", 404),
        ("supervisor", 404),
        ("police", 404),
        ("parent", 404),
        ("suspect_caregiver", 404),
        ("outsider", 404),
    ],
)
def test_only_verified_administrators_see_the_list(request, english, persona, status):
    client = english(request.getfixturevalue(persona))
    assert client.get(reverse("refused_reads")).status_code == status


def test_an_administrator_without_the_second_factor_does_not_see_it(english, administrator):
    response = english(administrator, verified=False).get(reverse("refused_reads"))
    assert response.status_code in (302, 404)
    assert b"Otto Other" not in response.content


def test_a_wrong_method_is_refused(english, administrator):
    assert english(administrator).post(reverse("refused_reads")).status_code == 405


def test_the_list_shows_who_how_often_and_which_files_without_case_content(
    english, other_officer, administrator, marked_family
):
    client = english(other_officer)
    probe(client, marked_family, 2)
    assert client.get(detail(ABSENT)).status_code == 404
    body = english(administrator).get(reverse("refused_reads")).content.decode()
    assert "Otto Other" in body and other_officer.email in body
    assert f'href="{reverse("access_log", args=[marked_family.pk])}">{marked_family.reference}</a>' in body
    assert f"number {ABSENT} (no such family)" in body
    assert "2 files" in body
    assert CASE_MARKER not in body and "Family Jansen" not in body


def test_the_list_is_in_dutch_too(login, other_officer, administrator, family):
    probe(login(other_officer), family)
    body = login(administrator).get(reverse("refused_reads"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Geweigerde inzage in dossiers" in body


def test_the_list_costs_a_fixed_number_of_queries(english, administrator, family, django_assert_max_num_queries):
    for number in range(30):
        user = UserFactory(role="officer", email=f"prober{number}@example.org")
        confirmed_totp(user)
        refused_read_record(user=user, family_id=family.pk)
        refused_read_record(user=user, family_id=ABSENT - number)
    client = english(administrator)
    client.get(reverse("refused_reads"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("refused_reads"), {"page": 2})
    assert response.status_code == 200
