"""Two versions of a safety plan side by side, so that staff and police see what a new
version changes before it goes to the parents for agreement or to the police to endorse.

A new version copies the parts of the one before (with new primary keys), so parts are
matched by what they say, not by identity. Pure functions: no queries, no requests.
"""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.template.defaultfilters import linebreaksbr
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safety_plans.models import PlanSection, PlanStatement
from safety_plans.selectors import VersionParts

# Below this share of words in common, two parts that stand in each other's place are
# shown as one removed and one added rather than as one changed part.
PAIRING_THRESHOLD = 0.3

TOKEN = re.compile(r"\w+|\s+|[^\w\s]+")


class Change(models.TextChoices):
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")
    CHANGED = "changed", gettext_lazy("Changed")
    ADDED = "added", gettext_lazy("Added")
    REMOVED = "removed", gettext_lazy("Removed")


@dataclass(frozen=True)
class Row:
    """One part as it stands in the left and the right version; text already escaped.
    A side is empty where the part is not in that version."""

    left: SafeString
    right: SafeString
    change: Change
    left_visibility: str = ""
    right_visibility: str = ""

    @property
    def visibility_changed(self) -> bool:
        return self.change == Change.CHANGED and self.left_visibility != self.right_visibility


@dataclass
class ComparedSection:
    key: str
    title: str | Promise
    rows: list[Row] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(row.change != Change.UNCHANGED for row in self.rows)


@dataclass(frozen=True)
class _Part:
    """What a person reads of a part: the text that is compared and shown, the words
    that decide whether two parts are the same thing, and who may see it."""

    text: str
    words: tuple[str, ...]
    visibility: str

    @property
    def key(self) -> tuple[str, str]:
        return self.text, self.visibility


def _part(part) -> _Part:
    lines = part.lines()
    if isinstance(part, PlanStatement):
        text = part.text
    else:
        text = "\n".join(_("%(label)s: %(text)s") % {"label": capfirst(label), "text": value} for label, value in lines)
    words = tuple(word for _label, value in lines for word in re.findall(r"\w+", value.lower()))
    return _Part(text=text, words=words, visibility=str(part.get_visibility_display()))


def _escaped(text: str) -> SafeString:
    return linebreaksbr(text, autoescape=True)


