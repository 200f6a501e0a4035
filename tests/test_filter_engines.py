"""The filter, `na_values` and `strip_whitespace` select the same rows on the Arrow pass and DuckDB
as a direct Python evaluation of docs/filtering.md's rules, on random tables with missing values,
NaN, -0.0, mixed integer and floating-point comparisons, quotes and unicode, in memory, Parquet
and CSV (Spark: tests/test_filter_spark.py)."""

from __future__ import annotations

import itertools
import sys

import pytest
from hypothesis import HealthCheck, given, settings

from cardwright._compute.filtering.prepare import FALSE_WORDS, TRUE_WORDS, WHITESPACE, FilterError
from filter_data import (
    arrow_rows,
    arrow_table,
    csv_copy,
    duckdb_rows,
    expected_ids,
    filters,
    ids,
    preparation,
    preparations,
    rows,
    write_files,
)

pytest.importorskip("duckdb")

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_counter = itertools.count()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("filters")


@FAST
@given(data=rows, text=filters, prep=preparations)
def test_arrow_and_duckdb_select_what_the_rules_say(folder, data, text, prep):
    files = write_files(data, folder / str(next(_counter)))
    p = preparation(text, prep["na_values"], prep["strip_whitespace"])
    table = arrow_table(data)
    for fmt, source in (("memory", table), ("parquet", files["parquet"]), ("csv", files["csv"])):
        expected = expected_ids(data, fmt, text, prep["na_values"], prep["strip_whitespace"])
        assert ids(arrow_rows(source, p)) == expected, (fmt, "arrow")
        assert ids(duckdb_rows(source, p)) == expected, (fmt, "duckdb")


@FAST
@given(data=rows, prep=preparations)
def test_cleaning_alone_gives_the_same_values_on_both_engines(folder, data, prep):
    files = write_files(data, folder / str(next(_counter)))
    p = preparation(None, prep["na_values"], prep["strip_whitespace"])
    for source in (arrow_table(data), files["parquet"], files["csv"]):
        arrow = sorted((int(i), s) for i, s in arrow_rows(source, p, ["id", "s"]))
        duck = sorted((int(i), s) for i, s in duckdb_rows(source, p, ["id", "s"]))
        assert arrow == duck


def test_strip_whitespace_removes_exactly_what_python_calls_whitespace():
    assert set(WHITESPACE) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert len(WHITESPACE) == len(set(WHITESPACE))
    assert TRUE_WORDS == ("true", "True", "TRUE") and FALSE_WORDS == ("false", "False", "FALSE")


# -- hostile names and values: selected exactly, never executed -------------------------------------
HOSTILE_NAMES = ['a"b', "x; DROP TABLE cardwright_input; --", "back`tick", "sp ace", "dot.ted", "é", "--c",
                 "/*c*/", "a\\b", "$prep0_", "'quoted'"]
HOSTILE_VALUES = ["O'Reilly", 'say "hi"', "x'; DROP TABLE cardwright_input; --", "\\", "\\'", "%", "_", "*",
                  "$1", "$prep0_", "?", "a\\nb", "--", "/*", "*/", "\u0000", "ü", "🙂", "NULL"]


