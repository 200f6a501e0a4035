"""Random tables and filters for the filter engine tests, a direct Python evaluation of a filter
(the oracle, written from docs/filtering.md, independent of the engines' compilers), and the
rows each engine's preparation step keeps."""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from cardwright.schema.filter_syntax import (
    Column,
    Comparison,
    Literal,
    Logical,
    Membership,
    Missing,
    Not,
    parse,
    to_text,
)

CSV_NULLS = ["", "NA", "N/A", "null", "NULL", "None"]
NUMBER = re.compile(r"[ \t]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t]*")
TRUE, FALSE = ("true", "True", "TRUE"), ("false", "False", "FALSE")
POOL = ["O", "F", "M", "a'b", 'a"b', "back\\slash", "x;--", "/*c*/", "é", "e\u0301", "😀", " pad ", "\tpad\u3000",
        "", "N/A", "?", "NA", "Robert'); DROP TABLE cardwright_input;--", "日本", "%", "_", "$prep0_", "a\\'b"]
KINDS_TYPED = {"i": "integer", "f": "float", "s": "text", "b": "boolean"}


class Unreadable(Exception):
    """A text value the filter cannot read as the kind it compares with."""


# -- tables ----------------------------------------------------------------------------------------
text_values = st.one_of(st.sampled_from(POOL), st.text(alphabet="aOé'\"\\ ;-*/%_\t\u00a0😀", max_size=4))
rows = st.lists(st.fixed_dictionaries({
    "i": st.one_of(st.none(), st.integers(-3, 3), st.sampled_from([2**53 + 1, -(2**63), 2**63 - 1])),
    "f": st.one_of(st.none(), st.sampled_from([0.0, -0.0, 0.5, -1.5, 2.0, 1e-300, 1e308, math.nan, math.inf, 3.0]),
                   st.floats(-5, 5, allow_nan=False).map(lambda x: round(x, 1))),
    "s": st.one_of(st.none(), text_values),
    "b": st.one_of(st.none(), st.booleans()),
    "style": st.integers(0, 5),
}), max_size=25)


