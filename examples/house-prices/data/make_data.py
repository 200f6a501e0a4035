"""Generate the synthetic evaluation data behind the house-price example, byte for byte the same
on every run.

    python examples/house-prices/data/make_data.py            # rewrite eval.csv and eval_v2.0.csv
    python examples/house-prices/data/make_data.py --check    # exit 1 if the shipped files differ
    python examples/house-prices/data/make_data.py -o DIR     # write somewhere else

Nothing here describes real homes or people.  Each row is a sale: a true value drawn from the
property's floor area, type, region and neighbourhood, the price it sold for (the value with
negotiation noise), and the price two versions of the valuation model predicted before the sale
(``eval.csv``: version 2.1, the one the card documents; ``eval_v2.0.csv``: the previous release,
whose results are the card's baseline).  Both versions are noisier, and the older one also
undervalues, in lower-income neighbourhoods, where fewer comparable sales exist — the pattern
published research on automated valuation models reports.

It uses only the standard library and only ``random.random()``, whose sequence Python
guarantees for a given seed across versions, so the files regenerate identically.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import sys
from pathlib import Path

SEED = 20250302
ROWS = 4000

REGION = (("coast", 0.30), ("city", 0.35), ("valley", 0.20), ("uplands", 0.15))
TYPE = (("detached", 0.35), ("semi_detached", 0.25), ("terraced", 0.22), ("flat", 0.18))
INCOME = (("low", 0.28), ("middle", 0.47), ("high", 0.25))
PRICE_PER_M2 = {"coast": 3900.0, "city": 4600.0, "valley": 2700.0, "uplands": 2300.0}
TYPE_FACTOR = {"detached": 1.12, "semi_detached": 1.0, "terraced": 0.93, "flat": 0.97}
INCOME_FACTOR = {"low": 0.82, "middle": 1.0, "high": 1.22}
AREA = {"detached": (150, 35), "semi_detached": (110, 22), "terraced": (90, 18), "flat": (68, 16)}
# Relative error of the model (a log-normal spread) and its bias (undervaluation), by neighbourhood.
SPREAD = {"low": 0.145, "middle": 0.105, "high": 0.115}
BIAS_V21 = {"low": -0.012, "middle": 0.004, "high": 0.006}
BIAS_V20 = {"low": -0.045, "middle": 0.004, "high": 0.012}
COLUMNS = ("region", "property_type", "neighbourhood_income", "floor_area_m2", "sale_price", "predicted_price")


class Draw:
    """Samplers built on ``random.random()`` alone (its stream is stable across Python versions)."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._spare: float | None = None

    def uniform(self) -> float:
        return self._rng.random()

    def normal(self) -> float:
        if self._spare is not None:
            z, self._spare = self._spare, None
            return z
        u1 = 1.0 - self._rng.random()
        u2 = self._rng.random()
        r = math.sqrt(-2.0 * math.log(u1))
        self._spare = r * math.sin(2.0 * math.pi * u2)
        return r * math.cos(2.0 * math.pi * u2)

    def choice(self, table: tuple[tuple[str, float], ...]) -> str:
        u, acc = self.uniform(), 0.0
        for value, p in table:
            acc += p
            if u < acc:
                return value
        return table[-1][0]


def sale(d: Draw) -> dict[str, object]:
    region, kind, income = d.choice(REGION), d.choice(TYPE), d.choice(INCOME)
    mean, sd = AREA[kind]
    area = max(28, round(mean + sd * d.normal()))
    value = area * PRICE_PER_M2[region] * TYPE_FACTOR[kind] * INCOME_FACTOR[income] * math.exp(0.08 * d.normal())
    price = value * math.exp(0.03 * d.normal())
    noise = d.normal()  # the same comparables mislead both versions
    v21 = value * math.exp(BIAS_V21[income] + SPREAD[income] * noise)
    v20 = value * math.exp(BIAS_V20[income] + SPREAD[income] * (0.9 * noise + 0.44 * d.normal()))
    return {"region": region, "property_type": kind, "neighbourhood_income": income, "floor_area_m2": area,
            "sale_price": round(price, -2), "v21": round(v21, -2), "v20": round(v20, -2)}


def _csv(rows: list[dict[str, object]], version: str) -> str:
    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\n")
    for row in rows:
        values = [row["region"], row["property_type"], row["neighbourhood_income"], row["floor_area_m2"],
                  f"{row['sale_price']:.0f}", f"{row[version]:.0f}"]
        out.write(",".join(str(v) for v in values) + "\n")
    return out.getvalue()


def generate() -> dict[str, str]:
    """File name → text of every file the example ships."""
    d = Draw(SEED)
    rows = [sale(d) for _ in range(ROWS)]
    return {"eval.csv": _csv(rows, "v21"), "eval_v2.0.csv": _csv(rows, "v20")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--check", action="store_true", help="compare with the files in --out; exit 1 on a difference")
    args = parser.parse_args(argv)
    files = generate()
    if args.check:
        stale = [n for n, text in files.items()
                 if not (args.out / n).is_file() or (args.out / n).read_bytes() != text.encode()]
        for name in stale:
            print(f"{args.out / name} differs from what make_data.py generates", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_bytes(text.encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
