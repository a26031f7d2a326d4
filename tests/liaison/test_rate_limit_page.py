"""Every limit answers in the reader's language on the project's own page: allauth's rate
limits (sign-in attempts per address, password reset) as well as the lockout."""

import pytest
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADDRESS = "203.0.113.9"
FEW_LOGINS = {"login": "3/m/ip", "login_failed": None}


def post_login(client: Client, email: str, password: str, **meta):
    return client.post(LOGIN, {"login": email, "password": password}, **meta)


def _use_up_the_limit(parent) -> None:
    for _ in range(3):
        assert post_login(Client(), parent.email, "wrong-password", REMOTE_ADDR=ADDRESS).status_code == 200


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("nl", ["Te veel verzoeken", "Wacht een minuut"], ["Too many requests", "Too Many Requests"]),
        ("en", ["Too many requests", "Wait a minute"], ["Too Many Requests", "Te veel verzoeken"]),
    ],
)
def test_the_limit_answers_with_our_own_translated_page(settings, parent, language, shown, hidden):
    settings.ACCOUNT_RATE_LIMITS = FEW_LOGINS
    _use_up_the_limit(parent)
    response = post_login(Client(), parent.email, PASSWORD, REMOTE_ADDR=ADDRESS, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 429
    body = response.content.decode()
    assert 'class="govuk-heading-l"' in body and f'lang="{language}"' in body
    for text in shown:
        assert text in body, text
    for text in hidden:
        assert text not in body, text


@pytest.mark.parametrize(("language", "text"), [("nl", "Te veel verzoeken"), ("en", "Too many requests")])
def test_the_password_reset_limit_answers_with_the_same_page(settings, parent, language, text):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "1/m/ip"}
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.post("/accounts/password/reset/", {"email": parent.email}).status_code == 302
    response = client.post("/accounts/password/reset/", {"email": parent.email})
    assert response.status_code == 429
    assert text in response.content.decode()


@pytest.mark.parametrize(
    ("language", "texts"),
    [("nl", ["Te veel pogingen", "30 minuten"]), ("en", ["Too many attempts", "30 minutes"])],
)
def test_the_lockout_answers_with_its_own_translated_page(parent, language, texts):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    for _ in range(5):
        post_login(client, parent.email, "wrong-password", REMOTE_ADDR=ADDRESS)
    response = post_login(client, parent.email, PASSWORD, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 429
    body = response.content.decode()
    for text in texts:
        assert text in body, text
