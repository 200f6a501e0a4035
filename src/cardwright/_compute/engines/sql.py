"""The aggregate query of the count pass, written once for DuckDB and Spark SQL.

The engine groups rows by what the decoder reads back: raw label and prediction values and plain
factor values (the decoder interprets them), binned factors' range codes, and the keys the plan
computes from numbers — score bin, thresholds reached, calibration bin, histogram bin, top-k
hit, argmax class, pass, which input is missing.  Per group it returns the row count, the digit
sums of every statistic (:mod:`.fixed`; the per-row values are written with :mod:`.expr`, one
projection per level of the expression so no sub-expression is repeated), the smallest score of
the group (from which the decoder computes the score-derived keys again, as in the Arrow pass)
and the smallest and largest histogram value.  Every value from the card is a query parameter
and every column name a quoted identifier.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import expr as ex
from .fixed import MASK, WIDTH, scaled_node

if TYPE_CHECKING:
    from .ask import Ask

ROWS = "__cardwright_rows"
"""The row-count column of an aggregate (a name no evaluation file uses)."""
DIGITS = "__d_"


def _shift(dialect: ex.Dialect, q: str, bits: int) -> str:
    return f"({q} >> {bits})" if dialect.name == "duckdb" else f"shiftright({q}, {bits})"


def digit_sums(dialect: ex.Dialect, q: str, name: str) -> list[str]:
    """Aggregates summing the three digits of the BIGINT column ``q`` (lowest first)."""
    parts = [f"({q} & {MASK})", f"({_shift(dialect, q, WIDTH)} & {MASK})", _shift(dialect, q, 2 * WIDTH)]
    return [f"CAST(sum({p}) AS BIGINT) AS {DIGITS}{name}_{j}" for j, p in enumerate(parts)]


class Query:
    """One aggregate query: projections over the relation, group keys, and aggregates."""

    def __init__(self, dialect: ex.Dialect):
        self.dialect = dialect
        self.params: dict[str, Any] = {}
        self.base: list[str] = []
        """Columns of the first projection, computed from the relation's columns."""
        self.derived: list[list[str]] = [[]]
        """Further projections, each from the previous one's columns."""
        self.nodes: dict[str, ex.Node] = {}
        """Per-row values written with :mod:`.expr` (staged after the derived projections)."""
        self.keys: list[str] = []
        self.outer: list[str] = []
        self.join = ""

    def param(self, value: Any) -> str:
        key = f"p{len(self.params)}"
        self.params[key] = value
        return f"CAST({self.dialect.param(key)} AS DOUBLE)" if isinstance(value, float) else self.dialect.param(key)

    def key(self, name: str, sql: str, *, output: bool = False, stage: int = 0) -> None:
        while len(self.derived) <= stage:
            self.derived.append([])
        self.derived[stage].append(f"{sql} AS {name}")
        self.keys.append(name)
        if output:
            self.outer.append(name)

    def text(self, relation: str) -> str:
        query = f"SELECT {', '.join(self.base)} FROM {relation}"
        for stage in self.derived:
            if stage:
                query = f"SELECT *, {', '.join(stage)} FROM ({query}) AS s"
        if self.nodes:
            for stage in ex.staged(self.nodes, self.dialect, self.params):
                query = f"SELECT *, {', '.join(stage)} FROM ({query}) AS s"
        if self.join:
            query = f"SELECT t.*, {self.join}.bin AS __bin FROM ({query}) AS t LEFT JOIN {self.join} " \
                    f"ON {self.join}.cell = t.__cell"
        group = f" GROUP BY {', '.join(self.keys)}" if self.keys else ""
        return f"SELECT {', '.join([*self.outer, f'count(*) AS {ROWS}'])} FROM ({query}) AS a{group}"


def _double(dialect: ex.Dialect, column: str) -> str:
    return f"TRY_CAST({dialect.quote(column)} AS DOUBLE)"


def boolean_double(dialect: ex.Dialect, column: str) -> str:
    """A score column read as a number, `true`/`false` text as 1 and 0 (as Arrow's CSV reader does)."""
    text = "VARCHAR" if dialect.name == "duckdb" else "STRING"
    c = dialect.quote(column)
    return (f"CASE WHEN CAST({c} AS {text}) IN ('true', 'True', 'TRUE') THEN 1.0 "
            f"WHEN CAST({c} AS {text}) IN ('false', 'False', 'FALSE') THEN 0.0 ELSE TRY_CAST({c} AS DOUBLE) END")


def aggregate_query(ask: Ask, dialect: ex.Dialect, relation: str, *, bins: str | None = None,
                    ) -> tuple[str, dict[str, Any]]:
    """The aggregate of ``relation`` for ``ask``.  ``bins``: for binned scores, ``JOIN:<table>`` (a
    lookup table of ``cell`` → ``bin``, DuckDB) or the name of a column the relation already has
    (Spark bucketizes before)."""
    q = Query(dialect)
    _inputs(ask, dialect, q)
    _raw(ask, dialect, q)
    _factors(ask, dialect, q)
    if ask.task == "binary-classification":
        _binary(ask, q, bins)
    elif ask.task == "multiclass-classification":
        _multiclass(ask, dialect, q)
    elif ask.task in ("regression", "scored"):
        _numbers(ask, q)
    if ask.weight is not None:
        q.key("__miss_weight", "CASE WHEN __in_w IS NULL THEN 1 ELSE 0 END", output=True)
    inputs = {name: f"__in_{name}" for name in ("y", "p", "s", "w")}
    for st in ask.stats:
        q.nodes[f"__q_{st.name}"] = ex.rename(scaled_node(st.node, st.scale), inputs)
        q.outer += digit_sums(dialect, f"CAST(__q_{st.name} AS BIGINT)", st.name)
    if ask.hist_value is not None and ask.hist is not None:
        value = ex.rename(ask.hist_value, inputs)
        q.nodes["__hv"] = value
        q.nodes["__h"] = ask.hist.node(value)
        q.keys.append("__h")
        q.outer += ["min(__hv) AS __hlo", "max(__hv) AS __hhi"]
    return q.text(relation), q.params


