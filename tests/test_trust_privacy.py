"""No suppressed count can be worked out from what an output publishes (issue 16, item 2).

Each case runs the attacker's audit of :mod:`privacy_audit`: every published count, share and total
becomes a linear fact over the data's finest cells (built from the data file with pandas), and a
suppressed count leaks when exact rational elimination recovers it, or when linear programming
pins it into a range narrower than ``max(1, min_cell_size - 2)``.  The audit runs on the shipped
example's every output, on random tables, and — to show it is not vacuous — on outputs with one
complementary cell put back, which it must catch.
"""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cardwright
from audit_datasheet import datasheet_cells, facts_from_output, facts_from_results, html_tables, numbers
from cardwright._compute.composition import compute_composition
from cardwright._compute.disclosure import CountGrid, protection
from cardwright.schema.analysis import CompositionData
from conftest import EXAMPLES, published_outputs, run_cli
from privacy_audit import Cells, Secret, audit, equal

CREDIT = EXAMPLES / "credit"
BERKELEY = EXAMPLES / "berkeley"
FORMATS = ("results", "json", "md", "html", "huggingface", "cyclonedx")


# -- the suppression module on its own --------------------------------------------------------------
def grid_audit(counts: np.ndarray, overs: list[tuple[int, ...]], k: int) -> tuple[list, CountGrid, np.ndarray]:
    """Protect every slice of ``overs`` of ``counts`` and audit the published pattern."""
    import itertools

    grid = CountGrid(counts)
    grid.add(np.ones(counts.shape, dtype=bool), fixed=True)
    slots = []
    for over in overs:
        for combo in itertools.product(*(range(counts.shape[i]) for i in over)):
            slots.append(grid.add(grid.margin(dict(zip(over, combo)))))
    hidden = grid.protect(k).suppressed
    return audit_published(grid, counts, slots, hidden, k), grid, hidden


def audit_published(grid: CountGrid, counts: np.ndarray, slots: list[int], hidden: np.ndarray, k: int, *,
                    forced_may_be_zero: bool = False) -> list:
    """The audit of a grid's published counts (the total, every shown slot) against its hidden
    slots, each known to be non-zero (a zero is published) — except, with ``forced_may_be_zero``,
    a slot forced hidden, which may hold a zero."""
    cells = Cells()
    for i, v in enumerate(counts.ravel().tolist()):
        cells.add((i,), v)
    facts = [equal(frozenset(range(counts.size)), int(counts.sum()), "total", fixed=True)]
    secrets = []
    for q in dict.fromkeys(slots):
        members = frozenset(int(c) for c in grid.members[q])
        if hidden[q]:
            nonzero = not (forced_may_be_zero and q in grid.forced)
            secrets.append(Secret(f"count {q}", members, grid.value(q), nonzero=nonzero))
        else:
            facts.append(equal(members, grid.value(q), f"count {q}", fixed=grid.value(q) == 0))
    return audit(cells, facts, secrets, k)


def test_one_small_cell_is_hidden_with_the_smallest_sibling_that_covers_it():
    leaks, _grid, hidden = grid_audit(np.array([3, 40, 12, 57]), [(0,)], 10)
    assert leaks == [] and hidden[1:].tolist() == [True, False, True, False]  # 3 and 12: 12 - 1 >= 8 - 2


def test_two_small_cells_that_sum_below_the_threshold_get_a_third():
    leaks, _, hidden = grid_audit(np.array([3, 4, 50, 60]), [(0,)], 10)
    assert leaks == [] and hidden[1:].tolist() == [True, True, True, False]


def test_zeros_are_published_and_never_hidden():
    leaks, _grid, hidden = grid_audit(np.array([0, 2, 0, 30, 40]), [(0,)], 10)
    assert leaks == [] and not hidden[1] and not hidden[3] and hidden[2]


def test_a_table_smaller_than_the_threshold_hides_everything_but_its_total():
    leaks, _grid, hidden = grid_audit(np.array([[2, 3], [1, 3]]), [(0,), (1,), (0, 1)], 10)
    assert leaks == [] and hidden[1:].all()