def _quoted_name(name: str) -> str:
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def _quoted_value(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_column_names_and_values_select_exactly_their_rows(tmp_path, name):
    import pyarrow as pa
    import pyarrow.parquet as pq

    values = [v for v in HOSTILE_VALUES if v != "\u0000"]
    table = pa.table({"id": list(range(len(values) * 2)), name: values + values[::-1]})
    pq.write_table(table, tmp_path / "t.parquet")
    header = [["id", name]] + [[str(i), v] for i, v in enumerate(table.column(name).to_pylist())]
    csv_file = csv_copy(header, tmp_path / "t.csv")
    for value in values:
        text = f"{_quoted_name(name)} == {_quoted_value(value)}"
        p = preparation(text)
        want = [i for i, v in enumerate(table.column(name).to_pylist()) if v == value]
        assert ids(arrow_rows(table, p)) == want, value
        assert ids(duckdb_rows(table, p)) == want, value
        assert ids(duckdb_rows(tmp_path / "t.parquet", p)) == want, value
        csv_want = [] if value == "NULL" else want  # NULL is a missing-value token in CSV files
        assert ids(arrow_rows(csv_file, p)) == csv_want, value
        assert ids(duckdb_rows(csv_file, p)) == csv_want, value
    # the negation keeps every other row: nothing was cut short by a comment or a semicolon
    p = preparation(f"{_quoted_name(name)} not in [{_quoted_value(values[2])}, {_quoted_value(values[6])}]")
    keep = [i for i, v in enumerate(table.column(name).to_pylist()) if v not in (values[2], values[6])]
    assert ids(duckdb_rows(table, p)) == ids(arrow_rows(table, p)) == keep


def test_a_nul_character_in_a_value_is_compared_not_truncated():
    import pyarrow as pa

    table = pa.table({"id": [0, 1, 2], "s": ["a\u0000b", "a", "a\u0000"]})
    p = preparation('s == "a\\u0000b"'.replace("\\u0000", "\u0000"))
    assert ids(arrow_rows(table, p)) == ids(duckdb_rows(table, p)) == [0]


# -- mixed numbers, NaN, missing values --------------------------------------------------------------
@pytest.mark.parametrize(("text", "want"), [
    ("x == 1", [1, 4]),            # int column, int literal: exact
    ("x == 1.0", [1, 4]),          # float literal: compared as double
    ("x > 0.5", [1, 3, 4]),
    ("y == 0", [0, 2]),            # -0.0 == 0
    ("y in [0, 2.5]", [0, 2, 4]),
    ("y is missing", [1, 3]),      # null and NaN are missing
    ("not y > 1", [0, 2]),         # unknown stays unknown under `not`
    ("y != 0", [4]),
    ("big == 9007199254740993", [0]),   # exact beyond 2^53
    ("big == 9007199254740993.0", [0, 1]),  # as doubles, 2^53 + 1 rounds to 2^53
])
def test_numbers_compare_the_same_in_memory_and_in_parquet(tmp_path, text, want):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "id": [0, 1, 2, 3, 4],
        "x": pa.array([0, 1, None, 7, 1], pa.int32()),
        "y": [-0.0, None, 0.0, float("nan"), 2.5],
        "big": [2**53 + 1, 2**53, 0, None, 1],
    })
    pq.write_table(table, tmp_path / "t.parquet")
    p = preparation(text)
    for source in (table, tmp_path / "t.parquet"):
        assert ids(arrow_rows(source, p)) == want
        assert ids(duckdb_rows(source, p)) == want


def test_numbers_read_from_text(tmp_path):
    csv_file = csv_copy([["id", "n"], ["0", " 30 "], ["1", "-30"], ["2", "1e2"], ["3", ""], ["4", ".5"], ["5", "+7"],
                         ["6", "-0"], ["7", "N/A"]], tmp_path / "t.csv")
    for text, want in [("n <= 30 and n >= -30", [0, 1, 4, 5, 6]), ("n > 50", [2]), ("n == 0", [6]),
                       ("n is missing", [3, 7]), ("n in [30, 100]", [0, 2])]:
        p = preparation(text)
        assert ids(arrow_rows(csv_file, p)) == ids(duckdb_rows(csv_file, p)) == want, text


