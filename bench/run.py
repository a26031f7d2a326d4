"""How fast the pages are at 1,000 and at 20,000 families, on this machine.

For each data size: a PostgreSQL database of its own is filled by ``seed_demo --families``
(kept between runs; ``--fresh`` makes it anew), sessions that passed the second factor are
made in a set-up step, the app runs under gunicorn with the production settings and
``deploy/gunicorn.conf.py``, and wrk drives the load from a second process on loopback.
Each page is measured against the floor (``bench/floor.py``: a bare Django view under the
same gunicorn and wrk), twice: with the kept parts of pages (liaison/fragments.py) and
made anew on every request (``FRAGMENTS=off``), in rounds that go over every page, size
and way in turn; its SQL queries are counted in-process. Prints tables and writes them
as JSON; asserts nothing.

Run with ``make bench``. Needs PostgreSQL on 127.0.0.1 (``BENCH_POSTGRES``; databases named
``BENCH_DATABASE_PREFIX``, ``liaison_bench`` unless set, and the size) and wrk."""

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
from collections.abc import Callable, Iterator
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
# Several people measuring on one PostgreSQL server each keep databases of their own.
DATABASE_PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "liaison_bench")
WORKERS = 2
HTML_CONNECTIONS = 8
PDF_CONNECTIONS = 2
# Targets as ratios to the floor: the signed-in trivial page, then every page made anew.
TARGET_FLOOR_TRIVIAL = 4.0
TARGET_FLOOR_CASE_PAGE = 15.0
TARGET_FLOOR_LIST_PAGE = 25.0
TARGET_RATIO_SCALE = 1.25
TARGET_PDF_SECONDS = 0.5
TARGET_WORKER_MB = 250
WARM_UP_SECONDS = 1

# Bench-only secrets: the databases are demo data, and the same keys must read them again.
BENCH_SECRET = "bench-only-secret-key-" + "x" * 40  # nosec B105 - demo databases only
BENCH_CHECKPOINT_KEY = "bench-only-audit-checkpoint-key-" + "x" * 32  # nosec B105 - demo databases only
BENCH_CONTEXT_MATCH_KEY = "bench-only-context-match-key-" + "x" * 32  # nosec B105 - demo databases only
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
        "CONTEXT_MATCH_KEY": BENCH_CONTEXT_MATCH_KEY,
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
    database = f"{DATABASE_PREFIX}_{name}"
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


# The two ways every page is served: with the kept parts of pages, and made anew.
WAYS = {"kept": {}, "anew": {"FRAGMENTS": "off"}}


@dataclass
class Page:
    name: str
    path: str
    persona: str | None
    connections: int = HTML_CONNECTIONS
    html: bool = True
    target_floor: float | None = None


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
    p50_anew_ms: float = 0.0
    rps_anew: float = 0.0
    ratio: float = 0.0
    floor_ratio: float = 0.0
    floor_ratio_anew: float = 0.0
    target_floor: float | None = None
    extra: dict = field(default_factory=dict)

    @property
    def query_counts(self) -> str:
        """Queries with kept fragments served, and made anew when they differ."""
        return str(self.queries) if self.queries == self.queries_anew else f"{self.queries}/{self.queries_anew}"