def _join(pieces: list[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def _marked(tag: str, text: str) -> SafeString:
    """Text in <del> or <ins>, with words that say so for people who cannot see the mark-up."""
    if tag == "del":
        start, end = _("removed:"), _("end of removed text")
    else:
        start, end = _("added:"), _("end of added text")
    return format_html(
        '<{}><span class="govuk-visually-hidden">{} </span>{}<span class="govuk-visually-hidden"> ({})</span></{}>',
        tag,
        start,
        _escaped(text),
        end,
        tag,
    )


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Both texts escaped, the words only in the old one in <del>, only in the new one in <ins>."""
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    left: list[SafeString] = []
    right: list[SafeString] = []
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        old_piece, new_piece = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if operation == "equal":
            left.append(_escaped(old_piece))
            right.append(_escaped(new_piece))
            continue
        if old_piece:
            left.append(_marked("del", old_piece))
        if new_piece:
            right.append(_marked("ins", new_piece))
    return _join(left), _join(right)


def _similarity(left: _Part, right: _Part) -> float:
    if left.words == right.words:
        return 1.0
    return difflib.SequenceMatcher(None, left.words, right.words, autojunk=False).ratio()


def _unchanged(part: _Part) -> Row:
    text = _escaped(part.text)
    return Row(text, text, Change.UNCHANGED, part.visibility, part.visibility)


def _changed(left: _Part, right: _Part) -> Row:
    left_html, right_html = word_diff(left.text, right.text)
    return Row(left_html, right_html, Change.CHANGED, left.visibility, right.visibility)


def _removed(part: _Part) -> Row:
    return Row(_escaped(part.text), SafeString(""), Change.REMOVED, left_visibility=part.visibility)


def _added(part: _Part) -> Row:
    return Row(SafeString(""), _escaped(part.text), Change.ADDED, right_visibility=part.visibility)


def _align(lefts: list[_Part], rights: list[_Part]) -> list[tuple[int, int]]:
    """Pair parts in order so that the pairs are, taken together, as alike as possible;
    a part without a like enough partner stays unpaired. Returns (left, right) indexes."""
    rows, cols = len(lefts), len(rights)
    score = [[_similarity(left, right) for right in rights] for left in lefts]
    best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            paired = score[i][j] + best[i + 1][j + 1] if score[i][j] >= PAIRING_THRESHOLD else -1.0
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < rows and j < cols:
        if score[i][j] >= PAIRING_THRESHOLD and best[i][j] == score[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def compare_parts(left_parts: list, right_parts: list) -> list[Row]:
    """Rows for one kind of part, in the order of the right version, with a removed part
    where it stood. Parts are matched by what they say: first the runs that stayed the
    same, then parts that only moved (unchanged), then the most alike of the rest
    (changed); whatever is left over was removed or added."""
    lefts, rights = [_part(part) for part in left_parts], [_part(part) for part in right_parts]
    partner: dict[int, int] = {}  # left index -> right index
    change: dict[int, Change] = {}  # right index -> how it differs from its partner
    matcher = difflib.SequenceMatcher(None, [p.key for p in lefts], [p.key for p in rights], autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            partner[block.a + offset] = block.b + offset
            change[block.b + offset] = Change.UNCHANGED

    free_rights = [j for j in range(len(rights)) if j not in change]
    for i in range(len(lefts)):
        if i in partner:
            continue
        j = next((j for j in free_rights if rights[j].key == lefts[i].key), None)
        if j is not None:
            partner[i], change[j] = j, Change.UNCHANGED
            free_rights.remove(j)

    free_lefts = [i for i in range(len(lefts)) if i not in partner]
    for i, j in _align([lefts[i] for i in free_lefts], [rights[j] for j in free_rights]):
        partner[free_lefts[i]], change[free_rights[j]] = free_rights[j], Change.CHANGED

    # A removed part is shown just after the right-hand partner of the part before it.
    removed_before: dict[int, list[int]] = {}
    anchor = 0
    for i in range(len(lefts)):
        if i in partner:
            anchor = partner[i] + 1
        else:
            removed_before.setdefault(anchor, []).append(i)
    left_of = {j: i for i, j in partner.items()}

    result: list[Row] = []
    for j in range(len(rights) + 1):
        result.extend(_removed(lefts[i]) for i in removed_before.get(j, []))
        if j == len(rights):
            break
        if j not in change:
            result.append(_added(rights[j]))
        elif change[j] == Change.UNCHANGED:
            result.append(_unchanged(rights[j]))
        else:
            result.append(_changed(lefts[left_of[j]], rights[j]))
    return result


def _review_date(value: date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else _("Not set yet.")


def compare_review_dates(left: date | None, right: date | None) -> Row:
    left_text, right_text = _review_date(left), _review_date(right)
    if left == right:
        return Row(_escaped(left_text), _escaped(right_text), Change.UNCHANGED)
    if left is None:
        return Row(_escaped(left_text), _marked("ins", right_text), Change.ADDED)
    if right is None:
        return Row(_marked("del", left_text), _escaped(right_text), Change.REMOVED)
    return Row(_marked("del", left_text), _marked("ins", right_text), Change.CHANGED)


def compare_versions(
    left: VersionParts,
    right: VersionParts,
    *,
    left_review_on: date | None = None,
    right_review_on: date | None = None,
) -> list[ComparedSection]:
    """Every section of the plan in plan order, each with its rows compared. Only the
    parts in the VersionParts given are compared, so what a person may not see stays out."""
    left_sections, right_sections = left.by_section, right.by_section

    def statements(section: PlanSection) -> list[Row]:
        return compare_parts(left_sections[section.value], right_sections[section.value])

    return [
        ComparedSection(
            "risks",
            gettext_lazy("Risks and people of concern"),
            statements(PlanSection.RISKS) + compare_parts(left.people_of_concern, right.people_of_concern),
        ),
        *(
            ComparedSection(section.value, section.label, statements(section))
            for section in (
                PlanSection.WARNING_SIGNS,
                PlanSection.PARENTS_DO,
                PlanSection.PARENTS_DO_NOT,
                PlanSection.CHILD_CAN,
                PlanSection.SIBLINGS,
            )
        ),
        ComparedSection(
            "police_actions",
            gettext_lazy("Agreed police actions and disruption measures"),
            compare_parts(left.police_actions, right.police_actions),
        ),
        ComparedSection(
            "missing_profiles",
            gettext_lazy("If the child goes missing"),
            compare_parts(left.missing_profiles, right.missing_profiles),
        ),
        ComparedSection("contacts", gettext_lazy("Contacts"), compare_parts(left.contacts, right.contacts)),
        ComparedSection(
            "review",
            gettext_lazy("Review date"),
            [compare_review_dates(left_review_on, right_review_on)],
        ),
    ]
