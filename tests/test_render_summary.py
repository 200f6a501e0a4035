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
    named = 0
    for m in results.settings.metrics:
        info = metric(m)
        pairs = [d for d in results.disparities if d.metric == m and d.group is not None and len(d.over) == 1
                 and d.difference is not None]
        worst = max(pairs, key=lambda d: info.unfavourable(d.difference))  # independent of the summary's code
        row = rows[info.title]
        overall = results.value(m)
        assert row[1].text == f"{overall.value:.3f}"
        if info.unfavourable(worst.difference) <= 0:  # every group compared does at least as well
            assert row[2].text == "no group behind its reference" and len(row) == 3
            continue
        named += 1
        assert row[2].text == labels.group(worst.group)
        assert row[2].sub.startswith(f"vs {labels.group(worst.reference)}")
        assert row[4].text == signed(worst.difference)
        assert row[4].sub == f"{signed(worst.ci_low)} to {signed(worst.ci_high)}"
        assert row[5].text == f"{worst.ratio:.3f}"
        own = next(r for r in results.results if r.metric == m and r.slice == worst.group)
        assert row[3].text == f"{own.value:.3f}" and row[3].sub == f"{own.ci_low:.3f} to {own.ci_high:.3f}"
    assert named >= len(results.settings.metrics) - 1  # on the example only ROC AUC has no group behind


def test_direction_decides_who_is_behind():
    _card, _results, s = _view()
    rows = {r[0].text: r for r in s.table.rows}
    # a higher false negative rate is worse: the gap shown is positive; a lower selection rate is worse
    assert rows["False negative rate"][4].text.startswith("+")
    assert rows["Selection rate"][4].text.startswith("\u2212")
    # a lower false positive rate is better: Hispanic applicants' (−0.114 against White) is the largest
    # difference in size, but the group behind is 45–64 (+0.028 against 25–44)
    assert rows["False positive rate"][2].text == "45–64" and rows["False positive rate"][4].text == "+0.028"
    assert rows["Selection rate"][2].text == "Hispanic"  # Under 25's selection rate is hidden (min_cell_size)


def test_gates_failed_first_and_the_verdict_says_how_many():
    card, results = example("model-card")
    data = results.model_dump(mode="json")
    data["gates"][1]["passed"] = False
    data["gates"][1]["severity"] = None  # shipped as a warning gate (its hidden groups): blocking here
    failing = cardwright.AnalysisResults.model_validate(data)
    labels = Labels.of(card.quantitative_analyses.factors)
    s = summary_view(card.quantitative_analyses, failing, list(failing.settings.metrics), labels, "95%")
    assert (s.verdict, s.verdict_cls) == ("1 of 2 gates failed.", "fail")
    assert [r[1].text for r in s.gates.rows] == ["FAIL", "PASS"]
    assert s.gates.rows[0][0].text == "Selection rate over race"
    md = cardwright.render(card, failing, to="md")
    assert "**1 of 2 gates failed.**" in md and "| Selection rate over race | **FAIL** |" in md


def test_small_and_unobserved_groups_are_flagged():
    card, results, s = _view()
    labels = Labels.of(card.quantitative_analyses.factors)
    expected, protected = [], []
    singles = [g for g in results.slices if len(g.slice) == 1]
    factors = [f if isinstance(f, str) else f.factor_name for f in card.quantitative_analyses.factors]
    for g in sorted(singles, key=lambda g: (factors.index(next(iter(g.slice))), labels.rank(g.slice))):
        (factor, value), = g.slice.items()
        name = f"{labels.value(factor, value)} ({labels.title(factor).lower()}"
        if g.suppressed:
            size = "size suppressed" if g.n is None else f"n = {g.n:,}"
            expected.append(f"Not measured, too few rows: {name}; {size}, below 30).")
        elif g.n is None or any(r.suppressed for r in results.results if r.slice == g.slice):
            protected.append(f"{name})")
    # the groups whose values are hidden to protect small counts, named together in one flag
    expected.append(f"Values hidden to protect small counts (`min_cell_size`): {'; '.join(protected)}.")
    assert s.flags[:len(expected)] == expected
    # 21 rows, below min_cell_size too: the flag says the group is too small without giving its size
    assert "Not measured, too few rows: American Indian or Alaska Native (race; size suppressed, below 30)." in expected
    assert "Asian (race)" in expected[-1] and len(protected) > 1
    inter = [r for r in results.results if len(r.slice) > 1 and r.metric == "accuracy"]
    hidden = sum(r.suppressed for r in inter)  # on the example a group's accuracy is hidden with all its values
    assert s.flags[len(expected)] == (
        f"{hidden} of {len(inter)} intersectional groups have too few rows (`min_group_size`) or counts too small "
        "to publish (`min_cell_size`) and are suppressed.")
    assert hidden == 5 and not results.unobserved
    assert s.flags[len(expected) + 1].startswith("Largest intersectional gap: selection rate for ")


def test_an_intersection_never_observed_is_counted_in_the_flags():
    card, results = example("model-card")
    data = results.model_dump(mode="json")
    data["unobserved"] = [{"sex": "male", "race": "native_american"}]
    s = summary_view(card.quantitative_analyses, cardwright.AnalysisResults.model_validate(data),
                     list(results.settings.metrics), Labels.of(card.quantitative_analyses.factors), "95%")
    assert any(f.endswith("; 1 combination never occurs in the data.") for f in s.flags)


def test_the_summary_comes_first_in_every_format():
    card, results = example("model-card")
    md = cardwright.render(card, results, to="md")
    assert md.index("## Summary") < md.index("## 1. Model details")
    html = cardwright.render(card, results, to="html")
    assert html.index('id="summary"') < html.index('id="model-details"')
    assert "all rows" not in md
