"""Page images of the examples' PDFs, for a reviewer to look at.

    python scripts/page_images.py [-o build/page-images] [--dpi 80] [--appendix]

Renders every example card (``examples/*/*.yaml`` with a ``kind``) to PDF from a copy of its
folder (the examples are never written), then writes one PNG per page with ``pdftoppm`` (poppler)
and a contact sheet per card (every page side by side) when Pillow is installed:
``OUT/<card>/page-01.png`` … and ``OUT/<card>.png``.  Prints each card's page count.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def example_cards() -> list[Path]:
    out = []
    for path in sorted(ROOT.glob("examples/*/*.yaml")):
        head = path.read_text(encoding="utf-8", errors="replace")[:4096]
        if "kind: model-card" in head or "kind: datasheet" in head:
            out.append(path)
    return out


def contact_sheet(pages: list[Path], target: Path, columns: int = 4) -> bool:
    try:
        from PIL import Image
    except ImportError:
        return False
    images = [Image.open(p) for p in pages]
    w, h = images[0].size
    rows = -(-len(images) // columns)
    sheet = Image.new("RGB", (w * min(columns, len(images)), h * rows), "white")
    for i, im in enumerate(images):
        sheet.paste(im, ((i % columns) * w, (i // columns) * h))
    sheet.save(target)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default=str(ROOT / "build" / "page-images"), help="folder for the images")
    parser.add_argument("--dpi", type=int, default=80, help="resolution of the page images")
    parser.add_argument("--appendix", action="store_true", help="include the full tables (render --appendix)")
    args = parser.parse_args(argv)
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is not installed (Debian: apt-get install poppler-utils)", file=sys.stderr)
        return 2
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    for card in example_cards():
        stem = card.name.rsplit(".", 1)[0]
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / card.parent.name
            shutil.copytree(card.parent, folder)
            pdf = folder / f"{stem}.pdf"
            cmd = [sys.executable, "-m", "cardwright", "render", card.name, "--to", "pdf", "-o", pdf.name]
            done = subprocess.run([*cmd, *(["--appendix"] if args.appendix else [])], cwd=folder,
                                  capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{card.relative_to(ROOT)}: render failed\n{done.stderr}", file=sys.stderr)
                return 1
            target = out / stem
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            subprocess.run(["pdftoppm", "-r", str(args.dpi), "-png", str(pdf), str(target / "page")], check=True)
            shutil.copy(pdf, out / pdf.name)
        pages = sorted(target.glob("page-*.png"))
        sheet = out / f"{stem}.png"
        made = contact_sheet(pages, sheet)
        print(f"{card.relative_to(ROOT)}: {len(pages)} pages → {target}" + (f", contact sheet {sheet}" if made else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
