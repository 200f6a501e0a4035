"""Exact, order-independent sums of per-row floats, the same on every engine.

A float sum depends on the order of its terms, and engines sum in parallel.  So no engine sums
floats.  Each statistic gets a fixed binary scale ``2^s``, chosen before counting from a bound on
its absolute value (derived from the exact minimum and maximum of the input columns, which do not
depend on the order either), so that ``|v| · 2^s <= 2^61``.  Every row's value becomes the
integer ``q = floor(v · 2^s + 0.5)`` (a multiplication by a power of two, an addition of one
half and a floor: IEEE-754 operations that numpy, DuckDB and the JVM carry out identically), and
the engines sum ``q`` exactly as three integer digits,

    d0 = q mod 2^21,  d1 = floor(q / 2^21) mod 2^21,  d2 = floor(q / 2^42)   (so q = d2·2^42 + d1·2^21 + d0),

each sum exact in 64 bits for up to 2^42 rows and independent of the order (the Arrow pass sums
two parts of ``q`` per batch with exact float bincounts and adds each batch's ``Σq`` as digits, see
:func:`add_digits`).  Python assembles ``Σq`` and the statistic's sum ``Σq · 2^-s``, rounded to a
float once.

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


def _scaled_floats(values: np.ndarray, s: int, out: np.ndarray) -> np.ndarray:
    """``floor(v · 2^s + 0.5)`` into ``out`` (float64: every value an integer of at most 2^61,
    which float64 holds exactly, as the two multiplications by powers of two, the addition of one
    half and the floor are what :func:`scaled_node` does)."""
    if s > 1023:
        np.multiply(values, np.ldexp(1.0, s - 1023), out=out)
        out *= np.ldexp(1.0, 1023)
    else:
        np.multiply(values, np.ldexp(1.0, s), out=out)
    out += 0.5
    np.floor(out, out=out)
    return out


def add_digits(target: np.ndarray, key: np.ndarray, values: np.ndarray, s: int,
               scratch: tuple[np.ndarray, np.ndarray] | None = None) -> None:
    """``target[key] += Σ quantize(values)`` as digits (``target``: int64 ``(K, DIGITS)``).

    Each ``q`` is split in float64 into ``h = floor(q / 2^31)`` (a division by a power of two and a
    floor, exact) and ``l = q − h · 2^31`` (an integer in ``[0, 2^31)``: the exact difference is
    representable, so the subtraction returns it); the float bincounts of ``h`` and ``l`` are exact
    (below 2^53 for up to 2^22 rows), and each key's ``Σq = Σh · 2^31 + Σl`` is added to ``target``
    as its three digits.  ``scratch``: two float64 buffers of at least ``len(values)`` entries to
    work in."""
    size, n = target.shape[0], len(values)
    if n > 1 << 22:
        for start in range(0, n, 1 << 22):
            add_digits(target, key[start:start + (1 << 22)], values[start:start + (1 << 22)], s, scratch)
        return
    q, h = (np.empty(n), np.empty(n)) if scratch is None else (scratch[0][:n], scratch[1][:n])
    _scaled_floats(values, s, q)
    np.multiply(q, np.ldexp(1.0, -SPLIT), out=h)
    np.floor(h, out=h)
    high = np.rint(np.bincount(key, weights=h, minlength=size)).astype(np.int64)
    h *= np.ldexp(1.0, SPLIT)
    q -= h
    low = np.rint(np.bincount(key, weights=q, minlength=size)).astype(np.int64)
    middle = (low >> WIDTH) + (high << (SPLIT - WIDTH))  # Σq = middle · 2^21 + (low mod 2^21), |middle| < 2^61
    target[:, 0] += low & MASK
    target[:, 1] += middle & MASK
    target[:, 2] += middle >> WIDTH


SPLIT = 31
"""Where :func:`add_digits` splits ``q`` for its float sums."""


ROUNDER = 1.5 * 2.0 ** (52 + SPLIT)
"""Added to and taken from an integer ``q`` (``|q| <= 2^61``): the multiple of ``2^SPLIT`` nearest to it."""


class Segments:
    """The rows of a batch grouped by key, for :func:`add_segment_digits`: the order that sorts
    them by key (a radix sort of small keys), each present key and where its rows start."""

    def __init__(self, key: np.ndarray, size: int):
        assert len(key) <= 1 << 22  # each segment's float sums stay exact (see add_digits)
        narrow = np.int16 if size <= 1 << 15 else np.int32 if size <= 1 << 31 else np.int64
        self.order = np.argsort(key.astype(narrow, copy=False), kind="stable")
        self.counts = np.bincount(key, minlength=size)
        self.keys = np.flatnonzero(self.counts)
        self.starts = (np.cumsum(self.counts) - self.counts)[self.keys]


def add_segment_digits(target: np.ndarray, segments: Segments, values: np.ndarray, s: int,
                       scratch: tuple[np.ndarray, np.ndarray]) -> None:
    """:func:`add_digits` for values already in ``segments.order``, summed per key by a running
    sum over each key's rows (``np.add.reduceat``) instead of a scatter, the costlier part when
    many columns share the keys.  Each ``q`` is split into ``h``, the multiple of ``2^31``
    nearest to it (``(q + C) − C`` with ``C = 1.5 · 2^83``: every float from ``2^83`` to ``2^84``
    is a multiple of ``2^31``, so the addition rounds to one and the subtraction is exact), and
    ``l = q − h`` (exact, ``|l| <= 2^30``); the float sums of ``h / 2^31`` and of ``l`` stay below
    ``2^53`` for up to 2^22 rows, so they are exact, and ``Σq = Σh + Σl``."""
    n = len(values)
    q, h = scratch[0][:n], scratch[1][:n]
    _scaled_floats(values, s, q)
    np.add(q, ROUNDER, out=h)
    h -= ROUNDER
    high = np.rint(np.add.reduceat(h, segments.starts) * np.ldexp(1.0, -SPLIT)).astype(np.int64)
    q -= h
    low = np.add.reduceat(q, segments.starts).astype(np.int64)
    middle = (low >> WIDTH) + (high << (SPLIT - WIDTH))  # Σq = middle · 2^21 + (low mod 2^21)
    keys = segments.keys
    target[keys, 0] += low & MASK
    target[keys, 1] += middle & MASK
    target[keys, 2] += middle >> WIDTH


def to_float(parts: np.ndarray, scales: Sequence[int]) -> np.ndarray:
    """The sums as float64, from digit sums ``(..., k, DIGITS)`` of ``k`` statistics at
    ``scales``: each the exact ``Σq · 2^-s`` rounded once.

    The digit sums are first carried (``d0``, ``d1`` into ``[0, 2^21)``), so ``Σq = d2 · 2^42 + r``
    with ``0 <= r < 2^42``; while ``|d2| < 2^53`` both terms are floats exactly and their float sum
    is ``Σq`` correctly rounded, which the power of two then scales exactly (results too small for
    a normal float, and larger ``d2``, are rounded from the exact integer instead)."""
    parts = np.asarray(parts, dtype=np.int64)
    lead = parts.shape[:-2]
    flat = parts.reshape(-1, len(scales), DIGITS)
    d1 = flat[..., 1] + (flat[..., 0] >> WIDTH)
    d0 = flat[..., 0] & MASK
    d2 = flat[..., 2] + (d1 >> WIDTH)
    d1 &= MASK
    rest = (d1 << WIDTH) | d0
    q = np.ldexp(d2.astype(np.float64), 2 * WIDTH) + rest.astype(np.float64)
    out: np.ndarray = np.ldexp(q, -np.asarray(scales, dtype=np.int64))
    exact = (np.abs(d2) >= 1 << 53) | ((q != 0) & (np.abs(out) < np.ldexp(1.0, -1021)))
    for i, j in zip(*np.nonzero(exact)):
        out[i, j] = _scaled((int(d2[i, j]) << (2 * WIDTH)) + int(rest[i, j]), scales[j])
    return out.reshape(*lead, len(scales))


def _scaled(q: int, s: int) -> float:
    """``q · 2^-s`` correctly rounded."""
    if q == 0:
        return 0.0
    if s <= 0:
        return float(q << -s) if q.bit_length() - s <= 1024 else math.copysign(math.inf, q)
    return float(Fraction(q, 1 << s))
