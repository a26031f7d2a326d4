"""The health page: the load balancer asks whether this app server answers, without
signing in and without starting a session."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("health")


def test_the_app_server_answers_ok_to_anyone():
    response = Client().get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().strip() == "ok"


def test_asking_starts_no_session():
    response = Client().get(URL)
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_a_signed_in_person_gets_the_same_answer(login, parent):
    response = login(parent).get(URL)
    assert response.status_code == 200 and response.content.decode().strip() == "ok"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_health_page_only_answers_get(method):
    assert getattr(Client(), method)(URL).status_code == 405
