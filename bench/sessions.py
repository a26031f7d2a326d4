"""The set-up step of ``bench/run.py``, run with the production settings against one bench
database: picks the people and the family to measure, gives the staff a confirmed
authenticator and sessions that passed it (as django-otp records a verified device), and
counts each page's SQL queries, and times in-process what the pages with kept fragments
cost when made anew. Prints one line of JSON."""

import json
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from families.models import Family, FamilyStatus  # noqa: E402
from liaison.accounts.models import User  # noqa: E402
from liaison.demo.words import DEMO_DOMAIN, FIRST_OFFICER_EMAIL  # noqa: E402
from safety_plans.models import PlanStatus  # noqa: E402

HOST = "127.0.0.1"
BACKEND = "liaison.accounts.authentication.AuthenticationBackend"


def measured_family(officer: User) -> Family:
    """The officer's open family with the longest history that has an active plan and a
    parent in the portal: the same family at every data size (see liaison/demo/bulk.py)."""
    return (
        Family.objects.filter(liaison_officer=officer)
        .exclude(status=FamilyStatus.CLOSED)
        .filter(
            safety_plan__versions__status=PlanStatus.ACTIVE,
            household_members__user__isnull=False,
            household_members__is_suspected=False,
        )
        .annotate(contact_count=Count("contacts", distinct=True))
        .order_by("-contact_count", "pk")
        .first()
    )


def signed_in(user: User) -> Client:
    client = Client(HTTP_HOST=HOST)
    client.force_login(user, backend=BACKEND)
    if user.is_staff_role:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@contextmanager
def no_kept_parts() -> Iterator[None]:
    """As the app runs with ``FRAGMENTS=off``: no kept part is read, made or written, and
    no data mark is asked for (liaison/fragments.py)."""
    no_fragments = {**settings.CACHES, "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=no_fragments):
        yield


def count(client: Client, path: str) -> dict:
    """The page's queries at its second request (kept fragments served) and made anew
    (as with ``FRAGMENTS=off``), its size, and a PDF's page count."""
    client.get(path, secure=True)  # the first request warms caches
    response, queries = _counted_get(client, path)
    with no_kept_parts():
        _anew, queries_anew = _counted_get(client, path)
    body = response.content
    counted = {"queries": queries, "queries_anew": queries_anew, "bytes": len(body)}
    if body.startswith(b"%PDF"):
        counted["extra"] = {"pdf_pages": len(PdfReader(BytesIO(body)).pages)}
    return counted


def _counted_get(client: Client, path: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, secure=True)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return response, len(queries)


def median_ms(client: Client, path: str, *, times: int = 15) -> float:
    """p50 in-process of ``times`` requests (after one to warm up)."""
    client.get(path, secure=True)
    durations = []
    for _ in range(times):
        started = time.perf_counter()
        client.get(path, secure=True)
        durations.append((time.perf_counter() - started) * 1000)
    return statistics.median(durations)


def made_anew_ms(client: Client, path: str) -> float:
    """A page made anew on every request, as with ``FRAGMENTS=off``: what the first visit
    after a change costs (liaison/fragments.py)."""
    with no_kept_parts():
        return median_ms(client, path)


def main() -> None:
    officer = User.objects.get(email=FIRST_OFFICER_EMAIL)
    supervisor = User.objects.get(email=f"supervisor-000@{DEMO_DOMAIN}")
    family = measured_family(officer)
    parent = family.household_members.filter(user__isnull=False, is_suspected=False).first().user
    clients = {"officer": signed_in(officer), "supervisor": signed_in(supervisor), "parent": signed_in(parent)}
    pages = {
        "/health/": "officer",
        "/families/": "officer",
        f"/families/{family.pk}/": "officer",
        f"/families/{family.pk}/chronology/": "officer",
        f"/families/{family.pk}/progress/": "officer",
        "/team/dashboard/": "supervisor",
        "/families/portal/": "parent",
        f"/families/{family.pk}/plan/plan.pdf": "officer",
    }
    counted = {path: count(clients[persona], path) for path, persona in pages.items()}
    in_process = {
        "trivial view": median_ms(clients["officer"], "/health/"),
        "caseload": made_anew_ms(clients["officer"], "/families/"),
        "family page": made_anew_ms(clients["officer"], f"/families/{family.pk}/"),
        "chronology": made_anew_ms(clients["officer"], f"/families/{family.pk}/chronology/"),
        "progress view": made_anew_ms(clients["officer"], f"/families/{family.pk}/progress/"),
        "supervisor dashboard": made_anew_ms(clients["supervisor"], "/team/dashboard/"),
        "parents' home page": made_anew_ms(clients["parent"], "/families/portal/"),
    }
    about = (
        f"{family.reference}: {family.contacts.count()} contacts, {family.progress_reviews.count()} reviews, "
        f"{family.incidents.count()} incidents, {family.missing_episodes.count()} missing episodes, "
        f"referred {family.referral_on}; officer caseload {officer.caseload.exclude(status='closed').count()}, "
        f"team {supervisor.team.families.exclude(status='closed').count()} open families"
    )
    cookie_name = settings.SESSION_COOKIE_NAME
    print(
        json.dumps(
            {
                "family": family.pk,
                "cookies": {
                    persona: f"{cookie_name}={client.cookies[cookie_name].value}" for persona, client in clients.items()
                },
                "pages": counted,
                "about": {"family_about": about, "made_anew_ms": in_process},
            }
        )
    )


if __name__ == "__main__":
    main()
