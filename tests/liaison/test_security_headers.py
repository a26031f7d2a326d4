"""Security headers on every page, and a clean deployment check in production mode."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_login_page_has_strict_headers(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_are_never_cached(login, officer, family):
    response = login(officer).get(f"/families/{family.pk}/")
    assert "no-store" in response["Cache-Control"]


def test_templates_hold_no_inline_script_or_style():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert "<script>" not in text and " style=" not in text and "<style" not in text, template
        assert "onclick=" not in text, template


def _production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="liaison.settings",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-for-the-check",
        ALLOWED_HOSTS="liaison.example",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        CONTEXT_MATCH_KEY="k" * 16 + "a-long-random-key-of-the-context-index",
        **extra,
    )
    return env


def test_check_deploy_is_clean_in_production_mode():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_field_encryption_keys():
    env = _production_env()
    del env["FIELD_ENCRYPTION_KEYS"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "FIELD_ENCRYPTION_KEYS" in result.stderr


@pytest.mark.parametrize("key", [None, "too-short"])
def test_production_refuses_to_start_without_a_context_match_key(key):
    env = _production_env()
    if key is None:
        del env["CONTEXT_MATCH_KEY"]
    else:
        env["CONTEXT_MATCH_KEY"] = key
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "CONTEXT_MATCH_KEY" in result.stderr


def test_production_settings_secure_the_cookies_and_hsts():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_production_env(), capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "True", "True", "False"]


def test_an_error_page_shows_no_stack_trace(login, officer):
    response = login(officer).get("/families/not-a-number/")
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()