def test_a_rectangle_protects_a_cell_of_a_two_way_table_with_published_margins():
    counts = np.array([[2, 25, 20], [30, 31, 33], [15, 40, 36]])
    leaks, grid, hidden = grid_audit(counts, [(0,), (1,), (0, 1)], 10)
    assert leaks == []
    cells = [q for q in range(len(grid.members)) if len(grid.members[q]) == 1 and hidden[q]]
    assert len(cells) == 4 and all(not hidden[q] for q in range(1, 7))  # margins stay published


def test_a_zero_hidden_with_its_slice_needs_no_protection():
    """Cells hidden whatever their value (a slice below the threshold publishes none of its
    counts), margins published: the hidden zeros need nothing (a search for their protection
    used to fail and hide every count), and nothing hidden can be worked out."""
    import itertools

    counts = np.array([[4, 0], [0, 4], [6, 3]])
    grid = CountGrid(counts)
    grid.add(np.ones(counts.shape, dtype=bool), fixed=True)
    slots = []
    for over in [(0,), (1,), (0, 1)]:
        for combo in itertools.product(*(range(counts.shape[a]) for a in over)):
            members = grid.margin(dict(zip(over, combo)))
            slots.append(grid.add(members, hidden=len(over) == 2 and int(counts.ravel()[members].sum()) < 7))
    protected = grid.protect(7)
    assert not protected.everything and not protected.suppressed[0]
    assert sum(bool(protected.suppressed[q]) for q in dict.fromkeys(slots)) > 3
    assert audit_published(grid, counts, slots, protected.suppressed, 7, forced_may_be_zero=True) == []


def test_the_protection_width_follows_the_threshold():
    assert [protection(k) for k in (1, 2, 3, 10, 25)] == [1, 1, 1, 8, 23]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=st.lists(st.integers(2, 4), min_size=1, max_size=3), data=st.data(), k=st.integers(2, 12))
def test_random_linked_tables_leak_nothing(shape, data, k):
    """Every marginal and intersection of up to three factors, random counts with zeros and small
    cells: the exact audit recovers nothing and every hidden count keeps its range."""
    import itertools

    size = int(np.prod(shape))
    counts = np.array(data.draw(st.lists(st.integers(0, 30), min_size=size, max_size=size)), dtype=np.int64)
    counts = counts.reshape(shape)
    axes = range(len(shape))
    overs = [c for r in range(1, len(shape) + 1) for c in itertools.combinations(axes, r)]
    leaks, _, _ = grid_audit(counts, overs, k)
    assert leaks == []


# -- the shipped example, every output --------------------------------------------------------------
def every_output(tmp_path_factory, source: Path, card: str, extra_rows: str = "") -> dict[str, str]:
    """A shipped datasheet computed and written to every format (and its PDF's text);
    ``extra_rows``: CSV lines appended to its data first."""
    folder = tmp_path_factory.mktemp(source.name) / source.name
    shutil.copytree(source, folder)
    (folder / "cardwright.toml").write_text("", encoding="utf-8")
    if extra_rows:
        data = next(folder.glob("data/*.csv"))
        data.write_text(data.read_text(encoding="utf-8") + extra_rows, encoding="utf-8")
    assert run_cli("compute", card, cwd=folder).code == 0
    return published_outputs(folder, card, ("md", "html", "json", "pdf"))


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> dict[str, str]:
    return every_output(tmp_path_factory, CREDIT, "credit.datasheet.yaml")


def _frame():
    import pandas as pd

    return pd.read_csv(CREDIT / "data" / "applications.csv")


def _spec() -> dict:
    return cardwright.load(CREDIT / "credit.datasheet.yaml").data.model_dump()


@pytest.mark.parametrize("kind", [*FORMATS, "site"])
def test_no_suppressed_count_of_the_shipped_datasheet_can_be_recovered(example, kind):
    ds = datasheet_cells(_frame(), _spec())
    results = json.loads(example["results"])
    facts = facts_from_output(ds, "html" if kind == "site" else kind, example[kind], results)
    if kind != "cyclonedx":  # the BOM publishes the attribute names only (checked by the parser)
        assert len(facts) > 40 and len(ds.secrets) > 10
    assert [str(leak) for leak in audit(ds.cells, facts, ds.secrets, ds.k)] == []


