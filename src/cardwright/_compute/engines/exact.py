"""Exact sums of floating-point columns, the same on every engine whatever the order of the rows.

A float sum depends on the order of its terms; an engine that sums in parallel gives different
last digits from run to run and from engine to engine.  So no engine sums floats.  Every finite,
non-zero value is written exactly as ``x = ±M · 2^k`` with an integer mantissa
``2^52 <= M < 2^53`` (:func:`frexp` here; :data:`SQL` on DuckDB and Spark, from ``log2`` and
exact multiplications by powers of two), and the engine sums integers per exponent ``k``:
``±M`` and, for the squares, the products of the two halves of ``M`` (``M = H·2^26 + L``:
``H²``, ``H·L``, ``L²``, each below 2^54, summed as DECIMAL(38) on the SQL engines: exact for
more than 2^70 rows).  Integer sums do not depend on order.  Python then adds the partial sums as
fractions: ``Σx`` and ``Σx²`` exactly, so the mean is the correctly rounded ``Σx / n`` and the
standard deviation comes from the exact ``(Σx² − (Σx)²/n) / (n − 1)``.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

CHUNK = 1 << 20
"""Rows summed at once in int64 (18-bit limbs: every partial sum stays below 2^57)."""


class Moments:
    """Count, exact ``Σx`` and ``Σx²`` (as integer partial sums per binary exponent), min and max."""

    def __init__(self) -> None:
        self.n = 0
        self.parts: dict[int, list[int]] = {}
        """``k -> [Σ±M, ΣM²]`` over the values ``±M · 2^k``."""
        self.min: float | None = None
        self.max: float | None = None

    def add_values(self, x: np.ndarray) -> None:
        """Add finite float64 values."""
        if not x.size:
            return
        self.n += int(x.size)
        lo, hi = float(x.min()), float(x.max())
        self.min = lo if self.min is None else min(self.min, lo)
        self.max = hi if self.max is None else max(self.max, hi)
        x = x[x != 0]
        for start in range(0, x.size, CHUNK):
            self._add_chunk(x[start:start + CHUNK])

    def _add_chunk(self, x: np.ndarray) -> None:
        m, e = np.frexp(np.abs(x))
        mant = np.ldexp(m, 53).astype(np.int64)          # 2^52 <= M < 2^53, exact
        k = e.astype(np.int64) - 53
        sign = np.where(x < 0, -1, 1).astype(np.int64)
        order = np.argsort(k, kind="stable")
        k, mant, sign = k[order], mant[order], sign[order]
        starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
        a, b, c = mant >> 36, (mant >> 18) & 0x3FFFF, mant & 0x3FFFF
        low = mant & ((1 << 36) - 1)

        def total(values: np.ndarray) -> list[int]:
            return [int(v) for v in np.add.reduceat(values, starts)]

        s_hi, s_lo = total(sign * a), total(sign * low)
        aa, ab, ac, bb, bc, cc = (total(v) for v in (a * a, a * b, a * c, b * b, b * c, c * c))
        for i, key in enumerate(int(v) for v in k[starts]):
            s1 = (s_hi[i] << 36) + s_lo[i]
            s2 = (aa[i] << 72) + (ab[i] << 55) + ((2 * ac[i] + bb[i]) << 36) + (bc[i] << 19) + cc[i]
            self.add_part(key, s1, s2)

    def add_part(self, k: int, s1: int, s2: int) -> None:
        part = self.parts.setdefault(k, [0, 0])
        part[0] += s1
        part[1] += s2

    def add_halves(self, k: int, s1: int, hh: int, hl: int, ll: int) -> None:
        """A SQL engine's sums for exponent ``k``: ``Σ±M``, ``ΣH²``, ``ΣH·L``, ``ΣL²``."""
        self.add_part(k, s1, (hh << 52) + (hl << 27) + ll)

    def sums(self) -> tuple[Fraction, Fraction]:
        s1, s2 = Fraction(0), Fraction(0)
        for k, (a, b) in self.parts.items():
            s1 += a * Fraction(2) ** k
            s2 += b * Fraction(2) ** (2 * k)
        return s1, s2

    def summary(self) -> dict[str, float | None]:
        """``min, max, mean, std`` (sample standard deviation); zeros without a sign."""
        if not self.n:
            return {"min": self.min, "max": self.max, "mean": None, "std": None}
        s1, s2 = self.sums()
        mean = s1 / self.n
        std = sqrt(max(Fraction(0), (s2 - s1 * s1 / self.n) / (self.n - 1))) if self.n > 1 else None
        return {"min": _unsigned(self.min), "max": _unsigned(self.max), "mean": _unsigned(float(mean)), "std": std}


