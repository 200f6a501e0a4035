"""Extreme and inconsistent input through the real command line: numbers at the edge of the floats,
settings at the edge of their ranges, filters that keep nothing, missing class scores.  Each ends
in a located finding with a hint and exit status 1, or in a correct output; never an internal
error (exit 2) or a traceback."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import run_cli

CARD = """\
kind: model-card
schema_version: 1
model_details:
  name: limits
  version: "1.0"
intended_use: {{}}
factors:
  evaluation_factors:
    - {{name: sex}}
metrics: {{}}
evaluation_data: {{}}
training_data: {{}}
ethical_considerations: {{}}
caveats_and_recommendations: {{}}
quantitative_analyses:
{analyses}
"""

FINDING = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+)(?::(?P<col>\d+))?: error\[(?P<code>[a-z-]+)\]: (?P<message>.+)$",
                     re.MULTILINE)


def write_card(folder: Path, analyses: str, data: str | None = None, name: str = "t") -> str:
    """A model card whose `quantitative_analyses` block is ``analyses`` (YAML, indented two
    spaces), with ``data`` written to eval.csv beside it; returns the card's file name."""
    folder.mkdir(parents=True, exist_ok=True)
    if data is not None:
        (folder / "eval.csv").write_text(data, encoding="utf-8")
    card = f"{name}.model-card.yaml"
    (folder / card).write_text(CARD.format(analyses=analyses), encoding="utf-8")
    return card


def finding(run: object, code: str) -> re.Match[str]:
    """The one error finding of a run that ended in exit status 1, with its hint."""
    err: str = run.out + run.err  # type: ignore[attr-defined]
    assert run.code == 1, (run.code, err)  # type: ignore[attr-defined]
    assert "Traceback" not in err and "internal error" not in err, err
    found = FINDING.search(err)
    assert found is not None and found["code"] == code, err
    assert "\n  hint: " in err[found.end():], err
    return found


def regression_rows(label_of_row_7: float, rows: int = 120) -> str:
    rng = np.random.default_rng(1)
    y = rng.normal(150.0, 50.0, rows)
    y[7] = label_of_row_7
    p = y + rng.normal(0.0, 20.0, rows)
    p[7] = 150.0
    return "sex,y,p\n" + "".join(f"{'fm'[i % 2]},{float(y[i])!r},{float(p[i])!r}\n" for i in range(rows))


REGRESSION = """\
  task: regression
  data: {path: eval.csv, label: y, prediction: p}
  factors: [sex]
  metrics: [count, mean_error, mean_absolute_error, median_absolute_error, root_mean_squared_error, r2, mean_label]
  confidence: {resamples: 20}
  min_group_size: 1
"""


# -- 1. axes for any finite range ----------------------------------------------------------

