"""How long matching a new context takes when 20,000 families each link a few contexts.

A database of its own (``liaison_bench_contexts``, made anew each run) gets the staff of
the bulk demo generator, 20,000 families and for each family a vehicle, a phone number
and a person with an alias (four blind-index keys a family); a tenth of the contexts are
shared with another family. Then a few hundred new contexts are matched the way
``families.services.contexts`` does it (one indexed lookup per key). The hits of the shared
contexts are recorded as the service records them, and the data of a unit's patterns page
(its first page of hits and the new hits, with their rows) is made as the page makes it,
warm, many times. Prints milliseconds per match and per patterns page, the queries of the
page, and the query plan of one lookup (an index scan, never a sequential one). Asserts
nothing.

Run with ``make bench``. Needs PostgreSQL on 127.0.0.1 (``BENCH_POSTGRES``)."""

import argparse
import os
import statistics
import sys
import time

from run import DATABASE_PREFIX, POSTGRES, ROOT, manage, production_env, psql

DATABASE = f"{DATABASE_PREFIX}_contexts"
MATCHES = 300
CHUNK = 2_000
PAGES = 30


def fill(families: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from families.models import ContextKey, ContextLink, Family, FamilyStatus
    from liaison import context_keys
    from liaison.demo.bulk import staff_create

    with transaction.atomic():
        staff = staff_create(families=families)
    year, review_on = timezone.localdate().year, timezone.localdate().replace(year=timezone.localdate().year + 1)
    officers = staff.officers
    for start in range(0, families, CHUNK):
        with transaction.atomic():
            made = Family.objects.bulk_create(
                Family(
                    reference=f"PL-{year}-{index + 1:05d}",
                    display_name=f"Family {index}",
                    liaison_officer=(officer := officers[index % len(officers)]),
                    team_id=officer.team_id,
                    police_unit=staff.units[(index // 250) % len(staff.units)],
                    status=FamilyStatus.ACTIVE,
                )
                for index in range(start, min(families, start + CHUNK))
            )
            links, forms = [], []
            for family in made:
                # One context in ten is shared with the family before it.
                number = family.pk // 2 if family.pk % 10 == 0 else family.pk
                for kind, label, normal in (
                    ("vehicle", f"BX{number:06d}", [f"BX{number:06d}"]),
                    ("phone", f"+31 6 1{number:07d}", [f"+3161{number:07d}"]),
                    ("person", f"Person {number}", [f"person {number}", f"alias {number}"]),
                ):
                    links.append(
                        ContextLink(
                            family=family,
                            kind=kind,
                            label=label,
                            review_on=review_on,
                            created_by=family.liaison_officer,
                            updated_by=family.liaison_officer,
                        )
                    )
                    forms.append([context_keys.match_key(kind, value) for value in normal])
            ContextLink.objects.bulk_create(links)
            ContextKey.objects.bulk_create(
                ContextKey(link=link, match_key=key) for link, keys in zip(links, forms, strict=True) for key in keys
            )
    record_hits()


def record_hits() -> None:
    """A hit for every key that two or more families link, as the service records it."""
    from django.db.models import Count, Min

    from families.models import ContextHit, ContextKey

    shared = (
        ContextKey.objects.values("match_key")
        .annotate(families=Count("link__family_id", distinct=True), kind=Min("link__kind"))
        .filter(families__gte=2)
    )
    ContextHit.objects.bulk_create(
        (ContextHit(match_key=row["match_key"], kind=row["kind"]) for row in shared.iterator()),
        batch_size=CHUNK,
        ignore_conflicts=True,
    )


def patterns_page(unit: int) -> None:
    """What the patterns page reads: its first page of hits and the new hits, with rows."""
    from django.core.paginator import Paginator

    from families.selectors.contexts import hit_rows_of, hits_for_unit, new_hits_for_unit

    page = Paginator(hits_for_unit([unit]), 25).get_page(1)
    hit_rows_of([unit], page.object_list, new_hits_for_unit([unit])[:25])


def measure(families: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from families.models import ContextHit, ContextKey, Family
    from liaison import context_keys

    today = timezone.localdate()

    def lookup(key: str) -> bool:
        return (
            ContextKey.objects.filter(match_key=key, link__ended_at__isnull=True, link__review_on__gte=today)
            .exclude(link__family_id=0)
            .exists()
        )

    keys = [context_keys.match_key("vehicle", f"BX{number:06d}") for number in range(1, families, families // MATCHES)]
    keys += [context_keys.match_key("phone", f"+3162{number:07d}") for number in range(MATCHES)]  # no match
    lookup(keys[0])
    timings = []
    for key in keys:
        started = time.perf_counter()
        lookup(key)
        timings.append((time.perf_counter() - started) * 1000)
    with connection.cursor() as cursor:
        query, params = (
            ContextKey.objects.filter(match_key=keys[0], link__ended_at__isnull=True, link__review_on__gte=today)
            .values("pk")
            .query.sql_with_params()
        )
        cursor.execute("EXPLAIN " + query, params)
        plan = "\n".join(f"    {row[0]}" for row in cursor.fetchall())
    print(f"\nMatching a context at {families:,} families ({ContextKey.objects.count():,} keys), {len(keys)} lookups:")
    slow = sorted(timings)[int(len(timings) * 0.95)]
    print(f"  median {statistics.median(timings):.2f} ms, 95th percentile {slow:.2f} ms")
    print("  query plan of one lookup:\n" + plan)
    unit = Family.objects.values_list("police_unit_id", flat=True).order_by("pk").first()
    started = time.perf_counter()
    patterns_page(unit)
    cold = (time.perf_counter() - started) * 1000
    pages = []
    for _ in range(PAGES):
        started = time.perf_counter()
        patterns_page(unit)
        pages.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        patterns_page(unit)
    hits = ContextHit.objects.count()
    in_unit = Family.objects.filter(police_unit_id=unit).count()
    print(f"\nA unit's patterns page ({hits:,} hits, {in_unit:,} families in the unit), {PAGES} times warm:")
    slow = sorted(pages)[int(len(pages) * 0.95)]
    print(f"  median {statistics.median(pages):.1f} ms, 95th percentile {slow:.1f} ms, first (cold) {cold:.1f} ms")
    print(f"  {len(queries.captured_queries)} queries:")
    for query in queries.captured_queries:
        print(f"    {float(query['time']) * 1000:6.1f} ms  {query['sql'][:90]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=20_000)
    parser.add_argument("--reuse", action="store_true", help="measure the database of the last run again")
    arguments = parser.parse_args()
    env = production_env(f"{POSTGRES}/{DATABASE}")
    if not arguments.reuse:
        psql(f'DROP DATABASE IF EXISTS "{DATABASE}"')
        psql(f'CREATE DATABASE "{DATABASE}"')
    manage(env, "migrate", "--noinput", "-v0")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if not arguments.reuse:
        started = time.perf_counter()
        fill(arguments.families)
        print(f"{arguments.families:,} families with their contexts written in {time.perf_counter() - started:.0f} s")
    psql("ANALYZE", DATABASE)
    measure(arguments.families)


if __name__ == "__main__":
    main()
