"""The most sensitive free text is encrypted in the database: the raw column holds no
plain text, old plain-text rows are encrypted by the migration step, keys rotate, and a
missing key is an error rather than silent garbage."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from families.models import Incident, SharedInformation
from liaison.encryption import PREFIX, encrypt_existing_rows, encrypted_fields
from safety_plans.models import PersonOfConcern
from safety_plans.services import plan_version_start

pytestmark = pytest.mark.django_db

SECRET = "Dino drives the black scooter AB-123-C"


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - names are ours
        return cursor.fetchone()[0]


def incident(family, officer, text: str = SECRET) -> Incident:
    return Incident.objects.create(
        family=family,
        occurred_at=timezone.now(),
        kind="intimidation",
        description=text,
        person_of_concern="Dino",
        created_by=officer,
    )


def test_the_raw_column_holds_no_plain_text(family, officer):
    row = incident(family, officer)
    stored = raw("families_incident", "description", row.pk)
    assert stored.startswith(PREFIX)
    assert SECRET not in stored and "Dino" not in raw("families_incident", "person_of_concern", row.pk)
    assert Incident.objects.get(pk=row.pk).description == SECRET


def test_people_of_concern_and_shared_information_are_encrypted(officer, family, parent):
    draft = plan_version_start(family=family, created_by=officer)
    person = PersonOfConcern.objects.create(
        version=draft, visibility="staff", name="Dino", concern=SECRET, created_by=officer
    )
    shared = SharedInformation.objects.create(family=family, text=SECRET, created_by=parent)
    for table, column, pk in (
        ("safety_plans_personofconcern", "name", person.pk),
        ("safety_plans_personofconcern", "concern", person.pk),
        ("families_sharedinformation", "text", shared.pk),
    ):
        assert raw(table, column, pk).startswith(PREFIX)


def test_every_named_kind_of_sensitive_text_is_covered():
    covered = {f"{model.__name__}.{name}" for model, names in encrypted_fields() for name in names}
    for required in (
        "PersonOfConcern.concern",
        "PoliceAction.description",
        "Incident.description",
        "SharedInformation.text",
        "CaregiverSuspicion.reason",
    ):
        assert required in covered


def test_plain_text_rows_from_before_are_encrypted_by_the_migration_step(family, officer):
    row = incident(family, officer)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE families_incident SET description = %s WHERE id = %s", [SECRET, row.pk])
    assert Incident.objects.get(pk=row.pk).description == SECRET  # still readable

    encrypt_existing_rows("families", {"Incident": ["description"]})(_Apps(), None)

    assert raw("families_incident", "description", row.pk).startswith(PREFIX)
    assert Incident.objects.get(pk=row.pk).description == SECRET


class _Apps:
    """The live app registry, standing in for the migration's historical one."""

    def get_model(self, app_label: str, model_name: str):
        from django.apps import apps

        return apps.get_model(app_label, model_name)


def test_keys_rotate_and_the_old_key_can_then_be_dropped(family, officer, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    row = incident(family, officer)
    before = raw("families_incident", "description", row.pk)

    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    output = StringIO()
    call_command("rotate_keys", batch_size=2, language="en", stdout=output)
    settings.FIELD_ENCRYPTION_KEYS = [new]

    assert "Re-encrypted" in output.getvalue() and "[####" in output.getvalue()
    assert raw("families_incident", "description", row.pk) != before
    assert Incident.objects.get(pk=row.pk).description == SECRET


def test_a_missing_key_is_an_error_not_garbage(family, officer, settings):
    row = incident(family, officer)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured):
        Incident.objects.get(pk=row.pk)


def test_searching_encrypted_text_in_sql_is_refused_rather_than_silently_empty(family, officer):
    incident(family, officer)
    with pytest.raises(FieldError):
        Incident.objects.filter(description=SECRET).exists()
    with pytest.raises(FieldError):
        Incident.objects.filter(description__icontains="Dino").exists()
    assert Incident.objects.filter(police_reference="").exists()
    assert not Incident.objects.exclude(description="").filter(description__isnull=True).exists()
