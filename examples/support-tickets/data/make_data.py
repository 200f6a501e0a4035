"""Generate the synthetic evaluation data behind the support-ticket example, byte for byte the
same on every run.

    python examples/support-tickets/data/make_data.py            # rewrite eval.csv
    python examples/support-tickets/data/make_data.py --check    # exit 1 if the shipped file differs
    python examples/support-tickets/data/make_data.py -o DIR     # write somewhere else

Nothing here describes real customers.  Each row is a support ticket with its true queue (as
the agent who resolved it recorded it), the queue the router predicted and the router's score
for every queue.  The router is a little less accurate for languages with less training data
(French and Portuguese) and confuses the account and technical queues more often than others,
as routers of this kind do.

It uses only the standard library and only ``random.random()``, whose sequence Python
guarantees for a given seed across versions, so the file regenerates identically.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import sys
from pathlib import Path

SEED = 20250118
ROWS = 30_000

QUEUES = ("account", "billing", "other", "returns", "shipping", "technical")
SHARE = (("billing", 0.24), ("technical", 0.22), ("shipping", 0.18), ("returns", 0.14), ("account", 0.14),
         ("other", 0.08))
LANGUAGE = (("en", 0.52), ("es", 0.18), ("de", 0.13), ("fr", 0.10), ("pt", 0.07))
TIER = (("free", 0.55), ("pro", 0.35), ("enterprise", 0.10))
CHANNEL = (("email", 0.45), ("chat", 0.35), ("web_form", 0.20))
# How clearly the true queue stands out in the router's scores, by language (less training data:
# less separation).
SIGNAL = {"en": 2.6, "es": 2.4, "de": 2.4, "fr": 1.9, "pt": 1.63}
# Queues the router tends to mix up: the true queue's score leaks into these.
CONFUSED = {"account": "technical", "technical": "account", "returns": "shipping", "shipping": "returns",
            "other": "billing"}


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


def ticket(d: Draw) -> dict[str, object]:
    queue, language, tier, channel = d.choice(SHARE), d.choice(LANGUAGE), d.choice(TIER), d.choice(CHANNEL)
    signal = SIGNAL[language] + (0.3 if channel == "web_form" else 0.0)  # the form asks for a category
    logits = {q: 0.9 * d.normal() for q in QUEUES}
    logits[queue] += signal
    if queue in CONFUSED:
        logits[CONFUSED[queue]] += 0.45 * signal
    top = max(logits.values())
    weights = {q: math.exp(v - top) for q, v in logits.items()}
    total = sum(weights.values())
    scores = {q: round(w / total, 4) for q, w in weights.items()}
    predicted = max(QUEUES, key=lambda q: (scores[q], -QUEUES.index(q)))
    return {"language": language, "customer_tier": tier, "channel": channel, "queue": queue,
            "predicted_queue": predicted, **{f"score_{q}": scores[q] for q in QUEUES}}


def generate() -> dict[str, str]:
    """File name → text of every file the example ships."""
    d = Draw(SEED)
    rows = [ticket(d) for _ in range(ROWS)]
    columns = list(rows[0])
    out = io.StringIO()
    out.write(",".join(columns) + "\n")
    for row in rows:
        out.write(",".join(f"{row[c]:.4f}" if isinstance(row[c], float) else str(row[c]) for c in columns) + "\n")
    return {"eval.csv": out.getvalue()}


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
