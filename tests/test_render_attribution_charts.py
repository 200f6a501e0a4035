"""The attribution charts: deterministic SVG whose title and description say what the marks show
(every feature, its value and interval; suppressed bins named), with labels escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cardwright._render.attribution_charts import Bar, Distribution, distribution_swarm, importance_bars

NS = "{http://www.w3.org/2000/svg}"


def test_importance_bars_say_every_value_and_repeat() -> None:
    bars = [Bar("income <k$>", 0.5, 0.4, 0.6), Bar("age", 0.2, 0.15, 0.25), Bar("tenure", 0.05)]
    svg = importance_bars(bars, chart_id="c1", title="Importance")
    assert svg == importance_bars(bars, chart_id="c1", title="Importance")
    root = ET.fromstring(svg)
    desc = root.find(f"{NS}desc")
    assert desc is not None and desc.text is not None
    assert "income <k$>: 0.5 (interval 0.4 to 0.6)." in desc.text and "tenure: 0.05." in desc.text
    assert len(root.findall(f"{NS}rect")) == 3
    widths = [float(r.get("width", "0")) for r in root.findall(f"{NS}rect")]
    assert widths == sorted(widths, reverse=True)


def test_distribution_swarm_draws_dots_in_proportion_and_marks_suppressed_bins() -> None:
    rows = [Distribution("income", [-1.0, 0.0, 1.0, 2.0], [40, None, 8]), Distribution("age", [0.0, 0.5], [16])]
    svg = distribution_swarm(rows, chart_id="s1", title="Spread", max_dots=8)
    root = ET.fromstring(svg)
    circles = root.findall(f"{NS}circle")
    hollow = [c for c in circles if c.get("class") == "suppressed"]
    filled = [c for c in circles if c.get("class") != "suppressed"]
    assert len(hollow) == 1
    assert len(filled) == 8 + 2 + 4  # one dot per up to 5 rows (the largest bin, 40, gets 8 dots)
    desc = root.find(f"{NS}desc")
    assert desc is not None and desc.text is not None
    assert desc.text.startswith("One dot is up to 5 rows.") and "income: 48 rows" in desc.text
    assert "1 bin suppressed" in desc.text
    assert svg == distribution_swarm(rows, chart_id="s1", title="Spread", max_dots=8)
