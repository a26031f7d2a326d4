"""How many audited reads a second the app can append, with 1 and with 4 app workers.

Every read of a case appends an audit event (``audit_record`` for CASE_VIEWED). Each
worker is a process of its own with its own connection to PostgreSQL, as gunicorn's
workers are, and appends events one transaction each for a fixed time, while the sealer
(``manage.py seal_audit --follow``) seals them beside it. Prints the events a second for
1 and 4 workers, their ratio (4 workers on an audit trail without a global lock should
append more than 1, as far as the machine's cores allow), and how long the sealer took to
seal the last event after the workers stopped. Asserts nothing.

Run with ``make bench`` (after bench/run.py). Needs PostgreSQL on 127.0.0.1 (``BENCH_POSTGRES``);
the database ``liaison_bench_audit`` is made anew each run."""

import argparse
import multiprocessing
import os
import subprocess  # nosec B404 - runs manage.py with fixed arguments
import sys
import time
from contextlib import contextmanager

from run import POSTGRES, PYTHON, ROOT, manage, production_env, psql

DATABASE = "liaison_bench_audit"
WORKER_COUNTS = (1, 4)
SECONDS = 10
SEAL_WAIT_SECONDS = 60


def bench_env() -> dict[str, str]:
    return production_env(f"{POSTGRES}/{DATABASE}")


def fresh_database(env: dict) -> None:
    psql(f'DROP DATABASE IF EXISTS "{DATABASE}"')
    psql(f'CREATE DATABASE "{DATABASE}"')
    manage(env, "migrate", "--noinput", "-v0")


def append_events(env: dict, start: multiprocessing.Barrier, seconds: float, counts: multiprocessing.Queue) -> None:
    """One app worker: append CASE_VIEWED events for ``seconds``; put how many."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from liaison.audit.models import AuditAction
    from liaison.audit.services import audit_record

    audit_record(action=AuditAction.CASE_VIEWED, family_id=1)  # connected before the clock starts
    start.wait()
    appended, ends_at = 0, time.perf_counter() + seconds
    while time.perf_counter() < ends_at:
        audit_record(action=AuditAction.CASE_VIEWED, family_id=1, detail={"bench": appended})
        appended += 1
    counts.put(appended)


def appended_per_second(env: dict, workers: int, seconds: float) -> float:
    context = multiprocessing.get_context("spawn")
    start, counts = context.Barrier(workers + 1, timeout=120), context.Queue()
    processes = [context.Process(target=append_events, args=(env, start, seconds, counts)) for _ in range(workers)]
    for process in processes:
        process.start()
    start.wait()
    started = time.perf_counter()
    total = sum(counts.get() for _ in processes)
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    return total / elapsed


@contextmanager
def running_sealer(env: dict):
    sealer = subprocess.Popen(  # nosec B603 - fixed arguments
        [PYTHON, "manage.py", "seal_audit", "--follow", "--language", "en"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        sealer.terminate()
        sealer.wait(timeout=30)


UNSEALED = (
    "SELECT count(*) FROM audit_auditevent e "
    "WHERE NOT EXISTS (SELECT 1 FROM audit_auditsealedevent s WHERE s.event_id = e.id)"
)


def unsealed() -> int:
    return int(psql(UNSEALED, DATABASE))


def seconds_until_sealed() -> float | None:
    """After the workers stopped: how long until the sealer sealed the last event."""
    started = time.perf_counter()
    while time.perf_counter() - started < SEAL_WAIT_SECONDS:
        if unsealed() == 0:
            return time.perf_counter() - started
        time.sleep(0.1)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=SECONDS, help="How long each run appends.")
    parser.add_argument("--without-sealer", action="store_true", help="For versions of the app from before the sealer.")
    options = parser.parse_args()
    env = bench_env()
    fresh_database(env)
    print(f"Audited reads a second ({options.seconds:.0f} s each, PostgreSQL {psql('SHOW server_version')}):")
    print(f"{'workers':>8} {'reads/s':>10} {'sealed after':>14}")
    rates = {}
    for workers in WORKER_COUNTS:
        if options.without_sealer:
            rates[workers] = appended_per_second(env, workers, options.seconds)
            lag = "-"
        else:
            with running_sealer(env):
                rates[workers] = appended_per_second(env, workers, options.seconds)
                sealed_after = seconds_until_sealed()
            lag = f"{sealed_after:.1f} s" if sealed_after is not None else f"> {SEAL_WAIT_SECONDS} s"
        print(f"{workers:>8} {rates[workers]:>10.0f} {lag:>14}")
    first, last = WORKER_COUNTS[0], WORKER_COUNTS[-1]
    print(f"ratio {last} workers / {first}: {rates[last] / rates[first]:.2f} (on {os.cpu_count()} cores)")
    if not options.without_sealer:
        manage(env, "verify_audit", "--language", "en")


if __name__ == "__main__":
    main()
