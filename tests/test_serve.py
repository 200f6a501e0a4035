"""`cardwright serve`: a live preview on loopback that re-validates, recomputes and re-renders on
every save, shows findings in the page, writes nothing, and stops cleanly on Ctrl-C.

The browser test is event-driven: the page is watched (in headless Chromium) until it shows each
change; nothing waits a fixed time.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT

BROWSER_DIR = ROOT / "tests" / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _start(target: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "cardwright", "serve", str(target), "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = ""
    assert proc.stderr is not None
    while proc.poll() is None:
        line = proc.stderr.readline()
        seen += line
        if " on http://" in line:
            return proc, line.split(" on ", 1)[1].split(" ", 1)[0]
    raise AssertionError(seen + proc.stderr.read())


def _stop(proc: subprocess.Popen[str]) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err


@pytest.fixture
def credit(tmp_path: Path) -> Path:
    folder = tmp_path / "credit"
    shutil.copytree(EXAMPLES / "credit", folder)
    return folder


def test_serves_on_loopback_and_stops_cleanly(credit):
    proc, url = _start(credit / "credit.model-card.yaml")
    try:
        assert url.startswith("http://127.0.0.1:")
        page = urllib.request.urlopen(url, timeout=30).read().decode()
        assert "<title>Fernhill personal-loan pre-screening model 3.1.0" in page
        assert 'new EventSource("/__events")' in page
        missing = urllib.request.Request(url + "../../etc/passwd")
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(missing, timeout=30)
        assert e.value.code == 404
        port = url.rstrip("/").rsplit(":", 1)[1]
        for host in (f"localhost:{port}", f"127.0.0.1:{port}", "localhost"):
            named = urllib.request.Request(url, headers={"Host": host})
            assert urllib.request.urlopen(named, timeout=30).status == 200
        for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}"):
            # a page elsewhere that rebinds its own name to 127.0.0.1 (DNS rebinding) reads nothing
            rebound = urllib.request.Request(url, headers={"Host": host})
            with pytest.raises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(rebound, timeout=30)
            assert e.value.code == 421 and b"Fernhill" not in e.value.read()
    finally:
        code, err = _stop(proc)
    assert code == 0 and err.rstrip().endswith("stopped") and "Traceback" not in err
    assert sorted(p.name for p in credit.iterdir()) == sorted(p.name for p in (EXAMPLES / "credit").iterdir())


def test_a_folder_lists_its_cards(credit):
    proc, url = _start(credit)
    try:
        index = urllib.request.urlopen(url, timeout=30).read().decode()
        assert '<a href="/credit.model-card.yaml">' in index and '<a href="/credit.datasheet.yaml">' in index
        sheet = urllib.request.urlopen(url + "credit.datasheet.yaml", timeout=30).read().decode()
        assert "<title>Fernhill consumer credit applications" in sheet
    finally:
        _stop(proc)


@pytest.mark.browser
@pytest.mark.slow
def test_every_save_reloads_the_page_with_the_change_and_findings_in_it(credit):
    if not (shutil.which("node") and Path(CHROMIUM).exists()
            and (BROWSER_DIR / "node_modules" / "playwright-core").is_dir()):
        if os.environ.get("CI"):
            pytest.fail("the browser tools are not installed: run scripts/install-test-tools.sh")
        pytest.skip("the browser tools are not installed: run scripts/install-test-tools.sh")
    card = credit / "credit.model-card.yaml"
    proc, url = _start(card)
    try:
        run = subprocess.run(["node", str(BROWSER_DIR / "serve.mjs"), url, str(card), str(credit / "data" / "eval.csv")],
                             capture_output=True, text=True, timeout=600, cwd=BROWSER_DIR,
                             env={**os.environ, "CHROMIUM": CHROMIUM})
        assert run.returncode == 0, run.stderr
        seen = json.loads(run.stdout)
    finally:
        code, err = _stop(proc)
    assert seen["first"].startswith("Fernhill personal-loan pre-screening model")
    assert seen["renamed"].startswith("Fernhill live preview model")
    assert "error[invalid-value]" in seen["findings"] and "status" in seen["findings"]
    assert seen["fixed"].startswith("Fernhill personal-loan")
    assert "4,000 evaluation rows" in seen["recomputed"]
    assert code == 0 and "Traceback" not in err
    # the preview computed in memory: the results file on disk is the one it started with
    assert (credit / "credit.model-card.results.json").read_bytes() == \
        (EXAMPLES / "credit" / "credit.model-card.results.json").read_bytes()
