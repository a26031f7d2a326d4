"""How long the safety plan PDF takes to render, against a trivial page rendered in the
same run. Prints p50 and p95 and their ratio; it asserts nothing (timings belong here,
never in the test suite).

Run with ``make bench`` (it uses a throw-away SQLite database)."""

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROUNDS = 15


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    database = Path(tempfile.mkdtemp(prefix="liaison-bench-")) / "bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def three_page_plan():
    """A plan as long as a real one gets: three pages and more in the staff copy."""
    from django.utils import timezone

    from families.models import Child, Family
    from liaison.accounts.models import PoliceUnit, Role, Team, User
    from safety_plans import services
    from safety_plans.models import PersonOfConcern, PlanContact, PlanStatement, PoliceAction

    team = Team.objects.create(name="Bench")
    unit = PoliceUnit.objects.create(name="Bench unit")
    officer = User.objects.create_user(
        email="bench@example.org", full_name="Bench Officer", role=Role.OFFICER, team=team
    )
    family = Family.objects.create(display_name="Bench", team=team, liaison_officer=officer, police_unit=unit)
    Child.objects.create(
        family=family,
        full_name="Child",
        exploitation_kind="sexual",
        risk_level="high",
        risk_set_on=timezone.localdate(),
        created_by=officer,
    )
    version = services.plan_version_start(family=family, created_by=officer)
    text = "A sentence of the length parents and officers write in a plan, with some detail. " * 2

    def add(part):
        services.plan_part_save(version=version, part=part, base_revision=version.revision, actor=officer)

    for section in ("warning_signs", "parents_do", "parents_do_not", "child_can", "siblings", "risks"):
        for _ in range(3):
            add(PlanStatement(version=version, section=section, text=text))
    for _ in range(2):
        add(PersonOfConcern(version=version, visibility="staff", name="Person", concern=text, places=text))
        add(PoliceAction(version=version, kind="other", description=text, owner="Unit"))
        add(PlanContact(version=version, kind="support_line", name="Line", phone="0800"))
    services.plan_review_date_set(
        version=version,
        review_on=timezone.localdate() + timedelta(weeks=8),
        base_revision=version.revision,
        actor=officer,
    )
    return version


def timed(function) -> list[float]:
    function()  # warm up: fonts, templates
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main() -> None:
    setup_django()
    from pypdf import PdfReader
    from weasyprint import HTML

    from liaison import pdf
    from safety_plans.models import PlanSection
    from safety_plans.selectors import version_parts

    version = three_page_plan()
    context = {"version": version, "sections": PlanSection, "for_parents": False, "family": None}

    def staff_pdf() -> bytes:
        parts = version_parts(version, ("parents", "staff", "police"))
        return pdf.render_pdf("safety_plans/pdf.html", {**context, "parts": parts, "has_police_parts": True})

    def trivial() -> bytes:
        return HTML(string="<p>One line.</p>").write_pdf()

    from io import BytesIO

    pages = len(PdfReader(BytesIO(staff_pdf())).pages)
    baseline, plan = timed(trivial), timed(staff_pdf)
    print(f"safety plan PDF ({pages} pages), {ROUNDS} rounds")
    for name, values in (("one-line PDF", baseline), ("plan PDF", plan)):
        print(f"  {name:14} p50 {statistics.median(values) * 1000:8.1f} ms   p95 {p95(values) * 1000:8.1f} ms")
    print(f"  ratio plan PDF / one-line PDF (p50): {statistics.median(plan) / statistics.median(baseline):.0f}x")
    target = 0.5
    verdict = "within" if statistics.median(plan) < target else "OVER"
    print(f"  target: a three-page plan under {target * 1000:.0f} ms -> {verdict}")


if __name__ == "__main__":
    main()
