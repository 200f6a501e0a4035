"""Bad evaluation and dataset files through the real command line (`cardwright compute` and
`cardwright render`): each case ends in its pinned, located finding with a hint, exit status 1,
no traceback, no results or output file and no temporary file left behind.

The corpus is tests/fixtures/bad-data/CASE/ (a small card and its defective data file, written by
make_fixtures.py there); CASE/expected pins what `compute` prints.  Cases too large to commit (a
factor with 100 000 values, a 33 MiB line) are generated into tmp_path.  Refresh the pins with
`pytest tests/test_hardening_data.py --update-golden` and review the diff.

Run this file as a script (`python tests/test_hardening_data.py`) to print the wall time and peak
memory of every case, each in a fresh process.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import FIXTURES, ROOT, load_script, run_cli

BAD = FIXTURES / "bad-data"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir() and not p.name.startswith("_"))
GENERATED = ("factor_with_100000_values", "datasheet_attribute_100000_values", "giant_line")
MiB = 1 << 20


def card_in(folder: Path) -> Path:
    [card] = folder.glob("*.yaml")
    return card


def generate(name: str, folder: Path) -> Path:
    """Write a generated case (card and data) into ``folder``; return the card."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = sys.modules.get("bad_data_fixtures") or _fixtures_module()
    if name == "giant_line":
        data = "sex,y_true,y_score\n" + "".join(f"{'fm'[i % 2]},{i % 2},0.{i % 10}\n" for i in range(50))
        data += "f" * (33 * MiB) + ",1,0.5\n" + "m,0,0.2\n"
        (folder / "eval.csv").write_text(data, encoding="utf-8")
        text = spec.card_text(name, "eval.csv", spec.SCORE, "[sex]")
        kind = "model-card"
    else:
        rows = "".join(f"g{i:06d},{i % 2},0.{i % 10}\n" for i in range(100_000))
        (folder / "eval.csv").write_text("sex,y_true,y_score\n" + rows, encoding="utf-8")
        kind = "datasheet" if name.startswith("datasheet") else "model-card"
        text = spec.card_text(name, "eval.csv", "datasheet" if kind == "datasheet" else spec.SCORE, "[sex]")
    card = folder / f"{name}.{kind}.yaml"
    card.write_text(text, encoding="utf-8")
    return card


def _fixtures_module():
    return load_script(BAD / "make_fixtures.py", "bad_data_fixtures")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def check_failure(folder: Path, card: Path) -> str:
    """Run compute and render on ``card``; both must fail cleanly and leave ``folder`` as it was."""
    before = snapshot(folder)
    result = run_cli("compute", card.name, cwd=folder)
    assert result.code == 1, result.err
    assert result.out == ""
    assert "Traceback" not in result.err and "internal error" not in result.err
    lines = result.err.splitlines()
    assert len(lines) == 2 and lines[1].startswith("  hint: "), result.err
    assert "error[" in lines[0]
    for fmt in ("md", "pdf"):
        rendered = run_cli("render", card.name, "--to", fmt, cwd=folder)
        assert rendered.code == 1, rendered.err
        assert lines[0] in rendered.err.splitlines() and "Traceback" not in rendered.err
    assert snapshot(folder) == before  # no results, no output, no temporary file
    return result.err


def test_corpus_has_more_than_25_data_cases():
    assert len(CASES) + len(GENERATED) >= 25
    # with the invalid cards, the bad-input corpus has more than 80 cases
    assert len(CASES) + len(GENERATED) + len(list((FIXTURES / "invalid").glob("*.yaml"))) > 80


@pytest.mark.parametrize("case", CASES)
def test_bad_data_gives_its_pinned_finding(case, tmp_path, pinned):
    folder = tmp_path / case
    shutil.copytree(BAD / case, folder)
    (folder / "expected").unlink(missing_ok=True)
    err = check_failure(folder, card_in(folder))
    pinned(BAD / case / "expected", err)
    first = err.splitlines()[0]
    data_name = next((p.name for p in (BAD / case).iterdir() if p.suffix not in (".yaml", "") and p.name != "expected"),
                     None)
    # the finding names the data file, or points at the card key that names it
    assert (data_name is not None and data_name in first) or first.startswith(card_in(folder).name + ":")


def test_factor_with_100000_values_stops_at_the_group_limit(tmp_path):
    card = generate("factor_with_100000_values", tmp_path / "case")
    err = check_failure(card.parent, card)
    assert err.startswith(f"{card.name}:17:13: error[data-error]: factor 'sex' has more than 1,000 distinct values")
    assert "--max-groups" in err and "max_groups" in err


