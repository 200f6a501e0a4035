"""Shared test helpers: run the real command line in-process and capture what it prints."""

from __future__ import annotations

import contextlib
import io
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path | None = None) -> Run:
    """Run ``cardwright ARGS`` through its real entry point (``cardwright.cli.main``)."""
    from cardwright.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
                code = 0
            except SystemExit as e:
                code = int(e.code or 0)
    finally:
        os.chdir(old)
    return Run(code, out.getvalue(), err.getvalue())


def load_script(path: Path, name: str) -> ModuleType:
    """A script shipped beside data (an example's generator, a fixture maker) as a module named ``name``."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses in the script look their module up
    spec.loader.exec_module(module)
    return module


def published_outputs(folder: Path, card: str, formats: tuple[str, ...] = ("md", "html", "json")) -> dict[str, str]:
    """Everything ``card`` (in ``folder``) publishes, as text: its results file, each render in
    ``formats`` (a PDF as pdfminer extracts it), the Hugging Face and CycloneDX exports, and its
    page in a built site (beside ``folder``).  The card must already be computed."""
    stem = card.removesuffix(".yaml")
    texts = {"results": (folder / f"{stem}.results.json").read_text(encoding="utf-8")}
    for fmt in formats:
        got = run_cli("render", card, "--to", fmt, "-o", f"out.{fmt}", cwd=folder)
        assert got.code == 0, got.err
        if fmt == "pdf":
            from pdfminer.high_level import extract_text

            texts[fmt] = extract_text(str(folder / "out.pdf"))
        else:
            texts[fmt] = (folder / f"out.{fmt}").read_text(encoding="utf-8")
    for target, name in (("huggingface", "README.md"), ("cyclonedx", "bom.cdx.json")):
        got = run_cli("export", card, "--to", target, "-o", name, cwd=folder)
        assert got.code == 0, got.err
        texts[target] = (folder / name).read_text(encoding="utf-8")
    site = folder.parent / "site"
    assert run_cli("build", str(folder), "-o", str(site)).code == 0
    texts["site"] = (site / f"{stem}.html").read_text(encoding="utf-8")
    return texts


@pytest.fixture
def cli():
    return run_cli


def pytest_configure() -> None:
    """Give SIGINT its default meaning, whatever this run inherited.  A shell starts background
    jobs with SIGINT ignored, and an ignored signal stays ignored in every child; with a handler
    installed here, the commands the tests start (and interrupt) begin with SIGINT at its default."""
    signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true",
        help="Rewrite every pinned output (tests/golden/, tests/fixtures/invalid/*.expected, "
             "tests/fixtures/bad-data/*/expected, tests/fixtures/trust/*/expected, tests/fixtures/results/) "
             "from what the code gives now; "
             "review the diff like any other change.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def pinned(update_golden: bool) -> Callable[[Path, str], None]:
    """``pinned(path, text)``: ``text`` must equal the pinned file ``path``; with ``--update-golden``
    the file is rewritten instead.  The one way every pinned output is checked and refreshed."""

    def check(path: Path, text: str) -> None:
        if update_golden:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        assert path.exists(), f"{shown} does not exist: run pytest --update-golden and review it"
        assert text == path.read_text(encoding="utf-8"), f"{shown} differs: review, then pytest --update-golden"

    return check
