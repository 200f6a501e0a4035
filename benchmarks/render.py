"""Render timings: every format for the example cards, against the targets and a named peer.

    python benchmarks/render.py [--repeat N]

Targets (issue 5): HTML <= 0.5 s, PDF <= 2 s for a 6-page card on a 2-core machine.  The peer is
the floor the same libraries set: pandas ``DataFrame.to_html`` of the results rows alone (no card,
no charts, no sanitizing) for HTML, and WeasyPrint laying out that HTML for PDF.  Ratios above 1
mean cardwright is slower than the bare peer (it renders the whole card, not one table).
Timings are in-process with imports warm (the command line adds its start-up, see
benchmarks/startup.py if present).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TARGETS = {"html": 0.5, "pdf": 2.0}


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median reported)")
    args = parser.parse_args()

    import json

    import cardwright
    from cardwright._compute.api import load_results
    from cardwright._render.api import render

    t = time.perf_counter()
    import weasyprint

    print(f"import weasyprint: {time.perf_counter() - t:.2f} s (paid once per process)")

    cards = []
    loan_dir = ROOT / "tests" / "fixtures" / "valid" / "render"
    loan = cardwright.load(loan_dir / "loan.model-card.yaml")
    cards.append(
        ("loan fixture (model card)", loan, json.loads((loan_dir / "loan.model-card.results.json").read_text()))
    )
    for name in ("credit.model-card.yaml", "credit.datasheet.yaml"):
        card = cardwright.load(ROOT / "examples" / "credit" / name)
        cards.append((f"example {name}", card, load_results(card)))

    render(loan, None, to="pdf")  # warm fonts and caches
    print(f"\n{'card':<36} {'format':<6} {'time':>8} {'pages':>6} {'target':>8} {'vs target':>10}")
    for label, card, results in cards:
        for fmt in ("md", "html", "json", "pdf"):
            repeat = args.repeat if fmt != "pdf" else max(1, args.repeat // 2)
            secs, out = timed(lambda c=card, r=results, f=fmt: render(c, r, to=f), repeat)
            pages = pdf_pages(out) if fmt == "pdf" else None
            target = TARGETS.get(fmt)
            ratio = f"{secs / target:.2f}x" if target else ""
            print(f"{label:<36} {fmt:<6} {secs:>7.3f}s {pages or '':>6} {target or '':>8} {ratio:>10}")
            if fmt == "pdf" and pages:
                print(
                    f"{'':<36} {'':<6} {secs / pages:>7.3f}s per page; a 6-page card at this rate: {6 * secs / pages:.2f} s"
                )

    # The peer: the same results as one bare pandas table, and WeasyPrint laying it out.
    import pandas as pd

    _, card, results = cards[1]
    rows = [r.model_dump() for r in results.results]
    frame = pd.DataFrame(rows)
    peer_html_s, peer_html = timed(lambda: frame.to_html(), args.repeat)
    ours_html_s, _ = timed(lambda: render(card, results, to="html"), args.repeat)
    peer_pdf_s, _ = timed(lambda: weasyprint.HTML(string=peer_html).write_pdf(), max(1, args.repeat // 2))
    ours_pdf_s, ours_pdf = timed(lambda: render(card, results, to="pdf"), max(1, args.repeat // 2))
    print(
        f"\npeer: pandas DataFrame.to_html of the {len(rows)} result rows: {peer_html_s:.3f} s; "
        f"cardwright HTML of the whole card: {ours_html_s:.3f} s (ratio {ours_html_s / peer_html_s:.1f})"
    )
    print(
        f"peer: WeasyPrint on that table: {peer_pdf_s:.3f} s; cardwright PDF of the whole card "
        f"({pdf_pages(ours_pdf)} pages): {ours_pdf_s:.3f} s (ratio {ours_pdf_s / peer_pdf_s:.2f})"
    )


if __name__ == "__main__":
    main()
