"""Field encryption for the most sensitive free text: people of concern, police notes,
incident details, what parents shared. A database dump, a backup copy or a curious
database administrator sees only ciphertext; the application reads plain text.

Keys come from the environment (``FIELD_ENCRYPTION_KEYS``: comma-separated Fernet keys,
the first one encrypts, all of them decrypt), so keys can be rotated: put a new key
first, run ``manage.py rotate_keys``, then drop the old key.

Encrypted columns cannot be searched or sorted in SQL; only text nobody searches on
goes through this field.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import lookups

# Marks a stored value as ciphertext, so that rows written before a field was encrypted
# are still read (and encrypted on their next save or by the migration).
PREFIX = "enc:v1:"


@lru_cache(maxsize=4)
def _cipher_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds no key.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def cipher() -> MultiFernet:
    return _cipher_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return PREFIX + cipher().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored
    try:
        return cipher().decrypt(stored.removeprefix(PREFIX).encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "An encrypted value cannot be read with FIELD_ENCRYPTION_KEYS: a key is missing."
        ) from error


class EncryptedTextField(models.TextField):
    """Text that is stored encrypted and read back as plain text."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def get_lookup(self, lookup_name: str):
        """Ciphertext differs on every write, so comparing it in SQL would silently find
        nothing: only ``isnull`` and ``exact`` (for the empty string) make sense."""
        if lookup_name not in {"isnull", "exact"}:
            raise FieldError(f"{self.name} is encrypted and cannot be searched with '{lookup_name}'.")
        return super().get_lookup(lookup_name)

    def get_internal_type(self) -> str:
        return "TextField"


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted fields, and those fields' names."""
    found = []
    for model in apps.get_models():
        names = [field.name for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


class EmptyOnlyExact(lookups.Exact):
    """``field=""`` works (empty text is stored as it is); any other value cannot match."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(f"{self.lhs.field.name} is encrypted and cannot be compared with a value in SQL.")
        return super().get_prep_lookup()


EncryptedTextField.register_lookup(EmptyOnlyExact)


class EncryptedCharField(EncryptedTextField):
    """A short encrypted text: a one-line input and a length limit, checked in Python
    (the column itself is text, since ciphertext is longer than the plain text)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length:
            self.validators.append(MaxLengthValidator(self.max_length))

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"max_length": self.max_length, **kwargs})


def reencrypt(model: type[models.Model], field_names: list[str], *, batch_size: int = 500, progress=None) -> int:
    """Read every row's fields (plain text or ciphertext under any key) and write them
    back encrypted with the first key, in batches. Used to encrypt existing rows and to
    rotate keys. ``progress(done, total)`` is called after each batch."""
    manager = model._base_manager
    pks = list(manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch_size):
        rows = list(manager.filter(pk__in=pks[start : start + batch_size]).only("pk", *field_names))
        manager.bulk_update(rows, field_names)
        if progress:
            progress(min(start + batch_size, len(pks)), len(pks))
    return len(pks)


def encrypt_existing_rows(app_label: str, fields: dict[str, list[str]]):
    """A migration step that encrypts what was stored in plain text before."""

    def run(apps, schema_editor) -> None:
        for model_name, field_names in fields.items():
            reencrypt(apps.get_model(app_label, model_name), field_names)

    return run
