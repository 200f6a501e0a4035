"""Nothing half-written, nothing lost, nothing overwritten, limits that can be raised:
Ctrl-C (SIGINT) during a long compute and during a PDF render ends with exit 130, the previous
output byte-identical and no temporary file; the time limit does the same with exit 1; writers
refuse to replace hand-written inputs; reading never modifies a card; every limit has a flag and
a configuration key."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import FIXTURES, ROOT, run_cli

SCORE_CARD = (FIXTURES / "bad-data" / "nan_score" / "nan_score.model-card.yaml").read_text(encoding="utf-8")


def long_card(folder: Path) -> Path:
    """A card whose compute runs for minutes on a small file: 200 groups with score bins and the
    most bootstrap resamples a card may ask for.  The tests below stop it within a second, so
    nothing depends on how fast the machine is."""
    rng = np.random.default_rng(0)
    rows = zip(rng.integers(0, 200, 20_000), rng.integers(0, 2, 20_000), rng.random(20_000))
    (folder / "eval.csv").write_text("sex,y_true,y_score\n" + "".join(f"g{a},{b},{c:.4f}\n" for a, b, c in rows),
                                     encoding="utf-8")
    card = folder / "long.model-card.yaml"
    text = SCORE_CARD.replace("name: nan_score", "name: long").replace("resamples: 20", "resamples: 100000")
    card.write_text(text, encoding="utf-8")
    return card


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp") or (p.name.startswith(".") and p.is_file()))


@pytest.fixture(scope="module")
def long_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    long_card(folder)
    return folder


def test_sigint_during_compute_keeps_the_previous_results(long_folder):
    results = long_folder / "long.model-card.results.json"
    results.write_text('{"previous": true}\n', encoding="utf-8")
    before = results.read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "cardwright", "compute", "long.model-card.yaml", "--progress"],
                            cwd=long_folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = ""
    while "counting" not in seen and proc.poll() is None:  # the progress bar shows the count has started
        seen += proc.stderr.read(1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, seen + err
    assert "interrupted" in err and "Traceback" not in err
    assert results.read_bytes() == before
    assert temporaries(long_folder) == []


def test_time_limit_stops_a_long_compute_cleanly(long_folder):
    results = long_folder / "long.model-card.results.json"
    results.write_text('{"previous": true}\n', encoding="utf-8")
    before = results.read_bytes()
    result = run_cli("compute", "long.model-card.yaml", "--timeout", "0.5", cwd=long_folder)
    assert result.code == 1
    assert result.err.startswith("long.model-card.yaml: error[timeout]: stopped after 0.5 s, the time limit\n")
    assert "--timeout" in result.err
    assert results.read_bytes() == before and temporaries(long_folder) == []
    (long_folder / "cardwright.toml").write_text("timeout = 1\n", encoding="utf-8")
    try:
        result = run_cli("compute", "long.model-card.yaml", cwd=long_folder)
        assert "error[timeout]: stopped after 1 s" in result.err and result.code == 1
    finally:
        (long_folder / "cardwright.toml").unlink()


def test_the_time_limit_waits_for_an_import_to_finish(tmp_path, monkeypatch):
    """A limit reached while a module is being imported (pyarrow imports pandas on its first
    conversion) stops the work after the import, never halfway through it."""
    import importlib

    from cardwright.config import time_limit
    from cardwright.errors import CardwrightError

    (tmp_path / "slow_to_import.py").write_text("import time\ntime.sleep(0.5)\nDONE = True\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(CardwrightError) as e, time_limit(0.05, "work"):
        importlib.import_module("slow_to_import")
        for _ in range(10**9):  # the limit lands here, after the import
            pass
    assert e.value.findings[0].code == "timeout"
    assert sys.modules["slow_to_import"].DONE is True


@pytest.mark.slow
def test_sigint_during_pdf_render_keeps_the_previous_pdf(tmp_path):
    folder = tmp_path / "credit"
    shutil.copytree(ROOT / "examples" / "credit", folder)
    card = folder / "credit.model-card.yaml"
    appendix = "".join(f"  row_{i:04d}: a line of appendix text, laid out as one row of a long table\n" for i in range(1000))
    card.write_text(card.read_text(encoding="utf-8") + "extensions:\n" + appendix, encoding="utf-8")
    # A stylesheet asking for an image outside the card's folder: WeasyPrint's request for it (refused
    # with a warning on standard error) is the sign that the PDF is being laid out, with thousands
    # of rows still to go.
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "card.css").write_text('body { background: url("../outside.png"); }\n', encoding="utf-8")
    pdf = folder / "credit.model-card.pdf"
    pdf.write_bytes(b"%PDF-previous\n")
    proc = subprocess.Popen([sys.executable, "-m", "cardwright", "render", card.name, "--to", "pdf",
                             "--template-dir", str(templates)],
                            cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = ""
    while "warning[blocked-resource]" not in seen and proc.poll() is None:
        seen += proc.stderr.readline()
    assert proc.poll() is None and "outside.png" in seen, seen + proc.communicate()[1]
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, seen + err[-2000:]
    assert "interrupted" in err and "Traceback" not in err
    assert pdf.read_bytes() == b"%PDF-previous\n"
    assert temporaries(folder) == []


def test_writers_refuse_to_overwrite_hand_written_inputs(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    for p in (FIXTURES / "bad-data" / "nan_score").iterdir():
        (folder / p.name).write_bytes(p.read_bytes())
    data = (folder / "eval.csv").read_text().replace("NaN", "0.5")
    (folder / "eval.csv").write_text(data)
    card = "nan_score.model-card.yaml"
    other = folder / "other.model-card.yaml"
    other.write_text((folder / card).read_text())
    inputs = {p.name: p.read_bytes() for p in folder.iterdir()}
    attempts = [
        ["init", "model-card", "-o", card],
        ["import", str(ROOT / "tests" / "fixtures" / "import" / next(
            p.name for p in (ROOT / "tests" / "fixtures" / "import").glob("*.json"))),
         "--from", "model-card-toolkit", "-o", card],
        ["compute", card, "-o", card], ["compute", card, "-o", "eval.csv"], ["compute", card, "-o", other.name],
        ["render", card, "--to", "md", "-o", card], ["render", card, "--to", "html", "-o", "eval.csv"],
        ["render", card, "--to", "pdf", "-o", other.name], ["render", card, "--to", "json", "-o", "eval.csv"],
        ["export", card, "--to", "huggingface", "-o", card], ["export", card, "--to", "cyclonedx", "-o", "eval.csv"],
        ["diff", card, other.name, "-o", other.name],
    ]
    for args in attempts:
        result = run_cli(*args, cwd=folder)
        assert result.code == 1, (args, result.err)
        assert "error[output]" in result.err and ("refusing to overwrite" in result.err or "exists" in result.err), args
        assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name in inputs} == inputs, args
    assert run_cli("init", "model-card", "-o", card, "--force", cwd=folder).code == 0  # --force is the way


def test_reading_never_modifies_a_card(tmp_path):
    card = tmp_path / "c.model-card.yaml"
    card.write_bytes((FIXTURES / "valid" / "anchors.model-card.yaml").read_bytes())
    before = (card.read_bytes(), card.stat().st_mtime_ns)
    for args in (["validate", "--strict", card.name], ["hash", card.name], ["render", card.name, "--to", "md"],
                 ["export", card.name, "--to", "cyclonedx", "-o", "-"]):
        run_cli(*args, cwd=tmp_path)
    assert (card.read_bytes(), card.stat().st_mtime_ns) == before


def many_groups(folder: Path, groups: int) -> Path:
    rows = "".join(f"g{i % groups},{i % 2},0.{i % 10}\n" for i in range(groups * 2))
    (folder / "eval.csv").write_text("sex,y_true,y_score\n" + rows, encoding="utf-8")
    card = folder / "g.model-card.yaml"
    card.write_text(SCORE_CARD.replace("resamples: 20", "resamples: 0"), encoding="utf-8")
    return card


def test_group_limit_has_a_flag_and_a_config_key(tmp_path):
    card = many_groups(tmp_path, 1200)
    assert "more than 1,000 distinct values" in run_cli("compute", card.name, cwd=tmp_path).err
    assert run_cli("compute", card.name, "--max-groups", "1200", cwd=tmp_path).code == 0
    assert "more than 1,199 distinct" in run_cli("compute", card.name, "--max-groups", "1199", cwd=tmp_path).err
    (tmp_path / "cardwright.toml").write_text("max_groups = 1500\n", encoding="utf-8")
    assert run_cli("compute", card.name, cwd=tmp_path).code == 0
    (tmp_path / "cardwright.toml").write_text("max_groups = 10\n", encoding="utf-8")
    (tmp_path / "g.model-card.results.json").unlink()  # render computes first, within the limit
    result = run_cli("render", card.name, "--to", "md", cwd=tmp_path)
    assert result.code == 1 and "more than 10 distinct values" in result.err


@pytest.mark.parametrize("command", [["validate"], ["compute"], ["render", "--to", "json"]])
def test_card_reading_limits_have_flags_and_config_keys(tmp_path, command):
    card = tmp_path / "c.model-card.yaml"
    text = (FIXTURES / "valid" / "minimal.model-card.yaml").read_text(encoding="utf-8")
    text += "extensions:\n  notes: |\n" + "    padding line of the card\n" * 200
    text += "  deep: " + "[" * 40 + "]" * 40 + "\n"
    card.write_text(text, encoding="utf-8")
    size = card.stat().st_size
    name, *rest = command
    cases = [(["--max-bytes", str(size - 1)], "file-too-large"), (["--max-depth", "20"], "yaml-depth")]
    for flags, code in cases:
        result = run_cli(name, card.name, *rest, *flags, cwd=tmp_path)
        assert result.code == 1 and f"error[{code}]" in result.out + result.err, (flags, result.err)
    for setting, code in ((f"max_card_bytes = {size - 1}", "file-too-large"), ("max_depth = 20", "yaml-depth")):
        (tmp_path / "cardwright.toml").write_text(setting + "\n", encoding="utf-8")
        result = run_cli(name, card.name, *rest, cwd=tmp_path)
        assert result.code == 1 and f"error[{code}]" in result.out + result.err, (setting, result.err)
    (tmp_path / "cardwright.toml").write_text(f"max_card_bytes = {size}\nmax_depth = 64\n", encoding="utf-8")
    result = run_cli(name, card.name, *rest, cwd=tmp_path)
    assert "file-too-large" not in result.out + result.err and "yaml-depth" not in result.out + result.err


def test_alias_limit_has_a_flag(tmp_path):
    bomb = (FIXTURES / "invalid" / "alias_bomb.yaml").read_text(encoding="utf-8")
    (tmp_path / "b.yaml").write_text(bomb, encoding="utf-8")
    result = run_cli("compute", "b.yaml", "--max-nodes", "100", cwd=tmp_path)
    assert result.code == 1 and "aliases expand to more than 100 values" in result.err


def test_ctrl_c_inside_a_c_extension_is_an_interruption_not_an_internal_error(monkeypatch, capsys):
    """A KeyboardInterrupt that strikes inside a Cython function (pandas, under load) comes out as
    `SystemError: <…> returned a result with an exception set`, caused by the interrupt: that is
    Ctrl-C (exit 130, "interrupted"), not an internal error asking for a report."""
    import cardwright.cli as cli_module

    def interrupted_in_c(_args):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as e:
            raise SystemError("<class 'pandas._libs.tslibs.fields.__pyx_defaults'> returned a result with an "
                              "exception set") from e

    monkeypatch.setattr(cli_module, "_run", interrupted_in_c)
    with pytest.raises(SystemExit) as e:
        cli_module.main(["compute", "card.yaml"])
    assert e.value.code == 130
    err = capsys.readouterr().err
    assert err == "interrupted\n", err

    def failing(_args):
        raise SystemError("a real internal failure")

    monkeypatch.setattr(cli_module, "_run", failing)
    with pytest.raises(SystemExit) as e:
        cli_module.main(["compute", "card.yaml"])
    assert e.value.code == 2 and "internal error: SystemError" in capsys.readouterr().err
