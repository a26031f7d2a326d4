"""Who is signed in and which second-factor device their session passed, read in one
statement: every page a signed-in person opens needs both, and django-otp would read the
device in a second query after the user. The device is judged exactly as django-otp's
middleware judges it (``_finalize_device``: it must be the user's own and confirmed);
only where its row comes from differs. A session whose device is not one of ours, or a
user already read some other way, takes django-otp's own path."""

import functools
from collections.abc import Callable
from contextvars import ContextVar

from allauth.account.auth_backends import AuthenticationBackend as AllauthAuthenticationBackend
from django.apps import apps
from django.db import connections, router
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.models import BackupCodeDevice, Reminder, User

# The kinds of device a person can pass the second factor with here.
JOINED_DEVICES = (TOTPDevice, BackupCodeDevice)
# The name the device read with the user is kept under on the user (None: not found).
SESSION_DEVICE = "otp_session_device"
# On a user read with a device: the (model, id) that was asked for.
SESSION_DEVICE_ASKED = "otp_session_device_asked"
# On a user read with a device: the count of their newest unread reminder (None: none).
UNREAD_REMINDER_COUNT = "unread_reminder_count"
# On a user read with a device: whether they had a confirmed authenticator when the
# request began (``liaison.accounts.second_factor.requires_second_factor``).
HAS_CONFIRMED_DEVICE = "otp_has_confirmed_device"
# What the session of a person without a second factor asks for: no device (no id is 0).
NO_DEVICE = (TOTPDevice, 0)

# Yes-or-no questions other layers ask of every signed-in person, answered in the user's
# one statement (``ask_with_user``): the attribute the answer is kept under on the user,
# and what writes the SQL of the question.
UserQuestion = Callable[[Callable[[str], str], dict[str, str]], str]
_ASKED: dict[str, UserQuestion] = {}

# Set by the middleware only while it reads the user: the device the session names.
_device_wanted: ContextVar[tuple[type[Device], int] | None] = ContextVar("device_wanted", default=None)


def device_named(persistent_id: str) -> tuple[type[Device], int] | None:
    """The kind and id of device a session's persistent id names, read as
    ``Device.from_persistent_id`` reads it; None for anything but a device of ours."""
    persistent_id = DjangoOTPMiddleware._normalize_persistent_id(persistent_id)
    try:
        model_label, device_id = persistent_id.rsplit("/", 1)
        app_label, model_name = model_label.split(".")
        model, pk = apps.get_model(app_label, model_name), int(device_id)
    except (ValueError, LookupError):
        return None
    # An id no column could hold is left to django-otp, which finds no device for it.
    return (model, pk) if model in JOINED_DEVICES and 0 < pk < 2**63 else None


def ask_with_user(attribute: str, question: UserQuestion) -> None:
    """Answer ``question`` in the statement that reads the signed-in person on every
    request, and keep the answer on the user as ``attribute``. ``question(quote, user)``
    gives the SQL of a boolean, ``user`` naming the SQL of each of the user's columns;
    only names of tables and columns may go into it, never a value."""
    _ASKED[attribute] = question
    _statement.cache_clear()


