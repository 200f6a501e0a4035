"""Charts: deterministic, accessible SVG dot plots with intervals and suppressed groups."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cardwright._render.charts import Point, dot_plot
from cardwright._render.view import build_view
from render_helpers import loan, loan_results

NS = {"svg": "http://www.w3.org/2000/svg"}
POINTS = [
    Point("female", 0.905, 0.89, 0.92, 980),
    Point("male", 0.918, 0.903, 0.933, 1020),
    Point("60+", None, n=20, suppressed=True),
]


def _chart() -> str:
    return dot_plot(POINTS, chart_id="c-acc", title="Accuracy by sex", metric="Accuracy", overall=0.912)


def test_svg_is_well_formed_with_title_and_description():
    root = ET.fromstring(_chart())
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-acc-title c-acc-desc"
    assert root.find("svg:title", NS).text == "Accuracy by sex"
    desc = root.find("svg:desc", NS).text
    assert desc == (
        "Overall Accuracy: 0.912. female: 0.905, interval 0.890 to 0.920, n = 980. "
        "male: 0.918, interval 0.903 to 0.933, n = 1020. 60+: suppressed (n = 20)."
    )


def test_one_dot_and_one_error_bar_per_shown_group_and_a_reference_line():
    root = ET.fromstring(_chart())
    assert len(root.findall("svg:circle", NS)) == 2
    bars = [line for line in root.findall("svg:line", NS) if line.get("stroke") == "#1f4e79"]
    assert len(bars) == 2 * 3  # a bar and two caps per interval
    overall = root.findall("svg:line[@class='overall']", NS)
    assert len(overall) == 1 and overall[0].get("stroke-dasharray") == "4 3"


def test_positions_follow_values_on_an_axis_fitted_to_the_data():
    root = ET.fromstring(_chart())
    ticks = [t.text for t in root.findall("svg:g[@class='axis']/svg:text", NS)][:-1]
    assert ticks == ["0.88", "0.89", "0.90", "0.91", "0.92", "0.93", "0.94"]  # every estimate and interval inside
    cx = [float(c.get("cx")) for c in root.findall("svg:circle", NS)]
    left, width = 210, 640 - 210 - 24
    assert cx == [round(left + (v - 0.88) / 0.06 * width, 1) for v in (0.905, 0.918)]


def test_rates_never_leave_zero_to_one():
    svg = dot_plot(
        [Point("a", 0.01, 0.0, 0.3, 40), Point("b", 0.95, 0.7, 1.0, 40)], chart_id="r", title="t", metric="m"
    )
    ticks = [t.text for t in ET.fromstring(svg).findall("svg:g[@class='axis']/svg:text", NS)][:-1]
    assert ticks[0] == "0.00" and ticks[-1] == "1.00"


def test_suppressed_groups_are_written_out_not_plotted():
    root = ET.fromstring(_chart())
    texts = [t.text for t in root.findall("svg:text[@class='suppressed']", NS)]
    assert texts == ["suppressed (n = 20)"]


def test_labels_are_escaped():
    svg = dot_plot([Point("<b>&", 0.5, 0.4, 0.6, 50)], chart_id="x", title="a<b", metric="m")
    ET.fromstring(svg)
    assert "&lt;b&gt;&amp;" in svg


def test_same_input_same_bytes():
    assert _chart() == _chart()


def test_a_chart_per_metric_and_factor_with_unique_ids():
    view = build_view(loan(), loan_results())
    charts = [c for t in view.analyses.factors for c in t.charts]
    assert [c["id"] for c in charts] == [
        f"chart-{f}-{m}" for f in ("sex", "age-band") for m in ("accuracy", "false-positive-rate", "selection-rate")
    ]
    assert len({c["id"] for c in charts}) == len(charts)
