"""Reads of the agencies involved with a family: per agency the named workers in order,
and the two figures that show how often the family has had to start again with someone
new. One query whatever the number of involvements; the figures are counted over that
one fetched list."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from families.models import Agency, AgencyInvolvement, Family

CHANGE_WINDOW = timedelta(days=365)


@dataclass
class AgencyWorkers:
    """One agency and its workers for the family, oldest first."""

    agency: str
    label: str
    involvements: list[AgencyInvolvement] = field(default_factory=list)


@dataclass
class AgencyTimeline:
    agencies: list[AgencyWorkers]
    workers_met: int
    changes_last_year: int

    @property
    def is_empty(self) -> bool:
        return not self.agencies


def is_current(involvement: AgencyInvolvement, today: date) -> bool:
    """Working with the family today. The end date is the day the next worker takes over."""
    return involvement.started_on <= today and (involvement.ended_on is None or involvement.ended_on > today)


def workers_met(involvements: list[AgencyInvolvement]) -> int:
    """Different named workers across all agencies; the same name in other case is one person."""
    return len({name for name in (i.worker_name.strip().casefold() for i in involvements) if name})


def changes_since(involvements: list[AgencyInvolvement], since: date, today: date) -> int:
    """Involvements that started in the window while the family already had an earlier
    worker at the same agency: each is a new person to tell the story to."""
    first_start: dict[str, date] = {}
    for involvement in involvements:
        known = first_start.get(involvement.agency)
        if known is None or involvement.started_on < known:
            first_start[involvement.agency] = involvement.started_on
    return sum(
        1
        for involvement in involvements
        if since <= involvement.started_on <= today and first_start[involvement.agency] < involvement.started_on
    )


def agency_timeline(family: Family) -> AgencyTimeline:
    today = timezone.localdate()
    involvements = list(family.agency_involvements.order_by("agency", "started_on", "pk"))
    by_agency: dict[str, list[AgencyInvolvement]] = {}
    for involvement in involvements:
        involvement.is_current = is_current(involvement, today)
        by_agency.setdefault(involvement.agency, []).append(involvement)
    labels = dict(Agency.choices)
    order = [value for value in labels if value in by_agency] + [value for value in by_agency if value not in labels]
    agencies = [
        AgencyWorkers(agency=value, label=labels.get(value, value), involvements=by_agency[value]) for value in order
    ]
    return AgencyTimeline(
        agencies=agencies,
        workers_met=workers_met(involvements),
        changes_last_year=changes_since(involvements, today - CHANGE_WINDOW, today),
    )
