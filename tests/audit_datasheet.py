"""What a datasheet's outputs publish, as facts for :mod:`privacy_audit`.

The hidden cells come from the data file itself (pandas, not cardwright): one cell per
combination of the sensitive attributes' groups, and one per value of every other column (and its
missing value).  The parsers read what each output shows — the results file and the JSON render
(exact numbers), the Markdown and HTML tables (rounded shares, formatted counts), the PDF's text —
and turn every count, share and total into a fact over those cells; every suppressed entry into a
secret.  A table the parsers cannot place fails the test: an output may publish nothing unaudited.
"""

from __future__ import annotations

import html.parser
import itertools
import json
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from privacy_audit import Cells, Fact, Secret, between, count_from_share, equal

MISSING = "(missing)"
SUPPRESSED = ("suppressed", "†")


def text_label(v: Any) -> str:
    """The group label of a value: ints as written, integral floats without ``.0``, booleans
    as ``true``/``false`` (the documented labelling rule, written out again here)."""
    if isinstance(v, bool | np.bool_):
        return "true" if v else "false"
    if isinstance(v, float | np.floating) and float(v).is_integer():
        return str(int(v))
    if isinstance(v, np.integer):
        return str(int(v))
    return str(v)


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float | np.floating) and np.isnan(v))


def squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,g}"


def bin_display(cuts: list[float]) -> list[str]:
    """How renders name the ranges of cut points without ``labels`` (the documented rule, written
    out again): ``Under 25``, ``25–44``, ``45 and over``; ``0.5 to under 0.75`` for fractional cuts."""
    whole = all(float(b).is_integer() for b in cuts)
    out = [f"Under {_number(cuts[0])}"]
    for lo, hi in itertools.pairwise(cuts):
        if whole:
            out.append(_number(lo) if hi - lo == 1 else f"{_number(lo)}–{_number(hi - 1)}")
        else:
            out.append(f"{_number(lo)} to under {_number(hi)}")
    return [*out, f"{_number(cuts[-1])} and over"]


@dataclass
class Display:
    """What a reader sees instead of raw keys: each factor's title and its groups' display names.
    A name the parser cannot place, or one two groups share, fails the audit."""

    titles: dict[str, str] = field(default_factory=dict)
    shown: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, specs: list[Any]) -> Display:
        out = cls()
        for spec in specs:
            if isinstance(spec, str):
                out.titles[spec], out.shown[spec] = spec, {}
                continue
            name = spec.get("name") or spec["column"]
            out.titles[name] = spec.get("title") or name
            labels = spec.get("labels")
            if spec.get("bins") is None:  # a group factor: display names for some of its values
                out.shown[name] = dict(labels or {})
            else:
                cuts = [float(b) for b in spec["bins"]]
                keys = list(labels) if labels else _bin_keys(cuts)
                names = list(labels.values()) if isinstance(labels, dict) else keys if labels else bin_display(cuts)
                out.shown[name] = dict(zip(keys, names, strict=True))
        return out

    def factor(self, text: str) -> str | None:
        """The factor a heading names (its title or its name, however capitalised)."""
        hits = [f for f, t in self.titles.items() if squash(text) in (squash(t), squash(f))]
        assert len(hits) <= 1, f"ambiguous factor heading {text!r}"
        return hits[0] if hits else None

    def factors(self, text: str) -> list[str] | None:
        """``Sex × Age band`` → ``["sex", "age_band"]`` (``None`` unless every part is a factor)."""
        parts = [self.factor(p) for p in text.split(" × ")]
        return None if not all(parts) else [p for p in parts if p]

    def raw(self, factor: str, text: str) -> str:
        """The group key a display name stands for."""
        shown = self.shown[factor]
        keys = [k for k, v in shown.items() if v == text]
        if text == "Missing" and MISSING not in shown:
            keys.append(MISSING)
        if not keys and text not in shown:  # a value without a display name is shown as it is
            keys.append(text)
        assert len(keys) == 1, f"cannot place group {text!r} of {factor}: {keys}"
        return keys[0]

    def key(self, factors: list[str], text: str) -> dict[str, str]:
        parts = text.split(" × ")
        assert len(parts) == len(factors), f"{text!r} is not a group of {factors}"
        return {f: self.raw(f, p) for f, p in zip(factors, parts)}


