"""Charts: deterministic, accessible SVG — small multiples for every factor's groups, one heat map
per metric for the intersections — that state every number in their text description."""

from __future__ import annotations

import functools
import itertools
import re
import xml.etree.ElementTree as ET

from cardwright._render.charts import GroupRow, group_panels
from cardwright._render.heatmap import HALF, heat_map_chart, heat_map_legend, layout
from cardwright._render.labels import Labels, metric
from cardwright._render.view import build_view
from cardwright.schema.analysis import BinnedFactor, GroupFactor
from cardwright.schema.results import ResultRow
from render_helpers import example, loan, loan_results_model

NS = {"svg": "http://www.w3.org/2000/svg"}


def row(slice_: dict[str, str], m: str, value: float | None, lo: float | None = None, hi: float | None = None,
        n: int = 100, suppressed: bool = False) -> ResultRow:
    return ResultRow(slice=slice_, metric=m, value=value, ci_low=lo, ci_high=hi, n=n, suppressed=suppressed)


def _panels() -> str:
    sex = [GroupRow("Female", {"accuracy": row({"sex": "f"}, "accuracy", 0.905, 0.89, 0.92, 980)}, 980),
           GroupRow("Male", {"accuracy": row({"sex": "m"}, "accuracy", 0.918, 0.903, 0.933, 1020)}, 1020),
           GroupRow("60+", {"accuracy": row({"age": "60+"}, "accuracy", None, n=20, suppressed=True)}, 20)]
    overall = {"accuracy": row({}, "accuracy", 0.912, 0.9, 0.92, 2000)}
    return group_panels([("Sex", sex)], ["accuracy"], overall, chart_id="c", title="Accuracy by group")


def test_small_multiples_are_well_formed_with_title_and_a_description_of_every_number():
    root = ET.fromstring(_panels())
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-title c-desc"
    assert root.find("svg:title", NS).text == "Accuracy by group"
    assert root.find("svg:desc", NS).text == (
        "Accuracy (overall 0.912): Sex Female: 0.905, interval 0.890 to 0.920, n = 980. "
        "Sex Male: 0.918, interval 0.903 to 0.933, n = 1020. Sex 60+: suppressed (n = 20)."
    )


def test_one_dot_and_one_bar_per_shown_group_on_a_fitted_axis():
    root = ET.fromstring(_panels())
    dots = root.find("svg:path[@class='estimates']", NS).get("d")
    bars = root.find("svg:path[@class='intervals']", NS).get("d")
    assert dots.count("M") == 2 and bars.count("M") == 2  # the suppressed group is not plotted
    xs = [float(x) for x in re.findall(r"M([\d.]+) ", dots)]
    assert xs[0] < xs[1]  # 0.905 left of 0.918
    lows = [float(x) for x in re.findall(r"M([\d.]+) ", bars)]
    assert all(lo < x for lo, x in zip(lows, xs, strict=True))
    assert len(root.findall("svg:line[@class='overall']", NS)) == 1


def test_suppressed_groups_are_written_out_not_plotted():
    texts = [t.text for t in ET.fromstring(_panels()).findall("svg:text[@class='suppressed']", NS)]
    assert texts == ["suppressed, n = 20"]


def test_panel_tick_labels_never_touch():
    # a narrow panel on a wide range: the labels are thinned until they fit
    many = ["accuracy", "precision", "recall", "f1", "specificity", "roc_auc", "selection_rate", "base_rate"]
    rows = [GroupRow(f"g{i}", {m: row({"g": str(i)}, m, 0.1 + 0.1 * i, 0.05 * i, 0.2 + 0.1 * i) for m in many}, 100)
            for i in range(8)]
    svg = group_panels([("G", rows)], many, {}, chart_id="w", title="t")
    root = ET.fromstring(svg)
    ticks = [(float(t.get("x")), t.text) for t in root.findall("svg:text", NS) if t.get("font-size") == "8.5"]
    by_y: dict[float, list[tuple[float, str]]] = {}
    for t in root.findall("svg:text", NS):
        if t.get("font-size") == "8.5":
            by_y.setdefault(float(t.get("y")), []).append((float(t.get("x")), t.text))
    for labels in by_y.values():
        labels.sort()
        for (x1, a), (x2, b) in itertools.pairwise(labels):
            assert x2 - x1 >= (len(a) + len(b)) / 2 * 8.5 * 0.62, (a, b)
    assert ticks


