"""The team report: only supervisors see it, the numbers are right on a small hand-built
team, the period is checked, the CSV carries aggregate numbers and nothing that names a
family, and the cost in queries does not grow with the team."""

import csv
import io
from datetime import date, datetime
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from families.charts import BarGroup, bar_chart_svg
from families.models import AgencyInvolvement, ContactEntry, FamilyStatus
from liaison.staff.report_views import default_period
from liaison.staff.reports import team_report
from safety_plans.models import PlanEndorsement, PlanStatus, PlanVersion, SafetyPlan
from tests.factories import ChildFactory, FamilyFactory, HouseholdMemberFactory
from tests.factories import progress_review as review

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
PERIOD = {"start": "2025-01-01", "end": "2025-12-31"}
START, END = date(2025, 1, 1), date(2025, 12, 31)


def at(year: int, month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 12))


def contact(family, when: datetime) -> ContactEntry:
    return ContactEntry.objects.create(
        family=family,
        occurred_at=when,
        kind="home_visit",
        with_whom="Mother",
        summary="Visit",
        created_by=family.liaison_officer,
    )


def endorse(family, when: datetime, police) -> PlanEndorsement:
    officer = family.liaison_officer
    plan = SafetyPlan.objects.create(family=family, created_by=officer)
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        status=PlanStatus.ACTIVE,
        review_on=when.date(),
        created_by=officer,
        updated_by=officer,
    )
    endorsement = PlanEndorsement.objects.create(version=version, endorsed_by=police)
    PlanEndorsement.objects.filter(pk=endorsement.pk).update(endorsed_at=when)
    return endorsement


def worker(family, agency: str, name: str, started_on: date) -> AgencyInvolvement:
    return AgencyInvolvement.objects.create(
        family=family, agency=agency, worker_name=name, started_on=started_on, created_by=family.liaison_officer
    )


