"""How fast the pages are at 1,000 and at 20,000 families, on this machine.

For each data size: a PostgreSQL database of its own is filled by ``seed_demo --families``
(kept between runs; ``--fresh`` makes it anew), sessions that passed the second factor are
made in a set-up step, the app runs under gunicorn with the production settings and
``deploy/gunicorn.conf.py``, and wrk drives the load from a second process on loopback.
Each page is measured against a trivial page (``/health/``) of the same run, in rounds
that go over every page and size in turn, and its SQL queries are counted in-process.
Prints tables and writes them as JSON; asserts nothing.

Run with ``make bench``. Needs PostgreSQL on 127.0.0.1 (``BENCH_POSTGRES``) and wrk."""

import argparse
import base64
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess  # nosec B404 - runs gunicorn, wrk and manage.py, all with fixed arguments
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SIZES = {"1k": 1_000, "20k": 20_000}
SEED = 1
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = 2
HTML_CONNECTIONS = 8
PDF_CONNECTIONS = 2
TARGET_RATIO_TRIVIAL = 4.0
TARGET_RATIO_SCALE = 1.25
TARGET_PDF_SECONDS = 0.5
TARGET_WORKER_MB = 250
WARM_UP_SECONDS = 1

# Bench-only secrets: the databases are demo data, and the same keys must read them again.
BENCH_SECRET = "bench-only-secret-key-" + "x" * 40  # nosec B105 - demo databases only
BENCH_CHECKPOINT_KEY = "bench-only-audit-checkpoint-key-" + "x" * 32  # nosec B105 - demo databases only
BENCH_FIELD_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"liaison bench field key").digest()).decode()
HOST = "127.0.0.1"

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format('BENCH {"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000, errors))
end
"""


def production_env(database_url: str) -> dict[str, str]:
    """The production settings, with bench-only keys. HTTPS is what nginx would say in
    X-Forwarded-Proto (see deploy/nginx-liaison.conf); nothing of the settings is weakened."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": BENCH_SECRET,
        "FIELD_ENCRYPTION_KEYS": BENCH_FIELD_KEY,
        "AUDIT_CHECKPOINT_KEY": BENCH_CHECKPOINT_KEY,
        "ALLOWED_HOSTS": f"{HOST},liaison.example",
        "DATABASE_URL": database_url,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PRIVATE_MEDIA_ROOT": tempfile.mkdtemp(prefix="liaison-bench-media-"),
        "PYTHONPATH": str(ROOT),
    }


def manage(env: dict, *args: str, quiet: bool = False) -> str:
    result = subprocess.run(  # nosec B603 - fixed arguments
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if quiet else None,
    )
    return result.stdout or ""


def psql(sql: str, database: str = "postgres") -> str:
    result = subprocess.run(  # nosec B603 B607 - fixed arguments
        ["psql", f"{POSTGRES}/{database}", "-tAc", sql], check=True, text=True, capture_output=True
    )
    return result.stdout.strip()


def prepare_database(name: str, families: int, *, fresh: bool) -> tuple[str, float | None]:
    """The database with that many generated families; (url, seconds it took to generate)."""
    database = f"liaison_bench_{name}"
    url = f"{POSTGRES}/{database}"
    env = production_env(url)
    marker = f"seed={SEED} families={families}"
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"  # nosec B608 - our own name
    if exists and not fresh:
        comment = psql(f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{database}'")  # nosec B608
        if comment == marker:
            manage(env, "migrate", "--noinput", "-v0")
            return url, None
    psql(f'DROP DATABASE IF EXISTS "{database}"')
    psql(f'CREATE DATABASE "{database}"')
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    started = time.perf_counter()
    manage(env, "seed_demo", "--families", str(families), "--seed", str(SEED))
    seconds = time.perf_counter() - started
    manage(env, "seal_audit", quiet=True)
    manage(env, "verify_audit")
    psql(f"COMMENT ON DATABASE \"{database}\" IS '{marker}'")
    analyse(url)
    return url, seconds


def analyse(url: str) -> None:
    subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)  # nosec B603 B607


@dataclass
class Page:
    name: str
    path: str
    persona: str
    connections: int = HTML_CONNECTIONS
    html: bool = True


@dataclass
class Result:
    page: str
    path: str
    p50_ms: float
    p95_ms: float
    rps: float
    requests: int
    errors: int
    queries: int
    queries_anew: int
    bytes: int
    ratio: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def query_counts(self) -> str:
        """Queries with kept fragments served, and made anew when they differ."""
        return str(self.queries) if self.queries == self.queries_anew else f"{self.queries}/{self.queries_anew}"