def _credit_view():
    card, results = example("model-card")
    return build_view(card, results)


def test_one_heat_map_per_metric_with_unique_ids():
    view = _credit_view()
    charts = view.analyses.intersection_charts
    assert [c.id for c in charts] == [f"chart-intersections-{m.replace('_', '-')}" for m in view.analyses.metrics]
    assert all(c.svg.startswith("<svg") for c in charts)
    assert view.analyses.group_chart is not None and view.analyses.group_chart.id == "chart-groups"


@functools.cache
def _three_way():
    """The credit example's data with every three-way intersection, only ``min_group_size``
    suppressing (``min_cell_size`` 1: the shipped card reports two-way intersections, since at
    its ``min_cell_size`` of 10 every three-way count would be hidden)."""
    import warnings

    import cardwright

    card, _ = example("model-card")
    qa = card.quantitative_analyses
    qa = qa.model_copy(update={"intersections": [["sex", "race", "age_band"]], "min_cell_size": 1,
                               "confidence": qa.confidence.model_copy(update={"resamples": 100})})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = cardwright.compute(card.model_copy(update={"quantitative_analyses": qa}))
    return card, results


def test_heat_map_rows_columns_and_panels_follow_the_factors_sizes_and_orders():
    card, results = _three_way()
    labels = Labels.of(card.quantitative_analyses.factors)
    rows = [r for r in results.results if len(r.slice) == 3 and r.metric == "accuracy"]
    lay = layout(("sex", "race", "age_band"), rows, labels, results.unobserved)
    assert (lay.rows, lay.cols, lay.panels) == ("race", "age_band", ("sex",))
    assert list(lay.values["age_band"]) == ["under_25", "25_44", "45_64", "65_plus"]  # the card's bin order
    assert next(iter(lay.values["race"])) == "white"  # the card's `labels` order
    # a group whose every intersection is suppressed is left out, and said so
    assert lay.hidden["race"] == ["native_american"]


def test_heat_map_of_the_shipped_two_way_intersection_leaves_out_groups_hidden_by_min_cell_size():
    card, results = example("model-card")
    labels = Labels.of(card.quantitative_analyses.factors)
    rows = [r for r in results.results if set(r.slice) == {"sex", "race"} and r.metric == "accuracy"]
    lay = layout(("sex", "race"), rows, labels, results.unobserved)
    assert (lay.rows, lay.cols, lay.panels) == ("race", "sex", ())
    shown = {r.slice["race"] for r in rows if not r.suppressed}
    assert list(lay.values["race"]) == [v for v in ["white", "black", "hispanic", "asian", "native_american",
                                                    "not_provided"] if v in shown]
    assert lay.hidden["race"] == [v for v in ["asian", "native_american"] if v not in shown] != []


def test_heat_map_cells_state_values_with_intervals_and_suppression_in_the_description():
    card, results = _three_way()
    labels = Labels.of(card.quantitative_analyses.factors)
    rows = [r for r in results.results if len(r.slice) == 3 and r.metric == "accuracy"]
    overall = results.value("accuracy")
    hm = heat_map_chart({("sex", "race", "age_band"): rows}, metric("accuracy"), overall, labels, chart_id="h",
                        title="Accuracy", unobserved=results.unobserved)
    desc = ET.fromstring(hm.svg).find("svg:desc", NS).text
    shown = next(r for r in rows if not r.suppressed)
    name = labels.group(shown.slice, ("sex", "race", "age_band"))
    assert f"{name}: {shown.value:.3f} ({shown.ci_low:.3f} to {shown.ci_high:.3f}), n = {shown.n:,}." in desc
    hidden = next(r for r in rows if r.suppressed and r.slice["race"] != "native_american")
    assert f"{labels.group(hidden.slice, ('sex', 'race', 'age_band'))}: suppressed (n = {hidden.n})." in desc
    assert "Male × American Indian or Alaska Native × Under 25: no rows." not in desc  # its row is left out
    assert desc.endswith("Left out, every intersection of theirs suppressed or without rows: "
                         "American Indian or Alaska Native.")
    assert not hm.wide  # two fit side by side


