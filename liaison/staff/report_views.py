"""A supervisor's report of the team over a chosen period: the numbers on a page with
charts and tables, and the same aggregate numbers as a CSV file to pass on. The CSV holds
counts and timings only: nothing that names or dates a family. Like the page, the CSV is
in the reader's language: its headers and labels, its numbers (6.5 in English, 6,5 in
Dutch) and the separator a spreadsheet in that language expects; its dates are ISO 8601."""

import csv
from datetime import date, timedelta

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from families.charts import BarGroup, bar_chart_svg
from liaison import dates
from liaison.access import supervised_team_or_404
from liaison.accounts.models import Team
from liaison.forms import GovukFormMixin
from liaison.staff.reports import TeamReport, Waiting, team_report

LONGEST_PERIOD_YEARS = 5


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months, today included."""
    return _years_before(today, 1) + timedelta(days=1), today


class ReportPeriodForm(GovukFormMixin, forms.Form):
    start = dates.DateFormField(
        label=gettext_lazy("From"),
        error_messages={
            "required": gettext_lazy("Enter the first day of the period"),
            "invalid": gettext_lazy("The first day of the period must be a real date, for example 2026-01-31"),
        },
    )
    end = dates.DateFormField(
        label=gettext_lazy("To"),
        error_messages={
            "required": gettext_lazy("Enter the last day of the period"),
            "invalid": gettext_lazy("The last day of the period must be a real date, for example 2026-12-31"),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._narrow_inputs()

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        self._narrow_inputs()

    def _narrow_inputs(self) -> None:
        for field in self.fields.values():
            classes = field.widget.attrs.get("class", "govuk-input")
            if "govuk-input--width-10" not in classes:
                field.widget.attrs["class"] = f"{classes} govuk-input--width-10"

    @classmethod
    def from_query(cls, query) -> "ReportPeriodForm":
        """Without a period in the address the form holds the last twelve months."""
        if "start" in query or "end" in query:
            return cls(query)
        start, end = default_period(timezone.localdate())
        return cls({"start": start.isoformat(), "end": end.isoformat()})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The last day of the period must be on or after the first day"))
            elif (end.year - LONGEST_PERIOD_YEARS, end.month, end.day) > (start.year, start.month, start.day):
                self.add_error(
                    "end",
                    _("The period can be at most %(years)s years long") % {"years": LONGEST_PERIOD_YEARS},
                )
        return cleaned


def _supervised_team(request: HttpRequest) -> Team:
    """Reports are for supervisors of a team; anyone else learns nothing, not even that they exist."""
    return supervised_team_or_404(request)


def _charts(report: TeamReport) -> dict[str, str]:
    movement_series = (_("Improved"), _("Stayed the same"), _("Declined"))
    return {
        "referrals": bar_chart_svg(
            [BarGroup(row.label, (row.count,)) for row in report.referrals_by_source],
            title=_("New referrals by who referred"),
            description=_("Number of families referred in the period per source; the same numbers are in the table."),
            id_prefix="chart-referrals",
        ),
        "movement": bar_chart_svg(
            [BarGroup(row.label, (row.improved, row.stayed, row.declined)) for row in report.movement],
            series=movement_series,
            title=_("Movement from the intake review to the latest review"),
            description=_(
                "Per dimension, how many families improved, stayed the same or declined; "
                "the same numbers are in the table."
            ),
            id_prefix="chart-movement",
        ),
        "worker_changes": bar_chart_svg(
            [BarGroup(bucket.label, (bucket.families,)) for bucket in report.worker_changes],
            title=_("Families by number of changes of agency worker"),
            description=_(
                "How many families saw the worker at an agency change 0, 1, 2, or 3 or more times in the period; "
                "the same numbers are in the table."
            ),
            id_prefix="chart-worker-changes",
        ),
    }


def _page(request: HttpRequest, team: Team, form: ReportPeriodForm, **extra) -> HttpResponse:
    context = {"team": team, "form": form, "longest_years": LONGEST_PERIOD_YEARS, **extra}
    if context.get("report") is not None:
        context["justice"] = justice_rows(context["report"])
    return render(request, "liaison/report.html", context, status=400 if form.errors else 200)


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    team = _supervised_team(request)
    form = ReportPeriodForm.from_query(request.GET)
    if not form.is_valid():
        return _page(request, team, form)
    result = team_report(team, form.cleaned_data["start"], form.cleaned_data["end"])
    return _page(request, team, form, report=result, charts=_charts(result))


def _waiting_rows(label: str, waiting: Waiting) -> list[list]:
    def number(value):
        return "" if value is None else value

    return [
        [label, _("Families reached"), waiting.reached],
        [label, _("Median days"), number(waiting.median)],
        [label, _("Mean days"), number(waiting.mean)],
        [label, _("Not yet"), waiting.not_yet],
    ]


def report_rows(report: TeamReport) -> list[list]:
    """The aggregate numbers of the report, row by row: section, measure, value. Deliberately
    without the closing reasons, which are free text and may name people."""
    referrals, closures, progress, plans = _("New referrals"), _("Closed cases"), _("Progress"), _("Safety plans")
    changes = _("Changes of agency worker")
    rows = [
        [_("Period"), _("First day"), report.start.isoformat()],
        [_("Period"), _("Last day"), report.end.isoformat()],
        [referrals, _("Total"), report.referrals],
        *([referrals, row.label, row.count] for row in report.referrals_by_source),
        [closures, _("Closed in the period"), report.closed],
        [progress, _("Families with two or more reviews"), report.families_with_movement],
    ]
    for row in report.movement:
        rows += [
            [progress, f"{row.label}: {_('Improved')}", row.improved],
            [progress, f"{row.label}: {_('Stayed the same')}", row.stayed],
            [progress, f"{row.label}: {_('Declined')}", row.declined],
        ]
    rows += [
        [plans, _("Endorsed in the period"), report.plans_endorsed],
        *_waiting_rows(_("Days from referral to first contact"), report.to_first_contact),
        *_waiting_rows(_("Days from referral to first endorsed plan"), report.to_first_endorsed_plan),
        [changes, _("Families open in the period"), report.open_families],
        *([changes, bucket.label, bucket.families] for bucket in report.worker_changes),
        *([_("Police and court"), label, value] for label, value in justice_rows(report)),
    ]
    return rows


def justice_rows(report: TeamReport) -> list[tuple[str, int]]:
    """The four counts of the justice journey, labelled, for the page and the download."""
    counts = report.justice
    return [
        (_("Families with a report made to the police"), counts.families_with_report),
        (_("Reports withdrawn"), counts.reports_withdrawn),
        (_("Criminal cases reaching court (a hearing held)"), counts.cases_reaching_court),
        (_("Hearings attended by a parent"), counts.hearings_with_parent),
    ]


@require_GET
def report_csv(request: HttpRequest) -> HttpResponse:
    team = _supervised_team(request)
    form = ReportPeriodForm.from_query(request.GET)
    if not form.is_valid():
        return _page(request, team, form)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    result = team_report(team, start, end)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = pgettext("the file name of the team report, without spaces", "report")
    response["Content-Disposition"] = f'attachment; filename="{name}-{start.isoformat()}-{end.isoformat()}.csv"'
    writer = csv.writer(response, delimiter=csv_delimiter())
    writer.writerow([_("Section"), _("Measure"), _("Value")])
    writer.writerows([section, measure, csv_value(value)] for section, measure, value in report_rows(result))
    return response


def csv_delimiter() -> str:
    """The separator a spreadsheet in the reader's language expects: where the comma is the
    decimal separator (Dutch), it is the semicolon."""
    return ";" if formats.get_format("DECIMAL_SEPARATOR") == "," else ","


def csv_value(value) -> str:
    """A number as the page writes it in the reader's language (6.5, 6,5; 7 rather than
    7.0); a date as ISO 8601, which every spreadsheet reads; text as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return floatformat(value, -1)
    return str(value)