@pytest.fixture(scope="module")
def berkeley(tmp_path_factory) -> dict[str, str]:
    return every_output(tmp_path_factory, BERKELEY, "berkeley.datasheet.yaml")


#: Three applicants to a seventh department: its count is hidden (with a complement) in the
#: department's table, and CDDL, whose strata it joins, is hidden for both groups.
SMALL_DEPARTMENT = "G,female,yes\nG,female,no\nG,male,yes\n"


@pytest.fixture(scope="module")
def berkeley_small(tmp_path_factory) -> dict[str, str]:
    return every_output(tmp_path_factory, BERKELEY, "berkeley.datasheet.yaml", SMALL_DEPARTMENT)


def _berkeley(extra_rows: str = ""):
    import io

    import pandas as pd

    text = (BERKELEY / "data" / "admissions.csv").read_text(encoding="utf-8") + extra_rows
    return pd.read_csv(io.StringIO(text)), cardwright.load(BERKELEY / "berkeley.datasheet.yaml").data.model_dump()


@pytest.mark.parametrize("kind", [*FORMATS, "site"])
@pytest.mark.parametrize("variant", ["shipped", "small department"])
def test_no_count_of_the_shipped_bias_measures_can_be_recovered(berkeley, berkeley_small, variant, kind):
    """The Berkeley datasheet's bias block (every measure, CDDL by department) read from every
    output as facts over department × sex × decision, every measure shown recomputed from the
    counts it is taken to publish; as shipped (nothing hidden), and with three applicants to a
    seventh department (its count, a complement and CDDL hidden)."""
    outputs = berkeley if variant == "shipped" else berkeley_small
    frame, spec = _berkeley("" if variant == "shipped" else SMALL_DEPARTMENT)
    ds = datasheet_cells(frame, spec)
    results = json.loads(outputs["results"])
    facts = facts_from_output(ds, "html" if kind == "site" else kind, outputs[kind], results)
    inverted = [f for f in facts if f.source.endswith("(inverted)")]
    if kind != "cyclonedx":
        assert len(inverted) > 40, "the bias tables were not read"
    if variant != "shipped":
        measures = results["bias"]["measures"]
        assert {r["metric"] for r in measures if r["suppressed"]} == {"conditional_demographic_disparity"}
        if kind in ("results", "json"):
            assert len(ds.secrets) >= 2 + 2  # the department and its complement; CDDL's small counts
    assert [str(leak) for leak in audit(ds.cells, facts, ds.secrets, ds.k)] == []


def test_the_pdf_publishes_no_number_the_html_does_not(example):
    import re

    text = re.sub(r"Page \d+ of \d+", "", example["pdf"])  # the page footer
    extra = numbers(text) - numbers(example["html"])
    assert extra == set()
    assert "suppressed" in example["pdf"]


def test_the_site_page_shows_the_same_tables_as_the_html_render(example):
    def shown(text: str) -> list:
        return [(t.header, t.rows) for t in html_tables(text) if t.header[-2:] == ["Count", "Share"]]

    assert shown(example["site"]) == shown(example["html"]) != []


# -- the audit is not vacuous: one hidden complement put back is caught ----------------------------
def _unhide(results: dict, test) -> dict:
    """``results`` with the first suppressed entry that passes ``test`` published with its true count."""
    frame = _frame()
    spec = _spec()
    doc = json.loads(json.dumps(results))
    for g in doc["groups"]:
        if g["suppressed"] and test(g["slice"]):
            ds = datasheet_cells(frame, spec)
            g["count"] = ds.cells.total(ds.block(g["slice"]))
            g["share"] = g["count"] / doc["rows"]
            g["suppressed"] = False
            return doc
    raise AssertionError("no such suppressed group")