@dataclass
class Datasheet:
    """The hidden cells of a datasheet's data and how tables name them.  ``block`` cells are one
    per combination of the *axes*: the sensitive attributes and, when the datasheet asks for bias
    measures, the strata columns and the label (whose value tables are then sums of those cells)."""

    cells: Cells
    rows: int
    k: int
    attrs: list[str]
    attr_columns: dict[str, str]
    binned: set[str]
    columns: list[str]
    label: str | None
    display: Display = field(default_factory=Display)
    secrets: list[Secret] = field(default_factory=list)
    axes: list[str] = field(default_factory=list)
    """Every block axis: the attributes, then the strata and the label when there are bias measures."""
    axis_columns: dict[str, str] = field(default_factory=dict)
    """The column of each axis that is a stratum or the label."""
    levels: dict[str, list[str]] = field(default_factory=dict)
    """Every axis' values, as a reader could list them."""
    spec: dict[str, Any] = field(default_factory=dict)

    def block(self, key: dict[str, str]) -> frozenset[int]:
        pos = {a: i for i, a in enumerate(self.axes or self.attrs)}
        return self.cells.where(lambda n: n[0] == "block" and all(n[1][pos[a]] == v for a, v in key.items()))

    def _axis(self, column: str) -> str | None:
        return next((a for a, c in self.axis_columns.items() if c == column), None)

    def column(self, name: str, value: str | None) -> frozenset[int]:
        axis = self._axis(name)
        if axis is not None:
            return self.block({axis: MISSING if value is None else value})
        return self.cells.where(lambda n: n[0] == "col" and n[1] == name and n[2] == value)

    def column_values(self, name: str) -> frozenset[int]:
        axis = self._axis(name)
        if axis is not None:
            i = self.axes.index(axis)
            return self.cells.where(lambda n: n[0] == "block" and n[1][i] != MISSING)
        return self.cells.where(lambda n: n[0] == "col" and n[1] == name and n[2] is not None)

    def non_missing(self, name: str) -> frozenset[int]:
        if name in self.attr_columns.values() or self._axis(name) is not None:
            return self.cells.where(lambda n: n[0] == "block") - self.missing(name)
        return self.column_values(name)

    def missing(self, name: str) -> frozenset[int]:
        for attr, col in self.attr_columns.items():
            if col == name:
                return self.block({attr: MISSING})
        return self.column(name, None)

    def totals(self) -> list[Fact]:
        out = []
        if self.attrs:
            out.append(equal(self.cells.where(lambda n: n[0] == "block"), self.rows, "rows (groups)", fixed=True))
        for c in self.columns:
            if c in self.attr_columns.values() or self._axis(c) is not None:
                continue
            out.append(equal(self.cells.where(lambda n, c=c: n[0] == "col" and n[1] == c), self.rows,
                             f"rows ({c})", fixed=True))
        return out

    def hide(self, name: str, cells: frozenset[int], *, nonzero: bool = True) -> None:
        """A suppressed count; ``nonzero``: a reader knows it is at least 1 (a zero would show)."""
        self.secrets.append(Secret(name, cells, self.cells.total(cells), nonzero))


def datasheet_cells(frame: Any, data: dict[str, Any]) -> Datasheet:
    """The cells of ``frame`` (a pandas DataFrame of the file) for the card's ``data`` mapping."""
    cells = Cells()
    attrs, attr_columns, binned, labels, levels = [], {}, set(), [], []
    axis_columns: dict[str, str] = {}
    factors = [(f, True) for f in data.get("sensitive_attributes") or []]
    if data.get("bias_metrics"):  # the strata and the label join the blocks
        factors += [(f, False) for f in [*(data.get("conditional_on") or []), *([data["label"]] if data.get("label")
                                                                             is not None else [])]]
    for f, sensitive in factors:
        name, column, values, known = _factor_values(frame, f)
        if sensitive:
            attrs.append(name)
        (attr_columns if sensitive else axis_columns)[name] = column
        labels.append(values)
        levels.append(known)
        if not isinstance(f, str) and f.get("bins") is not None:
            binned.add(name)
    axes = [*attrs, *axis_columns]
    if axes:
        for combo in itertools.product(*levels):  # every combination a reader could not rule out
            cells.add(("block", tuple(combo)), 0)
        for combo in zip(*labels):
            cells.add(("block", tuple(combo)), 1)
    columns = list(frame.columns)
    for c in columns:
        if c in attr_columns.values() or c in axis_columns.values():
            continue
        for v in frame[c].tolist():
            cells.add(("col", c, None if _is_missing(v) else text_label(v)), 1)
    specs = [*(data.get("sensitive_attributes") or []), *(data.get("conditional_on") or [])]
    return Datasheet(cells, len(frame), int(data.get("min_cell_size", 10)), attrs, attr_columns, binned, columns,
                     data.get("label"), Display.of(specs), axes=axes, axis_columns=axis_columns,
                     levels=dict(zip(axes, levels)), spec=data)