class Mean(Moments):
    """Count, exact ``Σx``, min and max only (``Σx²`` is left at zero and ``std`` is ``None``): what
    the count pass's pre-pass needs of a column, for a fraction of the work.

    Per binary exponent it sums the signed mantissas in two 27-bit limbs with float bincounts
    (``M = A · 2^27 + B``, ``|A| < 2^26``, ``0 <= B < 2^27``: every partial sum of a chunk of
    :data:`CHUNK` rows stays below 2^53, so the float sums are exact whatever their order), the
    same integers :class:`Moments` sums after sorting by exponent."""

    def __init__(self) -> None:
        super().__init__()
        self._buffers: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        """Kept from chunk to chunk: fresh arrays of a chunk's size cost page faults every time."""

    def add_values(self, x: np.ndarray) -> None:
        """Add finite float64 values (zeros add nothing to the sum: their mantissa is 0)."""
        if self._add_range(x):
            for start in range(0, x.size, CHUNK):
                self._add_chunk(x[start:start + CHUNK])

    def _add_range(self, x: np.ndarray) -> bool:
        """Count ``x`` and widen the range; whether there was anything."""
        if not x.size:
            return False
        self.n += int(x.size)
        lo, hi = float(x.min()), float(x.max())
        self.min = lo if self.min is None else min(self.min, lo)
        self.max = hi if self.max is None else max(self.max, hi)
        return True

    def _add_chunk(self, x: np.ndarray) -> None:
        n = len(x)
        if self._buffers is None or len(self._buffers[0]) < n:
            self._buffers = (np.empty(n), np.empty(n, dtype=np.intc), np.empty(n), np.empty(n))
        mant, index, high, scratch = (b[:n] for b in self._buffers)
        np.frexp(x, out=(mant, index))
        np.ldexp(mant, 53, out=mant)                     # ±M, an integer below 2^53 in size, exact
        np.multiply(mant, 2.0**-27, out=high)
        np.floor(high, out=high)
        np.multiply(high, 2.0**27, out=scratch)
        mant -= scratch                                  # the low limb, exact
        low_e = int(index.min())
        index -= low_e
        size = int(index.max()) + 1
        highs = np.bincount(index, weights=high, minlength=size)
        lows = np.bincount(index, weights=mant, minlength=size)
        for i in np.flatnonzero((highs != 0) | (lows != 0)):
            self.add_part(int(i) + low_e - 53, (int(highs[i]) << 27) + int(lows[i]), 0)

    def summary(self) -> dict[str, float | None]:
        out = super().summary()
        out["std"] = None
        return out


class Range(Mean):
    """Count, min and max only: what the pre-pass needs of a column whose mean nothing uses."""

    def add_values(self, x: np.ndarray) -> None:
        self._add_range(x)

    def summary(self) -> dict[str, float | None]:
        return {"min": _unsigned(self.min), "max": _unsigned(self.max), "mean": None, "std": None}


def _unsigned(x: float | None) -> float | None:
    return None if x is None else x + 0.0


def sqrt(q: Fraction) -> float:
    """The square root of a non-negative fraction, from an integer square root of 64+ bits (the
    same on every platform; floats of ``q`` would overflow for values near 1e300)."""
    if q == 0:
        return 0.0
    p = 64 - (q.numerator.bit_length() - q.denominator.bit_length()) // 2
    if p >= 0:
        root = math.isqrt(q.numerator * 4 ** p // q.denominator)
    else:
        root = math.isqrt(q.numerator // (q.denominator * 4 ** -p))
    return float(Fraction(root, 1) / Fraction(2) ** p)


SQL = """
SELECT k, count(*) AS n, sum(CAST(sm AS DECIMAL(38, 0))) AS s1, sum(CAST(h * h AS DECIMAL(38, 0))) AS hh,
       sum(CAST(h * l AS DECIMAL(38, 0))) AS hl, sum(CAST(l * l AS DECIMAL(38, 0))) AS ll
FROM (SELECT k, sm, h, m - h * 67108864 AS l
      FROM (SELECT e - 52 AS k, CASE WHEN x < 0 THEN -m ELSE m END AS sm, m,
                   CAST(floor(CAST(m AS DOUBLE) * 1.4901161193847656E-8) AS BIGINT) AS h
            FROM (SELECT x, e, CAST(abs(x) * pow(2.0, floor((52 - e) / 2.0)) * pow(2.0, (52 - e) - floor((52 - e) / 2.0))
                                    AS BIGINT) AS m
                  FROM (SELECT x, e0 + CASE WHEN r >= 2 THEN 1 WHEN r < 1 THEN -1 ELSE 0 END AS e
                        FROM (SELECT x, e0, abs(x) * pow(2.0, floor(-e0 / 2.0)) * pow(2.0, -e0 - floor(-e0 / 2.0)) AS r
                              FROM (SELECT x, CAST(floor(log2(abs(x))) AS INTEGER) AS e0
                                    FROM ({values}) AS t0
                                    WHERE abs(x) <= 1.7976931348623157E308 AND x <> 0) AS t1) AS t2) AS t3) AS t4) AS t5) AS t6
GROUP BY k
"""
"""The partial sums on a SQL engine; ``{values}`` selects the column as a double ``x``.  ``e`` is
``floor(log2|x|)`` (the ``log2`` estimate corrected by one step), ``m = |x| · 2^(52 − e)``; each
scaling is split into two powers of two so no intermediate value overflows or turns subnormal."""


def add_rows(moments: Moments, rows: dict[str, list[Any]]) -> None:
    """Add the rows of :data:`SQL` (as lists of Python values) to ``moments``."""
    for k, s1, hh, hl, ll in zip(rows["k"], rows["s1"], rows["hh"], rows["hl"], rows["ll"]):
        moments.add_halves(int(k), int(s1), int(hh), int(hl), int(ll))
