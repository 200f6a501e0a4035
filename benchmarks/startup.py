"""Start-up cost of the command line, as ratios to a bare `python -c pass`.

    python benchmarks/startup.py [--runs 15]

Prints the median wall time of each command and its ratio to the interpreter's own start, plus
how fast hostile cards (an alias bomb, 50 000-deep nesting) are refused.  Target: `--help`
under 0.25 s; the CLI imports nothing heavy (pydantic, pandas, weasyprint) to print help.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_seconds(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    py = sys.executable
    cw = [py, "-m", "cardwright"]
    with tempfile.TemporaryDirectory() as tmp:
        bomb = Path(tmp) / "bomb.yaml"
        text = "kind: model-card\nschema_version: 1\nextensions:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        prev = "a"
        for name in "bcdefghi":
            text += f"  {name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
            prev = name
        bomb.write_text(text)
        deep = Path(tmp) / "deep.yaml"
        deep.write_text("kind: model-card\nextensions: " + "[" * 50_000 + "\n")
        cases = {
            "python -c pass": [py, "-c", "pass"],
            "cardwright --help": cw + ["--help"],
            "cardwright validate (example, strict)": cw + ["validate", "--strict", str(ROOT / "examples/credit/credit.model-card.yaml")],
            "cardwright validate (alias bomb)": cw + ["validate", str(bomb)],
            "cardwright validate (50 000-deep nesting)": cw + ["validate", str(deep)],
        }
        base = None
        print(f"{'command':45} {'median s':>9} {'× python':>9}")
        for label, cmd in cases.items():
            t = median_seconds(cmd, args.runs)
            base = base or t
            print(f"{label:45} {t:9.3f} {t / base:9.2f}")
    out = subprocess.run(
        [py, "-X", "importtime", "-m", "cardwright", "--help"], capture_output=True, text=True, check=False
    ).stderr
    heavy = sorted({m for m in ("pydantic", "pandas", "numpy", "pyarrow", "weasyprint", "jinja2", "yaml") if f" {m}\n" in out or f"| {m}\n" in out})
    print("heavy modules imported by --help:", ", ".join(heavy) or "none")


if __name__ == "__main__":
    main()