def _factor_values(frame: Any, factor: Any) -> tuple[str, str, list[str], list[str]]:
    """``(name, column, each row's group, every group a reader could list)`` of a factor: a column,
    a group factor (display names only), or binned ranges (empty ranges are groups too)."""
    if isinstance(factor, str) or factor.get("bins") is None:
        name = factor if isinstance(factor, str) else factor.get("name") or factor["column"]
        column = factor if isinstance(factor, str) else factor["column"]
        values = [MISSING if _is_missing(v) else text_label(v) for v in frame[column].tolist()]
        return name, column, values, list(dict.fromkeys(values))
    name = factor.get("name") or factor["column"]
    cuts = [float(b) for b in factor["bins"]]
    names = list(factor.get("labels") or _bin_keys(cuts))  # a mapping's keys are the group names
    x = frame[factor["column"]].astype(float).to_numpy()
    idx = np.searchsorted(np.asarray(cuts), np.nan_to_num(x), side="right")
    values = [MISSING if np.isnan(v) else names[i] for v, i in zip(x, idx)]
    known = list(dict.fromkeys(values))
    return name, factor["column"], values, known + [g for g in names if g not in known]


def _bin_keys(cuts: list[float]) -> list[str]:
    t = [text_label(float(b)) for b in cuts]
    return [f"<{t[0]}", *(f"{lo}-{hi}" for lo, hi in itertools.pairwise(t)), f">={t[-1]}"]


# -- the results file and the JSON render (exact numbers) -----------------------------------------
def facts_from_results(ds: Datasheet, results: dict[str, Any], where: str) -> list[Fact]:
    """Every count in a composition results document (a results file, or ``results`` of the JSON render)."""
    facts = ds.totals()
    assert results["rows"] == ds.rows
    for g in results.get("groups") or []:
        cells = ds.block(g["slice"])
        name = f"{where}: group {g['slice']}"
        if g["suppressed"]:
            assert g["count"] is None and g["share"] is None, name
            ds.hide(name, cells)
        else:
            facts += [equal(cells, g["count"], name), count_from_share(cells, g["share"], ds.rows, None, name)]
    for u in results.get("unobserved") or []:
        facts.append(equal(ds.block(u), 0, f"{where}: unobserved {u}", fixed=True))
    for col in results["columns"]:
        name = col["name"]
        cells = ds.missing(name)
        if col["missing"] is None:
            assert col["missing_share"] is None
            ds.hide(f"{where}: missing {name}", cells)
        else:
            facts.append(equal(cells, col["missing"], f"{where}: missing {name}", fixed=col["missing"] == 0))
            if col["missing_share"] is not None:
                facts.append(count_from_share(cells, col["missing_share"], ds.rows, None, f"{where}: missing share {name}"))
        if col.get("distinct") is not None:  # at least one row per value
            facts.append(between(ds.non_missing(name), Fraction(col["distinct"]), Fraction(ds.rows),
                                 f"{where}: distinct {name}"))
        if col.get("categories") is not None:
            facts += _categories(ds, name, col["categories"], col.get("distinct"), f"{where}: {name}", None)
    if results.get("label_shares") is not None:
        facts += _categories(ds, results["label"], results["label_shares"], None, f"{where}: label shares", None)
    if results.get("bias") is not None:
        import audit_bias

        facts += audit_bias.results_facts(ds, results["bias"], where)
    return facts


def _categories(ds: Datasheet, column: str, rows: list[dict[str, Any]], distinct: int | None, where: str,
                decimals: int | None) -> list[Fact]:
    assert column not in {ds.attr_columns.get(a) or ds.axis_columns[a] for a in ds.binned}, \
        f"{where}: values of a binned sensitive attribute are published: unaudited table"
    sensitive = column in ds.attr_columns.values()
    named = [r["value"] for r in rows if not r["value"].startswith("(other values")]
    facts: list[Fact] = []
    for r in rows:
        if r["value"].startswith("(other values"):
            cells = ds.column_values(column) - frozenset().union(*(ds.column(column, v) for v in named)) \
                if named else ds.column_values(column)
            if distinct is not None:
                facts.append(between(cells, Fraction(distinct - len(named)), Fraction(ds.rows), where + " pool size"))
                facts[-1].fixed = True
        else:
            cells = ds.block({column: r["value"]}) if sensitive else ds.column(column, r["value"])
        name = f"{where} = {r['value']}"
        if r.get("suppressed"):
            ds.hide(name, cells)
            continue
        facts.append(equal(cells, r["count"], name))
        if r.get("share") is not None:
            facts.append(count_from_share(cells, r["share"], ds.rows, decimals, name))
    return facts


