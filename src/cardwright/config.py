"""An organisation's policy: what `validate --strict` demands, and the safety limits for reading cards.

The settings live in ``[tool.cardwright]`` of a ``pyproject.toml`` or at the top level of a
``cardwright.toml`` (which may also use a ``[tool.cardwright]`` table).  They are found by walking
up from the card's folder: the first ``cardwright.toml``, or ``pyproject.toml`` that has a
``[tool.cardwright]`` table, wins; the walk stops at the repository root (a folder holding
``.git``).  Without any file the defaults below apply::

    [tool.cardwright]
    min_approvals = 2                       # an approved card needs this many sign-offs
    min_prose_chars = 40                    # shorter answers to required prose are too thin
    required_sections = ["governance", "privacy"]
    required_metrics = ["false_negative_rate"]
    required_gates = ["false_negative_rate"]
    placeholder_patterns = ['(?i)\\bcontoso\\b', 'ACME-\\d+']
    max_card_bytes = 2097152
    max_depth = 64
    max_nodes = 100000
    max_groups = 1000                       # distinct groups one factor may have
    timeout = 600                           # seconds a compute or render may take (0: no limit)
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CardwrightError, Finding, UsageError

if TYPE_CHECKING:
    from types import FrameType

    from .schema.yaml_loader import Limits


@dataclass(frozen=True)
class Policy:
    """What ``--strict`` demands beyond the built-in completeness checks."""

    min_approvals: int = 1
    """Approvals an ``approved`` card needs."""
    min_prose_chars: int = 0
    """Shortest acceptable answer to a required prose field, in characters (0: any non-empty text)."""
    required_sections: tuple[str, ...] = ()
    """Optional top-level sections a card must have (e.g. ``governance``, ``privacy``,
    ``quantitative_analyses`` for model cards; ``data`` for datasheets)."""
    required_metrics: tuple[str, ...] = ()
    """Metrics a model card's ``quantitative_analyses`` must compute."""
    required_gates: tuple[str, ...] = ()
    """Metrics a model card must gate (each needs at least one gate on it)."""
    placeholder_patterns: tuple[str, ...] = ()
    """Regular expressions that mark unfinished text, in addition to TODO, TBD and the like."""
    max_card_bytes: int = 2 * 1024 * 1024
    """Largest card file, in bytes."""
    max_depth: int = 64
    """Deepest YAML nesting allowed."""
    max_nodes: int = 100_000
    """Most YAML values after alias expansion."""
    max_groups: int = 1000
    """Most distinct groups one factor (or datasheet attribute) may have."""
    timeout: int = 600
    """Seconds a ``compute`` or ``render`` may run before it stops (0: no limit)."""
    source: str | None = field(default=None, compare=False)
    """The file the policy was read from (``None``: the defaults)."""

    def limits(self) -> Limits:
        """The reading limits as a :class:`cardwright.schema.yaml_loader.Limits`."""
        from .schema.yaml_loader import Limits

        return Limits(max_bytes=self.max_card_bytes, max_depth=self.max_depth, max_nodes=self.max_nodes)

    def placeholder_regexes(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.placeholder_patterns]


_INT_KEYS = {"min_approvals": 0, "min_prose_chars": 0, "max_card_bytes": 1, "max_depth": 1, "max_nodes": 1,
             "max_groups": 1, "timeout": 0}
_LIST_KEYS = ("required_sections", "required_metrics", "required_gates", "placeholder_patterns")


