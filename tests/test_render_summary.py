"""The summary's headline disparities name the groups they compare."""

from __future__ import annotations

import cardwright
from conftest import EXAMPLES


def test_headline_disparity_names_the_group_furthest_from_the_reference():
    card = cardwright.load(EXAMPLES / "credit" / "credit.model-card.yaml")
    from cardwright._compute.api import load_results

    results = load_results(card)
    md = cardwright.render(card, results, to="md")
    summary = md.split("**Largest disparity per metric and factor", 1)[1].split("\n\n", 1)[1].split("\n\n", 1)[0]
    rows = [line for line in summary.splitlines() if line.startswith("| Selection rate | Race |")]
    assert len(rows) == 1
    # the reference group is white; the row names the race group whose selection rate is furthest from it
    data = results.model_dump(mode="json")
    per_group = [
        d for d in data["disparities"]
        if d["metric"] == "selection_rate" and d["over"] == ["race"] and d["group"] is not None and d["difference"] is not None
    ]
    furthest = max(per_group, key=lambda d: abs(d["difference"]))["group"]["race"]
    escaped = furthest.replace("_", "\\_")  # Markdown escapes underscores in table cells
    assert f"| {escaped} vs white (reference) |" in rows[0]
    assert "all rows" not in md