def test_heat_map_colour_follows_the_metric_direction():
    labels = Labels.of(["a", "b"])
    cells = [row({"a": "x", "b": "1"}, "false_negative_rate", 0.40, 0.35, 0.45),
             row({"a": "x", "b": "2"}, "false_negative_rate", 0.10, 0.05, 0.15),
             row({"a": "y", "b": "1"}, "false_negative_rate", 0.21, 0.10, 0.30),
             row({"a": "y", "b": "2"}, "false_negative_rate", 0.2, 0.1, 0.3)]
    overall = row({}, "false_negative_rate", 0.2, 0.18, 0.22)
    svg = heat_map_chart({("a", "b"): cells}, metric("false_negative_rate"), overall, labels, chart_id="d",
                         title="t").svg
    fills = {p.get("fill") for p in ET.fromstring(svg).findall("svg:path", NS)}
    orange = [f for f in fills if f.startswith("#") and int(f[1:3], 16) > int(f[5:7], 16)]
    blue = [f for f in fills if f.startswith("#") and int(f[5:7], 16) > int(f[1:3], 16)]
    assert orange and blue  # a higher false negative rate is worse (orange), a lower one better (blue)


def test_wide_intersections_take_the_full_width_and_wrap_panels():
    labels = Labels.of(["a", "b", "c"])
    cells = [row({"a": f"a{i}", "b": f"b{j}", "c": f"c{k}"}, "accuracy", 0.5, 0.4, 0.6)
             for i in range(3) for j in range(12) for k in range(4)]
    hm = heat_map_chart({("a", "b", "c"): cells}, metric("accuracy"), None, labels, chart_id="w", title="t")
    root = ET.fromstring(hm.svg)
    assert hm.wide and float(root.get("width")) <= 662
    assert float(root.get("width")) > HALF


def test_the_key_is_drawn_once_and_says_what_colours_mean():
    key = heat_map_legend(30)
    desc = ET.fromstring(key).find("svg:desc", NS).text
    assert "fewer than 30 rows" in desc and "Orange: worse" in desc
    view = _credit_view()
    html = __import__("cardwright._render.api", fromlist=["render"]).render(*example("model-card"), to="html")
    assert html.count('id="heatmap-legend-title"') == 1
    assert view.analyses.intersection_key.count("<svg") == 1


def test_labels_are_escaped():
    rows = [GroupRow("<b>&", {"accuracy": row({"g": "<b>&"}, "accuracy", 0.5, 0.4, 0.6)}, 100)]
    svg = group_panels([("G<", rows)], ["accuracy"], {}, chart_id="x", title="a<b")
    ET.fromstring(svg)
    assert "&lt;b&gt;&amp;" in svg


def test_same_input_same_bytes():
    assert _panels() == _panels()
    assert _credit_view().analyses.intersection_charts[0].svg == _credit_view().analyses.intersection_charts[0].svg


def test_loan_card_has_one_group_chart_and_no_intersection_heat_maps_without_intersections():
    view = build_view(loan(), loan_results_model())
    assert view.analyses.group_chart is not None
    desc = ET.fromstring(view.analyses.group_chart.svg).find("svg:desc", NS).text
    for m in view.analyses.metrics:
        if m != "count":
            assert metric(m).title in desc


def test_factor_models_give_display_names_and_order():
    labels = Labels.of([GroupFactor(column="race", labels={"nat": "Native", "w": "White"}, order=["w"]),
                        BinnedFactor(column="age", bins=[25, 45], name="age_band", title="Age band")])
    assert labels.factor("race").sort(["zeta", "nat", "w", "(missing)", "alpha"]) == [
        "w", "nat", "alpha", "zeta", "(missing)"]
    assert labels.value("race", "nat") == "Native" and labels.value("race", "(missing)") == "Missing"
    assert labels.title("age_band") == "Age band"
    assert [labels.value("age_band", k) for k in ("<25", "25-45", ">=45")] == ["Under 25", "25–44", "45 and over"]
    assert labels.factor("age_band").sort([">=45", "<25", "25-45"]) == ["<25", "25-45", ">=45"]