def arrow_table(data: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    return pa.table({
        "id": pa.array(range(len(data)), pa.int64()),
        "i": pa.array([r["i"] for r in data], pa.int64()),
        "f": pa.array([r["f"] for r in data], pa.float64()),
        "s": pa.array([r["s"] for r in data], pa.string()),
        "b": pa.array([r["b"] for r in data], pa.bool_()),
    })


def csv_cell(column: str, row: dict[str, Any]) -> str | None:
    """How a value is written in the CSV file (``None``: an empty, unquoted cell)."""
    v, style = row[column], row["style"]
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    pad = " " * (style % 2)
    if column == "b":
        return pad + (TRUE if v else FALSE)[style % 3]
    if column == "f":
        return pad + ("1e999" if v == math.inf else repr(v))
    if column == "i":
        return f"{pad}{v}{pad}"
    return str(v)


def write_files(data: list[dict[str, Any]], folder: Path) -> dict[str, Path]:
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(arrow_table(data), folder / "t.parquet")
    with (folder / "t.csv").open("w", newline="", encoding="utf-8") as fh:
        fh.write("id,i,f,s,b\n")
        for n, row in enumerate(data):
            cells = [str(n)] + [csv_cell(c, row) for c in "ifsb"]
            fh.write(",".join("" if c is None else '"' + c.replace('"', '""') + '"' for c in cells) + "\n")
    return {"parquet": folder / "t.parquet", "csv": folder / "t.csv"}


# -- filters ---------------------------------------------------------------------------------------
NUMBERS = st.one_of(st.integers(-3, 3), st.sampled_from([2**53 + 1, 2**63 - 1, 0.5, -1.5, 0.0, -0.0, 1e-300, 2.0, 1e308]))


@st.composite
def leaves(draw: Any) -> Any:
    column = draw(st.sampled_from("ifsb"))
    col = Column(column, 0, 0)
    if draw(st.integers(0, 5)) == 0:
        return Missing(col, draw(st.booleans()))
    pool = {"i": NUMBERS, "f": NUMBERS, "s": st.one_of(st.sampled_from(POOL), text_values), "b": st.booleans()}[column]
    if draw(st.booleans()):
        values = draw(st.lists(pool, min_size=1, max_size=3))
        return Membership(col, tuple(Literal(v, 0, 0) for v in values), draw(st.booleans()))
    ops = ["==", "!="] if column == "b" else ["==", "!=", "<", "<=", ">", ">="]
    return Comparison(col, draw(st.sampled_from(ops)), Literal(draw(pool), 0, 0))


filters = st.recursive(leaves(), lambda inner: st.one_of(
    inner.map(lambda e: Not(e, 0)),
    st.tuples(st.sampled_from(["and", "or"]), st.lists(inner, min_size=2, max_size=3)).map(
        lambda t: Logical(t[0], tuple(t[1])))), max_leaves=5).map(to_text)

preparations = st.fixed_dictionaries({
    "na_values": st.lists(st.sampled_from(["?", "N/A", "", "x;--", "O", " pad ", "%"]), max_size=2, unique=True),
    "strip_whitespace": st.booleans(),
})


# -- the oracle ------------------------------------------------------------------------------------
def as_read(data: list[dict[str, Any]], fmt: str, na_values: list[str], strip: bool) -> list[dict[str, Any]]:
    """The rows as every engine sees them after `strip_whitespace` and `na_values`."""
    out = []
    for row in data:
        if fmt == "csv":
            seen: dict[str, Any] = {}
            for c in "ifsb":
                v = csv_cell(c, row)
                if v is not None and v in CSV_NULLS + na_values:
                    v = None
                if v is not None and strip:
                    v = v.strip()
                    if v in CSV_NULLS + [t.strip() for t in na_values]:
                        v = None
                seen[c] = v
        else:
            seen = {c: row[c] for c in "ifb"}
            v = row["s"]
            if v is not None and strip:
                v = v.strip()
            if v is not None and v in ([t.strip() for t in na_values] if strip else na_values):
                v = None
            seen["s"] = v
        out.append(seen)
    return out


def _value(v: Any, kind: str, literal: Any, literals: list[Any]) -> Any:
    if kind == "integer":
        return None if v is None else v if all(isinstance(x, int) and not isinstance(x, bool) for x in literals) else float(v)
    if kind == "float":
        return None if v is None or math.isnan(v) else float(v) + 0.0
    if kind == "boolean":
        return v
    if v is None:
        return None
    if isinstance(literal, bool):
        word = v.strip(" \t")
        if word in TRUE or word in FALSE:
            return word in TRUE
        raise Unreadable(v)
    if isinstance(literal, (int, float)):
        if NUMBER.fullmatch(v):
            return float(v.strip(" \t")) + 0.0
        raise Unreadable(v)
    return v


def _lit(x: Any, kind: str, literals: list[Any]) -> Any:
    if isinstance(x, (bool, str)):
        return x
    if kind == "integer" and all(isinstance(v, int) for v in literals):
        return x
    return float(x) + 0.0


def evaluate(expr: Any, row: dict[str, Any], kinds: dict[str, str]) -> bool | None:
    """Kleene three-valued evaluation (``None``: unknown)."""
    if isinstance(expr, Logical):
        parts = [evaluate(e, row, kinds) for e in expr.operands]
        if expr.op == "and":
            return False if False in parts else None if None in parts else True
        return True if True in parts else None if None in parts else False
    if isinstance(expr, Not):
        inner = evaluate(expr.operand, row, kinds)
        return None if inner is None else not inner
    name = expr.column.name
    kind = kinds[name]
    if isinstance(expr, Missing):
        v = row[name]
        missing = v is None or (kind == "float" and math.isnan(v))
        return not missing if expr.negated else missing
    literals = [expr.value.value] if isinstance(expr, Comparison) else [v.value for v in expr.values]
    x = _value(row[name], kind, literals[0], literals)
    if x is None:
        return None
    lits = [_lit(v, kind, literals) for v in literals]
    if isinstance(expr, Membership):
        hit = any(x == v for v in lits)
        return not hit if expr.negated else hit
    y = lits[0]
    return {"==": x == y, "!=": x != y, "<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[expr.op]


def expected_ids(data: list[dict[str, Any]], fmt: str, text: str, na_values: list[str], strip: bool) -> list[int]:
    kinds = {c: "text" for c in "ifsb"} if fmt == "csv" else KINDS_TYPED
    seen = as_read(data, fmt, na_values, strip)
    expr = parse(text)
    return [n for n, row in enumerate(seen) if evaluate(expr, row, kinds) is True]


# -- the engines -----------------------------------------------------------------------------------
def preparation(text: str | None, na_values: list[str] = (), strip: bool = False) -> Any:  # type: ignore[assignment]
    from cardwright._compute.filtering.prepare import Preparation

    return Preparation(parse(text) if text is not None else None, tuple(na_values), strip)


def arrow_rows(source: Any, prep: Any, columns: list[str] = ["id"]) -> list[list[Any]]:  # noqa: B006
    from cardwright._compute.filtering.compile_arrow import read
    from cardwright._compute.reading import open_source

    src = open_source(source) if not isinstance(source, Path) else open_source(path=source, display=source.name)
    out: list[list[Any]] = []
    for part in read(src, columns, (), prep):
        out += [list(r.values()) for r in part.batch.to_pylist()]
    return out


def duckdb_rows(source: Any, prep: Any, columns: list[str] = ["id"]) -> list[list[Any]]:  # noqa: B006
    from cardwright._compute.engines.duckdb import DuckDBBackend, quote

    if isinstance(source, Path):
        fmt = "csv" if source.suffix == ".csv" else "parquet"
        backend = DuckDBBackend(path=str(source), fmt=fmt, display=source.name, prep=prep)
    else:
        backend = DuckDBBackend(table=source, display="<DataFrame>", prep=prep)
    got = backend._fetch(f"SELECT {', '.join(map(quote, columns))} FROM {backend.relation}")
    return [list(r.values()) for r in got.to_pylist()]


def ids(rows_: list[list[Any]]) -> list[int]:
    return sorted(int(r[0]) for r in rows_)


def csv_copy(rows_: list[list[str | None]], path: Path) -> Path:
    """A CSV file holding ``rows_`` (the first is the header); ``None`` is an empty cell."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        for r in rows_:
            writer.writerow(["" if v is None else v for v in r])
    return path