@pytest.mark.parametrize("label", [1e9, 1e15, 1e60])
def test_huge_regression_label_renders_charts(tmp_path: Path, label: float) -> None:
    data = regression_rows(label)
    card = write_card(tmp_path, REGRESSION, data)
    computed = run_cli("compute", card, cwd=tmp_path)
    assert computed.code == 0, computed.err
    results = json.loads((tmp_path / "t.model-card.results.json").read_text(encoding="utf-8"))
    [overall] = [r for r in results["results"] if r["metric"] == "mean_label" and not r["slice"]]
    labels = [float(line.split(",")[1]) for line in data.splitlines()[1:]]
    assert overall["value"] == pytest.approx(float(np.mean(labels)), rel=1e-12)
    for fmt in ("html", "md"):
        got = run_cli("render", card, "--to", fmt, "-o", f"out.{fmt}", cwd=tmp_path)
        assert got.code == 0, got.err
    svgs = re.findall(r"<svg.*?</svg>", (tmp_path / "out.html").read_text(encoding="utf-8"), re.DOTALL)
    assert svgs
    ticks = [t for svg in svgs for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    numbers = [t for t in ticks if re.fullmatch(r"[\u2212\d.e+-]+", t)]
    assert numbers and all(len(t) <= 12 for t in numbers), numbers  # 1.5e59, not sixty digits
    assert not [t for t in ticks if re.search(r"\b(inf|nan)\b", t)], ticks


def test_fit_axis_covers_every_finite_range() -> None:
    from cardwright._render.svg import fit_axis

    top = sys.float_info.max
    for values in ([0.0, 1e9], [-1e12, 0.3], [-top, top], [top, top], [5e-324, 1e-300], [-1e300, 1e-300]):
        axis = fit_axis(values).placed(0.0, 100.0)
        ticks = axis.ticks()
        assert axis.lo <= min(values) and max(values) <= axis.hi, (values, axis)
        assert all(np.isfinite(t) for t in ticks) and len(ticks) >= 2, (values, ticks)
        assert all(0.0 <= axis.x(v) <= 100.0 for v in values)
        assert all(len(axis.label(t)) <= 12 for t in ticks), [axis.label(t) for t in ticks]


# -- 2. moments without overflow ---------------------------------------------------------

@pytest.mark.parametrize("engine", ["arrow", "duckdb"])
@pytest.mark.parametrize("label", [1e80, 1e105, 1e200])
def test_label_beyond_the_largest_summed_value_is_a_data_error(tmp_path: Path, label: float, engine: str) -> None:
    card = write_card(tmp_path, REGRESSION, regression_rows(label))
    got = finding(run_cli("compute", card, "--engine", engine, cwd=tmp_path), "data-error")
    assert "'y'" in got["message"] and "1e+60" in got["message"] and f"{label:g}" in got["message"], got[0]
    if engine == "arrow":  # the reading pass names the row
        assert got["path"] == "eval.csv" and got["line"] == "9" and "row 8" in got["message"], got[0]
    assert not (tmp_path / "t.model-card.results.json").exists()


def test_scored_and_weights_beyond_the_limit_are_data_errors(tmp_path: Path) -> None:
    rows = "".join(f"{'fm'[i % 2]},{1e70 if i == 3 else i / 10!r},{1.0}\n" for i in range(40))
    scored = """\
  task: scored
  data: {path: eval.csv, score: s}
  factors: [sex]
  metrics: [count, mean, std, p50]
  min_group_size: 1
"""
    got = finding(run_cli("compute", write_card(tmp_path / "s", scored, "sex,s,w\n" + rows), cwd=tmp_path / "s"),
                  "data-error")
    assert "'s'" in got["message"] and "row 4" in got["message"], got[0]
    heavy = "".join(f"{'fm'[i % 2]},{i % 2},{0.3 + (i % 5) / 10},{1e80 if i == 2 else 1.0}\n" for i in range(40))
    binary = """\
  data: {path: eval.csv, label: y, score: s, threshold: 0.5, weight: w}
  factors: [sex]
  metrics: [count, accuracy, brier_score, log_loss]
  min_group_size: 1
"""
    got = finding(run_cli("compute", write_card(tmp_path / "w", binary, "sex,y,s,w\n" + heavy), cwd=tmp_path / "w"),
                  "data-error")
    assert "'w'" in got["message"] and "row 3" in got["message"], got[0]


def test_huge_class_and_binary_scores_compute(tmp_path: Path) -> None:
    rows = "".join(f"{'fm'[i % 2]},{i % 3},{1e300 if i == 4 else 0.2},{0.3},{-1e300 if i == 5 else 0.5}\n"
                   for i in range(60))
    multiclass = """\
  task: multiclass-classification
  data: {path: eval.csv, label: y, class_scores: {"0": a, "1": b, "2": c}}
  factors: [sex]
  metrics: [count, accuracy, top_k_accuracy]
  min_group_size: 1
"""
    got = run_cli("compute", write_card(tmp_path / "m", multiclass, "sex,y,a,b,c\n" + rows), cwd=tmp_path / "m")
    assert got.code == 0, got.err
    binary = """\
  data: {path: eval.csv, label: y, score: s, thresholds: [0.5, 1e200]}
  factors: [sex]
  metrics: [count, accuracy, recall, roc_auc]
  min_group_size: 1
"""
    scores = "".join(f"{'fm'[i % 2]},{i % 2},{1e300 if i % 7 == 0 else -1e300 if i % 11 == 0 else i / 100}\n"
                     for i in range(80))
    got = run_cli("compute", write_card(tmp_path / "b", binary, "sex,y,s\n" + scores), cwd=tmp_path / "b")
    assert got.code == 0, got.err


# -- 3. confidence levels ----------------------------------------------------------------

def _analyses_yaml(name: str, **extra: object) -> str:
    import yaml

    from task_data import FACTORS, SPECS

    base = SPECS[name]
    block = {**base, "data": {**base["data"], "path": "eval.csv"}, "factors": FACTORS, "min_group_size": 10,
             "reference_groups": {"group": "north"}, **extra}
    block.pop("gates", None)
    text = yaml.safe_dump(block, sort_keys=False)
    return "".join(f"  {line}\n" for line in text.splitlines())


@pytest.fixture(scope="module")
def task_csv(tmp_path_factory: pytest.TempPathFactory) -> str:
    from task_data import frame

    path = tmp_path_factory.mktemp("tasks") / "eval.csv"
    frame(rows=800).to_csv(path, index=False)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("level", [0.5, 0.9999])
def test_every_interval_method_works_at_both_ends_of_the_level_range(tmp_path: Path, task_csv: str,
                                                                    level: float) -> None:
    from task_data import SPECS

    for name in sorted(SPECS):
        for method in ("auto", "percentile") if name in ("binary", "regression", "scored") else ("auto",):
            folder = tmp_path / f"{name}-{method}"
            confidence = {"level": level, "resamples": 40, "seed": 1, "method": method}
            card = write_card(folder, _analyses_yaml(name, confidence=confidence), task_csv)
            got = run_cli("compute", card, cwd=folder)
            assert got.code == 0 and "Warning" not in got.err, (name, method, got.err)
            results = json.loads((folder / "t.model-card.results.json").read_text(encoding="utf-8"))
            bounded = [r for r in results["results"] if r["ci_low"] is not None]
            assert bounded or all(r["suppressed"] or r["metric"] == "count" for r in results["results"]), name
            assert all(r["ci_low"] <= r["value"] <= r["ci_high"] for r in bounded if r["value"] is not None), name


@pytest.mark.parametrize(("level", "hint"), [
    ("0.9999999999999999", "use a value from 0.5 to 0.9999"), ("1.0", "use a value from 0.5 to 0.9999"),
    ("0.0000000001", "use a value from 0.5 to 0.9999"), ("0.99995", "use a value from 0.5 to 0.9999"),
])
def test_confidence_level_outside_its_range_is_a_finding(tmp_path: Path, level: str, hint: str) -> None:
    analyses = REGRESSION.replace("{resamples: 20}", f"{{level: {level}, resamples: 20}}")
    card = write_card(tmp_path, analyses, regression_rows(200.0))
    for command in ("validate", "compute"):
        run = run_cli(command, card, cwd=tmp_path)
        got = finding(run, "invalid-value")
        assert "confidence.level" in got["message"] and (got["line"], got["col"]) == ("20", "23"), got[0]
        assert f"hint: {hint}" in run.out + run.err and "Warning" not in run.err


# -- 4. every integer setting has an upper bound -----------------------------------------

BINARY = """\
  data: {{path: eval.csv, label: y, score: s, threshold: 0.5}}
  factors: [sex]
  metrics: [count, accuracy, recall, expected_calibration_error]
  confidence: {{resamples: {resamples}, seed: {seed}}}
  min_group_size: {group}
  min_cell_size: {cell}
  calibration_bins: {bins}
"""
BINARY_ROWS = "sex,y,s\n" + "".join(f"{'fm'[i % 2]},{i % 3 % 2},{(i % 10) / 10}\n" for i in range(200))
BIG = "99999999999999999999999"


def test_integer_settings_at_their_largest_compute_and_validate(tmp_path: Path) -> None:
    from cardwright.schema.analysis import MAX_COUNT, MAX_SEED

    analyses = BINARY.format(resamples=100_000 // 1000, seed=MAX_SEED, group=MAX_COUNT, cell=MAX_COUNT, bins=1000)
    card = write_card(tmp_path, analyses, BINARY_ROWS)
    got = run_cli("compute", card, cwd=tmp_path)
    assert got.code == 0, got.err
    checked = run_cli("validate", "--strict", card, cwd=tmp_path)
    assert "invalid-results" not in checked.out + checked.err, checked.out + checked.err


@pytest.mark.parametrize(("key", "values", "hint"), [
    ("min_group_size", {"group": BIG}, "use a value from 1 to 1,000,000,000"),
    ("min_cell_size", {"cell": "1000000001"}, "use a value from 1 to 1,000,000,000"),
    ("seed", {"seed": BIG}, "use a value from 0 to 9,223,372,036,854,775,807"),
    ("resamples", {"resamples": BIG}, "use a value from 0 to 100,000"),
    ("calibration_bins", {"bins": BIG}, "use a value from 1 to 1,000"),
])
def test_integer_settings_beyond_their_bound_are_findings(tmp_path: Path, key: str, values: dict[str, str],
                                                          hint: str) -> None:
    settings = {"resamples": 20, "seed": 0, "group": 1, "cell": 1, "bins": 10, **values}
    card = write_card(tmp_path, BINARY.format(**settings), BINARY_ROWS)
    for command in ("validate", "compute"):
        run = run_cli(command, card, cwd=tmp_path)
        got = finding(run, "invalid-value")
        assert key in got["message"] and f"hint: {hint}" in run.out + run.err, run.out + run.err
    assert not (tmp_path / "t.model-card.results.json").exists()


def test_top_k_beyond_its_bound_is_a_finding(tmp_path: Path) -> None:
    analyses = f"""\
  task: multiclass-classification
  data: {{path: eval.csv, label: y, class_scores: {{"0": a, "1": b, "2": c}}}}
  factors: [sex]
  metrics: [count, top_k_accuracy]
  top_k: {BIG}
"""
    run = run_cli("validate", write_card(tmp_path, analyses), cwd=tmp_path)
    got = finding(run, "invalid-value")
    assert "top_k" in got["message"] and "hint: use a value from 1 to 1,000" in run.out + run.err


# -- 5. class scores are checked for coverage before top_k -------------------------------

MULTICLASS = """\
  task: multiclass-classification
  data: {{path: eval.csv, label: y, class_scores: {{c0: s_c0, c1: s_c1}}}}
  factors: [sex]
  metrics: [count, accuracy, top_k_accuracy]
{top_k}  min_group_size: 1
"""


@pytest.mark.parametrize("engine", ["arrow", "duckdb"])
@pytest.mark.parametrize("top_k", [1, 2, 3])
def test_missing_class_score_column_is_named_whatever_top_k(tmp_path: Path, engine: str, top_k: int) -> None:
    rows = "".join(f"{'fm'[i % 2]},c{i % 3},0.2,0.5,0.3\n" for i in range(90))
    card = write_card(tmp_path, MULTICLASS.format(top_k=f"  top_k: {top_k}\n"), "sex,y,s_c0,s_c1,s_c2\n" + rows)
    got = finding(run_cli("compute", card, "--engine", engine, cwd=tmp_path), "data-error")
    assert "label 'c2' has no score column in `class_scores`" in got["message"], got[0]


def test_top_k_not_below_the_number_of_classes_is_found_after_coverage(tmp_path: Path) -> None:
    rows = "".join(f"{'fm'[i % 2]},c{i % 2},0.2,0.5\n" for i in range(90))
    card = write_card(tmp_path, MULTICLASS.format(top_k=""), "sex,y,s_c0,s_c1\n" + rows)
    run = run_cli("compute", card, cwd=tmp_path)
    got = finding(run, "data-error")
    assert "top_k 2 is not less than the number of classes (2: c0, c1)" in got["message"], got[0]
    assert "hint: set `top_k:` below the number of classes" in run.err


# -- 6. a filter that keeps no row -------------------------------------------------------

@pytest.mark.parametrize("engine", ["arrow", "duckdb"])
def test_filter_that_drops_every_row_points_at_the_filter(tmp_path: Path, engine: str) -> None:
    analyses = REGRESSION.replace("prediction: p}", 'prediction: p, filter: sex == "F"}')
    card = write_card(tmp_path, analyses, regression_rows(200.0))
    run = run_cli("compute", card, "--engine", engine, cwd=tmp_path)
    got = finding(run, "data-error")
    line = (tmp_path / card).read_text(encoding="utf-8").splitlines()[int(got["line"]) - 1]
    assert got["path"] == card and line[int(got["col"]) - 1:].startswith('sex == "F"'), got[0]
    assert "the filter left no rows: it dropped all 120 rows read from eval.csv" in got["message"], got[0]
    assert "hint: check the filter's columns and values" in run.err


@pytest.mark.parametrize("engine", ["arrow", "duckdb"])
def test_datasheet_filter_that_drops_every_row_is_an_error(tmp_path: Path, engine: str) -> None:
    import shutil

    from conftest import ROOT

    shutil.copytree(ROOT / "examples" / "credit", tmp_path / "credit")
    card = tmp_path / "credit" / "credit.datasheet.yaml"
    (tmp_path / "credit" / "credit.datasheet.results.json").unlink()
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("  path: data/applications.csv\n",
                                 '  path: data/applications.csv\n  filter: sex == "nobody"\n', 1), encoding="utf-8")
    got = finding(run_cli("compute", card.name, "--engine", engine, cwd=card.parent), "data-error")
    assert got["path"] == card.name and "the filter left no rows" in got["message"], got[0]
    assert not (tmp_path / "credit" / "credit.datasheet.results.json").exists()


# -- 7. attribution id errors name an id -------------------------------------------------

def _attribution_case(folder: Path, ids: list[str]) -> str:
    rows = regression_rows(200.0, rows=40).splitlines()
    data = "id," + rows[0] + "\n" + "".join(f"r{i},{line}\n" for i, line in enumerate(rows[1:]))
    (folder).mkdir(parents=True, exist_ok=True)
    (folder / "shap.csv").write_text("id,f1,f2\n" + "".join(f"{x},{i / 10},{-i / 20}\n" for i, x in enumerate(ids)),
                                     encoding="utf-8")
    return write_card(folder, REGRESSION + "  attributions: {path: shap.csv, id: id}\n", data)


@pytest.mark.parametrize(("ids", "message"), [
    ([f"r{i}" for i in range(39)] + ["zz9"], "1 attribution ids are not in the evaluation data, the first 'zz9'; "
     "1 evaluation ids have no attribution row, the first 'r39'"),
    ([f"r{i}" for i in range(40) if i != 17], "the attribution file has 39 rows and the evaluation data 40; "
     "1 evaluation ids have no attribution row, the first 'r17'"),
    ([f"r{i}" for i in range(40) if i != 5] + ["r12"], "1 ids appear more than once in the attribution file, the "
     "first 'r12' (2 times)"),
])
def test_attribution_id_errors_name_an_id(tmp_path: Path, ids: list[str], message: str) -> None:
    card = _attribution_case(tmp_path, ids)
    got = finding(run_cli("compute", card, cwd=tmp_path), "data-error")
    assert message in got["message"], got[0]


# -- 8. the library's data= override and attributions ------------------------------------

def test_data_override_with_attributions_names_the_override(tmp_path: Path) -> None:
    import pandas as pd

    import cardwright
    from cardwright.errors import DataError

    card = _attribution_case(tmp_path, [f"r{i}" for i in range(40)])
    loaded = cardwright.load(tmp_path / card)
    frame = pd.read_csv(tmp_path / "eval.csv")
    with pytest.raises(DataError) as raised:
        cardwright.compute(loaded, data=frame)
    [found] = raised.value.findings
    assert found.code == "data-error" and "`data=` replaces that file" in found.message, found
    assert found.hint is not None and "without `data=`" in found.hint and found.line is not None
    assert cardwright.compute(loaded).attributions is not None  # the card's own file is fine


# -- 9. the settings line shows a positive label only where one applies -------------------

def test_positive_label_shown_only_for_binary_classification(tmp_path: Path) -> None:
    scored = """\
  task: scored
  data: {path: eval.csv, score: y}
  factors: [sex]
  metrics: [count, mean]
  min_group_size: 1
"""
    binary = BINARY.format(resamples=20, seed=0, group=1, cell=1, bins=10)
    for name, analyses, data, shown in (("regression", REGRESSION, regression_rows(200.0), False),
                                        ("scored", scored, regression_rows(200.0), False),
                                        ("binary", binary, BINARY_ROWS, True)):
        folder = tmp_path / name
        card = write_card(folder, analyses, data)
        assert run_cli("compute", card, cwd=folder).code == 0
        results = json.loads((folder / "t.model-card.results.json").read_text(encoding="utf-8"))
        assert (results["settings"]["positive_label"] is not None) is shown
        for fmt in ("md", "html"):
            assert run_cli("render", card, "--to", fmt, "-o", f"out.{fmt}", cwd=folder).code == 0
            text = (folder / f"out.{fmt}").read_text(encoding="utf-8")
            assert ("positive label: 1" in text) is shown, (name, fmt)


# -- 10. intervals read one way ----------------------------------------------------------

def test_intervals_read_low_to_high_with_true_minus_signs(tmp_path: Path) -> None:
    rows = regression_rows(200.0).splitlines()
    shifted = [rows[0]] + [f"{s},{y},{float(p) - 30.0!r}" for s, y, p in (r.split(",") for r in rows[1:])]
    card = write_card(tmp_path, REGRESSION, "\n".join(shifted) + "\n")
    assert run_cli("compute", card, cwd=tmp_path).code == 0
    results = json.loads((tmp_path / "t.model-card.results.json").read_text(encoding="utf-8"))
    [bias] = [r for r in results["results"] if r["metric"] == "mean_error" and not r["slice"]]
    assert bias["ci_low"] < bias["ci_high"] < 0
    m = "\u2212"
    expected = f"{m}{-bias['value']:.3f} ({m}{-bias['ci_low']:.3f} to {m}{-bias['ci_high']:.3f})"
    for fmt in ("md", "html"):
        assert run_cli("render", card, "--to", fmt, "-o", f"out.{fmt}", cwd=tmp_path).code == 0
        text = (tmp_path / f"out.{fmt}").read_text(encoding="utf-8")
        text = re.sub(r' <span class="sub">([^<]*)</span>', r" (\1)", text)
        assert expected in text, fmt
        assert not re.search(r"\d\u2013-?\d", re.sub(r"bin [\d.]+\u2013[\d.]+", "", text)), fmt


# -- 11. a byte-order mark before bytes that are not text --------------------------------

@pytest.mark.parametrize("raw", [b"\xff\xfe garbage", b"\xff\xfekind: model-card\n", b"\xfe\xff\x00k\xd8\x00"])
def test_bom_before_bytes_that_are_not_text_is_an_encoding_error(tmp_path: Path, raw: bytes) -> None:
    (tmp_path / "b.model-card.yaml").write_bytes(raw)
    for command in ("validate", "render"):
        run = run_cli(command, "b.model-card.yaml", *(("--to", "md") if command == "render" else ()), cwd=tmp_path)
        got = finding(run, "encoding")
        assert (got["line"], got["col"], got["message"]) == ("1", "1", f"byte 0x{raw[0]:02X} is not valid UTF-8")
        assert "hint: save the file as UTF-8 (e.g. `iconv" in run.out + run.err


def test_utf16_card_with_a_bom_still_reads(tmp_path: Path) -> None:
    from conftest import FIXTURES

    run = run_cli("validate", str(FIXTURES / "valid" / "utf16_bom.model-card.yaml"), cwd=tmp_path)
    assert run.code == 0, run.out + run.err


# -- 12. hints that say where a setting goes ---------------------------------------------

def test_per_class_metric_in_metrics_hint_fits_per_class(tmp_path: Path) -> None:
    analyses = """\
  task: multiclass-classification
  data: {{path: eval.csv, label: y, prediction: p}}
  metrics: [count, accuracy, precision]
{per_class}"""
    for per_class, hint in (("  per_class: true\n", "hint: remove precision from `metrics`: `per_class: true` already "
                             "reports precision, recall and f1 of every class (or use macro_precision)"),
                            ("", "hint: set `per_class: true` for per-class precision, recall and f1, or use "
                             "macro_precision")):
        run = run_cli("validate", write_card(tmp_path, analyses.format(per_class=per_class)), cwd=tmp_path)
        got = finding(run, "unknown-metric")
        assert "'precision' has one value per class" in got["message"] and hint in run.out, run.out


def test_thresholds_beside_data_hint_says_it_belongs_under_data(tmp_path: Path) -> None:
    analyses = """\
  - name: a
    data: {path: eval.csv, label: y, score: s}
    thresholds: [0.3, 0.5]
    metrics: [count, accuracy]
"""
    run = run_cli("validate", write_card(tmp_path, analyses), cwd=tmp_path)
    got = finding(run, "unknown-key")
    assert "`quantitative_analyses.0.thresholds`" in got["message"] and (got["line"], got["col"]) == ("18", "5")
    assert "hint: `thresholds` belongs under `data:` (as `data.thresholds`)" in run.out, run.out