@functools.cache
def _statement(model: type[Device], database: str) -> str:
    """The user, the device of that kind and id when it is theirs (a left join on both),
    and the count of their newest unread reminder. Written once per kind of device (and
    database): the ORM would compile this join on every request, for longer than the
    query takes. Only the models' own table and column names go into it; values are bound."""
    quote = connections[database].ops.quote_name

    def column(model, alias: str, name: str) -> str:
        return f"{alias}.{quote(model._meta.get_field(name).column)}"

    selected = [column(User, "u", field.name) for field in User._meta.concrete_fields]
    selected += [column(model, "d", field.name) for field in model._meta.concrete_fields]
    reminder = functools.partial(column, Reminder, "r")
    newest_unread = (
        f"SELECT {reminder('count')} FROM {quote(Reminder._meta.db_table)} r"  # noqa: S608  # nosec B608 - as below
        f" WHERE {reminder('user')} = {column(User, 'u', 'id')} AND {reminder('read_at')} IS NULL"
        f" ORDER BY {reminder('created_at')} DESC, {reminder('id')} DESC LIMIT 1"
    )
    authenticator = functools.partial(column, TOTPDevice, "t")
    confirmed = (
        f"SELECT 1 FROM {quote(TOTPDevice._meta.db_table)} t"  # noqa: S608  # nosec B608 - as below
        f" WHERE {authenticator('user')} = {column(User, 'u', 'id')} AND {authenticator('confirmed')}"
    )
    user_columns = {field.name: column(User, "u", field.name) for field in User._meta.concrete_fields}
    asked = "".join(f", ({question(quote, user_columns)})" for question in _ASKED.values())
    return (
        f"SELECT {', '.join(selected)}, ({newest_unread}), EXISTS({confirmed}){asked}"  # noqa: S608  # nosec B608 - the models' own names
        f" FROM {quote(User._meta.db_table)} u LEFT OUTER JOIN {quote(model._meta.db_table)} d"
        f" ON {column(model, 'd', 'user')} = {column(User, 'u', 'id')} AND {column(model, 'd', 'id')} = %s"
        f" WHERE {column(User, 'u', 'id')} = %s"
    )


def _instance(model, values: list, connection):
    """The model made from its columns as stored, converted as the ORM converts them."""
    fields = model._meta.concrete_fields
    converted = []
    for field, value in zip(fields, values, strict=True):
        column = field.get_col(model._meta.db_table)
        for convert in [*connection.ops.get_db_converters(column), *field.get_db_converters(connection)]:
            value = convert(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, [field.attname for field in fields], converted)


def user_with_device(user_id, model: type[Device], device_id: int) -> User | None:
    """The user with the device of that kind and id when it is theirs, the count of
    their newest unread reminder (``UNREAD_REMINDER_COUNT``) and whether they have a
    confirmed authenticator (``HAS_CONFIRMED_DEVICE``), in one statement."""
    database = router.db_for_read(User)
    connection = connections[database]
    with connection.cursor() as cursor:
        cursor.execute(_statement(model, database), [device_id, user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    user_width, device_width = len(User._meta.concrete_fields), len(model._meta.concrete_fields)
    user = _instance(User, list(row[:user_width]), connection)
    device_values = list(row[user_width : user_width + device_width])
    found = device_values[model._meta.concrete_fields.index(model._meta.pk)] is not None
    setattr(user, SESSION_DEVICE, _instance(model, device_values, connection) if found else None)
    setattr(user, SESSION_DEVICE_ASKED, (model, device_id))
    answers = row[user_width + device_width :]
    setattr(user, UNREAD_REMINDER_COUNT, answers[0])
    setattr(user, HAS_CONFIRMED_DEVICE, bool(answers[1]))
    for attribute, answer in zip(_ASKED, answers[2:], strict=True):
        setattr(user, attribute, bool(answer))
    return user


class AuthenticationBackend(AllauthAuthenticationBackend):
    """allauth's backend, reading the session's device with the user while the
    middleware below asks for it."""

    def get_user(self, user_id):
        wanted = _device_wanted.get()
        if wanted is None:
            return super().get_user(user_id)
        user = user_with_device(user_id, *wanted)
        return user if user is not None and self.user_can_authenticate(user) else None


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware, with the verified device read in the user's statement."""

    def _verify_user_sync(self, request, user):
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        wanted = device_named(persistent_id) if persistent_id else NO_DEVICE
        if wanted is None:
            return super()._verify_user_sync(request, user)
        asked = _device_wanted.set(wanted)
        try:
            self._init_user_fields(user)  # reads the user (Django's get_user, the backend above)
        finally:
            _device_wanted.reset(asked)
        if user.is_authenticated:
            if getattr(user, SESSION_DEVICE_ASKED, None) == wanted:
                device = getattr(user, SESSION_DEVICE)
            else:
                device = self._device_from_persistent_id(persistent_id)
            user.otp_device = self._finalize_device(request, user, device)
        return user
