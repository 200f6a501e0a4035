"""Exact, order-independent sums of per-row floats, the same on every engine.

A float sum depends on the order of its terms, and engines sum in parallel.  So no engine sums
floats.  Each statistic gets a fixed binary scale ``2^s``, chosen before counting from a bound on
its absolute value (derived from the exact minimum and maximum of the input columns, which do not
depend on the order either), so that ``|v| · 2^s <= 2^61``.  Every row's value becomes the
integer ``q = floor(v · 2^s + 0.5)`` (a multiplication by a power of two, an addition of one
half and a floor: IEEE-754 operations that numpy, DuckDB and the JVM carry out identically), and
the engines sum ``q`` exactly as three integer digits,

    d0 = q mod 2^21,  d1 = floor(q / 2^21) mod 2^21,  d2 = floor(q / 2^42)   (so q = d2·2^42 + d1·2^21 + d0),

each sum exact in 64 bits for up to 2^42 rows and independent of the order.  Python assembles
``Σq`` and the statistic's sum ``Σq · 2^-s``, rounded to a float once.

Compared with the exact sum of the values, each row is rounded to the nearest multiple of
``2^-s``: an error of at most ``2^-62`` of the statistic's bound per row, without bias, the same
on every engine and in every row order (values that are integers, or have few binary digits, are
summed exactly).  That is what makes results files byte-identical across engines; the approach
is :mod:`.exact`'s (integers summed instead of floats), with one scale per statistic instead of
one sum per binary exponent, so a statistic costs three integer sums.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from . import expr as ex

TOP = 61
"""``|v| · 2^s <= 2^TOP``."""
WIDTH = 21
DIGITS = 3
MASK = (1 << WIDTH) - 1
MAX_SCALE = 2 * 1023
MIN_SCALE = -1022


class TooLarge(ValueError):
    """A statistic's bound is not finite: its values cannot be summed exactly."""


def scale_for(bound: float) -> int:
    """The exponent ``s`` with ``bound · 2^s <= 2^TOP``, as large as that allows."""
    if not math.isfinite(bound):
        raise TooLarge(bound)
    if bound <= 0:
        return 0
    _, e = math.frexp(bound)  # bound < 2^e
    return int(min(MAX_SCALE, max(MIN_SCALE, TOP - e)))


def scaled_node(value: ex.Node, s: int) -> ex.Node:
    """``floor(value · 2^s + 0.5)`` as an expression (the power in two factors beyond the doubles)."""
    t: ex.Node = value
    if s > 1023:
        t = ex.mul(t, ex.pow2(s - 1023))
        s = 1023
    return ex.floor(ex.add(ex.mul(t, ex.pow2(s)), ex.const(0.5)))


def quantize(values: np.ndarray, s: int) -> np.ndarray:
    """``floor(v · 2^s + 0.5)`` as int64 (the numpy face of :func:`scaled_node`)."""
    t = values * np.ldexp(1.0, s - 1023) if s > 1023 else values.astype(np.float64, copy=True)
    t *= np.ldexp(1.0, min(s, 1023))
    t += 0.5
    np.floor(t, out=t)
    out: np.ndarray = t.astype(np.int64)
    return out


def digit_columns(q: np.ndarray) -> list[np.ndarray]:
    """The three digits of ``q`` (int64), lowest first, as float64 (exact)."""
    return [(q & MASK).astype(np.float64), ((q >> WIDTH) & MASK).astype(np.float64),
            (q >> (2 * WIDTH)).astype(np.float64)]


def add_digits(target: np.ndarray, key: np.ndarray, values: np.ndarray, s: int) -> None:
    """``target[key] += digits(quantize(values))`` (``target``: int64 ``(K, DIGITS)``) with float
    bincounts, which are exact: digits are below 2^21 and a batch has at most 2^31 rows."""
    size = target.shape[0]
    for j, column in enumerate(digit_columns(quantize(values, s))):
        summed = np.bincount(key, weights=column, minlength=size)
        target[:, j] += np.rint(summed).astype(np.int64)


def to_float(parts: np.ndarray, scales: Sequence[int]) -> np.ndarray:
    """The sums as float64, from digit sums ``(..., k, DIGITS)`` of ``k`` statistics at
    ``scales``: each the exact ``Σq · 2^-s`` rounded once."""
    parts = np.asarray(parts, dtype=np.int64)
    lead = parts.shape[:-2]
    flat = parts.reshape(-1, len(scales), DIGITS)
    out = np.zeros(flat.shape[:2], dtype=np.float64)
    top = np.abs(flat[..., 2]).max(initial=0)
    if top < (1 << (62 - 2 * WIDTH)):  # Σq fits int64: one exact conversion, then a power of two
        q = (flat[..., 2] << (2 * WIDTH)) + (flat[..., 1] << WIDTH) + flat[..., 0]
        for j, s in enumerate(scales):
            column = q[:, j]
            values = np.ldexp(column.astype(np.float64), -s)
            tiny = (column != 0) & (np.abs(values) < np.ldexp(1.0, -1021))
            values[tiny] = [_scaled(int(v), s) for v in column[tiny]]
            out[:, j] = values
        return out.reshape(*lead, len(scales))
    for i in range(flat.shape[0]):
        for j, s in enumerate(scales):
            d0, d1, d2 = (int(v) for v in flat[i, j])
            out[i, j] = _scaled((d2 << (2 * WIDTH)) + (d1 << WIDTH) + d0, s)
    return out.reshape(*lead, len(scales))


def _scaled(q: int, s: int) -> float:
    """``q · 2^-s`` correctly rounded."""
    if q == 0:
        return 0.0
    if s <= 0:
        return float(q << -s) if q.bit_length() - s <= 1024 else math.copysign(math.inf, q)
    return float(Fraction(q, 1 << s))
