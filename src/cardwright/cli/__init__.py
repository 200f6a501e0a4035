"""The `cardwright` command line.  It only parses arguments and composes the library's public
functions; heavy modules are imported inside the commands that need them, so `--help` starts fast.

Exit status: 0 clean, 1 findings (invalid card or data, failed gate, stale schema), 2 usage or
internal error.  Tracebacks only with `--debug` (or CARDWRIGHT_DEBUG=1).
"""

from __future__ import annotations

import os
import sys

import click

from ..errors import CardwrightError
from . import _card_commands, _workflow_commands
from ._app import cli, echo_err

for _module in (_card_commands, _workflow_commands):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def _run(argv: list[str]) -> int:
    from ..errors import Finding, reporting
    from ._app import echo_finding

    printed: set[str] = set()

    def once(finding: Finding) -> None:
        text = finding.format()
        if text not in printed:  # a file read twice in one command warns once
            printed.add(text)
            echo_finding(finding)

    try:
        with reporting(once):  # every warning finding is printed like the others
            rv = cli.main(args=argv, prog_name="cardwright", standalone_mode=False)
    except click.exceptions.Exit as e:
        return int(e.exit_code)
    except click.exceptions.Abort:
        echo_err("interrupted")
        return 130
    except click.ClickException as e:
        e.show()
        return 2
    return int(rv or 0)


def _interrupted(error: BaseException) -> bool:
    """Whether ``error`` comes from Ctrl-C: a ``KeyboardInterrupt`` that struck inside a C extension
    (a Cython function of pandas, say) comes out as a ``SystemError`` whose cause is the interrupt."""
    seen: BaseException | None = error
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script and `python -m cardwright`."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or os.environ.get("CARDWRIGHT_DEBUG") == "1"
    # Pydantic plugins are other packages' hooks into every validation (tracing, logging): finding
    # them reads the entry points of every installed distribution, a tenth of `validate`'s time.
    # The command line uses none; a value the user sets wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        code = _run(args)
    except CardwrightError as e:
        if debug:
            raise
        for f in e.findings:
            echo_err(f.format())
        code = e.exit_code
    except KeyboardInterrupt:
        echo_err("interrupted")
        code = 130
    except BrokenPipeError:
        code = 0
    except Exception as e:  # an internal error: exit 2, never 0, traceback only with --debug
        if _interrupted(e):  # Ctrl-C inside a C extension, which reports it as its own failure
            echo_err("interrupted")
            code = 130
        else:
            if debug:
                raise
            echo_err(f"cardwright: internal error: {type(e).__name__}: {e}")
            echo_err("  hint: run again with --debug for the traceback, and please report it")
            code = 2
    sys.stdout.flush()
    if code == 130 and argv is None:
        # interrupted, as the program itself (not called from Python): every write has already
        # been undone or completed; leave without the interpreter's shutdown, which would destroy
        # a reader thread still inside Arrow or DuckDB (C++ std::terminate, exit -6 instead of 130)
        sys.stderr.flush()
        os._exit(130)
    sys.exit(code)


__all__ = ["cli", "main"]
