"""Length and speed of the rendered examples, as the command line delivers them, against targets
and named peers.

    python benchmarks/render.py [--runs 7] [--cards PATTERN ...]

For every example model card (``examples/*/*.model-card.yaml``; the credit card first) it runs,
each in a fresh process and ``--runs`` times, reporting the median wall time:

* ``cardwright validate CARD``                          target ≤ 0.3 s
* ``cardwright render CARD --to html``                  target ≤ 0.5 s
* ``cardwright render CARD --to pdf``                   target ≤ 3 s and ≤ 8 pages

Results files are current (committed), so render only renders.  The peers are what a process
costs before cardwright does anything: ``python -c pass`` (the interpreter's start), ``python -c
"import pydantic"`` (the validation library), and ``python -c "import weasyprint"`` (the PDF
library); each line prints the ratio to them.  The in-process split of the PDF render (card,
HTML, layout) follows, to show where the time goes.  The targets are wall times, so run it on a
quiet machine; each command's median CPU time (user + system of the child) is printed too, the
figure to compare changes by on a busy one.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"validate": 0.3, "html": 0.5, "pdf": 3.0}
MAX_PAGES = 8


def median_times(cmd: list[str], runs: int, cwd: Path) -> tuple[float, float]:
    """The median wall time and the median CPU time (user + system) of the child process."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return statistics.median(walls), statistics.median(cpus)


def median_wall(cmd: list[str], runs: int, cwd: Path) -> float:
    return median_times(cmd, runs, cwd)[0]


def pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(path.read_bytes())).pages)


def cards(patterns: list[str]) -> list[Path]:
    found = sorted(ROOT.glob("examples/*/*.model-card.yaml"), key=lambda p: (p.parent.name != "credit", str(p)))
    return [p for p in found if not patterns or any(pat in str(p) for pat in patterns)]


def verdict(seconds: float, target: float) -> str:
    return f"{seconds / target:.2f}× target ({'met' if seconds <= target else 'MISSED'})"


def split_pdf(card_path: Path) -> str:
    """Where a PDF render's time goes, in one process: loading, the HTML, WeasyPrint."""
    code = f"""
import time, sys
t0 = time.perf_counter()
import cardwright
from cardwright._render.api import render
card = cardwright.load({str(card_path)!r}); results = cardwright.load_results(card)
t1 = time.perf_counter()
render(card, results, to="html")
t2 = time.perf_counter()
import weasyprint
t3 = time.perf_counter()
render(card, results, to="pdf")
t4 = time.perf_counter()
print(f"load {{t1-t0:.2f}} s, html {{t2-t1:.2f}} s, import weasyprint {{t3-t2:.2f}} s, pdf {{t4-t3:.2f}} s")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return out.stdout.strip() or out.stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (the median is reported)")
    parser.add_argument("--cards", nargs="*", default=[], help="only the example cards whose path contains these")
    args = parser.parse_args()
    py = sys.executable
    cw = [py, "-m", "cardwright"]

    peers = {name: median_wall([py, "-c", code], args.runs, ROOT) for name, code in
             (("python -c pass", "pass"), ("import pydantic", "import pydantic"),
              ("import weasyprint", "import weasyprint"))}
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set, so every process compiles cardwright's modules from source "
              "(0.1-0.2 s more than an installation with its bytecode cached); unset it for users' figures")
    print("peers (median wall, fresh process):")
    for name, secs in peers.items():
        print(f"  {name:<20} {secs:6.3f} s")
    floor = peers["python -c pass"]

    for card in cards(args.cards):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / card.parent.name
            shutil.copytree(card.parent, folder)
            name = card.name
            print(f"\n{card.relative_to(ROOT)}")
            secs, cpu = median_times([*cw, "validate", name], args.runs, folder)
            print(f"  validate        {secs:6.3f} s   {verdict(secs, TARGETS['validate'])}; "
                  f"{secs / floor:.1f}× python -c pass, {secs / peers['import pydantic']:.1f}× import pydantic; "
                  f"CPU {cpu:.3f} s")
            secs, cpu = median_times([*cw, "render", name, "--to", "html", "-o", "out.html"], args.runs, folder)
            print(f"  render html     {secs:6.3f} s   {verdict(secs, TARGETS['html'])}; "
                  f"{secs / floor:.1f}× python -c pass; CPU {cpu:.3f} s")
            secs, cpu = median_times([*cw, "render", name, "--to", "pdf", "-o", "out.pdf"], args.runs, folder)
            n = pages(folder / "out.pdf")
            print(f"  render pdf      {secs:6.3f} s   {verdict(secs, TARGETS['pdf'])}; "
                  f"{secs / peers['import weasyprint']:.1f}× import weasyprint; CPU {cpu:.3f} s")
            print(f"  pdf pages       {n:6d}     target ≤ {MAX_PAGES} ({'met' if n <= MAX_PAGES else 'MISSED'})")
            print(f"  pdf, in process: {split_pdf(folder / name)}")


if __name__ == "__main__":
    main()
