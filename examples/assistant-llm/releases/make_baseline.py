"""Recompute the baseline the assistant card's regression gate compares with: version 2.2's
results, by the same card with the questions' data path changed to the previous release's
answers (``data/qa_v2.2.csv``) and the baseline gate left out.

    python examples/assistant-llm/releases/make_baseline.py            # rewrite assistant-2.2.results.json
    python examples/assistant-llm/releases/make_baseline.py --check    # exit 1 if it differs
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import cardwright
from cardwright._compute.api import dumps

HERE = Path(__file__).resolve().parent
CARD = HERE.parent / "assistant-llm.model-card.yaml"
TARGET = HERE / "assistant-2.2.results.json"


def without_item(lines: list[str], marker: str) -> list[str]:
    """``lines`` of YAML without the list item (``- …`` and its indented lines) holding ``marker``."""
    at = next(i for i, line in enumerate(lines) if marker in line)
    start = next(i for i in range(at, -1, -1) if lines[i].lstrip().startswith("- "))
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = next((i for i in range(start + 1, len(lines))
                if len(lines[i]) - len(lines[i].lstrip()) <= indent), len(lines))
    return lines[:start] + lines[end:]


def previous_card_text() -> str:
    """The card as it computes version 2.2: the previous answers, no baseline gate."""
    text = CARD.read_text(encoding="utf-8").replace("path: data/qa.csv", "path: data/qa_v2.2.csv")
    return "\n".join(without_item(text.splitlines(), "baseline:")) + "\n"


def generate() -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".model-card.yaml", dir=CARD.parent, delete=False,
                                     encoding="utf-8") as fh:
        fh.write(previous_card_text())
        path = Path(fh.name)
    try:
        return dumps(cardwright.compute(cardwright.load(path), engine="arrow"))
    finally:
        path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped file differs")
    args = parser.parse_args(argv)
    text = generate()
    if args.check:
        same = TARGET.is_file() and TARGET.read_text(encoding="utf-8") == text
        if not same:
            print(f"{TARGET} differs from what make_baseline.py computes", file=sys.stderr)
        return 0 if same else 1
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
