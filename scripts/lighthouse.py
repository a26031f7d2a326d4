"""Lighthouse's accessibility and best-practices scores on every page a role can reach,
in Dutch and English (issue 26 asks 100 on both, everywhere).

Makes a demo database of its own (``seed_demo``) in a temporary folder, serves it with
``manage.py runserver``, signs each demo person in (staff with a verified second factor,
as django-otp records it), walks the pages each one reaches by following the links of
the pages they get, and runs Lighthouse (pinned, installed from the npm registry into
``.make/lighthouse``; a measuring tool, not a build step) on each page. Lighthouse drives
a Debian chromium that this script starts headless with a profile of its own and a
remote-debugging port: the session and language cookies are put into that profile
(through the DevTools protocol, with Playwright), so the browser carries the session as
a person's browser does, also after a page sets a cookie of its own (an extra ``Cookie``
header stops there: Lighthouse issue #6207). Prints one line per page and run, writes
``.make/lighthouse.json`` and exits with 1 when any score is below 100. A page is measured
once a persona, at the first address found for it (the pages of two families share their
template); ``--every-address`` measures each address found. Pages not yet measured for
another persona go first. Slow: about 10-20 s a run; ``--jobs`` runs several browsers at
once, ``--limit``, ``--personas``, ``--languages`` and ``--only`` (a part of the address,
such as ``/admin/``) make it shorter. Run with ``make lighthouse``."""

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess  # nosec B404 - runs manage.py, npm and lighthouse with fixed arguments
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# 12.x runs on the Node.js of Debian 12 (13.x asks for Node.js 22).
LIGHTHOUSE_VERSION = "12.8.2"
LIGHTHOUSE_DIR = ROOT / ".make" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
HOST = "127.0.0.1"
PORT = int(os.environ.get("LIGHTHOUSE_PORT", "8791"))
# The first of the browsers' remote-debugging ports; --jobs takes the ones after it.
DEBUG_PORT = int(os.environ.get("LIGHTHOUSE_DEBUG_PORT", "9321"))
CATEGORIES = ("accessibility", "best-practices")
PERSONAS = ("officer", "supervisor", "police", "analyst", "administrator", "parent")
LANGUAGES = ("nl", "en")

SIGN_IN_AND_WALK = """
import json, sys
import django
django.setup()
from collections import deque
from urllib.parse import urljoin, urlsplit
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from html.parser import HTMLParser
from liaison.accounts.models import User
from liaison.demo.words import DEMO_DOMAIN

EMAILS = {"officer": "officer", "supervisor": "supervisor", "police": "police", "analyst": "analyst",
          "administrator": "admin", "parent": "parent"}
# Links that end the session, leave the site, or answer with a file instead of a page.
SKIP = ("/accounts/logout", "/sign-out", "/quick-exit", ".pdf", ".csv", ".json", "/admin/logout")
# However many addresses the links lead to (the admin's sorted and filtered lists are endless).
VISITS_AT_MOST = 3000


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.found.append(href)


def signed_in(user):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="liaison.accounts.authentication.AuthenticationBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if user.is_staff_role or device is not None:
        device = device or TOTPDevice.objects.create(user=user, name="lighthouse", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


# The page an address shows: its URL name, whatever the family or the query.
def page_of(address, every_address):
    if every_address:
        return address
    try:
        return resolve(urlsplit(address).path).view_name
    except Resolver404:
        return address


def walk(client, limit, every_address):
    seen, pages, found, queue = set(), [], set(), deque(["/"])
    while queue and len(pages) < limit and len(seen) < VISITS_AT_MOST:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path, follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else path
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if page_of(final, every_address) not in found:
            found.add(page_of(final, every_address))
            pages.append(final)
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.found:
            url = urlsplit(urljoin(final, href))
            if url.netloc not in ("", "127.0.0.1") or not url.path.startswith("/"):
                continue
            if any(part in url.path for part in SKIP) or url.path.startswith("/static/"):
                continue
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return pages


limit = int(sys.argv[1])
chosen = sys.argv[2].split(",")
every_address = sys.argv[3] == "every-address"
result = {}
for persona in chosen:
    user = User.objects.get(email=f"{EMAILS[persona]}@{DEMO_DOMAIN}")
    client = signed_in(user)
    pages = walk(client, limit, every_address)
    # A fresh session for Lighthouse: walking may have changed nothing, but start clean.
    session = signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value
    result[persona] = {"session": session, "pages": pages, "names": [page_of(page, False) for page in pages]}
print(json.dumps({"session_cookie": settings.SESSION_COOKIE_NAME, "language_cookie": settings.LANGUAGE_COOKIE_NAME,
                  "personas": result}))
"""