@pytest.fixture
def team_data(officer, other_officer, police):
    """Eight families; the comments say what each one adds to the report of 2025."""
    families = {}

    def make(key, *, referral_on, source="other", officer_=officer, **fields):
        family = FamilyFactory(
            liaison_officer=officer_,
            display_name=f"Family {key}",
            referral_on=referral_on,
            referral_source=source,
            **fields,
        )
        ChildFactory(family=family, full_name=f"Child{key}")
        HouseholdMemberFactory(family=family, full_name=f"Parent{key}")
        families[key] = family
        return family

    # Alpha: police referral; first contact after 3 days, plan after 30; U up, E same, R down; 1 worker change.
    alpha = make("Alpha", referral_on=date(2025, 2, 1), source="police")
    contact(alpha, at(2025, 2, 4))
    contact(alpha, at(2025, 3, 1))
    endorse(alpha, at(2025, 3, 3), police)
    review(alpha, date(2025, 2, 10), (2, 3, 4))
    review(alpha, date(2025, 5, 10), (3, 3, 3))
    worker(alpha, "youth_care", "WorkerAlphaOne", date(2025, 2, 1))
    worker(alpha, "school", "WorkerAlphaSchool", date(2025, 3, 1))
    worker(alpha, "youth_care", "WorkerAlphaTwo", date(2025, 6, 1))

    # Bravo: police referral; contact after 10 days, no plan; a correction turns "all down" into U up, E same,
    # R down; three changes of worker at the police.
    bravo = make("Bravo", referral_on=date(2025, 3, 1), source="police")
    contact(bravo, at(2025, 3, 11))
    review(bravo, date(2025, 3, 15), (3, 3, 3))
    wrong = review(bravo, date(2025, 6, 15), (2, 2, 2))
    review(bravo, date(2025, 6, 15), (4, 3, 2), corrects=wrong)
    for number, started_on in enumerate(
        [date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1), date(2025, 7, 1)], start=1
    ):
        worker(bravo, "police_vice", f"WorkerBravo{number}", started_on)
    worker(bravo, "health_care", "WorkerBravoHealth", date(2025, 3, 1))

    # Charlie: school referral; no contact yet, plan after 10 days; one review only; closed in 2025.
    charlie = make(
        "Charlie",
        referral_on=date(2025, 4, 1),
        source="school",
        status=FamilyStatus.CLOSED,
        closed_on=date(2025, 11, 1),
        closing_reason="Moved abroad with ChildCharlie",
    )
    endorse(charlie, at(2025, 4, 11), police)
    review(charlie, date(2025, 4, 5), (1, 1, 1))

    # Delta: referred in 2024, closed in 2025; all up by the end of 2025 (the 2026 review does not count);
    # a change of worker in 2024 does not count, the one in 2025 does.
    delta = make(
        "Delta",
        referral_on=date(2024, 6, 1),
        source="youth_care",
        status=FamilyStatus.CLOSED,
        closed_on=date(2025, 2, 15),
        closing_reason="Goals reached",
    )
    contact(delta, at(2024, 6, 5))
    endorse(delta, at(2024, 7, 1), police)
    review(delta, date(2024, 6, 10), (1, 1, 1))
    review(delta, date(2024, 12, 1), (2, 2, 2))
    review(delta, date(2026, 1, 10), (1, 1, 1))
    worker(delta, "youth_care", "WorkerDeltaOne", date(2024, 6, 1))
    worker(delta, "youth_care", "WorkerDeltaTwo", date(2024, 9, 1))
    worker(delta, "youth_care", "WorkerDeltaThree", date(2025, 1, 10))

    # Echo: closed before 2025: in none of the numbers.
    echo = make(
        "Echo",
        referral_on=date(2024, 1, 1),
        status=FamilyStatus.CLOSED,
        closed_on=date(2024, 12, 31),
        closing_reason="An old reason",
    )
    review(echo, date(2024, 1, 10), (1, 1, 1))
    review(echo, date(2024, 6, 10), (5, 5, 5))
    worker(echo, "school", "WorkerEchoOne", date(2024, 1, 1))
    worker(echo, "school", "WorkerEchoTwo", date(2024, 2, 1))

    # Foxtrot: self-referral late in 2025; contact and plan only in 2026, so "not yet" in the 2025 report.
    foxtrot = make("Foxtrot", referral_on=date(2025, 12, 20), source="self_referral")
    contact(foxtrot, at(2026, 1, 5))
    endorse(foxtrot, at(2026, 1, 10), police)

    # Golf: referred in 2024, closed in 2025 with the same reason as Delta in other words.
    make(
        "Golf",
        referral_on=date(2024, 3, 1),
        status=FamilyStatus.CLOSED,
        closed_on=date(2025, 6, 30),
        closing_reason="  goals   REACHED ",
    )

    # Hotel: another team's family: in none of the numbers.
    hotel = make("Hotel", referral_on=date(2025, 5, 1), source="police", officer_=other_officer)
    contact(hotel, at(2025, 5, 2))
    endorse(hotel, at(2025, 5, 3), police)
    review(hotel, date(2025, 5, 1), (1, 1, 1))
    review(hotel, date(2025, 6, 1), (5, 5, 5))
    worker(hotel, "school", "WorkerHotelOne", date(2025, 5, 1))
    worker(hotel, "school", "WorkerHotelTwo", date(2025, 6, 1))
    return families


# Access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["report", "report_csv"])
def test_supervisor_gets_the_report(login, supervisor, name):
    response = login(supervisor).get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["report", "report_csv"])
@pytest.mark.parametrize("persona", ["officer", "other_officer", "police", "parent", "administrator", "outsider"])
def test_everyone_else_gets_404(request, login, family, name, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse(name)).status_code == 404
    assert client.get(reverse(name), PERIOD).status_code == 404


@pytest.mark.parametrize("name", ["report", "report_csv"])
def test_signed_out_visitors_are_sent_to_sign_in(client, name):
    assert client.get(reverse(name)).status_code in (302, 404)


