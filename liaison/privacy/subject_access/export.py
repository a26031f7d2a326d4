"""The export itself: its sections, what was withheld and why (one wording for each
reason), and how it is written out as JSON."""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db.models import Model
from django.template.defaultfilters import yesno
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from families.models import (
    Family,
)
from families.models.household import ChildRole
from liaison.audit.models import AuditAction
from safety_plans.models import (
    PlanSection,
)

# Why something is left out. Said once here so that every export words it the same.
REASON_CRIME = gettext_lazy(
    "Withheld to protect others and for the prevention and investigation of crime "
    "(GDPR art. 23(1)(d) and (i); UAVG art. 41)."
)
REASON_NEITHER_CONFIRM_NOR_DENY = gettext_lazy(
    "Kept for the prevention and investigation of crime. Whether such a record exists is "
    "neither confirmed nor denied (GDPR art. 23(1)(d); UAVG art. 41)."
)
REASON_PROTECT_CHILD = gettext_lazy(
    "Staff and police working information about risk to the child, withheld to protect "
    "the child and others (GDPR art. 23(1)(i); UAVG art. 41(1)(i))."
)
REASON_OTHERS = gettext_lazy(
    "Another person's personal data, left out because it can be separated from the subject's (GDPR art. 15(4))."
)
REASON_IN_CONFIDENCE = gettext_lazy(
    "A parent shared this in confidence and asked that the child must not learn it came "
    "from them; withheld entirely to protect that parent (GDPR art. 15(4); UAVG art. 41(1)(i))."
)
REASON_CHILD_EXPORT = gettext_lazy("The children's own personal data: answered with a separate export for each child.")
REASON_PARENTS_EXPORT = gettext_lazy(
    "Records of the liaison officer's work with the parents are the parents' personal data "
    "and are in their exports. Where they also concern the child, review them by hand."
)

# The statements of a plan that are about the child, by the child's role in the case.
CHILD_PLAN_SECTIONS = {
    ChildRole.EXPLOITED: (PlanSection.WARNING_SIGNS, PlanSection.CHILD_CAN),
    ChildRole.SIBLING: (PlanSection.SIBLINGS,),
}
# Page views are many; they are summed up instead of listed one by one.
PAGE_VIEW_ACTIONS = (AuditAction.CASE_VIEWED, AuditAction.CASE_LIST_VIEWED)


def display_value(value: Any) -> str:
    """A value as a reader sees it, in the active language."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return capfirst(yesno(value))
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int):
        return value
    return str(value)


class _TitledRows(NamedTuple):
    title: str
    rows: list[tuple[str, Any]]


class Section(_TitledRows):
    """One record (or one list) of the export: a (title, rows) pair whose rows are
    (label, value) pairs. ``group`` is the heading the record falls under, such as the
    contact log; it rides beside the pair so that ``title, rows = section`` still holds."""

    group: str

    def __new__(cls, title: str, rows: list[tuple[str, Any]], group: str = "") -> "Section":
        section = super().__new__(cls, title, rows)
        section.group = group
        return section

    def display_rows(self) -> list[tuple[str, str]]:
        return [(label, display_value(value)) for label, value in self.rows]


class Withheld(NamedTuple):
    """A kind of information left out, why, and how many records (None: not stated)."""

    kind: str
    reason: str
    count: int | None

    def display_count(self) -> str:
        return _("Not stated") if self.count is None else str(self.count)


@dataclass(frozen=True)
class Subject:
    kind: str  # "member" or "child"
    record: Model
    name: str
    family: Family

    @property
    def token(self) -> str:
        """How the audit trail and file names refer to the subject: no name in it."""
        return f"{self.kind}:{self.record.pk}"


@dataclass
class SubjectAccessExport:
    subject: Subject
    generated_at: datetime
    sections: list[Section] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)
    # Names the family in every heading when the person is recorded in more than one.
    group_prefix: str = ""

    def add(self, group: str, title: str, *pairs: tuple[Any, Any]) -> None:
        """A record with its filled-in rows; empty values are left out, "no" is kept."""
        rows = [(str(label), value) for label, value in pairs if value not in ("", None)]
        self.sections.append(Section(title=str(title), rows=rows, group=f"{self.group_prefix}{group}"))

    def withhold(self, kind: str, reason: str, count: int | None) -> None:
        """A kind of information left out; a count of nothing is not worth a line. The same
        kind left out for the same reason is one line, its counts added up."""
        if count is not None and count <= 0:
            return
        for index, line in enumerate(self.withheld):
            if (line.kind, line.reason) == (str(kind), str(reason)):
                total = None if count is None or line.count is None else line.count + count
                self.withheld[index] = line._replace(count=total)
                return
        self.withheld.append(Withheld(kind=str(kind), reason=str(reason), count=count))


def _label(model: type[Model], name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _plural(model: type[Model]) -> str:
    return str(capfirst(model._meta.verbose_name_plural))


def _titled(*parts: Any) -> str:
    return " · ".join(display_value(part) for part in parts if part not in ("", None))


# Out of the system


def as_json(export: SubjectAccessExport) -> str:
    """The export as JSON: sorted keys, ISO dates, UTF-8 text as it is (not escaped)."""
    subject = export.subject
    document = {
        "subject": {
            "kind": subject.kind,
            "id": subject.record.pk,
            "name": subject.name,
            "family_reference": subject.family.reference,
        },
        "generated_at": _json_value(export.generated_at),
        "sections": [
            {
                "group": section.group,
                "title": section.title,
                "rows": [{"label": label, "value": _json_value(value)} for label, value in section.rows],
            }
            for section in export.sections
        ],
        "withheld": [{"kind": item.kind, "reason": item.reason, "count": item.count} for item in export.withheld],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
