"""The server-rendered progress chart: valid SVG, every series distinct, text escaped,
nothing that the strict CSP would block."""

from datetime import date
from xml.etree import ElementTree

from families.charts import COLOURS, ChartSeriesPoint, progress_chart_svg

SVG = "{http://www.w3.org/2000/svg}"
LABELS = {"understanding": "Understanding", "empowerment": "Empowerment", "resilience": "Resilience"}


def point(on, understanding, empowerment, resilience):
    return ChartSeriesPoint(on, {"understanding": understanding, "empowerment": empowerment, "resilience": resilience})


def chart(reviews, ratings=(), **overrides):
    arguments = {"labels": LABELS, "title": "Progress", "description": "Scores 1 to 5", "parent_label": "Parents"}
    arguments.update(overrides)
    return progress_chart_svg(list(reviews), list(ratings), **arguments)


def parse(svg):
    return ElementTree.fromstring(str(svg))  # noqa: S314 - our own output, not untrusted input


def series(root, kind):
    return root.findall(f"{SVG}g[@class='chart-series chart-series--{kind}']")


def test_no_points_draws_nothing():
    assert chart([]) == ""


def test_three_officer_series_with_one_vertex_per_review():
    reviews = [point(date(2026, 1, 1), 2, 3, 1), point(date(2026, 2, 12), 3, 3, 2), point(date(2026, 3, 26), 4, 2, 2)]
    root = parse(chart(reviews))
    officer = series(root, "officer")
    assert [group.get("data-dimension") for group in officer] == list(LABELS)
    for group in officer:
        assert len(group.find(f"{SVG}polyline").get("points").split()) == 3
    assert series(root, "parent") == []


def test_higher_score_is_drawn_higher():
    reviews = [point(date(2026, 1, 1), 1, 3, 3), point(date(2026, 2, 1), 5, 3, 3)]
    understanding = series(parse(chart(reviews)), "officer")[0]
    (first_x, first_y), (last_x, last_y) = (
        map(float, pair.split(",")) for pair in understanding.find(f"{SVG}polyline").get("points").split()
    )
    assert last_x > first_x
    assert last_y < first_y


def test_dimensions_differ_in_colour_dash_and_marker():
    root = parse(chart([point(date(2026, 1, 1), 2, 3, 4), point(date(2026, 2, 1), 3, 3, 4)]))
    lines = [group.find(f"{SVG}polyline") for group in series(root, "officer")]
    assert len({line.get("stroke") for line in lines}) == 3
    assert len({line.get("stroke-dasharray") for line in lines}) == 3
    marker_tags = [group[1].tag for group in series(root, "officer")]
    assert len(set(marker_tags)) == 3


def test_parent_rating_is_hollow_and_named_in_the_legend():
    root = parse(chart([point(date(2026, 1, 1), 2, 3, 4)], [point(date(2026, 1, 8), 4, 4, 4)]))
    parent = series(root, "parent")
    assert len(parent) == 3
    for group in parent:
        assert all(marker.get("fill") == "#ffffff" for marker in list(group)[1:])
    assert "Parents" in [text.text for text in root.iter(f"{SVG}text")]
    officer_marker = list(series(root, "officer")[0])[1]
    assert officer_marker.get("fill") == COLOURS[0]


def test_a_single_date_is_centred():
    root = parse(chart([point(date(2026, 1, 1), 3, 3, 3)]))
    x, _y = series(root, "officer")[0].find(f"{SVG}polyline").get("points").split(",")
    assert 300 < float(x) < 340


def test_accessible_name_and_escaped_text():
    svg = chart([point(date(2026, 1, 1), 3, 3, 3)], title="<script>x</script>", id_prefix="family-7")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "family-7-title family-7-desc"
    assert root.find(f"{SVG}title").text == "<script>x</script>"
    assert "<script>" not in str(svg)


def test_nothing_the_content_security_policy_would_block():
    svg = str(chart([point(date(2026, 1, 1), 3, 3, 3)], [point(date(2026, 1, 2), 2, 2, 2)]))
    assert "style=" not in svg
    assert "<style" not in svg
    assert "<script" not in svg
    assert "href" not in svg