@pytest.mark.parametrize("name", ["report", "report_csv"])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_report_is_read_only(login, supervisor, name, method):
    assert getattr(login(supervisor), method)(reverse(name)).status_code == 405


def test_supervisors_find_the_report_in_the_menu_and_on_team_settings(login, supervisor, officer):
    url = reverse("report")
    assert f'href="{url}"' in login(supervisor).get(reverse("team_settings")).content.decode()
    assert f'href="{url}"' in login(supervisor).get(reverse("families:caseload")).content.decode()
    assert f'href="{url}"' not in login(officer).get(reverse("families:caseload")).content.decode()


# Numbers ---------------------------------------------------------------------------------


def test_numbers_on_a_hand_built_team(team, team_data):
    report = team_report(team, START, END)

    assert {row.source: row.count for row in report.referrals_by_source} == {
        "police": 2,
        "youth_care": 0,
        "school": 1,
        "veilig_thuis": 0,
        "self_referral": 1,
        "other": 0,
    }
    assert report.referrals == 4

    assert report.closed == 3
    assert [(reason.text, reason.count) for reason in report.closing_reasons] == [
        ("Goals reached", 2),
        ("Moved abroad with ChildCharlie", 1),
    ]

    assert report.families_with_movement == 3
    assert {row.dimension: (row.improved, row.stayed, row.declined) for row in report.movement} == {
        "understanding": (3, 0, 0),
        "empowerment": (1, 2, 0),
        "resilience": (1, 0, 2),
    }

    assert report.plans_endorsed == 2

    assert sorted(report.to_first_contact.days) == [3, 10]
    assert (report.to_first_contact.median, report.to_first_contact.mean) == (6.5, 6.5)
    assert (report.to_first_contact.reached, report.to_first_contact.not_yet) == (2, 2)
    assert sorted(report.to_first_endorsed_plan.days) == [10, 30]
    assert (report.to_first_endorsed_plan.median, report.to_first_endorsed_plan.mean) == (20.0, 20.0)
    assert (report.to_first_endorsed_plan.reached, report.to_first_endorsed_plan.not_yet) == (2, 2)

    assert report.open_families == 6
    assert [(bucket.changes, bucket.families) for bucket in report.worker_changes] == [(0, 3), (1, 2), (2, 0), (3, 1)]
    with translation.override("en"):
        labels = [bucket.label for bucket in team_report(team, START, END).worker_changes]
    assert labels == ["No change", "1 change", "2 changes", "3 or more changes"]


def test_an_empty_period_is_all_zeros_and_not_yet(team, team_data):
    report = team_report(team, date(2030, 1, 1), date(2030, 1, 31))
    assert report.referrals == 0
    assert report.closed == 0
    assert report.closing_reasons == []
    assert report.plans_endorsed == 0
    assert report.to_first_contact.median is None
    assert report.to_first_contact.mean is None
    # Every family still open in 2030 counts in the distribution, with no change.
    assert [bucket.families for bucket in report.worker_changes] == [report.open_families, 0, 0, 0]


def test_the_page_shows_the_numbers_in_tables_and_charts(login, supervisor, team_data):
    response = login(supervisor).get(reverse("report"), PERIOD)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Moved abroad with ChildCharlie" in body  # the reasons are on the page only
    assert "Family Alpha" not in body
    report = response.context["report"]
    assert report.referrals == 4
    for chart in response.context["charts"].values():
        root = ElementTree.fromstring(str(chart))  # noqa: S314 - our own output
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title").text
        assert "style=" not in str(chart)
    assert "style=" not in body
    referrals_chart = ElementTree.fromstring(str(response.context["charts"]["referrals"]))  # noqa: S314
    assert "2" in [text.text for text in referrals_chart.iter(f"{SVG}text")]  # two police referrals, on the bar