# -- Markdown and HTML tables (what a reader sees) -------------------------------------------------
@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]


def markdown_tables(text: str) -> list[Table]:
    tables, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.match(r"^\|[\s:|-]+\|$", lines[i + 1]):
            header = _md_row(lines[i])
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(_md_row(lines[i]))
                i += 1
            caption = next((ln.strip("*# ") for ln in reversed(lines[max(0, i - len(rows) - 8): i - len(rows) - 2])
                            if ln.strip()), "")
            tables.append(Table(caption, header, rows))
        else:
            i += 1
    return tables


def _md_row(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [re.sub(r"\\(.)", r"\1", c.strip()) for c in cells]


class _HTMLTables(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._caption: list[str] | None = None
        self._head = False

    def handle_starttag(self, tag: str, _attrs: Any) -> None:
        if tag == "table":
            self.tables.append(Table("", [], []))
        elif tag == "caption":
            self._caption = []
        elif tag == "thead":
            self._head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self.tables[-1].caption = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag == "thead":
            self._head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            (self.tables[-1].header.extend if self._head else self.tables[-1].rows.append)(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        for buf in (self._cell, self._caption):
            if buf is not None:
                buf.append(data)


def html_tables(text: str) -> list[Table]:
    parser = _HTMLTables()
    parser.feed(text)
    return parser.tables


def _count(text: str) -> int | None:
    """A formatted count, or ``None`` when the cell says it is suppressed."""
    if any(s in text for s in SUPPRESSED):
        return None
    m = re.fullmatch(r"([\d,]+)(?:\s+\(?-?[\d.]+%\)?)?", text.strip())  # "1,234", "0 (0.0%)", "0 0.0%"
    assert m is not None, f"not a count: {text!r}"
    return int(m.group(1).replace(",", ""))


def _share(text: str) -> Fraction | None:
    m = re.search(r"(-?[\d.]+)%", text)
    return None if m is None else Fraction(m.group(1)) / 100


def facts_from_tables(ds: Datasheet, tables: list[Table], where: str, bias: dict[str, Any] | None = None
                      ) -> list[Fact]:
    """Every count a datasheet's rendered tables show (shares rounded to 0.1%); ``bias``: the
    results' bias block, whose tables the render must show."""
    import audit_bias

    facts = ds.totals()
    seen_groups = False
    distinct: dict[str, int] = {}
    state: dict[str, Any] = {"view": audit_bias.BiasView(ds, bias)} if bias is not None else {}
    for t in tables:
        head = [squash(h) for h in t.header]
        attrs = ds.display.factors(t.header[0]) if t.header else None
        if head[:2] == ["fact", "value"]:
            rows = {r[0]: r[1] for r in t.rows}
            assert int(rows["Rows"].replace(",", "")) == ds.rows
        elif head and head[0] == "column" and "missing" in head:
            facts += _columns_table(ds, t, head, where, distinct)
        elif head == ["value", "count", "share"]:
            assert ds.label is not None
            rows = [{"value": r[0], "count": _count(r[1]), "share": _share(r[2]), "suppressed": _count(r[1]) is None}
                    for r in t.rows]
            facts += _categories(ds, ds.label, rows, distinct.get(ds.label), f"{where}: label shares", 3)
        elif attrs and head[1:] == ["count", "share"]:
            seen_groups = True
            facts += _group_table(ds, t, attrs, where)
        elif (placed := audit_bias.table_facts(ds, t, where, state) if state else None) is not None:
            facts += placed
        else:
            assert not any(re.search(r"\d", c) for r in t.rows for c in r[1:]) or _prose_table(t), \
                f"{where}: a table with numbers the audit does not model: {t.header} {t.caption}"
    assert seen_groups or not ds.attrs, f"{where}: no group table found"
    if bias is not None:
        assert state.get("listed") or not bias["measures"], f"{where}: no bias table found"
        facts += audit_bias.absent_facets(state["view"], state.get("listed", set()), where)
    return facts


def _columns_table(ds: Datasheet, t: Table, head: list[str], where: str, distinct: dict[str, int]) -> list[Fact]:
    """Each column's missing count (and share), and its number of distinct values (at least one
    row each; collected into ``distinct``)."""
    facts: list[Fact] = []
    m = head.index("missing")
    for r in t.rows:
        cells, n = ds.missing(r[0]), _count(r[m])
        name = f"{where}: missing {r[0]}"
        if n is None:
            ds.hide(name, cells)
        else:
            facts.append(equal(cells, n, name))
            share = _share(r[m])
            if share is not None:
                facts.append(count_from_share(cells, share, ds.rows, 3, name))
        shown = r[head.index("distinct")] if "distinct" in head else "–"
        if re.fullmatch(r"[\d,]+", shown):
            distinct[r[0]] = int(shown.replace(",", ""))
            facts.append(between(ds.non_missing(r[0]), Fraction(distinct[r[0]]), Fraction(ds.rows),
                                 f"{where}: distinct {r[0]}"))
    return facts


def _group_table(ds: Datasheet, t: Table, attrs: list[str], where: str) -> list[Fact]:
    """The counts and shares of the groups (or intersections) of ``attrs``."""
    facts: list[Fact] = []
    for r in t.rows:
        key = ds.display.key(attrs, r[0])
        cells, n = ds.block(key), _count(r[1])
        name = f"{where}: group {key}"
        if n is None:
            ds.hide(name, cells)
            continue
        facts.append(equal(cells, n, name))
        share = _share(r[2])
        if share is not None:
            facts.append(count_from_share(cells, share, ds.rows, 3, name))
    return facts


def _prose_table(t: Table) -> bool:
    """Tables from the card's own text (links, approvals), not computed."""
    return [squash(h) for h in t.header][:1] in (["title"], ["by"], ["name"])


def unobserved_facts(ds: Datasheet, results: dict[str, Any], where: str) -> list[Fact]:
    return [equal(ds.block(u), 0, f"{where}: unobserved {u}", fixed=True) for u in results.get("unobserved") or []]


def numbers(text: str) -> set[str]:
    """Every number in a text, as written (thousands separators removed)."""
    return {m.replace(",", "") for m in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def load_json(text: str) -> dict[str, Any]:
    return json.loads(text)


# -- one output, whatever its format ---------------------------------------------------------------
def front_matter(text: str) -> tuple[dict[str, Any], str]:
    import yaml

    if not text.startswith("---\n"):
        return {}, text
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]) or {}, text[end + 5:]


def facts_from_output(ds: Datasheet, kind: str, text: str, results: dict[str, Any]) -> list[Fact]:
    """The facts one datasheet output publishes.  ``kind``: ``results``, ``json``, ``md``, ``html``,
    ``huggingface`` or ``cyclonedx``; ``results`` (the results file) supplies the intersections
    never observed, which the renders list in words."""
    if kind == "results":
        return facts_from_results(ds, json.loads(text), kind)
    if kind == "json":
        doc = json.loads(text)
        return facts_from_results(ds, doc["results"], kind)
    bias = results.get("bias")
    if kind == "md":
        return facts_from_tables(ds, markdown_tables(text), kind, bias) + unobserved_facts(ds, results, kind) \
            + _note_facts(ds, bias, text, kind)
    if kind == "html":
        return facts_from_tables(ds, html_tables(text), kind, bias) + unobserved_facts(ds, results, kind) \
            + _note_facts(ds, bias, html_text(text), kind)
    if kind == "huggingface":
        meta, body = front_matter(text)
        facts = facts_from_tables(ds, markdown_tables(body), kind, bias) + unobserved_facts(ds, results, kind) \
            + _note_facts(ds, bias, body, kind)
        for key, value in _walk(meta):
            assert not isinstance(value, int | float) or isinstance(value, bool) or value == ds.rows, \
                f"{kind}: front matter publishes {key} = {value}, which the audit does not model"
        return facts
    if kind == "cyclonedx":
        bom = json.loads(text)
        for key, value in _walk(bom.get("components", [])):
            assert not isinstance(value, int | float) or isinstance(value, bool), \
                f"{kind}: the BOM publishes {key} = {value}, which the audit does not model"
        return ds.totals()
    raise ValueError(kind)


def _note_facts(ds: Datasheet, bias: dict[str, Any] | None, text: str, where: str) -> list[Fact]:
    if bias is None:
        return []
    import audit_bias

    return audit_bias.note_facts(audit_bias.BiasView(ds, bias), text, where)


def html_text(text: str) -> str:
    """An HTML page's text, tags removed and whitespace collapsed."""
    import html as html_module

    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _walk(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [item for k, v in value.items() for item in _walk(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [item for i, v in enumerate(value) for item in _walk(v, f"{path}[{i}]")]
    return [(path, value)]
