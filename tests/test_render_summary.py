"""The summary: for whom the model works less well, per metric, with that group's own signed gap,
interval and ratio; the gates, failed ones first; small and unobserved groups flagged."""

from __future__ import annotations

import cardwright
from cardwright._render.labels import Labels, metric, signed
from cardwright._render.summary import summary_view
from cardwright._render.view import build_view
from render_helpers import example


def _view():
    card, results = example("model-card")
    return card, results, build_view(card, results).analyses.summary


def test_each_metric_names_the_group_furthest_behind_its_reference_with_that_pairs_own_numbers():
    card, results, s = _view()
    labels = Labels.of(card.quantitative_analyses.factors)
    rows = {r[0].text: r for r in s.table.rows}
    for m in results.settings.metrics:
        info = metric(m)
        pairs = [d for d in results.disparities if d.metric == m and d.group is not None and len(d.over) == 1
                 and d.difference is not None]
        worst = max(pairs, key=lambda d: info.unfavourable(d.difference))  # independent of the summary's code
        row = rows[info.title]
        assert row[2].text == labels.group(worst.group)
        assert row[2].sub.startswith(f"vs {labels.group(worst.reference)}")
        assert row[4].text == signed(worst.difference)
        assert row[4].sub == f"{signed(worst.ci_low)} to {signed(worst.ci_high)}"
        assert row[5].text == f"{worst.ratio:.3f}"
        own = next(r for r in results.results if r.metric == m and r.slice == worst.group)
        assert row[3].text == f"{own.value:.3f}" and row[3].sub == f"{own.ci_low:.3f}–{own.ci_high:.3f}"
        overall = results.value(m)
        assert row[1].text == f"{overall.value:.3f}"


def test_direction_decides_who_is_behind():
    _card, _results, s = _view()
    rows = {r[0].text: r for r in s.table.rows}
    # a higher false negative rate is worse: the gap shown is positive; a lower selection rate is worse
    assert rows["False negative rate"][4].text.startswith("+")
    assert rows["Selection rate"][4].text.startswith("\u2212")
    assert rows["Selection rate"][2].text == "Under 25"


def test_gates_failed_first_and_the_verdict_says_how_many():
    card, results = example("model-card")
    data = results.model_dump(mode="json")
    data["gates"][1]["passed"] = False
    failing = cardwright.AnalysisResults.model_validate(data)
    labels = Labels.of(card.quantitative_analyses.factors)
    s = summary_view(card.quantitative_analyses, failing, list(failing.settings.metrics), labels, "95%")
    assert (s.verdict, s.verdict_cls) == ("1 of 2 gates failed.", "fail")
    assert [r[1].text for r in s.gates.rows] == ["FAIL", "PASS"]
    assert s.gates.rows[0][0].text == "Selection rate over race"
    md = cardwright.render(card, failing, to="md")
    assert "**1 of 2 gates failed.**" in md and "| Selection rate over race | **FAIL** |" in md


def test_small_and_unobserved_groups_are_flagged():
    _, results, s = _view()
    assert s.flags[0] == ("Not measured, too few rows: American Indian or Alaska Native (race; n = 21, below 30).")
    inter = [r for r in results.results if len(r.slice) > 1 and r.metric == "accuracy"]
    hidden = sum(r.suppressed for r in inter)
    assert s.flags[1] == (f"{hidden} of {len(inter)} intersectional groups have fewer than 30 rows and are "
                          "suppressed; 1 combination never occurs in the data.")
    assert s.flags[2].startswith("Largest intersectional gap: selection rate for ")


def test_the_summary_comes_first_in_every_format():
    card, results = example("model-card")
    md = cardwright.render(card, results, to="md")
    assert md.index("## Summary") < md.index("## 1. Model details")
    html = cardwright.render(card, results, to="html")
    assert html.index('id="summary"') < html.index('id="model-details"')
    assert "all rows" not in md