def run(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, check=True, text=True, **kwargs)  # nosec B603


def installed_version() -> str | None:
    package = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text())["version"] if package.exists() else None


def install_lighthouse() -> None:
    if LIGHTHOUSE.exists() and installed_version() == LIGHTHOUSE_VERSION:
        return
    if shutil.which("npm") is None:
        raise SystemExit("npm is missing: apt-get install npm (Lighthouse comes from the npm registry).")
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # nosec B603 B607 - fixed arguments
        [
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(LIGHTHOUSE_DIR),
            f"lighthouse@{LIGHTHOUSE_VERSION}",
        ],
        check=True,
    )


def demo_env(folder: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'lighthouse.sqlite3'}",
        "PRIVATE_MEDIA_ROOT": str(folder / "media"),
        "PYTHONPATH": str(ROOT),
    }


def start_server(env: dict) -> subprocess.Popen:
    server = subprocess.Popen(  # nosec B603 - fixed arguments
        [PYTHON, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload", "--nothreading"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(3)
    return server


class Browser:
    """A headless chromium with a profile of its own and a remote-debugging port, which
    Lighthouse drives (``--port``). The cookies of a signed-in person are put into the
    profile, so every page Lighthouse opens in it carries them as a person's browser does."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.profile = Path(tempfile.mkdtemp(prefix="liaison-lighthouse-profile-"))
        self.process = subprocess.Popen(  # nosec B603 - fixed arguments
            [
                CHROMIUM,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "--no-first-run",
                "--no-default-browser-check",
                # This machine's network is closed to the world: no calls home.
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.address = f"http://{HOST}:{port}"
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{self.address}/json/version", timeout=1):  # noqa: S310  # nosec B310 - local
                    return
            except OSError:
                time.sleep(0.2)
        self.close()
        raise SystemExit(f"chromium did not open its debugging port {port}")

    def sign_in(self, cookies: dict[str, str]) -> None:
        """The profile holds these cookies for the site, and no others."""
        with sync_playwright() as playwright:
            browser = playwright.chromium.connect_over_cdp(self.address)
            profile = browser.contexts[0]
            profile.clear_cookies()
            site = f"http://{HOST}:{PORT}"
            profile.add_cookies([{"name": name, "value": value, "url": site} for name, value in cookies.items()])

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def lighthouse(url: str, browser: Browser, *, form_factor: str) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        f"--port={browser.port}",
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--only-categories={','.join(CATEGORIES)}",
        "--disable-full-page-screenshot",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    done = subprocess.run(command, check=False, text=True, capture_output=True)  # nosec B603 - fixed arguments
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return {**{category: 0.0 for category in CATEGORIES}, "failed": [f"lighthouse: {done.stderr[-300:]}"]}
    scores = {name: report["categories"][name]["score"] or 0.0 for name in CATEGORIES}
    failed, details = [], {}
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] not in (None, 1):
                failed.append(ref["id"])
                details[ref["id"]] = [what(item) for item in (audit.get("details") or {}).get("items", [])[:5]]
    return {**scores, "failed": failed, "details": details, "final_url": report.get("finalDisplayedUrl")}


def what(item: dict) -> str:
    """An audit's finding in a line: the console text, the node, the issue."""
    node = item.get("node") or {}
    parts = [item.get("description"), item.get("source"), item.get("url"), node.get("selector"), item.get("issueType")]
    return " ".join(str(part) for part in parts if part)[:300]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--personas", default=",".join(PERSONAS))
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("--limit", type=int, default=200, help="at most this many pages a persona")
    parser.add_argument("--form-factor", choices=("mobile", "desktop"), default="mobile")
    parser.add_argument("--every-address", action="store_true", help="each address found, not each page once")
    parser.add_argument("--only", default="", help="only the addresses that hold this, such as /admin/")
    parser.add_argument("--below", type=Path, help="only the runs of this earlier report that scored below 100")
    parser.add_argument("--jobs", type=int, default=1, help="this many browsers at once, one Lighthouse run each")
    parser.add_argument("--report", type=Path, default=ROOT / ".make" / "lighthouse.json")
    options = parser.parse_args()
    again = None
    if options.below:
        again = {
            (row["persona"], row["language"], row["path"])
            for row in json.loads(options.below.read_text())
            if not perfect(row)
        }
        options.personas = ",".join(sorted({persona for persona, _, _ in again}))
    install_lighthouse()
    folder = Path(tempfile.mkdtemp(prefix="liaison-lighthouse-"))
    env = demo_env(folder)
    print("Making a demo database ...", flush=True)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PYTHON, "manage.py", "seed_demo"], env, stdout=subprocess.DEVNULL)
    walk = "every-address" if options.every_address else "each-page"
    walked = json.loads(
        run([PYTHON, "-c", SIGN_IN_AND_WALK, str(options.limit), options.personas, walk], env, capture_output=True)
        .stdout.strip()
        .splitlines()[-1]
    )
    # One browser profile for each persona and language; in each, the pages no other
    # persona showed first, so that a run cut short has seen each page.
    groups, measured = {}, set()
    for persona, found in walked["personas"].items():
        for language in options.languages.split(","):
            first, repeated = [], []
            for path, name in zip(found["pages"], found["names"], strict=True):
                if options.only not in path or (again is not None and (persona, language, path) not in again):
                    continue
                (repeated if (name, language) in measured else first).append(path)
                measured.add((name, language))
            if first or repeated:
                cookies = {walked["session_cookie"]: found["session"], walked["language_cookie"]: language}
                groups[(persona, language)] = (cookies, first + repeated)
    counts = ", ".join(f"{persona} {len(found['pages'])} pages" for persona, found in walked["personas"].items())
    print(f"{sum(len(paths) for _, paths in groups.values())} runs: {counts}", flush=True)

    rows, lock = [], threading.Lock()
    ports = queue.Queue()
    for number in range(options.jobs):
        ports.put(DEBUG_PORT + number)

    def measure_group(persona: str, language: str, cookies: dict, paths: list[str]) -> None:
        port = ports.get()
        browser = Browser(port)
        try:
            browser.sign_in(cookies)
            for path in paths:
                scores = lighthouse(f"http://{HOST}:{PORT}{path}", browser, form_factor=options.form_factor)
                row = {"persona": persona, "language": language, "path": path, **scores}
                marks = " ".join(f"{name} {scores[name] * 100:.0f}" for name in CATEGORIES)
                failed = "" if perfect(row) else f"  failed: {', '.join(scores.get('failed', []))}"
                print(f"{persona:13} {language} {path:60} {marks}{failed}", flush=True)
                with lock:
                    rows.append(row)
                    options.report.write_text(json.dumps(rows, indent=2))
        finally:
            browser.close()
            ports.put(port)

    options.report.parent.mkdir(parents=True, exist_ok=True)
    server = start_server(env)
    try:
        with ThreadPoolExecutor(max_workers=options.jobs) as pool:
            for done in [pool.submit(measure_group, *key, *group) for key, group in groups.items()]:
                done.result()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    below = sum(not perfect(row) for row in rows)
    print(f"\n{len(rows)} runs, {below} below 100 in {' or '.join(CATEGORIES)}.")
    for name in CATEGORIES:
        scores = [row[name] * 100 for row in rows] or [0]
        print(f"{name}: lowest {min(scores):.0f}, median {statistics.median(scores):.0f}")
    sys.exit(1 if below else 0)


def perfect(row: dict) -> bool:
    return all(row[name] == 1 for name in CATEGORIES)


if __name__ == "__main__":
    main()