def _inputs(ask: Ask, dialect: ex.Dialect, q: Query) -> None:
    """The numbers the statistics read, as DOUBLE columns ``__in_<name>`` (``y``, ``p``, ``s``, ``w``)."""
    for name, column in ask.inputs.items():
        sql = boolean_double(dialect, column) if name == "s" and ask.boolean else _double(dialect, column)
        q.base.append(f"{sql} AS __in_{name}")


def _raw(ask: Ask, dialect: ex.Dialect, q: Query) -> None:
    """Raw label, prediction and plain factor values: grouped, returned under their own names;
    binned factors' values: the smallest of each group."""
    for j, column in enumerate(ask.outputs):
        role = ask.role(column)
        if role == "raw":
            q.base.append(f"{dialect.quote(column)} AS __v{j}")
            q.keys.append(f"__v{j}")
            q.outer.append(f"__v{j} AS {dialect.quote(column)}")
        elif role == "binned":
            q.base.append(f"{_double(dialect, column)} AS __v{j}")
            q.outer.append(f"min(__v{j}) AS {dialect.quote(column)}")


def _factors(ask: Ask, dialect: ex.Dialect, q: Query) -> None:
    for i, (column, cuts) in enumerate(ask.factors):
        if cuts is None:
            continue
        x = _double(dialect, column)
        terms = [f"CAST({x} >= {q.param(float(cut))} AS INTEGER)" for cut in cuts]
        q.base.append(f"CASE WHEN {x} IS NULL OR isnan({x}) THEN NULL ELSE {' + '.join(terms)} END AS __f{i}")
        q.keys.append(f"__f{i}")


def _binary(ask: Ask, q: Query, bins: str | None) -> None:
    if ask.score is None:
        return
    s = "__in_s"
    q.outer.append(f"min({s}) AS {q.dialect.quote(ask.score)}")
    if bins is None:
        q.keys.append(s)
    elif bins.startswith("JOIN:"):
        cell = (f"least(CAST(floor(({s} - {q.param(float(ask.lo))}) * {q.param(float(ask.scale))}) AS BIGINT), "
                f"{ask.grid - 1})")
        q.derived[0].append(f"CASE WHEN {s} IS NULL THEN NULL ELSE {cell} END AS __cell")
        q.join = bins[len("JOIN:"):]
        q.keys.append("__bin")
    else:
        q.base.append(f"{bins} AS __binned")
        q.keys.append("__binned")
    if ask.prediction is None and ask.thresholds:
        terms = [f"CAST({s} >= {q.param(float(t))} AS INTEGER)" for t in ask.thresholds]
        q.key("__level", " + ".join(terms))
    if ask.calibration:
        terms = [f"CAST({s} > {q.param(float(e))} AS INTEGER)" for e in ask.calibration]
        q.key("__cal", " + ".join(terms))


def _multiclass(ask: Ask, dialect: ex.Dialect, q: Query) -> None:
    if not ask.class_columns:
        return
    for j, column in enumerate(ask.class_columns):
        q.base.append(f"{_double(dialect, column)} AS __cs{j}")
    scores = [f"__cs{j}" for j in range(len(ask.class_columns))]
    any_null = " OR ".join(f"{s} IS NULL" for s in scores)
    if ask.prediction is None:
        q.derived[0].append(f"greatest({', '.join(scores)}) AS __top")
        first = " ".join(f"WHEN {s} = __top THEN {j}" for j, s in enumerate(scores))
        q.key("__pred", f"CASE WHEN {any_null} THEN NULL ELSE CASE {first} END END", output=True, stage=1)
    if ask.label_index is not None:
        assert ask.label is not None
        label = dialect.quote(ask.label)
        index = " ".join(f"WHEN {label} = {q.param(v)} THEN {j}" for v, j in ask.label_index if j >= 0)
        q.base.append(f"CASE {index} ELSE NULL END AS __li" if index else "CAST(NULL AS INTEGER) AS __li")
        q.derived[0].append("CASE __li " + " ".join(f"WHEN {j} THEN {s}" for j, s in enumerate(scores))
                            + " END AS __own")
        rank = " + ".join(f"CAST(({s} > __own) OR ({s} = __own AND {j} > __li) AS INTEGER)"
                          for j, s in enumerate(scores))
        q.key("__hit", f"CASE WHEN {any_null} OR __li IS NULL THEN NULL ELSE CAST(({rank}) < {int(ask.top_k)} "
                       "AS INTEGER) END", output=True, stage=1)


def _numbers(ask: Ask, q: Query) -> None:
    if ask.task == "regression":
        q.key("__miss", "CASE WHEN __in_y IS NULL THEN 1 WHEN __in_p IS NULL THEN 2 ELSE 0 END", output=True)
        return
    assert ask.score is not None
    q.outer.append(f"min(__in_s) AS {q.dialect.quote(ask.score)}")
    q.key("__miss", "CASE WHEN __in_s IS NULL THEN 1 ELSE 0 END", output=True)
    if ask.boolean:
        q.key("__pass", "CASE WHEN __in_s = 1.0 THEN 1 ELSE 0 END")
    elif ask.pass_threshold is not None:
        q.key("__pass", f"CASE WHEN __in_s >= {q.param(float(ask.pass_threshold))} THEN 1 ELSE 0 END")
