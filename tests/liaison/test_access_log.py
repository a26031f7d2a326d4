"""Who looked at this file: the supervisors of the family's team see every read and change
inside the case; administrators see the same audit rows on their own pages, and nothing
of the case but its reference."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.accounts.models import Role
from liaison.audit.models import AuditAction, AuditEvent
from liaison.audit.services import audit_record
from liaison.staff.services import break_glass_grant
from tests.factories import UserFactory
from tests.liaison.conftest import CASE_MARKER

pytestmark = pytest.mark.django_db

MARKER = CASE_MARKER
REASON = "On call tonight: the family's officer cannot be reached and a child is missing."


def case_url(family, csv_export=False) -> str:
    return reverse("family_access_log_csv" if csv_export else "family_access_log", args=[family.pk])


def admin_url(family, csv_export=False) -> str:
    return reverse("access_log_csv" if csv_export else "access_log", args=[family.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("supervisor", 200),
        ("officer", 404),
        ("other_officer", 404),
        ("other_supervisor", 404),
        ("police", 404),
        ("parent", 404),
        ("administrator", 404),
        ("outsider", 404),
    ],
)
def test_only_the_team_supervisor_sees_it_in_the_case(request, english, family, persona, status):
    client = english(request.getfixturevalue(persona))
    assert client.get(case_url(family)).status_code == status
    assert client.get(case_url(family, csv_export=True)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("administrator", 200),
        ("supervisor", 404),
        ("officer", 404),
        ("other_supervisor", 404),
        ("police", 404),
        ("parent", 404),
    ],
)
def test_only_administrators_use_the_audit_route(request, english, family, persona, status):
    client = english(request.getfixturevalue(persona))
    assert client.get(admin_url(family)).status_code == status
    assert client.get(admin_url(family, csv_export=True)).status_code == status


def test_an_absent_family_is_404_for_both(english, supervisor, administrator):
    assert english(supervisor).get(reverse("family_access_log", args=[999999])).status_code == 404
    assert english(administrator).get(reverse("access_log", args=[999999])).status_code == 404


def test_a_wrong_method_is_refused(english, supervisor, administrator, family):
    assert english(supervisor).post(case_url(family)).status_code == 405
    assert english(administrator).post(admin_url(family)).status_code == 405
    assert english(administrator).post(reverse("access_log_find")).status_code == 405


def test_the_case_nav_offers_it_to_the_team_supervisor_only(english, supervisor, officer, family):
    detail = reverse("families:detail", args=[family.pk])
    assert case_url(family) in english(supervisor).get(detail).content.decode()
    assert case_url(family) not in english(officer).get(detail).content.decode()


def test_the_supervisor_sees_who_read_and_changed_and_why(english, officer, other_officer, supervisor, family):
    english(officer).get(reverse("families:contacts", args=[family.pk]))
    audit_record(
        action=AuditAction.CASE_CHANGED, actor=officer, target=family, family_id=family.pk, detail={"what": "x_done"}
    )
    other = english(other_officer)
    other.post(reverse("break_glass"), {"reference": family.reference, "reason": REASON})
    other.get(reverse("families:agencies", args=[family.pk]))

    body = english(supervisor).get(case_url(family)).content.decode()
    assert "Olivia Officer" in body
    assert f"<code>{reverse('families:contacts', args=[family.pk])}</code>" in body
    assert "x_done" in body
    assert "Otto Other" in body
    assert f"<code>{reverse('families:agencies', args=[family.pk])}</code>" in body
    assert "Emergency access used" in body
    # The reason shows on the grant and on the read it allowed.
    assert body.count("On call tonight") == 2


@pytest.mark.parametrize(
    ("kind", "shown", "hidden"),
    [
        ("reads", ["contacts/</code>"], ["x_done", "Emergency access used"]),
        ("changes", ["x_done"], ["contacts/</code>", "Emergency access used"]),
        ("break_glass", ["Emergency access used", "agencies/</code>"], ["x_done", "contacts/</code>"]),
        ("", ["x_done", "contacts/</code>", "Emergency access used", "agencies/</code>"], []),
    ],
)
def test_the_log_filters_by_kind(english, officer, other_officer, supervisor, family, kind, shown, hidden):
    english(officer).get(reverse("families:contacts", args=[family.pk]))
    audit_record(
        action=AuditAction.CASE_CHANGED, actor=officer, target=family, family_id=family.pk, detail={"what": "x_done"}
    )
    other = english(other_officer)
    other.post(reverse("break_glass"), {"reference": family.reference, "reason": REASON})
    other.get(reverse("families:agencies", args=[family.pk]))

    body = english(supervisor).get(case_url(family), {"kind": kind}).content.decode()
    for text in shown:
        assert text in body, text
    for text in hidden:
        assert text not in body, text


def test_the_administrator_sees_the_rows_and_no_case_content(english, officer, administrator, marked_family):
    english(officer).get(reverse("families:detail", args=[marked_family.pk]))
    response = english(administrator).get(admin_url(marked_family))
    body = response.content.decode()
    assert marked_family.reference in body
    assert "Olivia Officer" in body
    assert MARKER not in body
    assert "Family Jansen" not in body
    assert reverse("families:contacts", args=[marked_family.pk]) not in body


def test_the_administrator_finds_a_family_by_reference(english, administrator, supervisor, family):
    client = english(administrator)
    assert client.get(reverse("access_log_find")).status_code == 200
    response = client.get(reverse("access_log_find"), {"reference": f" {family.reference.lower()} "})
    assert response.status_code == 302
    assert response.url == admin_url(family)
    unknown = client.get(reverse("access_log_find"), {"reference": "PL-1999-99999"})
    assert unknown.status_code == 404
    assert "No family with this reference" in unknown.content.decode()
    assert client.get(reverse("access_log_find"), {"reference": ""}).status_code == 400
    assert english(supervisor).get(reverse("access_log_find"), {"reference": family.reference}).status_code == 404


def test_reading_the_log_is_itself_logged(english, supervisor, administrator, family):
    english(supervisor).get(case_url(family))
    english(administrator).get(admin_url(family))
    reads = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, family_id=family.pk).order_by("id")
    assert [(event.actor, event.detail["path"]) for event in reads] == [
        (supervisor, case_url(family)),
        (administrator, admin_url(family)),
    ]


@pytest.mark.parametrize(("persona", "url"), [("supervisor", case_url), ("administrator", admin_url)])
def test_the_csv_export_holds_every_row(request, english, officer, other_officer, family, persona, url):
    english(officer).get(reverse("families:contacts", args=[family.pk]))
    break_glass_grant(user=other_officer, family=family, reason="=HYPERLINK(1) " + REASON)

    response = english(request.getfixturevalue(persona)).get(url(family, csv_export=True))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="access-log.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["When", "Who", "E-mail address", "Role", "What", "Page or change", "Emergency access", "Reason"]
    by_what = {row[4]: row for row in rows[1:]}
    grant = by_what["Emergency access used"]
    assert grant[1:4] == ["Otto Other", "other@example.org", "Liaison officer"]
    assert grant[6] == "yes"
    # A reason a spreadsheet would run as a formula is written as text.
    assert grant[7] == "'=HYPERLINK(1) " + REASON
    read = next(row for row in rows[1:] if row[5] == reverse("families:contacts", args=[family.pk]))
    assert read[1] == "Olivia Officer"
    assert read[6] == "no"


def test_the_csv_export_follows_the_filter(english, officer, supervisor, family):
    english(officer).get(reverse("families:contacts", args=[family.pk]))
    audit_record(
        action=AuditAction.CASE_CHANGED, actor=officer, target=family, family_id=family.pk, detail={"what": "x_done"}
    )
    response = english(supervisor).get(case_url(family, csv_export=True), {"kind": "changes"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))[1:]
    assert [row[5] for row in rows] == ["x_done"]


def _fill(family, other_officer, count: int) -> None:
    """Reads by several people, some under emergency access, and changes."""
    access = break_glass_grant(user=other_officer, family=family, reason=REASON)
    for number in range(count):
        actor = UserFactory(role=Role.OFFICER, team=family.team)
        if number % 3 == 0:
            detail = {"path": f"/families/{family.pk}/", "access": "view", "break_glass": True}
            audit_record(
                action=AuditAction.CASE_VIEWED,
                actor=other_officer,
                family_id=family.pk,
                detail=detail | {"break_glass_access": access.pk},
            )
        elif number % 3 == 1:
            audit_record(action=AuditAction.CASE_VIEWED, actor=actor, family_id=family.pk, detail={"path": "/x/"})
        else:
            audit_record(action=AuditAction.CASE_CHANGED, actor=actor, family_id=family.pk, detail={"what": "y"})


@pytest.mark.parametrize(("persona", "url"), [("supervisor", case_url), ("administrator", admin_url)])
def test_a_page_costs_the_same_queries_for_5_or_50_rows(request, english, other_officer, family, persona, url):
    client = english(request.getfixturevalue(persona))
    _fill(family, other_officer, 5)
    client.get(url(family))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(family)).status_code == 200
    _fill(family, other_officer, 45)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(family)).status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 25