@contextmanager
def running_gunicorn(env: dict, port: int) -> Iterator[subprocess.Popen]:
    gunicorn_env = {**env, "GUNICORN_BIND": f"{HOST}:{port}", "GUNICORN_WORKERS": str(WORKERS)}
    gunicorn_env["GUNICORN_MAX_REQUESTS"] = "0"  # no recycling while memory is measured
    process = subprocess.Popen(  # nosec B603 - fixed arguments
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "liaison.wsgi:application"],
        cwd=ROOT,
        env=gunicorn_env,
    )
    try:
        _wait_for(port, process)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def worker_pids(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


def rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


class MemoryWatch:
    """The largest resident size any gunicorn worker reaches while the load runs."""

    def __init__(self, master: int) -> None:
        self.master, self.peak, self._stop = master, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in worker_pids(self.master):
                self.peak = max(self.peak, rss_mb(pid))
            self._stop.wait(0.25)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def wrk(path: str, cookie: str, *, port: int, connections: int, seconds: int, script: Path) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        "-H",
        f"Cookie: {cookie}",
        "-H",
        "X-Forwarded-Proto: https",
        f"http://{HOST}:{port}{path}",
    ]
    output = subprocess.run(command, check=True, text=True, capture_output=True).stdout  # nosec B603
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    return json.loads(line.removeprefix("BENCH "))


