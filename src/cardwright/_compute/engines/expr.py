"""Per-row arithmetic written once and evaluated identically by numpy and by SQL engines.

Sums that every engine must get bit for bit (see :mod:`.fixed`) start from per-row values such as
``(prediction - label) * (prediction - label)``.  IEEE-754 gives the same bits for ``+ - * /``,
comparisons, ``floor`` and ``abs`` in numpy, DuckDB and the JVM, provided every engine does the
same operations in the same order.  So each value is a small expression tree, evaluated by
:func:`evaluate` on numpy arrays and written out by :func:`sql` for DuckDB and Spark SQL: one
definition, two faces, the same operations.

``Exponent(x)`` (the binary exponent of ``|x|``, exactly) is the one node that is not a single
IEEE operation: numpy reads it with ``frexp``; SQL estimates ``floor(log2|x|)`` and corrects it by
one step with exact multiplications by powers of two, so both give the exact exponent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Union

import numpy as np

Node = Union["Col", "Const", "Op", "Where", "Exponent"]


@dataclass(frozen=True)
class Col:
    """A double column (``name`` as the query and the numpy evaluation call it)."""

    name: str


@dataclass(frozen=True)
class Const:
    value: float


@dataclass(frozen=True)
class Op:
    """``+ - * /`` (two arguments), ``abs``, ``floor``, ``neg``, ``pow2`` (one: ``2^k`` of an
    integer-valued ``k``, exact), ``> >= ==`` (two; 1.0 or 0.0)."""

    op: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Where:
    """``then`` where ``cond`` is non-zero, else ``other``."""

    cond: Node
    then: Node
    other: Node


@dataclass(frozen=True)
class Exponent:
    """The exponent ``k`` of ``|x| = m · 2^k`` with ``1 <= m < 2``, for finite ``x != 0`` (0 for ``x == 0``)."""

    arg: Node


def add(a: Node, b: Node) -> Op:
    return Op("+", (a, b))


def sub(a: Node, b: Node) -> Op:
    return Op("-", (a, b))


def mul(a: Node, b: Node) -> Op:
    return Op("*", (a, b))


def div(a: Node, b: Node) -> Op:
    return Op("/", (a, b))


def absolute(a: Node) -> Op:
    return Op("abs", (a,))


def floor(a: Node) -> Op:
    return Op("floor", (a,))


def gt(a: Node, b: Node) -> Op:
    return Op(">", (a, b))


def const(x: float) -> Const:
    return Const(float(x))


def pow2(k: int) -> Const:
    """The exact power of two ``2^k`` (``k`` within the normal range)."""
    return Const(float(np.ldexp(1.0, k)))


# -- numpy ---------------------------------------------------------------------------------------
_BINARY: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide,
    ">": lambda a, b: np.greater(a, b).astype(np.float64),
    ">=": lambda a, b: np.greater_equal(a, b).astype(np.float64),
    "==": lambda a, b: np.equal(a, b).astype(np.float64),
}
_UNARY: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "abs": np.abs, "floor": np.floor, "neg": np.negative,
    "pow2": lambda k: np.ldexp(1.0, k.astype(np.int64)),
}


_UFUNCS: dict[str, np.ufunc] = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "abs": np.abs,
                                "floor": np.floor, "neg": np.negative}
"""The operations that can write into an array kept from batch to batch."""


def evaluate(node: Node, columns: dict[str, np.ndarray], cache: dict[Node, np.ndarray] | None = None,
             buffers: dict[Node, np.ndarray] | None = None) -> np.ndarray:
    """``node`` on float64 arrays (shared sub-trees computed once; constants are not spread over
    arrays of their own, numpy broadcasts them, with the same numbers).  ``buffers``: arrays kept
    by the caller from batch to batch, which the arithmetic writes into (each node its own; a
    result is valid until the next call with the same buffers)."""
    out = _evaluate(node, columns, {} if cache is None else cache, buffers)
    if out.ndim == 0:
        n = len(next(iter(columns.values()))) if columns else 1
        return np.full(n, float(out))
    return out


def _evaluate(node: Node, columns: dict[str, np.ndarray], memo: dict[Node, np.ndarray],
              buffers: dict[Node, np.ndarray] | None) -> np.ndarray:
    got = memo.get(node)
    if got is not None:
        return got
    if isinstance(node, Col):
        out = np.asarray(columns[node.name], dtype=np.float64)
    elif isinstance(node, Const):
        out = np.asarray(node.value, dtype=np.float64)
    elif isinstance(node, Op):
        args = [_evaluate(a, columns, memo, buffers) for a in node.args]
        with np.errstate(all="ignore"):
            out = _apply(node, args, buffers)
    elif isinstance(node, Where):
        out = np.asarray(np.where(_evaluate(node.cond, columns, memo, buffers) != 0,
                                  _evaluate(node.then, columns, memo, buffers),
                                  _evaluate(node.other, columns, memo, buffers)))
    else:
        x = _evaluate(node.arg, columns, memo, buffers)
        _, e = np.frexp(np.abs(x))
        out = np.asarray(np.where(x == 0, 0.0, e.astype(np.float64) - 1))
    memo[node] = out
    return out


def _apply(node: Op, args: list[np.ndarray], buffers: dict[Node, np.ndarray] | None) -> np.ndarray:
    ufunc = _UFUNCS.get(node.op)
    shape = np.broadcast_shapes(*(a.shape for a in args))
    if ufunc is None or buffers is None or len(shape) != 1:
        return np.asarray(_BINARY[node.op](args[0], args[1]) if len(args) == 2 else _UNARY[node.op](args[0]))
    held = buffers.get(node)
    if held is None or len(held) < shape[0]:
        held = buffers[node] = np.empty(shape[0])
    out: np.ndarray = ufunc(*args, out=held[: shape[0]])
    return out


# -- SQL ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Dialect:
    """How a SQL engine writes what the expressions need."""

    name: str
    quote: Callable[[str], str]
    param: Callable[[str], str]


def sql(node: Node, dialect: Dialect, params: dict[str, float], names: dict[str, str]) -> str:
    """``node`` as SQL; constants become parameters (added to ``params``), columns are looked up
    in ``names`` (column name → SQL expression yielding a DOUBLE)."""
    if isinstance(node, Col):
        return names[node.name]
    if isinstance(node, Const):
        key = f"c{len(params)}"
        for k, v in params.items():  # reuse a parameter holding the same bits
            if isinstance(v, float) and v == node.value and np.signbit(v) == np.signbit(node.value):
                key = k
                break
        params[key] = node.value
        return f"CAST({dialect.param(key)} AS DOUBLE)"
    if isinstance(node, Op):
        args = [sql(a, dialect, params, names) for a in node.args]
        if node.op in ("+", "-", "*", "/"):
            return f"({args[0]} {node.op} {args[1]})"
        if node.op in (">", ">=", "=="):
            op = "=" if node.op == "==" else node.op
            return f"(CASE WHEN {args[0]} {op} {args[1]} THEN 1.0 ELSE 0.0 END)"
        if node.op == "floor":
            return f"CAST(floor({args[0]}) AS DOUBLE)"
        if node.op == "neg":
            return f"(- {args[0]})"
        if node.op == "pow2":
            return f"pow(2.0, {args[0]})"
        return f"abs({args[0]})"
    if isinstance(node, Where):
        return (f"(CASE WHEN {sql(node.cond, dialect, params, names)} <> 0 THEN {sql(node.then, dialect, params, names)} "
                f"ELSE {sql(node.other, dialect, params, names)} END)")
    x = f"abs({sql(node.arg, dialect, params, names)})"
    e0 = f"CAST(floor(log2({x})) AS INTEGER)"
    # |x| * 2^-e0 with the power split in two, so neither factor overflows or turns subnormal
    r = f"({x} * pow(2.0, floor(-{e0} / 2.0)) * pow(2.0, -{e0} - floor(-{e0} / 2.0)))"
    fixed = f"({e0} + CASE WHEN {r} >= 2.0 THEN 1 WHEN {r} < 1.0 THEN -1 ELSE 0 END)"
    return f"(CASE WHEN {x} = 0 THEN 0.0 ELSE CAST({fixed} AS DOUBLE) END)"


def duckdb_dialect() -> Dialect:
    return Dialect("duckdb", lambda n: '"' + n.replace('"', '""') + '"', lambda k: f"${k}")


def spark_dialect() -> Dialect:
    return Dialect("spark", lambda n: "`" + n.replace("`", "``") + "`", lambda k: f":{k}")


def staged(outputs: dict[str, Node], dialect: Dialect, params: dict[str, float]) -> list[list[str]]:
    """``outputs`` as stages of SQL projections, each sub-expression computed once.

    Written out as one SQL expression, a tree repeats every shared sub-tree where it is used
    (the logarithm's exponent dozens of times).  Instead every composite node becomes a column
    of its own, defined in the stage after those of its arguments: ``stages[i]`` is the list of
    ``expression AS name`` of projection ``i``, each projection selecting ``*`` and these from the
    previous one.  Leaves (:class:`Col`) name columns of the input."""
    names: dict[Node, str] = {}
    depth: dict[Node, int] = {}
    stages: list[list[str]] = []

    def column(node: Node) -> tuple[str, int]:
        if isinstance(node, Col):
            return dialect.quote(node.name) if not node.name.startswith("__") else node.name, 0
        if isinstance(node, Const):
            return sql(node, dialect, params, {}), 0
        if node in names:
            return names[node], depth[node]
        children = [node.arg] if isinstance(node, Exponent) else \
            [node.cond, node.then, node.other] if isinstance(node, Where) else list(node.args)
        refs = [column(c) for c in children]
        level = 1 + max((d for _, d in refs), default=0)
        local = {f"__a{i}": ref for i, (ref, _) in enumerate(refs)}
        shallow = _shallow(node, [Col(f"__a{i}") for i in range(len(refs))])
        text = sql(shallow, dialect, params, local)
        name = f"__x{len(names)}"
        while len(stages) < level:
            stages.append([])
        stages[level - 1].append(f"{text} AS {name}")
        names[node], depth[node] = name, level
        return name, level

    finals = []
    for out_name, node in outputs.items():
        ref, _ = column(node)
        finals.append(f"{ref} AS {out_name}")
    stages.append(finals)
    return stages


def _shallow(node: Node, args: list[Col]) -> Node:
    """``node`` with its children replaced by columns."""
    if isinstance(node, Exponent):
        return Exponent(args[0])
    if isinstance(node, Where):
        return Where(args[0], args[1], args[2])
    assert isinstance(node, Op)
    return Op(node.op, tuple(args))


def rename(node: Node, names: dict[str, str]) -> Node:
    """``node`` with its columns renamed (``names``: old → new; others kept)."""
    if isinstance(node, Col):
        return Col(names.get(node.name, node.name))
    if isinstance(node, Const):
        return node
    if isinstance(node, Exponent):
        return Exponent(rename(node.arg, names))
    if isinstance(node, Where):
        return Where(rename(node.cond, names), rename(node.then, names), rename(node.other, names))
    return Op(node.op, tuple(rename(a, names) for a in node.args))
