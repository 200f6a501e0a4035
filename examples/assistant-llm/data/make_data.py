"""Generate the synthetic evaluation data behind the LLM assistant example, byte for byte the
same on every run.

    python examples/assistant-llm/data/make_data.py            # rewrite the CSV files
    python examples/assistant-llm/data/make_data.py --check    # exit 1 if the shipped files differ
    python examples/assistant-llm/data/make_data.py -o DIR     # write somewhere else

Nothing here describes real people or a real model.  Four evaluation sets, each one row per
prompt and the graded response:

* ``toxicity.csv``: prompts mentioning an identity group (or none), neutral or adversarial, and a
  toxicity classifier's score of the response (0–1);
* ``qa.csv``: questions of a knowledge benchmark by subject and language, whether the answer was
  correct, and a weight that brings the subjects to their share of production traffic;
  ``qa_v2.2.csv``: the previous release's answers to the same questions (the card's baseline);
* ``harmful.csv``: harmful requests by category and language, and whether the assistant refused;
* ``benign.csv``: harmless requests that resemble harmful ones, and whether it refused anyway.

The assistant is less accurate in Swahili and Hindi, its responses are somewhat more toxic
under adversarial prompts mentioning religion, and it over-refuses benign medical questions — the
kinds of pattern published evaluations of assistants report.

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

SEED = 20250214

IDENTITY = (("none", 0.30), ("gender", 0.15), ("religion", 0.15), ("ethnicity", 0.15), ("disability", 0.12),
            ("sexuality", 0.13))
STYLE = (("neutral", 0.6), ("adversarial", 0.4))
TOXIC_SHIFT = {"none": 0.0, "gender": 0.25, "religion": 0.55, "ethnicity": 0.35, "disability": 0.2, "sexuality": 0.3}
SUBJECT = (("science", 0.25), ("history", 0.2), ("law", 0.15), ("medicine", 0.2), ("math", 0.2))
LANGUAGE = (("en", 0.45), ("es", 0.25), ("hi", 0.17), ("sw", 0.13))
SKILL = {"en": 1.45, "es": 1.3, "hi": 0.95, "sw": 0.75}
DIFFICULTY = {"science": 0.0, "history": 0.2, "law": -0.35, "medicine": -0.1, "math": -0.45}
TRAFFIC = {"science": 0.15, "history": 0.10, "law": 0.20, "medicine": 0.35, "math": 0.20}
HARM = (("weapons", 0.25), ("cyber", 0.25), ("self_harm", 0.2), ("fraud", 0.3))
REFUSE = {"weapons": 3.8, "cyber": 3.1, "self_harm": 4.2, "fraud": 3.4}
BENIGN = (("medical", 0.3), ("security", 0.3), ("chemistry", 0.2), ("finance", 0.2))
OVER_REFUSE = {"medical": -2.2, "security": -2.9, "chemistry": -2.6, "finance": -3.4}
LANGUAGE_REFUSAL = {"en": 0.0, "es": -0.2, "hi": -0.5, "sw": -0.8}


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

    def bernoulli(self, p: float) -> bool:
        return self.uniform() < p


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _csv(rows: list[dict[str, object]]) -> str:
    out = io.StringIO()
    columns = list(rows[0])
    out.write(",".join(columns) + "\n")
    for row in rows:
        out.write(",".join(_text(row[c]) for c in columns) + "\n")
    return out.getvalue()


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def toxicity(d: Draw, n: int) -> list[dict[str, object]]:
    rows = []
    for i in range(n):
        identity, style = d.choice(IDENTITY), d.choice(STYLE)
        shift = TOXIC_SHIFT[identity] * (1.6 if style == "adversarial" else 0.5)
        score = _sigmoid(-2.7 + shift + 0.9 * d.normal())
        rows.append({"prompt_id": f"tox-{i:05d}", "identity_group": identity, "prompt_style": style,
                     "toxicity": round(score, 4)})
    return rows


def qa(d: Draw, n: int) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    current, previous = [], []
    for i in range(n):
        subject, language = d.choice(SUBJECT), d.choice(LANGUAGE)
        ability = SKILL[language] + DIFFICULTY[subject] + 0.8 * d.normal()
        u = d.uniform()
        correct = u < _sigmoid(ability)
        before = u < _sigmoid(ability - 0.12)  # the previous release, on the same questions
        weight = round(TRAFFIC[subject] / dict(SUBJECT)[subject], 4)
        base = {"question_id": f"qa-{i:05d}", "subject": subject, "language": language}
        current.append({**base, "correct": correct, "traffic_weight": weight})
        previous.append({**base, "correct": before, "traffic_weight": weight})
    return current, previous


def refusals(d: Draw, n: int, table: tuple[tuple[str, float], ...], logit: dict[str, float],
             prefix: str) -> list[dict[str, object]]:
    rows = []
    for i in range(n):
        category, language = d.choice(table), d.choice(LANGUAGE)
        refused = d.bernoulli(_sigmoid(logit[category] + LANGUAGE_REFUSAL[language] + 0.5 * d.normal()))
        rows.append({"prompt_id": f"{prefix}-{i:05d}", "category": category, "language": language,
                     "refused": refused})
    return rows


def generate() -> dict[str, str]:
    """File name → text of every file the example ships."""
    d = Draw(SEED)
    current, previous = qa(d, 2400)
    return {
        "toxicity.csv": _csv(toxicity(d, 3000)),
        "qa.csv": _csv(current),
        "qa_v2.2.csv": _csv(previous),
        "harmful.csv": _csv(refusals(d, 1200, HARM, REFUSE, "harm")),
        "benign.csv": _csv(refusals(d, 1500, BENIGN, OVER_REFUSE, "benign")),
    }


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
