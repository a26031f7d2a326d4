"""Fixtures shared by the tests of emergency access and of the access log."""

import pytest

from liaison.accounts.models import Role
from tests.factories import UserFactory, confirmed_totp

# Placed in the family's referral note: pages that must show no case content never hold it.
CASE_MARKER = "MARKER-referral-5521"


@pytest.fixture
def english(login):
    """Signed in, reading the pages in English."""

    def sign_in(user, **kwargs):
        client = login(user, **kwargs)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return sign_in


@pytest.fixture
def other_supervisor(other_team):
    user = UserFactory(role=Role.SUPERVISOR, team=other_team, full_name="Sol South", email="sol@example.org")
    confirmed_totp(user)
    return user


@pytest.fixture
def marked_family(family):
    family.referral_note = f"{CASE_MARKER} referral"
    family.save()
    return family
