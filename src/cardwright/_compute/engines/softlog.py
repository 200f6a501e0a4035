"""The natural logarithm as a fixed sequence of IEEE-754 operations, for `log_loss`.

Library logarithms differ between numpy, DuckDB and the JVM in the last bit now and then, and
exact sums of per-row losses (see :mod:`.fixed`) would then differ between engines.  This one is
written with :mod:`.expr`: the exact binary exponent ``k`` and mantissa ``r`` of ``x``
(``x = r · 2^k``, with ``r`` moved into ``[√2/2, √2)``), then ``log r = 2·atanh(f / (2 + f))``
with ``f = r − 1``, as an odd series summed by Horner's rule to the 23rd power (the terms left
out are below 2^-56 of the result), and ``k · ln 2`` in two parts (fdlibm's ``ln2_hi``, exact
when multiplied by an integer, and ``ln2_lo``).  Every engine performs the same operations in
the same order, so every engine gets the same bits; they agree with ``numpy.log`` to a few units
in the last place.
"""

from __future__ import annotations

from . import expr as ex

LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
SQRT2 = 1.4142135623730951
TERMS = 11
"""Series terms after the first: z/3, z²/5, …, z^11/23."""


def log_node(x: ex.Node) -> ex.Node:
    """``log(x)`` for finite ``x > 0``."""
    k0 = ex.Exponent(x)
    half = ex.floor(ex.mul(k0, ex.const(-0.5)))
    r0 = ex.mul(ex.mul(x, ex.Op("pow2", (half,))), ex.Op("pow2", (ex.sub(ex.Op("neg", (k0,)), half),)))
    big = ex.gt(r0, ex.const(SQRT2))
    r = ex.Where(big, ex.mul(r0, ex.const(0.5)), r0)
    k = ex.add(k0, big)
    f = ex.sub(r, ex.const(1.0))
    s = ex.div(f, ex.add(ex.const(2.0), f))
    z = ex.mul(s, s)
    poly: ex.Node = ex.const(1.0 / (2 * TERMS + 1))
    for n in range(TERMS - 1, 0, -1):
        poly = ex.add(ex.mul(poly, z), ex.const(1.0 / (2 * n + 1)))
    series = ex.mul(ex.mul(s, ex.const(2.0)), ex.add(ex.const(1.0), ex.mul(z, poly)))
    return ex.add(ex.mul(k, ex.const(LN2_HI)), ex.add(ex.mul(k, ex.const(LN2_LO)), series))


def clip(x: ex.Node, eps: float) -> ex.Node:
    """``min(max(x, eps), 1 - eps)``."""
    low = ex.Where(ex.gt(ex.const(eps), x), ex.const(eps), x)
    return ex.Where(ex.gt(low, ex.const(1.0 - eps)), ex.const(1.0 - eps), low)
