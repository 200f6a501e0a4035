"""Shared test helpers: run the real command line in-process and capture what it prints."""

from __future__ import annotations

import contextlib
import io
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
