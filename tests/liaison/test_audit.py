"""The append-only, hash-chained audit trail."""

import itertools

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from liaison.accounts.models import Role
from liaison.audit.models import AuditAction, AuditEvent
from liaison.audit.services import GENESIS_HASH, audit_record, first_broken_link
from tests.database_owner import owner_connection, owner_cursor

pytestmark = pytest.mark.django_db


def _events(n: int, actor) -> list[AuditEvent]:
    return [audit_record(action=AuditAction.CASE_VIEWED, actor=actor, detail={"n": i}) for i in range(n)]


def test_each_event_carries_the_hash_of_the_one_before(officer):
    events = AuditEvent.objects.order_by("id")
    _events(3, officer)
    chain = list(events)
    assert chain[0].previous_hash == GENESIS_HASH
    for before, after in itertools.pairwise(chain):
        assert after.previous_hash == before.hash


def test_verify_audit_passes_on_an_intact_chain(officer, capsys):
    _events(3, officer)
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out


def _tamper(sql: str, params: list) -> None:
    with owner_cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db(transaction=True)
def test_verify_audit_reports_the_first_tampered_row(officer):
    events = _events(4, officer)
    _tamper("UPDATE audit_auditevent SET actor_email = %s WHERE id = %s", ["someone@else.org", events[1].pk])
    assert first_broken_link().pk == events[1].pk
    with pytest.raises(CommandError, match=str(events[1].pk)):
        call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_verify_audit_notices_a_removed_row(officer):
    events = _events(4, officer)
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    assert first_broken_link().pk == events[3].pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's; SQLite has none")
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_update_and_delete_even_to_the_owner(officer):
    event = _events(1, officer)[0]
    with owner_connection() as owner:
        for sql in (
            "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
            "DELETE FROM audit_auditevent WHERE id = %s",
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"), owner.transaction():
                owner.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action=AuditAction.CASE_VIEWED).exists()


def test_role_changes_are_audited(officer):
    officer.role = Role.SUPERVISOR
    officer.save()
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert event.detail == {"what": "account", "changes": {"role": {"before": "officer", "after": "supervisor"}}}
    assert event.object_id == str(officer.pk)


def test_reading_a_case_records_who_which_family_and_from_where(login, officer, family):
    login(officer).get(f"/families/{family.pk}/", REMOTE_ADDR="192.0.2.7")
    event = AuditEvent.objects.get(action=AuditAction.CASE_VIEWED)
    assert (event.actor, event.family_id, event.ip_address) == (officer, family.pk, "192.0.2.7")


def test_a_refused_read_records_no_case_view(login, other_officer, family):
    login(other_officer).get(f"/families/{family.pk}/")
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED).exists()


def test_the_admin_shows_the_trail_read_only(login, administrator, officer):
    _events(1, officer)
    client = login(administrator)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    event = AuditEvent.objects.first()
    response = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_case_data_is_not_in_the_admin(login, administrator, family):
    assert login(administrator).get("/admin/families/family/").status_code == 404