@pytest.mark.parametrize(("cell", "reading", "text"), [
    ("abc", "number", "n > 1"),
    ("1,000", "number", "n > 1"),
    ("0x10", "number", "n > 1"),
    ("NaN", "number", "n in [1]"),
    ("yes", "boolean", "n == true"),
])
def test_text_that_does_not_read_as_the_compared_kind_is_an_error_on_both_engines(tmp_path, cell, reading, text):
    first = "1" if reading == "number" else "true"
    csv_file = csv_copy([["id", "n"], ["0", first], ["1", cell], ["2", ""]], tmp_path / "t.csv")
    p = preparation(text)
    with pytest.raises(FilterError) as arrow:
        arrow_rows(csv_file, p)
    with pytest.raises(FilterError) as duck:
        duckdb_rows(csv_file, p)
    assert arrow.value.offset == duck.value.offset == 0
    assert arrow.value.problem == (f"column 'n' holds {cell!r} (row 2 of t.csv), which is not "
                                   f"{'a number' if reading == 'number' else 'true or false'}, but the filter "
                                   f"compares it with {'a number' if reading == 'number' else 'true or false'}")
    assert arrow.value.line == 3
    plural = "numbers" if reading == "number" else "true or false"
    assert duck.value.problem == (f"column 'n' of t.csv holds 1 value that is not {plural} (the smallest: "
                                  f"{cell!r}), but the filter compares it with "
                                  f"{'a number' if reading == 'number' else 'true or false'}")
    # listed as missing, it is no longer an error
    fixed = preparation(text, [cell])
    assert ids(arrow_rows(csv_file, fixed)) == ids(duckdb_rows(csv_file, fixed))


@pytest.mark.parametrize(("text", "offset", "problem", "hint"), [
    ("agee > 1", 0, "no column 'agee' in <DataFrame>", "did you mean 'age'?"),
    ("zzz > 1", 0, "no column 'zzz' in <DataFrame>", "columns there: age, flag, id, name, when"),
    ('age == "30"', 7, 'column \'age\' holds numbers, so comparing it with the text "30" would never match',
     "write the number without quotes: age == 30"),
    ("age in [true]", 8, "column 'age' holds numbers, so comparing it with the value true would never match",
     "compare it with 1 or 0"),
    ("flag == 1", 8, "column 'flag' holds true/false values, so comparing it with the number 1 would never match",
     "compare it with true or false"),
    ('flag != "yes"', 8, 'column \'flag\' holds true/false values, so comparing it with the text "yes" would never '
     "match", "compare it with true or false"),
    ("when > 3", 0, "column 'when' holds date32[day] values, which a filter cannot compare",
     "filter on a number, text or true/false column (`is missing` works on any)"),
])
def test_a_filter_that_does_not_fit_the_data_is_located_and_explained(text, offset, problem, hint):
    import datetime

    import pyarrow as pa

    table = pa.table({"id": [0], "age": [30], "flag": [True], "name": ["a"], "when": [datetime.date(2024, 1, 1)]})
    p = preparation(text)
    with pytest.raises(FilterError) as arrow:
        arrow_rows(table, p)
    assert (arrow.value.offset, arrow.value.problem, arrow.value.hint) == (offset, problem, hint)
    with pytest.raises(FilterError) as duck:
        duckdb_rows(table, p)
    assert (duck.value.offset, duck.value.hint) == (offset, hint)
    assert duck.value.problem == problem.replace("date32[day]", "DATE")


def test_is_missing_works_on_any_column():
    import datetime

    import pyarrow as pa

    table = pa.table({"id": [0, 1], "when": [datetime.date(2024, 1, 1), None]})
    p = preparation("when is missing")
    assert ids(arrow_rows(table, p)) == ids(duckdb_rows(table, p)) == [1]


