"""Generate the synthetic data behind the credit example, byte for byte the same on every run.

    python examples/credit/data/make_data.py            # rewrite applications.csv and eval.csv
    python examples/credit/data/make_data.py --check    # exit 1 if the shipped files differ
    python examples/credit/data/make_data.py -o DIR     # write somewhere else

Nothing here describes real people.  The generator draws applicants with a latent
creditworthiness, derives the features a lender would see from it (with group differences in
income and credit-file length of the size published in consumer-credit research, so the
disparities are modest rather than cartoonish), draws repayment from the latent value, and scores
the out-of-time test window with a fixed logistic scorecard over the observed features only.

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

SEED = 20240611
N_TRAIN = 4000  # applications decided 2020-01 .. 2021-12
N_TEST = 6000  # out-of-time window 2022-01 .. 2023-06, scored by the model

SEX = (("female", 0.47), ("male", 0.53))
RACE = (
    ("white", 0.600),
    ("black", 0.130),
    ("hispanic", 0.160),
    ("asian", 0.0695),
    ("native_american", 0.0035),
    ("not_provided", 0.037),
)
REGION = (("northeast", 0.18), ("midwest", 0.21), ("south", 0.38), ("west", 0.23))

# Shifts of log income (structural gaps in the applicant pool, not in creditworthiness itself).
INCOME_SHIFT = {"black": -0.16, "hispanic": -0.10, "native_american": -0.14, "asian": 0.05}
INCOME_SHIFT_SEX = {"female": -0.12}

FEATURES = ("log_income", "debt_to_income", "credit_utilization", "delinquencies_2y", "credit_history_years")
RIDGE = 1.0  # L2 penalty of the scorecard fit (on standardised features)


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
        u1 = 1.0 - self._rng.random()  # (0, 1]
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

    def poisson(self, mean: float) -> int:
        limit, k, p = math.exp(-mean), 0, self.uniform()
        while p > limit:
            k += 1
            p *= self.uniform()
        return k

    def bernoulli(self, p: float) -> int:
        return 1 if self.uniform() < p else 0


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _clamp(x: float, lo: float, hi: float) -> float:
    return min(max(x, lo), hi)


def applicant(d: Draw) -> dict[str, object]:
    sex, race, region = d.choice(SEX), d.choice(RACE), d.choice(REGION)
    age = int(_clamp(round(41 + 14 * d.normal()), 18, 88))
    z = d.normal()  # latent creditworthiness, the same distribution in every group
    log_income = (
        math.log(54)
        + 0.38 * d.normal()
        + 0.18 * z
        + INCOME_SHIFT.get(race, 0.0)
        + INCOME_SHIFT_SEX.get(sex, 0.0)
    )
    if age < 25:
        log_income -= 0.35
    elif age >= 65:
        log_income -= 0.15
    income_k = max(8, round(math.exp(log_income)))
    dti = _clamp(0.31 - 0.07 * z + 0.08 * d.normal(), 0.01, 0.85)
    utilization = _clamp(0.34 - 0.16 * z + 0.15 * d.normal(), 0.0, 1.0)
    delinquencies = d.poisson(math.exp(-1.3 - 0.8 * z))
    history = min(age - 18, max(0, round(age * 0.42 - 6 + 3 * d.normal())))
    amount_k = max(1, round(income_k * _clamp(0.22 + 0.08 * d.normal(), 0.03, 0.6)))
    # Repayment depends on the latent value, the burden and the credit file, never directly on
    # sex, race, age or region.
    thin_file = max(0, 4 - history)  # fewer than four years of history: less stable repayment
    p_repay = _sigmoid(
        2.1 + 1.15 * z - 1.1 * (dti - 0.31) + 0.35 * (log_income - math.log(54)) - 0.12 * thin_file
    )
    repaid = d.bernoulli(p_repay)
    return {
        "sex": sex,
        "race": race,
        "age": age,
        "region": region,
        "income_k": income_k,
        "debt_to_income": f"{dti:.3f}",
        "credit_utilization": f"{utilization:.3f}",
        "delinquencies_2y": delinquencies,
        "credit_history_years": history,
        "loan_amount_k": amount_k,
        "repaid_12m": repaid,
        "_features": (math.log(income_k), dti, utilization, float(delinquencies), float(min(history, 25))),
    }


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Solve ``a x = b`` by Gaussian elimination with partial pivoting (``a`` is small)."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


class Scorecard:
    """A logistic regression on standardised features, fitted by Newton's method (IRLS) with a
    small ridge penalty: the model whose scores the evaluation file holds."""

    def __init__(self, rows: list[tuple[float, ...]], labels: list[int], iterations: int = 25) -> None:
        k, n = len(rows[0]), len(rows)
        self.mean = [sum(r[j] for r in rows) / n for j in range(k)]
        self.sd = [math.sqrt(sum((r[j] - self.mean[j]) ** 2 for r in rows) / n) for j in range(k)]
        xs = [[1.0, *self._standardise(r)] for r in rows]
        w = [0.0] * (k + 1)
        for _ in range(iterations):
            grad = [-RIDGE * w[j] if j else 0.0 for j in range(k + 1)]
            hess = [[(RIDGE if i == j and i else 0.0) for j in range(k + 1)] for i in range(k + 1)]
            for x, y in zip(xs, labels, strict=True):
                p = _sigmoid(sum(wi * xi for wi, xi in zip(w, x, strict=True)))
                g, h = y - p, p * (1.0 - p)
                for i in range(k + 1):
                    grad[i] += g * x[i]
                    hi = h * x[i]
                    row = hess[i]
                    for j in range(i, k + 1):
                        row[j] += hi * x[j]
            for i in range(k + 1):
                for j in range(i):
                    hess[i][j] = hess[j][i]
            step = _solve(hess, grad)
            w = [wi + si for wi, si in zip(w, step, strict=True)]
            if max(abs(si) for si in step) < 1e-9:
                break
        self.weights = w

    def _standardise(self, r: tuple[float, ...]) -> list[float]:
        return [(v - m) / s for v, m, s in zip(r, self.mean, self.sd, strict=True)]

    def score(self, r: tuple[float, ...]) -> float:
        x = [1.0, *self._standardise(r)]
        return _sigmoid(sum(wi * xi for wi, xi in zip(self.weights, x, strict=True)))

    def report(self) -> str:
        """Standardised coefficients, largest magnitude first (the card's feature importances)."""
        pairs = sorted(zip(FEATURES, self.weights[1:], strict=True), key=lambda p: -abs(p[1]))
        lines = [f"intercept {self.weights[0]:+.4f}"]
        lines += [f"{name} {w:+.4f} (|w| {abs(w):.4f})" for name, w in pairs]
        return "\n".join(lines)


APPLICATION_COLUMNS = (
    "application_month",
    "split",
    "sex",
    "race",
    "age",
    "region",
    "income_k",
    "debt_to_income",
    "credit_utilization",
    "delinquencies_2y",
    "credit_history_years",
    "loan_amount_k",
    "repaid_12m",
)
EVAL_COLUMNS = ("y_true", "y_score", "sex", "race", "age", "region")


def generate() -> tuple[str, str, Scorecard, list[dict[str, object]]]:
    """The two CSV files' text (applications.csv, eval.csv), the fitted scorecard and the rows."""
    d = Draw(SEED)
    rows: list[dict[str, object]] = []
    for split, n, first_year, months in (("train", N_TRAIN, 2020, 24), ("test", N_TEST, 2022, 18)):
        for i in range(n):
            row = applicant(d)
            m = i * months // n
            row["application_month"] = f"{first_year + m // 12}-{m % 12 + 1:02d}"
            row["split"] = split
            rows.append(row)
    train = [r for r in rows if r["split"] == "train"]
    model = Scorecard([r["_features"] for r in train], [r["repaid_12m"] for r in train])  # type: ignore[misc]
    apps, evals = io.StringIO(newline=""), io.StringIO(newline="")
    apps.write(",".join(APPLICATION_COLUMNS) + "\n")
    evals.write(",".join(EVAL_COLUMNS) + "\n")
    for row in rows:
        apps.write(",".join(str(row[c]) for c in APPLICATION_COLUMNS) + "\n")
        if row["split"] == "test":
            s = model.score(row["_features"])  # type: ignore[arg-type]
            values = (row["repaid_12m"], f"{s:.4f}", row["sex"], row["race"], row["age"], row["region"])
            evals.write(",".join(str(v) for v in values) + "\n")
    return apps.getvalue(), evals.getvalue(), model, rows


def _auc(labels: list[int], scores: list[float]) -> float:
    """ROC AUC by the rank-sum formula, ties counted as one half."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum, i = 0.0, 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        mid = (i + j) / 2 + 1
        rank_sum += mid * sum(labels[order[k]] for k in range(i, j + 1))
        i = j + 1
    pos = sum(labels)
    neg = len(labels) - pos
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def report(model: Scorecard, rows: list[dict[str, object]], threshold: float = 0.8) -> str:
    """The scorecard's coefficients and the robustness checks quoted in the model card."""
    lines = [model.report()]
    for split in ("train", "test"):
        part = [r for r in rows if r["split"] == split]
        labels = [int(r["repaid_12m"]) for r in part]  # type: ignore[call-overload]
        scores = [model.score(r["_features"]) for r in part]  # type: ignore[arg-type]
        lines.append(
            f"{split}: ROC AUC {_auc(labels, scores):.4f}, approval rate at {threshold} "
            f"{sum(s >= threshold for s in scores) / len(scores):.4f}"
        )
    test = [r for r in rows if r["split"] == "test"]
    for factor in (0.8, 1.2):
        shifted = [(f[0] + math.log(factor), *f[1:]) for f in (r["_features"] for r in test)]  # type: ignore[index]
        rate = sum(model.score(f) >= threshold for f in shifted) / len(test)  # type: ignore[arg-type]
        lines.append(f"test, every income x{factor}: approval rate {rate:.4f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument(
        "--report",
        action="store_true",
        help="print the fitted scorecard and the robustness checks the model card quotes",
    )
    parser.add_argument(
        "--check", action="store_true", help="compare with the files in --out; exit 1 on a difference"
    )
    args = parser.parse_args(argv)
    apps, evals, model, rows = generate()
    if args.report:
        print(report(model, rows))
        return 0
    files = {"applications.csv": apps, "eval.csv": evals}
    if args.check:
        stale = [
            n
            for n, text in files.items()
            if not (args.out / n).is_file() or (args.out / n).read_bytes() != text.encode()
        ]
        for name in stale:
            print(f"{args.out / name}: differs from what make_data.py generates", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_bytes(text.encode())
        print(f"wrote {args.out / name} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
