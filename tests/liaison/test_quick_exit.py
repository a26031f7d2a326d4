"""The quick exit ends the session on the server, tells the browser to forget the site
and lands on a neutral page; the parents' side names itself neutrally."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from liaison.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PORTAL_PAGES = ["portal:home", "portal:plan", "portal:justice", "portal:messages", "portal:share", "portal:rating"]
# Words a title on the parents' side never has: a tab, the history or a bookmark seen by
# someone else at home must not give away what the site is for.
GIVING_AWAY = ("safety", "police", "court", "exploit", "liaison", "veilig", "politie", "recht", "uitbuit", "begeleid")


def test_quick_exit_ends_the_session_and_clears_the_site(login, parent):
    client = login(parent)
    assert client.get(reverse("portal:home")).status_code == 200
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.post(reverse("quick_exit"))

    assert response.status_code == 303
    assert response["Location"] == settings.QUICK_EXIT_URL
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    again = replay.get(reverse("portal:home"))
    assert again.status_code == 302
    assert again["Location"].startswith(reverse("account_login"))
    assert AuditEvent.objects.filter(actor=parent, detail__how="quick_exit").exists()


def test_quick_exit_works_without_a_session_or_a_form_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("quick_exit"))
    assert response.status_code == 303
    assert response["Location"] == settings.QUICK_EXIT_URL


def test_quick_exit_is_post_only(login, parent):
    assert login(parent).get(reverse("quick_exit")).status_code == 405


def test_the_content_security_policy_lets_the_exit_form_leave(login, parent):
    response = login(parent).get(reverse("portal:home"))
    form_action = re.search(r"form-action ([^;]+)", response["Content-Security-Policy"]).group(1)
    assert "https://www.buienradar.nl" in form_action


@pytest.mark.parametrize("page", PORTAL_PAGES)
def test_every_portal_page_offers_the_quick_exit_and_a_neutral_title(login, parent, page):
    content = login(parent).get(reverse(page)).content.decode()
    assert 'id="quick-exit"' in content
    assert "js/quick-exit.js" in content
    title = re.search(r"<title>(.*?)</title>", content, re.S).group(1).strip()
    assert title.endswith(f" \N{EN DASH} {settings.PORTAL_PRODUCT_NAME}")
    assert not [word for word in GIVING_AWAY if word in title.lower()]


def test_staff_pages_have_no_quick_exit(login, officer):
    content = login(officer).get(reverse("families:caseload")).content.decode()
    assert 'id="quick-exit"' not in content