# -- na_values and strip_whitespace --------------------------------------------------------------------
def test_na_values_and_strip_whitespace_on_csv_and_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    values = ["?", " ? ", "N/A", "", "  ", "x", " x\u00a0", "unknown", None]
    table = pa.table({"id": list(range(len(values))), "s": values})
    pq.write_table(table, tmp_path / "t.parquet")
    csv_copy([["id", "s"]] + [[str(i), v] for i, v in enumerate(values)], tmp_path / "t.csv")
    cases = {
        # (format, na_values, strip) -> values as read, by id
        ("parquet", (), False): values,
        ("parquet", ("?", "unknown"), False): [None, " ? ", "N/A", "", "  ", "x", " x\u00a0", None, None],
        ("parquet", ("?",), True): [None, None, "N/A", "", "", "x", "x", "unknown", None],
        ("csv", (), False): [None if v is None else v for v in ["?", " ? ", None, None, "  ", "x", " x\u00a0",
                                                                 "unknown", None]],
        ("csv", ("?",), False): [None, " ? ", None, None, "  ", "x", " x\u00a0", "unknown", None],
        ("csv", ("?",), True): [None, None, None, None, None, "x", "x", "unknown", None],
        ("csv", (" unknown ",), True): ["?", "?", None, None, None, "x", "x", None, None],
    }
    for (fmt, na, strip), want in cases.items():
        p = preparation(None, list(na), strip)
        source = tmp_path / ("t.parquet" if fmt == "parquet" else "t.csv")
        for got in (arrow_rows(source, p, ["id", "s"]), duckdb_rows(source, p, ["id", "s"])):
            assert [s for _, s in sorted((int(i), s) for i, s in got)] == want, (fmt, na, strip)


# -- datasheets --------------------------------------------------------------------------------------
@pytest.mark.parametrize("prep", [
    {"filter": 'region in [1, 3] and s is not missing'},
    {"filter": "age >= 30 or age is missing", "na_values": ["non-binary"], "strip_whitespace": True},
    {"na_values": ["female"]},
    {"strip_whitespace": True},
])
def test_a_prepared_datasheet_gives_the_same_results_file_on_arrow_and_duckdb(tmp_path, prep):
    from cardwright._compute.composition import compute_composition
    from cardwright.schema.analysis import CompositionData
    from engine_data import frame, text, write_all

    df = frame(rows=1500, seed=11)
    df["sex"] = df["sex"].map(lambda s: None if s is None else f" {s}\t")
    names = write_all(df, tmp_path)
    csv_text = (tmp_path / names["csv"]).read_text(encoding="utf-8").replace(",2,", ", 2 ,")  # padded numbers
    (tmp_path / names["csv"]).write_text(csv_text, encoding="utf-8")
    for fmt in ("parquet", "csv"):
        spec = CompositionData.model_validate({
            "path": names[fmt], "label": "y", "sensitive_attributes": ["sex", {"column": "age", "bins": [30, 60]}],
            "min_cell_size": 5, **prep})
        arrow = compute_composition(spec, base_dir=tmp_path, engine="arrow")
        duck = compute_composition(spec, base_dir=tmp_path, engine="duckdb")
        assert text(arrow) == text(duck), (fmt, prep)
        prov = arrow.provenance
        assert prov.rows_read == len(df) == prov.rows_used + sum(prov.rows_dropped.values())
        assert ("filter" in prov.rows_dropped) == ("filter" in prep)


# -- model cards ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("extra", [
    {"filter": 'region != 2 and sex not in ["non-binary"] or age is missing'},
    {"filter": "age >= 30 and s > 0.2", "na_values": ["female"], "strip_whitespace": True},
])
def test_a_filtered_card_gives_the_same_results_file_on_arrow_and_duckdb(tmp_path, extra):
    """Score, binned factor and filter columns together (the filter reads the score and the binned
    column, so a CSV file's values arrive as text and are read back as numbers)."""
    from cardwright._compute.analyses import compute_analyses
    from engine_data import frame, spec, text, write_all

    df = frame(rows=2000, seed=5)
    df["sex"] = df["sex"].map(lambda s: None if s is None else f"  {s} ")
    names = write_all(df, tmp_path)
    for fmt in ("parquet", "csv"):
        card = spec(names[fmt])
        # the reference group is padded with spaces, or made missing: no reference to compare with
        card = card.model_copy(update={"data": card.data.model_copy(update=extra), "reference_groups": {}})
        arrow = compute_analyses(card, base_dir=tmp_path, engine="arrow")
        duck = compute_analyses(card, base_dir=tmp_path, engine="duckdb")
        assert text(arrow) == text(duck), fmt
        prov = arrow.provenance
        assert prov.rows_dropped["filter"] > 0
        assert prov.rows_read == 2000 == prov.rows_used + sum(prov.rows_dropped.values())
