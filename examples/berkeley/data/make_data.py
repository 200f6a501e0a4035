"""Write the row-level file of the UC Berkeley 1973 graduate admissions example from the published
table, byte for byte the same on every run.

    python examples/berkeley/data/make_data.py            # rewrite admissions.csv
    python examples/berkeley/data/make_data.py --check    # exit 1 if the shipped file differs
    python examples/berkeley/data/make_data.py -o DIR     # write somewhere else

The counts are those Bickel, Hammel & O'Connell published for the six largest departments (Sex bias
in graduate admissions: data from Berkeley, *Science* 187(4175), 398-404, 1975; the same table is R's
``UCBAdmissions`` data set): for each department, how many men and how many women applied and how
many of each were admitted.  The paper gives no more than these counts, so every applicant here is a
row carrying exactly what the table says about them (department, sex, admitted or not) and nothing
else; the order of the rows carries no information.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

#: department -> ((men applied, men admitted), (women applied, women admitted))
PUBLISHED = {
    "A": ((825, 512), (108, 89)),
    "B": ((560, 353), (25, 17)),
    "C": ((325, 120), (593, 202)),
    "D": ((417, 138), (375, 131)),
    "E": ((191, 53), (393, 94)),
    "F": ((373, 22), (341, 24)),
}


def generate() -> str:
    """The CSV text: one row per applicant, by department, then men before women, admitted first."""
    lines = ["department,sex,admitted"]
    for department, ((men, men_in), (women, women_in)) in PUBLISHED.items():
        for sex, applied, admitted in (("male", men, men_in), ("female", women, women_in)):
            lines += [f"{department},{sex},yes"] * admitted
            lines += [f"{department},{sex},no"] * (applied - admitted)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--check", action="store_true", help="compare with the file in --out; exit 1 on a difference")
    args = parser.parse_args(argv)
    text = generate()
    target = args.out / "admissions.csv"
    if args.check:
        if not target.is_file() or target.read_bytes() != text.encode():
            print(f"{target}: differs from what make_data.py generates", file=sys.stderr)
            return 1
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode())
    print(f"wrote {target} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
