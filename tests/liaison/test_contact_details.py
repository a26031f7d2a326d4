"""Staff say how and when parents can reach them; the parents read it on their home page.
Parents have no such page."""

import pytest
from django.urls import reverse

from liaison.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

URL = reverse("contact_details")
DETAILS = {"phone": "050 123 4567", "reachable_when": "Monday to Thursday, 9:00 to 17:00"}


@pytest.mark.parametrize("persona", ["officer", "supervisor", "police", "administrator"])
def test_staff_save_how_parents_reach_them(request, login, persona):
    user = request.getfixturevalue(persona)
    client = login(user)
    assert client.get(URL).status_code == 200
    response = client.post(URL, DETAILS)
    assert response.status_code == 302 and response.url == reverse("security")
    user.refresh_from_db()
    assert (user.phone, user.reachable_when) == (DETAILS["phone"], DETAILS["reachable_when"])
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CHANGED, actor=user).exists()


def test_the_parents_read_the_new_details_at_once(login, officer, parent):
    home = reverse("portal:home")
    parent_client = login(parent)
    assert DETAILS["phone"].encode() not in parent_client.get(home).content
    assert login(officer).post(URL, DETAILS).status_code == 302
    content = parent_client.get(home).content.decode()
    assert DETAILS["phone"] in content and DETAILS["reachable_when"] in content


def test_the_details_may_be_cleared(login, officer):
    officer.phone, officer.reachable_when = "050 123 4567", "Mornings"
    officer.save()
    assert login(officer).post(URL, {"phone": "", "reachable_when": ""}).status_code == 302
    officer.refresh_from_db()
    assert (officer.phone, officer.reachable_when) == ("", "")


@pytest.mark.parametrize("persona", ["parent", "suspect_caregiver"])
def test_parents_have_no_contact_details_page(request, login, persona):
    user = request.getfixturevalue(persona)
    client = login(user)
    assert client.get(URL).status_code == 404
    assert client.post(URL, DETAILS).status_code == 404
    user.refresh_from_db()
    assert user.phone == ""


@pytest.mark.parametrize("method", ["put", "delete"])
def test_other_methods_are_refused(login, officer, method):
    assert getattr(login(officer), method)(URL).status_code == 405


@pytest.mark.parametrize(
    "overrides, field",
    [({"phone": "0" * 41}, "phone"), ({"reachable_when": "x" * 201}, "reachable_when")],
)
def test_too_long_details_are_refused_and_nothing_is_saved(english, officer, overrides, field):
    response = english(officer).post(URL, {**DETAILS, **overrides})
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert "at most" in errors[0]
    content = response.content.decode()
    assert "govuk-error-summary" in content and errors[0] in content
    officer.refresh_from_db()
    assert (officer.phone, officer.reachable_when) == ("", "")
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CHANGED, actor=officer).exists()
