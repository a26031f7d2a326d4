"""Where the time of a request goes, in-process: for the pages ``make bench`` measures,
the SQL queries of one request, the in-process median made anew (kept fragments thrown
away first; run with ``FRAGMENTS=off`` to make them as ``make bench`` does), the part of
it that is CPU time of the app process itself, the CPU time of the PostgreSQL process
serving it (when the server runs on this machine), and a cProfile of a few requests, on a
PostgreSQL database seeded the way ``bench/run.py`` seeds it (``--kept`` keeps the kept
parts: the frame of the page alone). Cheap and steady on a loaded machine, unlike wrk.

    python bench/profile_pages.py --database liaison_speed_1k --families 1000 [--pages family,caseload]
        [--top 25] [--sort tottime] [--queries] [--dump /tmp/profiles]

The database is made and seeded when it does not exist yet (``seed_demo --families``);
the production settings are used, with the bench's keys. Prints; asserts nothing."""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess  # nosec B404 - re-runs this script with the production settings
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run import POSTGRES, PYTHON, ROOT, manage, process_cpu_seconds, production_env, psql  # noqa: E402

CHILD = "LIAISON_PROFILE_CHILD"


def prepare(database: str, families: int) -> str:
    url = f"{POSTGRES}/{database}"
    env = production_env(url)
    manage(env, "collectstatic", "--noinput", "-v0")
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'") != "1":  # nosec B608 - our own name
        psql(f'CREATE DATABASE "{database}"')
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "createcachetable")
        manage(env, "seed_demo", "--families", str(families), "--seed", "1")
        subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)  # nosec B603 B607
    else:
        manage(env, "migrate", "--noinput", "-v0")
    return url


def database_cpu_seconds(connection) -> float:
    """CPU time the PostgreSQL process serving this connection has used (user and system),
    read from /proc when the server runs on this machine; -1 when it cannot be read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    if not Path(f"/proc/{pid}/stat").exists():
        return -1.0
    return process_cpu_seconds([pid])


def profile_in_child(options: argparse.Namespace) -> None:
    """Runs after django.setup() with the production settings."""
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from sessions import measured_family, signed_in

    from liaison.accounts.models import User
    from liaison.demo.words import DEMO_DOMAIN, FIRST_OFFICER_EMAIL

    officer = User.objects.get(email=FIRST_OFFICER_EMAIL)
    supervisor = User.objects.get(email=f"supervisor-000@{DEMO_DOMAIN}")
    family = measured_family(officer)
    parent = family.household_members.filter(user__isnull=False, is_suspected=False).first().user
    clients = {"officer": signed_in(officer), "supervisor": signed_in(supervisor), "parent": signed_in(parent)}
    pages = {
        "trivial": ("/health/", "officer"),
        "caseload": ("/families/", "officer"),
        "family": (f"/families/{family.pk}/", "officer"),
        "chronology": (f"/families/{family.pk}/chronology/", "officer"),
        "progress": (f"/families/{family.pk}/progress/", "officer"),
        "dashboard": ("/team/dashboard/", "supervisor"),
        "portal": ("/families/portal/", "parent"),
    }
    wanted = options.pages.split(",") if options.pages else list(pages)

    def get(client, path):
        if not options.kept:
            caches["fragments"].clear()  # made anew, as after any change in the team
        response = client.get(path, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return response

    for name in wanted:
        path, persona = pages[name]
        client = clients[persona]
        get(client, path)  # warms templates and connections
        with CaptureQueriesContext(connection) as captured:
            get(client, path)
        queries = list(captured.captured_queries)  # the next request empties the log
        durations, cpu = [], []
        database_started = database_cpu_seconds(connection)
        for _ in range(options.times):
            started, started_cpu = time.perf_counter(), time.process_time()
            get(client, path)
            durations.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        database_ms = (database_cpu_seconds(connection) - database_started) / options.times * 1000
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(options.times):
            get(client, path)
        profiler.disable()
        print(
            f"\n=== {name} {path} as {persona}: {len(queries)} queries, made anew p50 "
            f"{statistics.median(durations):.1f} ms in-process, of which {statistics.median(cpu):.1f} ms "
            "CPU of the app process (steadier on a loaded machine)"
            + (f"; PostgreSQL's CPU {database_ms:.1f} ms a request" if database_started >= 0 else "")
        )
        if options.queries:
            for query in queries:
                print("   ", query["sql"][:220])
        if options.dump:
            Path(options.dump).mkdir(parents=True, exist_ok=True)
            profiler.dump_stats(Path(options.dump) / f"{name}.prof")
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(options.sort).print_stats(options.top)
        print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="liaison_profile_1k", help="a database of your own on BENCH_POSTGRES")
    parser.add_argument("--families", type=int, default=1000, help="families to seed when the database is made")
    parser.add_argument("--pages", default="", help="trivial,caseload,family,chronology,progress,dashboard,portal")
    parser.add_argument("--times", type=int, default=10, help="requests timed and profiled per page")
    parser.add_argument("--top", type=int, default=25, help="functions printed per page")
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime, ...")
    parser.add_argument("--queries", action="store_true", help="print each query of one request")
    parser.add_argument("--kept", action="store_true", help="keep the kept parts of pages (the frame alone)")
    parser.add_argument("--dump", default="", help="a folder to write <page>.prof files to")
    options = parser.parse_args()
    if os.environ.get(CHILD):
        profile_in_child(options)
        return
    url = prepare(options.database, options.families)
    env = {**production_env(url), CHILD: "1"}
    subprocess.run([PYTHON, __file__, *sys.argv[1:]], cwd=ROOT, env=env, check=True)  # nosec B603


if __name__ == "__main__":
    main()