def test_the_default_period_is_the_last_twelve_months(login, supervisor):
    response = login(supervisor).get(reverse("report"))
    start, end = default_period(timezone.localdate())
    assert (response.context["report"].start, response.context["report"].end) == (start, end)
    assert end == timezone.localdate()
    assert default_period(date(2024, 2, 29)) == (date(2023, 3, 1), date(2024, 2, 29))
    assert default_period(date(2026, 3, 15)) == (date(2025, 3, 16), date(2026, 3, 15))


# The period ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["report", "report_csv"])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2025-06-01", "end": "2025-05-31"}, "The last day of the period must be on or after the first day"),
        ({"start": "2020-01-01", "end": "2025-01-02"}, "The period can be at most 5 years long"),
        ({"start": "2025-02-30", "end": "2025-12-31"}, "The first day of the period must be a real date"),
        ({"start": "2025-01-01", "end": "soon"}, "The last day of the period must be a real date"),
        ({"start": "", "end": "2025-12-31"}, "Enter the first day of the period"),
        ({"start": "2025-01-01"}, "Enter the last day of the period"),
    ],
)
def test_a_bad_period_gets_a_clear_error(english, supervisor, name, query, message):
    response = english(supervisor).get(reverse(name), query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert message in body
    assert "govuk-error-summary" in body
    assert response.context.get("report") is None


def test_five_years_exactly_is_allowed(login, supervisor):
    response = login(supervisor).get(reverse("report"), {"start": "2020-01-01", "end": "2025-01-01"})
    assert response.status_code == 200


# The CSV ---------------------------------------------------------------------------------


def test_csv_holds_the_aggregate_numbers(english, supervisor, team_data):
    response = english(supervisor).get(reverse("report_csv"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="report-2025-01-01-2025-12-31.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Section", "Measure", "Value"]
    values = {(section, measure): value for section, measure, value in rows[1:]}
    assert values[("New referrals", "Total")] == "4"
    assert values[("New referrals", "Police")] == "2"
    assert values[("Closed cases", "Closed in the period")] == "3"
    assert values[("Progress", "Resilience: Declined")] == "2"
    assert values[("Safety plans", "Endorsed in the period")] == "2"
    assert values[("Days from referral to first contact", "Median days")] == "6.5"
    assert values[("Days from referral to first contact", "Not yet")] == "2"
    assert values[("Changes of agency worker", "3 or more changes")] == "1"


def test_csv_in_dutch_has_dutch_headers_labels_and_numbers(login, supervisor, team_data):
    client = login(supervisor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    response = client.get(reverse("report_csv"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="rapportage-2025-01-01-2025-12-31.csv"'
    # A spreadsheet in Dutch reads the semicolon: the comma is its decimal separator.
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0] == ["Onderdeel", "Maat", "Waarde"]
    values = {(section, measure): value for section, measure, value in rows[1:]}
    assert values[("Periode", "Eerste dag")] == "2025-01-01"
    assert values[("Nieuwe aanmeldingen", "Totaal")] == "4"
    assert values[("Nieuwe aanmeldingen", "Politie")] == "2"
    assert values[("Gesloten dossiers", "Gesloten in de periode")] == "3"
    assert values[("Voortgang", "Veerkracht: Gedaald")] == "2"
    assert values[("Dagen van aanmelding tot eerste contact", "Mediaan in dagen")] == "6,5"
    assert values[("Wisselingen van hulpverlener", "3 of meer wisselingen")] == "1"
    english_words = {"Section", "Measure", "Value", "New referrals", "Total", "Police", "Declined", "Median days"}
    assert not english_words & {cell for row in rows for cell in row}


def test_csv_follows_the_language_the_reader_chose(login, supervisor, team_data, settings):
    client = login(supervisor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    client.post(reverse("set_language"), {"language": "en", "next": reverse("report")})
    response = client.get(reverse("report_csv"), PERIOD)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Section", "Measure", "Value"]
    values = {(section, measure): value for section, measure, value in rows[1:]}
    assert values[("Days from referral to first contact", "Median days")] == "6.5"
    assert response["Content-Disposition"].startswith('attachment; filename="report-')


def test_csv_names_no_family_and_no_person(login, supervisor, officer, team_data):
    body = login(supervisor).get(reverse("report_csv"), PERIOD).content.decode()
    families = team_data.values()
    forbidden = {
        "display names": [family.display_name for family in families],
        "references": [family.reference for family in families],
        "closing reasons": [family.closing_reason.strip() for family in families if family.closing_reason],
        "child names": [child.full_name for family in families for child in family.children.all()],
        "household names": [member.full_name for family in families for member in family.household_members.all()],
        "worker names": list(AgencyInvolvement.objects.values_list("worker_name", flat=True)),
        "staff names": [officer.full_name, supervisor.full_name],
        "referral and closing dates": [
            day.isoformat()
            for family in families
            for day in (family.referral_on, family.closed_on)
            if day and day not in (START, END)
        ],
    }
    assert all(forbidden.values())
    for kind, texts in forbidden.items():
        for text in texts:
            assert text not in body, f"{kind}: {text!r} is in the CSV"
    assert "goals" not in body.lower()


# Cost ------------------------------------------------------------------------------------


def _populate(officer, police, count: int) -> None:
    for n in range(count):
        family = FamilyFactory(liaison_officer=officer, referral_on=date(2025, 1 + n % 12, 1), referral_source="police")
        contact(family, at(2025, 1 + n % 12, 5))
        endorse(family, at(2025, 1 + n % 12, 20), police)
        review(family, date(2025, 1 + n % 12, 2), (2, 2, 2))
        review(family, date(2025, 1 + n % 12, 25), (3, 2, 1))
        worker(family, "school", "A", date(2025, 1 + n % 12, 1))
        worker(family, "school", "B", date(2025, 1 + n % 12, 15))


@pytest.mark.parametrize("name", ["report", "report_csv"])
def test_the_report_costs_the_same_queries_for_3_and_40_families(
    login, supervisor, officer, police, name, django_assert_max_num_queries
):
    client = login(supervisor)
    _populate(officer, police, 3)
    with django_assert_max_num_queries(30) as few:
        assert client.get(reverse(name), PERIOD).status_code == 200
    _populate(officer, police, 37)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(name), PERIOD)
    assert response.status_code == 200
    assert team_report(supervisor.team, START, END).referrals == 40


# The chart -------------------------------------------------------------------------------


def test_bar_chart_labels_every_bar_and_differs_by_pattern():
    svg = str(
        bar_chart_svg(
            [BarGroup("Understanding", (3, 0, 1)), BarGroup("<b>Empowerment</b>", (1, 2, 0))],
            series=("Improved", "Stayed", "Declined"),
            title="Movement & more",
            description="Counts",
            id_prefix="test-chart",
        )
    )
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "test-chart-title test-chart-desc"
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "3 · Improved" in texts
    assert "0 · Stayed" in texts  # a zero bar still says its number
    assert "<b>Empowerment</b>" in texts
    assert "<b>" not in svg
    fills = {bar.get("fill") for bar in root.iter(f"{SVG}rect") if bar.get("class") == "chart-bar"}
    assert fills == {"url(#test-chart-fill-0)", "url(#test-chart-fill-1)", "url(#test-chart-fill-2)"}
    patterns = list(root.iter(f"{SVG}pattern"))
    assert len(patterns) == 3
    assert len({len(list(pattern)) for pattern in patterns}) == 2  # solid vs marked fills
    assert "style=" not in svg
    assert "<script" not in svg


def test_bar_chart_longest_bar_is_longest_and_empty_draws_nothing():
    svg = str(bar_chart_svg([BarGroup("a", (1,)), BarGroup("b", (4,))], title="t", description="d"))
    bars = ElementTree.fromstring(svg).iter(f"{SVG}rect")  # noqa: S314 - our own output
    widths = [float(bar.get("width")) for bar in bars if bar.get("class") == "chart-bar"]
    assert widths[1] == 4 * widths[0]
    assert bar_chart_svg([], title="t", description="d") == ""