def test_datasheet_attribute_with_100000_values_stops_at_the_group_limit(tmp_path):
    card = generate("datasheet_attribute_100000_values", tmp_path / "case")
    err = check_failure(card.parent, card)
    assert err.startswith(f"{card.name}:16:25: error[data-error]: factor 'sex' has more than 1,000 distinct values")


def test_one_giant_line_is_refused_with_its_row(tmp_path):
    card = generate("giant_line", tmp_path / "case")
    err = check_failure(card.parent, card)
    assert err.splitlines()[0] == (
        "eval.csv:52: error[data-error]: a row after row 50 is longer than 16 MiB, the longest row cardwright reads"
    )


@pytest.mark.parametrize("variant", ["bom", "crlf", "quoted"])
def test_harmless_variants_give_the_same_results_as_the_clean_file(variant, tmp_path):
    """A UTF-8 byte-order mark, Windows line ends and quoted fields are read, not refused."""
    spec = _fixtures_module()
    clean = spec.good()
    text = {"bom": "\ufeff" + clean, "crlf": clean.replace("\n", "\r\n"),
            "quoted": "".join(",".join(f'"{v}"' for v in line.split(",")) + "\n" for line in clean.splitlines())}
    outputs = {}
    for name, data in (("clean", clean), (variant, text[variant])):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "eval.csv").write_bytes(data.encode("utf-8"))
        (folder / "c.model-card.yaml").write_text(spec.card_text("c", "eval.csv", spec.SCORE, "[sex]"), encoding="utf-8")
        result = run_cli("compute", "c.model-card.yaml", cwd=folder)
        assert result.code == 0, result.err
        saved = json.loads((folder / "c.model-card.results.json").read_text(encoding="utf-8"))
        saved["provenance"] = saved["provenance"]["rows_read"]
        saved.pop("content_sha256")  # covers the data digest, which differs
        outputs[name] = saved
    assert outputs[variant] == outputs["clean"]
    assert {s["slice"].get("sex") for s in outputs["clean"]["slices"]} == {None, "female", "male"}


@pytest.mark.slow
def test_every_case_stays_under_500_mb(tmp_path):
    """One fresh process runs every case in turn; its peak resident memory bounds each case's."""
    for name in GENERATED:
        generate(name, tmp_path / name)
    for case in CASES:
        shutil.copytree(BAD / case, tmp_path / case)
    # Started from a fresh, small parent: a child's peak memory starts at its parent's (this worker's).
    fresh = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)"
    proc = subprocess.run([sys.executable, "-c", fresh, sys.executable, __file__, "--measure", str(tmp_path),
                           "--in-process"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert sorted(report) == sorted([*CASES, *GENERATED])
    for case, row in report.items():
        assert row["codes"] == [1, 1], (case, row)
        assert row["max_rss_mb"] < 500, (case, row)


def measure(root: Path, in_process: bool) -> dict[str, dict[str, object]]:
    """Per case: exit codes of compute and render, seconds, and peak resident memory so far (MB)."""
    out: dict[str, dict[str, object]] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        card = card_in(folder)
        codes, seconds, peak = [], [], 0.0
        for args in (["compute", card.name], ["render", card.name, "--to", "md"]):
            start = time.perf_counter()
            if in_process:
                codes.append(run_cli(*args, cwd=folder).code)
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            else:
                child = subprocess.Popen([sys.executable, "-m", "cardwright", *args], cwd=folder,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                _, status, usage = os.wait4(child.pid, 0)
                child.returncode = os.waitstatus_to_exitcode(status)
                codes.append(child.returncode)
                peak = max(peak, usage.ru_maxrss / 1024)
            seconds.append(round(time.perf_counter() - start, 3))
        out[folder.name] = {"codes": codes, "seconds": seconds, "max_rss_mb": round(peak, 1)}
    return out


if __name__ == "__main__":
    if "--measure" in sys.argv:
        root = Path(sys.argv[sys.argv.index("--measure") + 1])
        print(json.dumps(measure(root, "--in-process" in sys.argv), indent=1))
    else:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            for name in GENERATED:
                generate(name, Path(tmp) / name)
            for case in CASES:
                shutil.copytree(BAD / case, Path(tmp) / case)
            # measured from a fresh, small parent: a child's peak memory starts at its parent's
            proc = subprocess.run([sys.executable, __file__, "--measure", tmp], capture_output=True, text=True,
                                  check=True)
            rows = json.loads(proc.stdout)
        print(f"{'case':40} {'compute s':>10} {'render s':>9} {'peak MB':>8}  (each command in a fresh process)")
        for case, row in rows.items():
            c, r = row["seconds"]
            print(f"{case:40} {c:10.2f} {r:9.2f} {row['max_rss_mb']:8.1f}  exit {row['codes']}")