@pytest.mark.parametrize("which", [
    pytest.param(lambda s: len(s) == 2 and s.get("race") == "not_provided", id="a complementary two-way cell"),
    pytest.param(lambda s: len(s) == 3 and s.get("race") == "not_provided", id="a complementary three-way cell"),
    pytest.param(lambda s: len(s) == 2 and s.get("race") == "native_american", id="a primary two-way cell"),
])
def test_the_audit_catches_a_published_complement(example, which):
    doc = _unhide(json.loads(example["results"]), which)
    ds = datasheet_cells(_frame(), _spec())
    facts = facts_from_results(ds, doc, "tampered")
    leaks = audit(ds.cells, facts, ds.secrets, ds.k)
    assert leaks, "putting back one hidden cell must give another away or narrow it"


def test_the_audit_catches_the_single_complement_rule_of_earlier_releases():
    """Earlier releases hid one extra cell per table; on the shipped data that left every hidden
    intersection recoverable from the published margins (pinned: all 9 hidden cells)."""
    old = json.loads((Path(__file__).parent / "fixtures" / "privacy" / "credit.datasheet.single-complement.json")
                     .read_text(encoding="utf-8"))
    ds = datasheet_cells(_frame(), _spec())
    facts = facts_from_results(ds, old, "single complement")
    leaks = audit(ds.cells, facts, ds.secrets, ds.k, intervals=False)
    assert len(ds.secrets) == 9 and len(leaks) == 9


# -- random tables through compute -------------------------------------------------------------------
@st.composite
def datasheets(draw):
    import pandas as pd

    bias = draw(st.booleans())
    n = draw(st.integers(0, 120) | st.integers(300, 1500)) if bias else draw(st.integers(0, 120))
    rng = np.random.default_rng(draw(st.integers(0, 2**31 - 1)))
    skew = draw(st.sampled_from([0.5, 0.8, 0.95]))

    def column(values):
        p = np.array([skew, *[(1 - skew) / (len(values) - 1)] * (len(values) - 1)])
        return rng.choice(np.array(values, dtype=object), size=n, p=p / p.sum())

    frame = pd.DataFrame({
        "a": column(["x", "y", "z", None]),
        "b": column(["u", "v"]),
        "age": rng.integers(18, 90, size=n).astype(float),
        "label": column(["0", "1", "2", "rare", None]),
        "note": column(["p", "q", "r", "s", "t"]),
        "dept": column(["A", "B", "C", None]),
        "flag": column(["on", "off"]),
        "score": rng.random(n),
    })
    if n:
        frame.loc[rng.random(n) < 0.05, "age"] = np.nan
    attrs = draw(st.sampled_from([["a"], ["a", "b"], ["a", {"column": "age", "bins": [30, 60]}],
                                  ["a", "b", {"column": "age", "bins": [40], "name": "band"}]]))
    spec = {"path": "x.csv", "label": "label", "sensitive_attributes": attrs,
            "min_cell_size": draw(st.integers(2, 12)),
            "intersections": draw(st.sampled_from(["all", "none"]))}
    if bias:  # bias measures: strata and label join the protected grid
        from cardwright.schema.bias import BIAS_METRIC_NAMES

        spec.update(bias_metrics=draw(st.lists(st.sampled_from(BIAS_METRIC_NAMES), min_size=1, unique=True)),
                    positive_label=draw(st.sampled_from(["1", ["1", "rare"], "0"])),
                    conditional_on=draw(st.sampled_from([["dept"], [{"column": "score", "bins": [0.5]}],
                                                         ["dept", "flag"]])),
                    confidence={"resamples": 20})
    return frame, spec


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=datasheets())
def test_random_datasheets_leak_nothing(case):
    """Random datasheets, half of them with bias measures (any of the eight, CDDL over one or two
    strata, a favourable label that may be rare): nothing any of their tables publishes recovers a
    suppressed count."""
    frame, raw = case
    spec = CompositionData.model_validate(raw)
    wanted = raw.get("positive_label")
    if wanted is not None and frame["label"].notna().any() \
            and not frame["label"].isin(wanted if isinstance(wanted, list) else [wanted]).any():
        with pytest.raises(cardwright.DataError, match="positive_label"):
            compute_composition(spec, frame)
        return
    results = json.loads(compute_composition(spec, frame).model_dump_json())
    ds = datasheet_cells(frame, spec.model_dump())
    facts = facts_from_results(ds, results, "random")
    assert [str(leak) for leak in audit(ds.cells, facts, ds.secrets, ds.k)] == []


