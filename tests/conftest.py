"""One fixture per persona. Staff fixtures come with a confirmed authenticator; the
``login`` fixture signs a persona in and, for staff, passes the second factor."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.backends.postgresql.operations import DatabaseOperations
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from liaison.accounts.models import Role
from tests.database_owner import flush_as_owner
from tests.factories import (
    FamilyFactory,
    HouseholdMemberFactory,
    PoliceUnitFactory,
    TeamFactory,
    UserFactory,
    confirmed_totp,
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL the flush between transactional tests runs as the owner of the
    tables, who alone may empty the audit trail (tests/database_owner.py). With
    DATABASE_APP_ROLE (`make test-postgres`) the owner in DATABASE_URL makes and migrates
    the test database, which grants the app's role its rights
    (liaison/audit/privileges.py), and then every test runs as that role, as the app
    does in production."""
    if connection.vendor != "postgresql":
        yield
        return
    role = settings.DATABASE_APP_ROLE
    database = connection.settings_dict
    owner = {"USER": database["USER"], "PASSWORD": database["PASSWORD"]}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "execute_sql_flush", flush_as_owner)
        if role:
            with django_db_blocker.unblock():
                connection.close()
            # A password, if the role has one, comes from ~/.pgpass (libpq), never the owner's.
            database.update(USER=role, PASSWORD="")
        yield
    if role:
        with django_db_blocker.unblock():
            connection.close()
        database.update(owner)


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts without another test's kept page fragments, data marks or rate
    limits: the database is new, and so must the caches be."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's own language (Dutch): a request or mail of an earlier
    test in the same worker may have left another one active."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def team():
    return TeamFactory(name="Team North")


@pytest.fixture
def other_team():
    return TeamFactory(name="Team South")


@pytest.fixture
def police_unit():
    return PoliceUnitFactory(name="Vice unit North")


@pytest.fixture
def officer(team):
    user = UserFactory(role=Role.OFFICER, team=team, full_name="Olivia Officer", email="officer@example.org")
    confirmed_totp(user)
    return user


@pytest.fixture
def other_officer(other_team):
    user = UserFactory(role=Role.OFFICER, team=other_team, full_name="Otto Other", email="other@example.org")
    confirmed_totp(user)
    return user


@pytest.fixture
def supervisor(team):
    user = UserFactory(role=Role.SUPERVISOR, team=team, full_name="Sam Supervisor", email="supervisor@example.org")
    confirmed_totp(user)
    return user


@pytest.fixture
def police(police_unit):
    user = UserFactory(role=Role.POLICE, police_unit=police_unit, full_name="Pat Police", email="police@example.org")
    confirmed_totp(user)
    return user


@pytest.fixture
def administrator():
    user = UserFactory(role=Role.ADMINISTRATOR, full_name="Ada Admin", email="admin@example.org")
    confirmed_totp(user)
    return user


@pytest.fixture
def family(officer, police_unit):
    return FamilyFactory(
        liaison_officer=officer, team=officer.team, police_unit=police_unit, display_name="Family Jansen"
    )


# A second police unit with its partner and analyst, and a family of the other team and
# unit (family B), for what must never cross from one family to another.
@pytest.fixture
def other_unit():
    return PoliceUnitFactory(name="Vice unit South")


@pytest.fixture
def other_police(other_unit):
    user = UserFactory(role=Role.POLICE, police_unit=other_unit, full_name="Piet South", email="south@example.org")
    confirmed_totp(user)
    return user


@pytest.fixture
def analyst(police_unit):
    user = UserFactory(role=Role.ANALYST, police_unit=police_unit, full_name="Anna Analyst", email="an@example.org")
    confirmed_totp(user)
    return user


@pytest.fixture
def other_analyst(other_unit):
    user = UserFactory(role=Role.ANALYST, police_unit=other_unit, full_name="Ari South", email="ari@example.org")
    confirmed_totp(user)
    return user


@pytest.fixture
def other_family(other_officer, other_unit):
    """Family B: another team, another police unit."""
    return FamilyFactory(
        liaison_officer=other_officer, team=other_officer.team, police_unit=other_unit, display_name="Family Bakker"
    )


@pytest.fixture
def parent(family):
    return HouseholdMemberFactory(family=family, full_name="Mia Parent", user__email="parent@example.org").user


@pytest.fixture
def suspect_caregiver(family):
    return HouseholdMemberFactory(
        family=family,
        full_name="Sid Suspect",
        relation="stepfather",
        is_suspected=True,
        user__email="suspect@example.org",
    ).user


@pytest.fixture
def outsider():
    """A police partner of an unrelated unit: signed in and verified, linked to nothing."""
    user = UserFactory(role=Role.POLICE, full_name="Una Outsider", email="outsider@example.org")
    confirmed_totp(user)
    return user


@pytest.fixture
def login():
    """Return a client signed in as the user, with the second factor passed for staff."""

    def sign_in(user, *, verified: bool = True) -> Client:
        # As stored now: a service may have ended the user's sessions since the fixture made it.
        user.refresh_from_db()
        client = Client()
        client.force_login(user, backend="liaison.accounts.authentication.AuthenticationBackend")
        device = user.totpdevice_set.filter(confirmed=True).first()
        if verified and device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return sign_in


@pytest.fixture
def english(login):
    """Signed in, reading the pages in English."""

    def sign_in(user, **kwargs):
        client = login(user, **kwargs)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return sign_in


@pytest.fixture(params=["officer", "supervisor", "police"])
def staff_with_access(request, family, officer, supervisor, police):
    """Every staff persona that may view the family."""
    return {"officer": officer, "supervisor": supervisor, "police": police}[request.param]
