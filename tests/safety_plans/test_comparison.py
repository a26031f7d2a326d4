"""Comparing two versions of a plan: parts matched by what they say, words marked."""

from datetime import date

import pytest
from django.utils import translation

from safety_plans.comparison import Change, compare_parts, compare_review_dates, compare_versions, word_diff
from safety_plans.models import PersonOfConcern, PlanContact, PlanStatement, Visibility
from safety_plans.selectors import VersionParts


@pytest.fixture(autouse=True)
def in_english():
    """What is made outside a request is made in English (pages: the ``english`` client)."""
    with translation.override("en"):
        yield


def statement(text: str, section: str = "parents_do", visibility: str = Visibility.PARENTS) -> PlanStatement:
    return PlanStatement(section=section, text=text, visibility=visibility)


def changes(rows) -> list[str]:
    return [row.change.value for row in rows]


def test_identical_versions_have_no_changes():
    parts = VersionParts(
        statements=[statement("Keep the door locked"), statement("Call the officer", "warning_signs")],
        contacts=[PlanContact(kind="emergency", name="Police", phone="112", visibility=Visibility.PARENTS)],
    )
    copy = VersionParts(
        statements=[statement("Keep the door locked"), statement("Call the officer", "warning_signs")],
        contacts=[PlanContact(kind="emergency", name="Police", phone="112", visibility=Visibility.PARENTS)],
    )
    sections = compare_versions(parts, copy, left_review_on=date(2030, 1, 1), right_review_on=date(2030, 1, 1))
    assert all(section.changes == 0 for section in sections)
    assert [row.left for section in sections for row in section.rows] == [
        row.right for section in sections for row in section.rows
    ]
    assert "<ins>" not in "".join(row.right for section in sections for row in section.rows)


def test_sections_come_in_plan_order():
    keys = [section.key for section in compare_versions(VersionParts(), VersionParts())]
    assert keys == [
        "risks",
        "warning_signs",
        "parents_do",
        "parents_do_not",
        "child_can",
        "siblings",
        "police_actions",
        "missing_profiles",
        "contacts",
        "review",
    ]


def test_empty_versions_compare_to_empty_sections():
    sections = compare_versions(VersionParts(), VersionParts())
    assert all(section.rows == [] for section in sections[:-1])
    review = sections[-1].rows[0]
    assert review.change == Change.UNCHANGED
    assert review.left == review.right == "Not set yet."


def test_only_added():
    rows = compare_parts([], [statement("One"), statement("Two")])
    assert changes(rows) == ["added", "added"]
    assert [row.left for row in rows] == ["", ""]
    assert [row.right for row in rows] == ["One", "Two"]


def test_only_removed():
    rows = compare_parts([statement("One"), statement("Two")], [])
    assert changes(rows) == ["removed", "removed"]
    assert [row.right for row in rows] == ["", ""]


def test_one_word_changed_is_one_changed_row_with_the_word_marked():
    rows = compare_parts([statement("Comes home late at night")], [statement("Comes home early at night")])
    assert changes(rows) == ["changed"]
    (row,) = rows
    assert row.left.startswith("Comes home <del>")
    assert "late</span>" not in row.left and "late<span" in row.left
    assert "<ins>" not in row.left and "<del>" not in row.right
    assert "early" in row.right.split("<ins>")[1]
    assert row.right.endswith("</ins> at night")


def test_a_changed_part_among_unchanged_ones():
    left = [statement("First"), statement("Keep the phone charged"), statement("Last")]
    right = [statement("First"), statement("Keep the phone charged always"), statement("Last")]
    assert changes(compare_parts(left, right)) == ["unchanged", "changed", "unchanged"]


def test_reordered_parts_are_unchanged():
    left = [statement("One"), statement("Two"), statement("Three")]
    right = [statement("Three"), statement("One"), statement("Two")]
    rows = compare_parts(left, right)
    assert changes(rows) == ["unchanged"] * 3
    assert [row.right for row in rows] == ["Three", "One", "Two"]


def test_a_part_that_moved_and_one_that_changed_elsewhere():
    left = [statement("Lock the back door"), statement("Phone the officer"), statement("Check the bag")]
    right = [statement("Check the bag"), statement("Lock the back door"), statement("Phone the officer daily")]
    rows = compare_parts(left, right)
    assert changes(rows) == ["unchanged", "unchanged", "changed"]
    assert rows[2].left.startswith("Phone the officer")


def test_a_removed_part_stays_where_it_stood():
    left = [statement("First"), statement("Gone now"), statement("Last")]
    right = [statement("First"), statement("Last"), statement("Brand new")]
    rows = compare_parts(left, right)
    assert changes(rows) == ["unchanged", "removed", "unchanged", "added"]


def test_unrelated_replacement_is_removed_and_added_not_changed():
    rows = compare_parts([statement("Curfew at nine")], [statement("Grandmother collects from school")])
    assert sorted(changes(rows)) == ["added", "removed"]


def test_replaced_block_pairs_the_alike_parts():
    left = [statement("Start"), statement("Lock the back door"), statement("Phone at ten"), statement("End")]
    right = [statement("Start"), statement("Lock the back door at night"), statement("Visit the gym"), statement("End")]
    rows = compare_parts(left, right)
    assert changes(rows) == ["unchanged", "changed", "removed", "added", "unchanged"]


def test_visibility_change_is_a_change():
    rows = compare_parts([statement("Watch the phone")], [statement("Watch the phone", visibility=Visibility.STAFF)])
    assert changes(rows) == ["changed"]
    assert rows[0].visibility_changed
    assert rows[0].left == rows[0].right == "Watch the phone"


def test_text_is_escaped_before_it_is_marked():
    left_html, right_html = word_diff("<b>bold</b> & safe", "<script>alert(1)</script> & safe")
    assert "<b>" not in left_html and "<script>" not in right_html
    assert "&lt;" in right_html and "script" in right_html
    assert "&amp; safe" in right_html


def test_line_breaks_survive_as_br():
    left_html, right_html = word_diff("one\ntwo", "one\nthree")
    assert left_html.startswith("one<br>")
    assert right_html.startswith("one<br>")


def test_parts_with_several_fields_show_label_and_value():
    left = [PersonOfConcern(name="Rick", concern="Recruits children", visibility=Visibility.STAFF)]
    right = [PersonOfConcern(name="Rick", concern="Recruits children at school", visibility=Visibility.STAFF)]
    (row,) = compare_parts(left, right)
    assert row.change == Change.CHANGED
    assert row.left.startswith("Name: Rick<br>The concern: Recruits children")
    assert "school" in row.right


@pytest.mark.parametrize(
    ("left", "right", "change"),
    [
        (None, None, Change.UNCHANGED),
        (None, date(2030, 1, 1), Change.ADDED),
        (date(2030, 1, 1), None, Change.REMOVED),
        (date(2030, 1, 1), date(2030, 2, 1), Change.CHANGED),
    ],
)
def test_review_dates(left, right, change):
    assert compare_review_dates(left, right).change == change