# -- the rules that keep single rows out ------------------------------------------------------------
def _compose(frame, **data):
    spec = CompositionData.model_validate({"path": "x.csv", **data})
    return compute_composition(spec, frame)


def test_rare_label_values_are_pooled_not_named():
    import pandas as pd

    frame = pd.DataFrame({"y": ["approve"] * 60 + ["deny"] * 35 + ["appeal-ZQX"] * 3 + ["fraud-ZQX"] * 2})
    results = _compose(frame, label="y", min_cell_size=5)
    values = [c.value for c in results.label_shares]
    assert not any("ZQX" in v for v in values) and values[-1].startswith("(other values")
    assert results.label_shares[-1].count == 5  # 3 + 2: the pool itself reaches the threshold
    assert next(c for c in results.columns if c.name == "y").categories == results.label_shares


def test_a_numeric_label_with_many_values_lists_none_of_them():
    import pandas as pd

    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"y": rng.normal(size=400).round(6)})
    results = _compose(frame, label="y", min_cell_size=10)
    assert results.label_shares is None
    assert results.columns[0].numeric.min is None and results.columns[0].numeric.max is None


def test_a_binary_float_label_keeps_its_shares():
    import pandas as pd

    frame = pd.DataFrame({"y": [0.0] * 70 + [1.0] * 30})
    results = _compose(frame, label="y", min_cell_size=10)
    assert [(c.value, c.count) for c in results.label_shares] == [("0", 70), ("1", 30)]


@pytest.mark.parametrize(("values", "expected"), [
    pytest.param([5.0] * 12 + list(range(6, 40)) + [90.0] * 3, (5.0, None, 5.0, 33.0), id="min shared, max single"),
    pytest.param(list(range(100)), (None, None, 9.0, 90.0), id="all distinct"),
    pytest.param([1.0] * 50 + [2.0] * 50, (1.0, 2.0, 1.0, 2.0), id="two values, both shared"),
    pytest.param([7.0] * 4, (None, None, None, None), id="fewer values than the threshold"),
])
def test_extremes_are_published_only_when_enough_rows_share_them(values, expected):
    import pandas as pd

    frame = pd.DataFrame({"x": values})
    numeric = _compose(frame, min_cell_size=10).columns[0].numeric
    assert (numeric.min, numeric.max, numeric.low, numeric.high) == expected
    x = np.sort(np.asarray(values))
    if len(x) >= 10:  # low/high are numpy's 10th smallest and largest
        assert (numeric.low, numeric.high) == (x[9], x[-10])
        assert numeric.mean == pytest.approx(float(np.mean(x)))
    else:
        assert numeric.mean is None and numeric.std is None


def test_extremes_of_a_column_with_more_values_than_the_distinct_limit():
    import pandas as pd

    x = np.random.default_rng(4).normal(size=12_000)
    numeric = _compose(pd.DataFrame({"x": x}), min_cell_size=10).columns[0].numeric
    s = np.sort(x)
    assert (numeric.min, numeric.max, numeric.low, numeric.high) == (None, None, s[9], s[-10])


def test_a_small_missing_count_is_hidden_with_a_complement():
    import pandas as pd

    frame = pd.DataFrame({"c": ["a"] * 50 + ["b"] * 30 + ["c"] * 12 + [None] * 3})
    col = _compose(frame, min_cell_size=10).columns[0]
    assert col.missing is None and col.missing_share is None
    hidden = [c.value for c in col.categories if c.suppressed]
    assert hidden == ["c"]  # 3 + 12: the smallest category that covers the width