def _load_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    try:
        with path.open("rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
            return data
    except OSError as e:
        raise UsageError(Finding(str(path), "config", f"cannot read the configuration: {e.strerror or e}")) from e
    except tomllib.TOMLDecodeError as e:
        line, column, message = _toml_problem(e)
        raise UsageError(
            Finding(str(path), "config", f"not valid TOML: {message}", line=line, column=column,
                    hint="fix the TOML syntax (https://toml.io)")
        ) from e


def _toml_problem(e: ValueError) -> tuple[int | None, int | None, str]:
    """``(line, column, message)`` of a TOML error.  tomllib (Python 3.14+) and tomli 2.1+ give
    them as fields; older tomllib only inside the message, as ``(at line L, column C)`` (a test
    feeds a real broken file through this, so a rewording fails it)."""
    fields = (getattr(e, "lineno", None), getattr(e, "colno", None), getattr(e, "msg", None))
    if isinstance(fields[0], int) and isinstance(fields[1], int) and isinstance(fields[2], str):
        return fields[0], fields[1], fields[2]
    where = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
    if where is None:
        return None, None, str(e)
    return int(where.group(1)), int(where.group(2)), str(e)[: where.start()].rstrip()


def _table(path: Path) -> dict[str, Any] | None:
    data = _load_toml(path)
    tool = data.get("tool")
    table = tool.get("cardwright") if isinstance(tool, dict) else None
    if path.name == "cardwright.toml":
        if table is None:
            table = {k: v for k, v in data.items() if k != "tool"}
        return table
    return table


def _valid_sections() -> set[str]:
    from .schema.datasheet import Datasheet
    from .schema.model_card import ModelCard

    out: set[str] = set()
    for cls in (ModelCard, Datasheet):
        out |= {name for name, f in cls.model_fields.items() if not f.is_required()}
    return out - {"schema_ref", "extensions", "extensions_schema", "status", "approvals"}


def parse_policy(table: dict[str, Any], source: str) -> Policy:
    """A :class:`Policy` from a ``[tool.cardwright]`` table; every problem at once as a ``config`` error."""
    import difflib

    known = {f.name for f in fields(Policy)} - {"source"}
    problems: list[Finding] = []
    values: dict[str, Any] = {}

    def bad(message: str, hint: str) -> None:
        problems.append(Finding(source, "config", message, hint=hint, loc=("tool", "cardwright")))

    for key, value in table.items():
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            bad(f"unknown setting {key!r} in [tool.cardwright]",
                f"did you mean {close[0]!r}?" if close else f"settings: {', '.join(sorted(known))}")
        elif key in _INT_KEYS:
            if isinstance(value, bool) or not isinstance(value, int) or value < _INT_KEYS[key]:
                bad(f"{key} must be a whole number of at least {_INT_KEYS[key]}, not {value!r}", f"e.g. {key} = 2")
            else:
                values[key] = value
        elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            bad(f"{key} must be a list of strings, not {value!r}", f'e.g. {key} = ["…"]')
        else:
            values[key] = tuple(value)
    for name in values.get("required_sections", ()):
        if name not in _valid_sections():
            close = difflib.get_close_matches(name, sorted(_valid_sections()), n=1)
            bad(f"required_sections: {name!r} is not an optional card section",
                f"did you mean {close[0]!r}?" if close else f"choose from: {', '.join(sorted(_valid_sections()))}")
    for pattern in values.get("placeholder_patterns", ()):
        try:
            re.compile(pattern)
        except re.error as e:
            bad(f"placeholder_patterns: {pattern!r} is not a regular expression: {e}", "use Python `re` syntax")
    if problems:
        raise UsageError(problems)
    return Policy(**values, source=source)


def find_config(start: Path) -> Path | None:
    """The configuration file that applies to a card in (or the file) ``start``, if any."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        local = candidate / "cardwright.toml"
        if local.is_file():
            return local
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _table(pyproject) is not None:
            return pyproject
        if (candidate / ".git").exists():
            return None
    return None


@lru_cache(maxsize=64)
def _policy_at(path: Path, _mtime_ns: int) -> Policy:  # the modification time is part of the cache key
    table = _table(path) or {}
    return parse_policy(table, str(path))


def load_policy(start: str | Path) -> Policy:
    """The policy for a card at ``start`` (a file or folder); the defaults when no file configures it."""
    found = find_config(Path(start))
    if found is None:
        return Policy()
    return _policy_at(found, found.stat().st_mtime_ns)


@contextlib.contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise a ``timeout`` error in the main thread after ``seconds`` (0: no limit).

    Never inside an import (a half-imported module breaks everything after it; pyarrow imports
    pandas on its first conversion): the error waits until the import is done.  And again every
    second until the block is left, so a library that swallows the error cannot turn the limit off."""
    import signal
    import threading

    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(_signum: int, frame: FrameType | None) -> None:
        if _importing(frame):
            signal.setitimer(signal.ITIMER_REAL, 0.05, 1.0)
            return
        raise CardwrightError(Finding(what, "timeout", f"stopped after {seconds:g} s, the time limit",
                                      hint="raise it with --timeout SECONDS or `timeout = …` in [tool.cardwright] (0: no limit)"))

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _importing(frame: FrameType | None) -> bool:
    """Whether Python's import machinery is on the stack that ``frame`` ends."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False