@contextmanager
def running_gunicorn(env: dict, port: int, app: str = "liaison.wsgi:application") -> Iterator[subprocess.Popen]:
    gunicorn_env = {**env, "GUNICORN_BIND": f"{HOST}:{port}", "GUNICORN_WORKERS": str(WORKERS)}
    gunicorn_env["GUNICORN_MAX_REQUESTS"] = "0"  # no recycling while memory is measured
    process = subprocess.Popen(  # nosec B603 - fixed arguments
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", app],
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


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time these processes have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def postgres_pids() -> list[int]:
    """Every PostgreSQL process of this machine (the server runs on loopback here)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def machine_busy_seconds() -> float:
    """CPU time the whole machine was busy (every core, idle and waiting left out)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def loaded(load: Callable[..., dict], master: int, *, seconds: int) -> dict:
    """One wrk load, with the CPU time it cost per request: of the app's workers, of
    PostgreSQL, and of the whole machine (the rest is wrk itself and the kernel)."""
    workers, database = worker_pids(master), postgres_pids()
    before = process_cpu_seconds(workers), process_cpu_seconds(database), machine_busy_seconds()
    result = load(seconds=seconds)
    after = process_cpu_seconds(workers), process_cpu_seconds(database), machine_busy_seconds()
    requests = max(result["requests"], 1)
    app, db, busy = ((end - start) * 1000 / requests for start, end in zip(before, after, strict=True))
    return {**result, "cpu_app_ms": app, "cpu_database_ms": db, "cpu_all_ms": busy}


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


def wrk(path: str, cookie: str | None, *, port: int, connections: int, seconds: int, script: Path) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        *(["-H", f"Cookie: {cookie}"] if cookie else []),
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
    case_page, list_page = TARGET_FLOOR_CASE_PAGE, TARGET_FLOOR_LIST_PAGE
    return [
        Page("trivial view", "/health/", "officer", target_floor=TARGET_FLOOR_TRIVIAL),
        Page("trivial, signed out", "/health/", None),
        Page("caseload", "/families/", "officer", target_floor=list_page),
        Page("family page", f"/families/{family}/", "officer", target_floor=case_page),
        Page("chronology", f"/families/{family}/chronology/", "officer", target_floor=case_page),
        Page("progress view", f"/families/{family}/progress/", "officer", target_floor=case_page),
        Page("supervisor dashboard", "/team/dashboard/", "supervisor", target_floor=list_page),
        Page("parents' home page", "/families/portal/", "parent", target_floor=case_page),
        Page("plan PDF", f"/families/{family}/plan/plan.pdf", "officer", PDF_CONNECTIONS, html=False),
    ]


def chosen(pages: list[Page], only: str) -> list[Page]:
    """The pages whose name holds one of the comma-separated words of ``only`` (all if empty)."""
    words = [word.strip() for word in only.split(",") if word.strip()]
    return [page for page in pages if not words or any(word in page.name for word in words)]


def measure(
    urls: dict[str, str], *, seconds: int, rounds: int, script: Path, only: str = ""
) -> tuple[dict, dict, dict]:
    """Every page at every size, both ways, and the floor, in ``rounds`` interleaved rounds:
    one gunicorn per size and way runs throughout, and each round measures page after page,
    size after size. A p50 is the median of its rounds, so a moment when the machine is
    slower (another process, a neighbour on the host) touches every page and size alike."""
    setups = {name: setup_and_count(production_env(url)) for name, url in urls.items()}
    pages = {name: chosen(pages_of(setup), only) for name, setup in setups.items()}
    loads: dict[tuple[str, str, str], list[dict]] = {}
    floor_loads: list[dict] = []
    with ExitStack() as stack:
        ports, servers = {}, {}
        port = PORT
        for name, url in urls.items():
            for way, settings in WAYS.items():
                env = {**production_env(url), **settings}
                servers[name, way] = stack.enter_context(running_gunicorn(env, port))
                ports[name, way] = port
                port += 1
        floor_server = stack.enter_context(
            running_gunicorn(production_env(next(iter(urls.values()))), port, "bench.floor:application")
        )
        floor = partial(wrk, "/", None, port=port, connections=HTML_CONNECTIONS, script=script)
        watches = {key: stack.enter_context(MemoryWatch(process.pid)) for key, process in servers.items()}
        for number in range(1, rounds + 1):
            floor(seconds=WARM_UP_SECONDS)
            floor_loads.append(loaded(floor, floor_server.pid, seconds=seconds))
            for index in range(len(next(iter(pages.values())))):
                for (name, way), server_port in ports.items():
                    page = pages[name][index]
                    cookie = setups[name]["cookies"][page.persona] if page.persona else None
                    load = partial(
                        wrk, page.path, cookie, port=server_port, connections=page.connections, script=script
                    )
                    load(seconds=WARM_UP_SECONDS)  # templates, fonts, connections, kept parts
                    measured = loaded(load, servers[name, way].pid, seconds=seconds)
                    loads.setdefault((name, way, page.name), []).append(measured)
            print(f"  round {number} of {rounds} done", flush=True)
    load_average = os.getloadavg()[0]
    floor_result = {
        "p50_ms": statistics.median(load["p50_ms"] for load in floor_loads),
        "rps": sum(load["requests"] for load in floor_loads) / sum(load["seconds"] for load in floor_loads),
        **_cpu(floor_loads),
    }
    results = {
        name: [
            _result(page, loads[name, "kept", page.name], loads[name, "anew", page.name], setups[name])
            for page in pages[name]
        ]
        for name in urls
    }
    about = {
        name: {
            "worker_peak_mb": max(watches[name, way].peak for way in WAYS),
            "load_average_after": load_average,
            **setups[name]["about"],
        }
        for name in urls
    }
    for rows in results.values():
        trivial = rows[0].p50_ms if rows[0].page == "trivial view" else 0.0
        for row in rows:
            row.ratio = row.p50_ms / trivial if trivial else 0.0
            row.floor_ratio = row.p50_ms / floor_result["p50_ms"]
            row.floor_ratio_anew = row.p50_anew_ms / floor_result["p50_ms"]
    return results, about, floor_result


def _median_p50(loads: list[dict]) -> float:
    return statistics.median(load["p50_ms"] for load in loads)


def _rps(loads: list[dict]) -> float:
    return sum(load["requests"] for load in loads) / sum(load["seconds"] for load in loads)


CPU_FIGURES = ("cpu_app_ms", "cpu_database_ms", "cpu_all_ms")


def _cpu(loads: list[dict]) -> dict:
    """The median over the rounds of each CPU figure per request."""
    return {figure: statistics.median(load[figure] for load in loads) for figure in CPU_FIGURES}


def _result(page: Page, kept: list[dict], anew: list[dict], setup: dict) -> Result:
    counted = setup["pages"][page.path]
    return Result(
        page=page.name,
        path=page.path,
        p50_ms=_median_p50(kept),
        p95_ms=statistics.median(load["p95_ms"] for load in kept),
        rps=_rps(kept),
        requests=sum(load["requests"] for load in kept + anew),
        errors=sum(load["errors"] for load in kept + anew),
        queries=counted["queries"],
        queries_anew=counted["queries_anew"],
        bytes=counted["bytes"],
        p50_anew_ms=_median_p50(anew),
        rps_anew=_rps(anew),
        target_floor=page.target_floor,
        extra={
            "connections": page.connections,
            "p50_rounds_ms": [load["p50_ms"] for load in kept],
            "p50_anew_rounds_ms": [load["p50_ms"] for load in anew],
            "cpu_kept": _cpu(kept),
            "cpu_anew": _cpu(anew),
        },
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


def report(
    results: dict[str, list[Result]], about: dict, floor: dict, generated: dict, seconds: int, rounds: int
) -> None:
    print()
    print("Machine:", json.dumps(machine()))
    print(f"Method: gunicorn {WORKERS} sync workers per size and way, production settings, PostgreSQL on loopback;")
    print(f"  wrk -t2, {HTML_CONNECTIONS} connections for HTML pages and {PDF_CONNECTIONS} for the PDF;")
    print(
        f"  {rounds} rounds, each over every page, size and way, "
        f"{seconds} s a page after a {WARM_UP_SECONDS} s warm-up;"
    )
    print("  p50 and p95 are the median of the rounds; 'kept' serves the kept parts of pages, 'anew'")
    print("  makes every page anew (FRAGMENTS=off); queries counted in-process (kept/made anew).")
    print()
    print(
        f"Floor: a bare Django view (bench/floor.py) under the same gunicorn and wrk: "
        f"p50 {floor['p50_ms']:.2f} ms, {floor['rps']:.0f} req/s. Every ratio below is to it."
    )
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
        print(
            f"  {'page':22} {'p50 kept':>9} {'p95 kept':>9} {'req/s':>7} {'p50 anew':>9} {'req/s':>7} "
            f"{'queries':>9} {'× floor':>8} {'anew':>6}  target"
        )
        for row in rows:
            print(f"  {row.page:22} {_figures(row)}  {_target(row)}")
        _report_cpu(rows, floor)
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


def _report_cpu(rows: list[Result], floor: dict) -> None:
    """Where the CPU of one request goes under the load: the app's workers, PostgreSQL, and
    the whole machine (the rest is wrk and the kernel). With the kept parts a case page is
    made of little more than its frame (sign-in, access policy, audit, header), so the kept
    column says how much of a made-anew target the frame alone already takes."""
    print()
    print("  CPU per request under the load, ms (median of the rounds): the app's workers, PostgreSQL and")
    print(f"  the whole machine ('all'); the floor takes {floor['cpu_all_ms']:.2f} ms of the whole machine.")
    columns = f"{'app':>9} {'db':>5} {'all':>5} {'× floor':>8}"
    print(f"  {'':22} {'kept':>29} {'made anew':>29}")
    print(f"  {'page':22} {columns} {columns}")
    for row in rows:
        kept, anew = row.extra["cpu_kept"], row.extra["cpu_anew"]
        print(f"  {row.page:22} {_cpu_figures(kept, floor)} {_cpu_figures(anew, floor)}")


def _cpu_figures(cpu: dict, floor: dict) -> str:
    ratio = cpu["cpu_all_ms"] / floor["cpu_all_ms"] if floor["cpu_all_ms"] else 0.0
    return f"{cpu['cpu_app_ms']:9.2f} {cpu['cpu_database_ms']:5.2f} {cpu['cpu_all_ms']:5.2f} {ratio:7.1f}×"


def _figures(row: Result) -> str:
    errors = f"  ({row.errors} errors!)" if row.errors else ""
    return (
        f"{row.p50_ms:9.1f} {row.p95_ms:9.1f} {row.rps:7.0f} {row.p50_anew_ms:9.1f} {row.rps_anew:7.0f} "
        f"{row.query_counts:>9} {row.floor_ratio:7.1f}× {row.floor_ratio_anew:5.1f}×{errors}"
    )


def _target(row: Result) -> str:
    """The trivial page is held signed in, as served; every other page made anew."""
    if row.page == "plan PDF" and row.rps:
        return f"< {TARGET_PDF_SECONDS * 1000:.0f} ms: {verdict(row.p50_ms < TARGET_PDF_SECONDS * 1000)}"
    if row.target_floor is None:
        return ""
    if not (row.rps and row.rps_anew):
        return "MISSED: no answer within the load time (a loaded machine?)"
    if row.page == "trivial view":
        return f"≤ {row.target_floor:.0f}× floor: {verdict(row.floor_ratio <= row.target_floor)}"
    return f"anew ≤ {row.target_floor:.0f}× floor: {verdict(row.floor_ratio_anew <= row.target_floor)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1k,20k", help="which data sizes: 1k, 20k or both")
    parser.add_argument("--seconds", type=int, default=5, help="load time per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over every page and size")
    parser.add_argument("--pages", default="", help="only pages whose name holds one of these words: trivial,family")
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
    results, about, floor = measure(
        urls, seconds=options.seconds, rounds=options.rounds, script=script, only=options.pages
    )
    report(results, about, floor, generated, options.seconds, options.rounds)
    Path(options.json).write_text(
        json.dumps(
            {
                "machine": machine(),
                "floor": floor,
                "generated_seconds": generated,
                "about": about,
                "results": {name: [asdict(row) for row in rows] for name, rows in results.items()},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