def test_a_sensitive_attribute_is_published_only_as_its_groups():
    import pandas as pd

    frame = pd.DataFrame({"sex": ["f"] * 40 + ["m"] * 45 + ["x"] * 2, "age": list(range(18, 105))})
    results = _compose(frame, sensitive_attributes=["sex", {"column": "age", "bins": [40, 70]}], min_cell_size=10)
    by = {c.name: c for c in results.columns}
    assert by["sex"].categories is None and by["age"].categories is None
    sex = {g.slice["sex"]: g for g in results.groups if list(g.slice) == ["sex"]}
    # x's two rows are 103 and 104; f has no row aged 70 or over, and moving a row between x and f
    # would change that published zero: the complement is m
    assert sex["x"].suppressed and sex["m"].suppressed and not sex["f"].suppressed
    assert {"sex": "f", "age": ">=70"} in results.unobserved


def test_a_group_missing_count_is_the_missing_group():
    import pandas as pd

    frame = pd.DataFrame({"sex": ["f"] * 40 + ["m"] * 45 + [None] * 4})
    results = _compose(frame, sensitive_attributes=["sex"], min_cell_size=10)
    missing = next(g for g in results.groups if g.slice == {"sex": "(missing)"})
    col = results.columns[0]
    assert missing.suppressed and col.missing is None  # one count, one decision


def test_counts_from_share_rounding_are_modelled():
    cells = Cells()
    a = cells.add(("a",), 35)
    fact = __import__("privacy_audit").count_from_share(frozenset({a}), Fraction("0.004"), 10_000, 3, "share")
    assert (fact.lo, fact.hi) == (35, 45)


# -- model cards: the same audit over slices × confusion classes -------------------------------------
MC_FORMATS = ("results", "json", "md", "html", "huggingface", "cyclonedx")


