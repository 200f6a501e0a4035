"""docs/filtering.md tells the truth: every example filter keeps the rows it says on the Arrow
pass and DuckDB, every error example gives the problem and hint shown, and the card snippet is a
valid data block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from cardwright._compute.filtering.prepare import FilterError
from cardwright.schema.filter_syntax import FilterSyntaxError, parse
from conftest import ROOT
from filter_data import arrow_rows, duckdb_rows, ids, preparation

DOC = (ROOT / "docs" / "filtering.md").read_text(encoding="utf-8")


def _after(marker: str) -> str:
    return DOC.split(f"<!-- {marker} -->", 1)[1].lstrip("\n")


def _table(marker: str) -> list[list[str]]:
    lines = []
    for line in _after(marker).splitlines()[2:]:
        if not line.startswith("|"):
            break
        lines.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]])
    return lines


def _code(cell: str) -> str:
    """The text of a Markdown code span (`x` or `` x ``)."""
    m = re.fullmatch(r"(`+) ?(.*?) ?\1", cell)
    assert m, cell
    return m.group(2)


@pytest.fixture(scope="module")
def people(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("doc")
    block = re.match(r"```csv\n(.*?)\n```", _after("filter-example-data"), re.S)
    assert block is not None
    (folder / "people.csv").write_text(block.group(1) + "\n", encoding="utf-8")
    return folder / "people.csv"


EXAMPLES = _table("filter-examples")
ERRORS = _table("filter-errors")


def test_the_tables_were_read():
    assert len(EXAMPLES) >= 15 and len(ERRORS) >= 6


@pytest.mark.parametrize(("text", "na", "strip", "keeps"), EXAMPLES, ids=[r[0] for r in EXAMPLES])
def test_every_example_keeps_what_it_says(people, text, na, strip, keeps):
    prep = preparation(_code(text), yaml.safe_load(_code(na)) if na else [], strip == "`true`")
    want = [int(i) for i in keeps.split(",")] if keeps else []
    assert ids(arrow_rows(people, prep)) == want
    assert ids(duckdb_rows(people, prep)) == want


@pytest.mark.parametrize(("text", "problem", "hint"), ERRORS, ids=[r[0] for r in ERRORS])
def test_every_error_example_says_what_it_shows(people, text, problem, hint):
    """The table quotes problems and hints verbatim (a hint's backticks are the hint's own)."""
    filter_text = _code(text)
    try:
        parse(filter_text)
    except FilterSyntaxError as e:
        assert (e.message, e.hint) == (problem, hint)
        return
    with pytest.raises(FilterError) as info:
        arrow_rows(people, preparation(filter_text))
    assert (info.value.problem, info.value.hint) == (problem, hint)


def test_the_aggregating_engines_message_and_the_typed_one(people, tmp_path):
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    with pytest.raises(FilterError) as info:
        duckdb_rows(people, preparation("sex > 3"))
    assert f"`{info.value.problem}`" == _after("filter-error-aggregated").splitlines()[0].rstrip(".")
    pq.write_table(pacsv.read_csv(people), tmp_path / "people.parquet")
    for run in (arrow_rows, duckdb_rows):
        with pytest.raises(FilterError) as info:
            run(tmp_path / "people.parquet", preparation('age == "30"'))
        shown = _after("filter-error-typed")
        assert f"`{info.value.problem}`" in shown and f"`{info.value.hint}`" in shown


def test_the_card_snippet_is_a_valid_data_block():
    from cardwright.schema.analysis import DataFile

    snippet = re.search(r"```yaml\n(quantitative_analyses:.*?)\n```", DOC, re.S)
    assert snippet is not None
    data = DataFile.model_validate(yaml.safe_load(snippet.group(1))["quantitative_analyses"]["data"])
    assert data.na_values == ["?", "unknown"] and data.strip_whitespace is True
    assert parse(data.filter or "")