def setup_and_count(env: dict) -> dict:
    """Runs in a child process with the production settings: makes the sessions and
    counts each page's queries. Prints JSON."""
    output = subprocess.run(  # nosec B603 - fixed arguments
        [PYTHON, str(Path(__file__).resolve().parent / "sessions.py")],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def pages_of(setup: dict) -> list[Page]:
    family = setup["family"]
    return [
        Page("trivial view", "/health/", "officer"),
        Page("caseload", "/families/", "officer"),
        Page("family page", f"/families/{family}/", "officer"),
        Page("chronology", f"/families/{family}/chronology/", "officer"),
        Page("progress view", f"/families/{family}/progress/", "officer"),
        Page("supervisor dashboard", "/team/dashboard/", "supervisor"),
        Page("parents' home page", "/families/portal/", "parent"),
        Page("plan PDF", f"/families/{family}/plan/plan.pdf", "officer", PDF_CONNECTIONS, html=False),
    ]


def measure(urls: dict[str, str], *, seconds: int, rounds: int, script: Path) -> tuple[dict, dict]:
    """Every page at every size, in ``rounds`` interleaved rounds: one gunicorn per size
    runs throughout, and each round measures page after page, size after size. A page's
    p50 is the median of its rounds, so a moment when the machine is slower (another
    process, a neighbour on the host) touches every page and size alike instead of one."""
    setups = {name: setup_and_count(production_env(url)) for name, url in urls.items()}
    pages = {name: pages_of(setup) for name, setup in setups.items()}
    loads: dict[tuple[str, str], list[dict]] = {}
    with ExitStack() as stack:
        servers = {}
        for offset, (name, url) in enumerate(urls.items()):
            servers[name] = stack.enter_context(running_gunicorn(production_env(url), PORT + offset))
        watches = {name: stack.enter_context(MemoryWatch(process.pid)) for name, process in servers.items()}
        for number in range(1, rounds + 1):
            for index in range(len(next(iter(pages.values())))):
                for offset, name in enumerate(urls):
                    page = pages[name][index]
                    cookie = setups[name]["cookies"][page.persona]
                    port = PORT + offset
                    load = partial(wrk, page.path, cookie, port=port, connections=page.connections, script=script)
                    load(seconds=WARM_UP_SECONDS)  # templates, fonts, connections, kept parts
                    loads.setdefault((name, page.name), []).append(load(seconds=seconds))
            print(f"  round {number} of {rounds} done", flush=True)
    load_average = os.getloadavg()[0]
    results = {name: [_result(page, loads[name, page.name], setups[name]) for page in pages[name]] for name in urls}
    about = {
        name: {"worker_peak_mb": watches[name].peak, "load_average_after": load_average, **setups[name]["about"]}
        for name in urls
    }
    for rows in results.values():
        trivial = rows[0].p50_ms
        for row in rows:
            row.ratio = row.p50_ms / trivial if trivial else 0.0
    return results, about


def _result(page: Page, loads: list[dict], setup: dict) -> Result:
    counted = setup["pages"][page.path]
    requests = sum(load["requests"] for load in loads)
    return Result(
        page=page.name,
        path=page.path,
        p50_ms=statistics.median(load["p50_ms"] for load in loads),
        p95_ms=statistics.median(load["p95_ms"] for load in loads),
        rps=requests / sum(load["seconds"] for load in loads),
        requests=requests,
        errors=sum(load["errors"] for load in loads),
        queries=counted["queries"],
        queries_anew=counted["queries_anew"],
        bytes=counted["bytes"],
        extra={"connections": page.connections, "p50_rounds_ms": [load["p50_ms"] for load in loads]},
    )


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    postgres = psql("SHOW server_version")
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]  # nosec
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgres": postgres,
        "wrk": wrk_version.strip(),
        "kernel": platform.release(),
    }


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(results: dict[str, list[Result]], about: dict, generated: dict, seconds: int, rounds: int) -> None:
    print()
    print("Machine:", json.dumps(machine()))
    print(f"Method: gunicorn {WORKERS} sync workers per size, production settings, PostgreSQL on loopback;")
    print(f"  wrk -t2, {HTML_CONNECTIONS} connections for HTML pages and {PDF_CONNECTIONS} for the PDF;")
    print(f"  {rounds} rounds, each over every page and size, {seconds} s a page after a {WARM_UP_SECONDS} s warm-up;")
    print("  p50 and p95 are the median of the rounds; queries counted in-process with the same")
    print("  settings (kept/made anew).")
    for name, rows in results.items():
        print()
        extra = about[name]
        gen = generated.get(name)
        made = f", generated in {gen:.0f} s" if gen else " (database kept from an earlier run)"
        print(
            f"{SIZES[name]:,} families{made}; worker memory peak {extra['worker_peak_mb']:.0f} MB "
            f"(target < {TARGET_WORKER_MB} MB: {verdict(extra['worker_peak_mb'] < TARGET_WORKER_MB)})"
        )
        print(f"  family measured: {extra['family_about']}")
        anew = dict(extra["made_anew_ms"])
        trivial = anew.pop("trivial view")
        made = ", ".join(f"{page} {ms:.1f} ms ({ms / trivial:.1f}×)" for page, ms in anew.items())
        print(f"  made anew after a change, in-process p50 (trivial view {trivial:.1f} ms): {made}")
        print(f"  load average of the machine after the run: {extra['load_average_after']:.1f}")
        print(f"  {'page':22} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'queries':>9} {'× trivial':>9}  target")
        for row in rows:
            if row.page == "trivial view":
                target = ""
            elif row.page == "plan PDF":
                target = f"< {TARGET_PDF_SECONDS * 1000:.0f} ms: {verdict(row.p50_ms < TARGET_PDF_SECONDS * 1000)}"
            else:
                target = f"≤ {TARGET_RATIO_TRIVIAL:.0f}×: {verdict(row.ratio <= TARGET_RATIO_TRIVIAL)}"
            errors = f"  ({row.errors} errors!)" if row.errors else ""
            print(
                f"  {row.page:22} {row.p50_ms:8.1f} {row.p95_ms:8.1f} {row.rps:8.1f} {row.query_counts:>9} "
                f"{row.ratio:8.1f}×  {target}{errors}"
            )
    if len(results) == 2:
        small, large = results["1k"], results["20k"]
        print()
        header = f"  {'page':22} {'p50 1k':>8} {'p50 20k':>8} {'20k/1k':>7} {'queries':>9}"
        print(f"{header}  target ≤ {TARGET_RATIO_SCALE}×")
        for a, b in zip(small, large, strict=True):
            ratio = b.p50_ms / a.p50_ms if a.p50_ms else 0.0
            same = "same" if a.query_counts == b.query_counts else f"{a.query_counts}→{b.query_counts}"
            print(
                f"  {a.page:22} {a.p50_ms:8.1f} {b.p50_ms:8.1f} {ratio:6.2f}× {same:>9}  "
                f"{verdict(ratio <= TARGET_RATIO_SCALE)}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1k,20k", help="which data sizes: 1k, 20k or both")
    parser.add_argument("--seconds", type=int, default=5, help="load time per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over every page and size")
    parser.add_argument("--fresh", action="store_true", help="generate the databases anew")
    parser.add_argument("--json", default=str(ROOT / "bench" / "results.json"), help="where to write the results")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench installs it when run as root).")
    print("Collecting static files for the production settings ...", flush=True)
    manage(production_env(f"{POSTGRES}/postgres"), "collectstatic", "--noinput", "-v0")
    script = Path(tempfile.mkdtemp(prefix="liaison-bench-")) / "report.lua"
    script.write_text(WRK_SCRIPT)
    urls, generated = {}, {}
    for name in options.sizes.split(","):
        print(f"Preparing {SIZES[name]:,} families ...", flush=True)
        urls[name], seconds = prepare_database(name, SIZES[name], fresh=options.fresh)
        if seconds:
            generated[name] = seconds
    print(f"Measuring {', '.join(f'{SIZES[name]:,}' for name in urls)} families ...", flush=True)
    results, about = measure(urls, seconds=options.seconds, rounds=options.rounds, script=script)
    report(results, about, generated, options.seconds, options.rounds)
    Path(options.json).write_text(
        json.dumps(
            {
                "machine": machine(),
                "generated_seconds": generated,
                "about": about,
                "results": {name: [asdict(row) for row in rows] for name, rows in results.items()},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