@pytest.fixture(scope="module")
def model_card_outputs(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("credit-card") / "credit"
    shutil.copytree(CREDIT, folder)
    (folder / "cardwright.toml").write_text("", encoding="utf-8")
    card = "credit.model-card.yaml"
    assert run_cli("compute", card, cwd=folder).code == 0
    return published_outputs(folder, card, ("md", "html", "json", "pdf"))


def _card_cells():
    import pandas as pd

    from audit_model_card import model_card_cells

    qa = cardwright.load(CREDIT / "credit.model-card.yaml").quantitative_analyses.model_dump()
    return model_card_cells(pd.read_csv(CREDIT / "data" / "eval.csv"), qa), qa


@pytest.mark.parametrize("kind", [*MC_FORMATS, "site"])
def test_no_suppressed_count_of_the_shipped_model_card_can_be_recovered(model_card_outputs, kind):
    from audit_model_card import facts_from_output

    mc, qa = _card_cells()
    results = json.loads(model_card_outputs["results"])
    facts = facts_from_output(mc, "html" if kind == "site" else kind, model_card_outputs[kind], results,
                              qa["metrics"])
    assert len(facts) > 80
    if kind in ("results", "json"):
        assert len(mc.secrets) > 20
    assert [str(leak) for leak in audit(mc.cells, facts, mc.secrets, mc.k)] == []


@pytest.mark.parametrize("cell", ["tn", "fp", "fn", "tp"])
def test_the_audit_catches_a_published_confusion_count(model_card_outputs, cell):
    """Put one hidden confusion count of a slice whose size is published back: the others give
    something away (or the count was small to begin with)."""
    from audit_model_card import facts_from_results

    doc = json.loads(model_card_outputs["results"])
    mc, _ = _card_cells()
    target = next(s for s in doc["slices"] if s["n"] is not None and s[cell] is None)
    target[cell] = mc.cells.total(mc.slice(target["slice"], {"tn": (0,), "fp": (1,), "fn": (2,), "tp": (3,)}[cell]))
    facts = facts_from_results(mc, doc, "tampered")
    assert target[cell] < mc.k or audit(mc.cells, facts, mc.secrets, mc.k)


def test_rates_publish_their_denominator_as_n(model_card_outputs):
    import pandas as pd

    doc = json.loads(model_card_outputs["results"])
    frame = pd.read_csv(CREDIT / "data" / "eval.csv")
    negatives = int((frame["y_true"] != 1).sum())
    fpr = next(r for r in doc["results"] if r["slice"] == {} and r["metric"] == "false_positive_rate")
    acc = next(r for r in doc["results"] if r["slice"] == {} and r["metric"] == "accuracy")
    assert fpr["n"] == negatives and acc["n"] == len(frame) == doc["slices"][0]["n"]


@st.composite
def model_card_tables(draw):
    import pandas as pd

    n = draw(st.integers(20, 160))
    rng = np.random.default_rng(draw(st.integers(0, 2**31 - 1)))
    skew = draw(st.sampled_from([0.5, 0.85]))
    frame = pd.DataFrame({
        "y": rng.integers(0, 2, n), "p": (rng.random(n) < draw(st.sampled_from([0.2, 0.5, 0.8]))).astype(int),
        "a": rng.choice(np.array(["x", "y", "z"], dtype=object), size=n, p=[skew, (1 - skew) / 2, (1 - skew) / 2]),
        "b": rng.choice(np.array(["u", "v"], dtype=object), size=n),
    })
    qa = {"data": {"path": "x.csv", "label": "y", "prediction": "p"}, "factors": draw(st.sampled_from([["a"], ["a", "b"]])),
          "metrics": ["count", "accuracy", "precision", "recall", "false_positive_rate"],
          "confidence": {"resamples": 0}, "min_group_size": draw(st.integers(1, 30)),
          "min_cell_size": draw(st.integers(2, 8))}
    if len(qa["factors"]) == 2 and draw(st.booleans()):  # within strata: every stratum's rates are published too
        qa["conditional_disparities"] = [{"metric": draw(st.sampled_from(["selection_rate", "recall", "precision"])),
                                          "over": ["a"], "conditional_on": ["b"]}]
    return frame, qa


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=model_card_tables())
def test_random_model_cards_leak_nothing(case):
    from audit_model_card import facts_from_results, model_card_cells
    from cardwright._compute.analyses import compute_analyses
    from cardwright.schema.analysis import QuantitativeAnalyses

    frame, raw = case
    spec = QuantitativeAnalyses.model_validate(raw)
    results = json.loads(compute_analyses(spec, frame).model_dump_json())
    mc = model_card_cells(frame, spec.model_dump())
    facts = facts_from_results(mc, results, "random")
    # no hidden count is recovered exactly; every hidden count below min_cell_size keeps its range
    # (a complementary cell of a sparse table can still be pinned by non-negativity: see docs/safety.md)
    assert [str(leak) for leak in audit(mc.cells, facts, mc.secrets, mc.k, small_only=True)] == []
    assert [str(leak) for leak in audit(mc.cells, facts, mc.withheld, mc.k, intervals=False)] == []


@pytest.mark.parametrize(("kind", "hidden", "shown"), [
    pytest.param("md", "| Asian | suppressed |", "| Asian | {n:,} |", id="md group table"),
    pytest.param("md", "Asian (n suppressed)", "Asian (n = {n:,})", id="md prose"),
    pytest.param("html", "Race Asian: suppressed (n suppressed)", "Race Asian: suppressed (n = {n})",
                 id="html chart description"),
    pytest.param("html", "Asian (n suppressed)", "Asian (n = {n:,})", id="html prose"),
])
def test_the_audit_reads_a_hidden_size_put_back_into_a_rendered_output(model_card_outputs, kind, hidden, shown):
    """The parsers of the rendered outputs are not vacuous: a hidden group size written back where
    the report shows sizes (tables, words, chart descriptions) is read, and gives others away."""
    from audit_model_card import facts_from_output

    mc, qa = _card_cells()
    text = model_card_outputs[kind]
    assert hidden in text
    tampered = text.replace(hidden, shown.format(n=mc.cells.total(mc.slice({"race": "asian"}))), 1)
    facts = facts_from_output(mc, kind, tampered, json.loads(model_card_outputs["results"]), qa["metrics"])
    assert audit(mc.cells, facts, mc.secrets, mc.k)
