"""Demo data at the scale of a national service: teams of liaison officers, police units,
and thousands of families with years of history, written with ``bulk_create`` so that
``manage.py seed_demo --families 20000`` takes minutes. Used to measure how the pages
hold up as the data grows (``make bench``), never in production.

Everything it makes is recognisable as demo data: every account has an address in the
demo domain, and the generator refuses a database that holds any other account. The
story of family number *i* depends only on the seed and *i*, and officer *j* always
holds families ``25 j`` to ``25 j + 24``, so the first officer's caseload and the first
team are the same at 1,000 and at 20,000 families."""

import math
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from families.models import (
    Family,
)
from liaison.accounts.models import PoliceUnit, Role, Team, User
from liaison.demo.batch import Chunk, Staff, Summary
from liaison.demo.story import FamilyStory
from liaison.demo.words import (
    CHUNK_FAMILIES,
    CITIES,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    FAMILIES_PER_OFFICER,
    FATHERS,
    FIRST_OFFICER_EMAIL,
    MOTHERS,
    OFFICERS_PER_TEAM,
    POLICE_PER_UNIT,
    SURNAMES,
    TEAMS_PER_POLICE_UNIT,
)


def real_data_present() -> bool:
    """Whether the database holds any account outside the demo domain: then it is (or
    may be) a real service's database, and the generator must not touch it."""
    return User.objects.exclude(email__iendswith=f"@{DEMO_DOMAIN}").exists()


def generated_data_present() -> bool:
    return User.objects.filter(email=FIRST_OFFICER_EMAIL).exists()


def staff_create(*, families: int) -> Staff:
    """Teams of ten officers with a supervisor, a police unit for every two teams."""
    password = make_password(DEMO_PASSWORD)
    officer_count = max(1, math.ceil(families / FAMILIES_PER_OFFICER))
    team_count = math.ceil(officer_count / OFFICERS_PER_TEAM)
    unit_count = math.ceil(team_count / TEAMS_PER_POLICE_UNIT)
    teams = Team.objects.bulk_create(
        Team(name=f"Team {CITIES[n % len(CITIES)]} {n // len(CITIES) + 1:03d}") for n in range(team_count)
    )
    units = PoliceUnit.objects.bulk_create(
        PoliceUnit(name=f"Zedenpolitie {CITIES[n % len(CITIES)]} {n // len(CITIES) + 1:03d}") for n in range(unit_count)
    )

    def person(email: str, n: int, **fields) -> User:
        first = (MOTHERS + FATHERS)[n % 20]
        return User(email=email, full_name=f"{first} {SURNAMES[n % 40]}", password=password, **fields)

    officers = User.objects.bulk_create(
        person(f"officer-{n:04d}@{DEMO_DOMAIN}", n, role=Role.OFFICER, team=teams[n // OFFICERS_PER_TEAM])
        for n in range(officer_count)
    )
    supervisors = User.objects.bulk_create(
        person(f"supervisor-{n:03d}@{DEMO_DOMAIN}", n + 7, role=Role.SUPERVISOR, team=team)
        for n, team in enumerate(teams)
    )
    police = User.objects.bulk_create(
        person(f"police-{n:03d}-{k}@{DEMO_DOMAIN}", n * 3 + k + 11, role=Role.POLICE, police_unit=unit)
        for n, unit in enumerate(units)
        for k in range(POLICE_PER_UNIT)
    )
    return Staff(teams, units, officers, supervisors, police, password)


def _reference_start(year: int) -> int:
    prefix = f"PL-{year}-"
    last = Family.objects.filter(reference__startswith=prefix).order_by("-reference").first()
    return int(last.reference.removeprefix(prefix)) if last else 0


def families_create(
    *, staff: Staff, start: int, stop: int, seed: int = 1, progress: Callable[[int], None] | None = None
) -> Summary:
    """Write families number ``start`` to ``stop - 1``, a batch at a time."""
    summary = Summary()
    today = timezone.localdate()
    # References run on from whatever the database already holds (the small demo set).
    first_number = _reference_start(today.year) - start
    for batch_start in range(start, stop, CHUNK_FAMILIES):
        chunk = Chunk()
        batch_stop = min(stop, batch_start + CHUNK_FAMILIES)
        for index in range(batch_start, batch_stop):
            reference = f"PL-{today.year}-{first_number + index + 1:05d}"
            FamilyStory(index, seed, staff, chunk, reference, today).build()
        with transaction.atomic():
            chunk.write(summary)
        summary.families += batch_stop - batch_start
        if progress:
            progress(batch_stop - batch_start)
    return summary


def generate(*, families: int, seed: int = 1, progress: Callable[[int], None] | None = None) -> Summary:
    """Write the staff and ``families`` families; ``progress(n)`` after each batch of n."""
    with transaction.atomic():
        staff = staff_create(families=families)
    summary = families_create(staff=staff, start=0, stop=families, seed=seed, progress=progress)
    summary.add(User, len(staff.officers) + len(staff.supervisors) + len(staff.police))
    summary.add(Team, len(staff.teams))
    summary.add(PoliceUnit, len(staff.units))
    return summary
