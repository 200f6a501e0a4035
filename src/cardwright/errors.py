"""One error hierarchy for the whole package.

Every problem a user can fix is a :class:`Finding` (a file, a position, a stable code, a message
and a hint).  Anything that stops an operation is raised as a :class:`CardwrightError` carrying
one or more findings; the command line prints them and exits with the error's ``exit_code``:
1 for problems in the user's cards or data, 2 for usage, configuration and internal errors.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Literal, TypeVar

Severity = Literal["error", "warning", "note"]

#: Every finding code cardwright emits, with what it means.  ``docs/errors.md`` lists them all
#: (a test keeps the two in step).  Codes are stable: they may be added, never renamed.
CODES: dict[str, str] = {
    # reading files
    "file-not-found": "A file named on the command line or in a card does not exist.",
    "file-unreadable": "A file exists but cannot be read (permissions, a directory, an I/O error).",
    "file-too-large": "A card is larger than the size limit.",
    "encoding": "A card is not valid UTF-8 (or UTF-16/32 with a byte-order mark).",
    "empty-file": "A card file is empty or holds only comments.",
    # YAML
    "yaml-syntax": "The YAML cannot be parsed.",
    "duplicate-key": "A mapping has the same key twice.",
    "yaml-tag": "An explicit YAML tag (such as !!python/object) is used; cards allow none.",
    "yaml-alias": "Anchors and aliases expand beyond the alias budget.",
    "yaml-merge-key": "A `<<` merge key is used; write the keys out instead.",
    "yaml-depth": "The document nests deeper than the nesting limit.",
    "ambiguous-scalar": "An unquoted value that YAML 1.1 readers (PyYAML, Hugging Face) read as a boolean or number.",
    "multiple-documents": "The file holds more than one YAML document.",
    "not-a-mapping": "The document is not a mapping of section names to content.",
    "non-finite": "A number is NaN or infinite (`.nan`, `.inf`, `NaN`, `Infinity`, or too large for a float, such as 1e400).",
    # schema
    "unknown-kind": "`kind` is missing or is not `model-card` or `datasheet`.",
    "schema-version": "`schema_version` is missing or not one this version of cardwright reads.",
    "unknown-key": "A key that the schema does not define (often a typo).",
    "missing-field": "A required field is absent.",
    "wrong-type": "A value has the wrong type (text where a number is expected, a list where a mapping is).",
    "invalid-value": "A value is of the right type but not allowed (out of range, not one of the choices).",
    "invalid-date": "A date is not a valid ISO 8601 date (YYYY-MM-DD).",
    "invalid-license": "A licence is not a known SPDX identifier or expression.",
    "invalid-email": "A contact is neither an e-mail address nor a URL.",
    "invalid-url": "A link is not an absolute http(s) URL.",
    "not-applicable": "A question that applies to this dataset is answered 'not applicable'.",
    "missing-answer": "A conditional datasheet question is absent; answer it or write 'not applicable'.",
    # cross-field and cross-file
    "datasheet-not-found": "A datasheet named by a model card does not exist.",
    "not-a-datasheet": "A file named as a datasheet is a card of another kind.",
    "invalid-datasheet": "A datasheet named by a model card has problems of its own (listed with it).",
    "unknown-factor": "A factor named in quantitative_analyses is not one of its factors.",
    "unknown-metric": "A metric, gate or reference names a metric that quantitative_analyses does not compute, or one its task does not have.",
    "unknown-evaluation": "A gate's baseline results file holds no evaluation of the gate's evaluation's name.",
    "undeclared-factor": "A computed factor is not declared under factors.evaluation_factors.",
    "unknown-group": "A reference group is not one of its factor's groups (binned ranges, declared values, or groups observed in the data).",
    "repeated-label": "A binned factor gives two ranges the same label: they are counted as one group.",
    "extensions-schema": "`extensions` does not match the JSON Schema the card names, or that schema is invalid.",
    "path-outside-card": "A path in a card points outside the card's own folder tree.",
    # completeness (--strict)
    "empty-prose": "A required prose field is empty.",
    "placeholder": "A field still holds placeholder text (TODO, TBD, lorem ipsum, scaffold guidance).",
    "raw-html": "A prose field contains raw HTML, which is never rendered.",
    "stale-results": "The results file no longer matches the card's data or settings.",
    "missing-results": "The card asks for a computation whose results file does not exist yet.",
    "invalid-results": "A results file cannot be read (not a regular file, too large, not JSON, not the shape of a results file), or results given to render are not of the card's kind.",
    "tampered-results": "A results file was changed after cardwright wrote it (its content digest does not match, or it publishes a suppressed count).",
    "gate-failed": "A fairness or performance gate failed.",
    # policy ([tool.cardwright]) and lifecycle (--strict)
    "missing-section": "An optional section that the organisation's policy requires is absent.",
    "short-prose": "A required prose answer is shorter than the policy's minimum length.",
    "missing-metric": "A metric that the policy requires is not computed.",
    "missing-gate": "A metric that the policy requires a gate on has none.",
    "too-few-approvals": "An approved card has fewer approvals than the policy requires.",
    "stale-approval": "An approval predates a change of the card's content or results.",
    "archived-edited": "An archived card changed after it was archived (or its content hash is not recorded).",
    # workflows (diff, build, export, import)
    "git": "A `REV:path` argument cannot be read from git.",
    "import": "A card in another format cannot be read or converted.",
    # evaluation and dataset files
    "data-error": "An evaluation or dataset file cannot be used as the card describes.",
    "invalid-filter": "A `filter:` cannot be parsed, names a column the data lack, or compares a column with a value of another kind.",
    "protected-all": "Every count but the total (of a datasheet: every bias measure) was hidden: too many small cells to protect one by one (min_cell_size).",
    "coarse-quantile": "A binned median or percentile is known only to within a bound that is not small beside it: the values span more than the histogram grid.",
    "merged-groups": "Two values of a factor that differ only in their Unicode form were counted as one group (NFC).",
    "unsupported": "The card asks for something this version of cardwright does not support yet.",
    "timeout": "A compute or render ran longer than the time limit (--timeout, `timeout`).",
    # rendering and output
    "template": "A template is invalid or refers to something that does not exist.",
    "blocked-resource": "A render refused to fetch a resource outside the card's folder or on the network.",
    "output": "An output file cannot be written, or would overwrite a file it must not.",
    "missing-dependency": "An output needs a library that is not installed (e.g. Pango for PDF).",
    "stale-schema": "A JSON Schema file under schemas/ does not match the current models.",
    # usage and internal
    "usage": "The command line is wrong.",
    "config": "The configuration (pyproject.toml or cardwright.toml) is invalid.",
    "internal": "A bug in cardwright: please report it with the output of --debug.",
}


_TERMINAL_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"              # CSI (colours, cursor movement, erase)
    r"|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC (window title, hyperlinks, clipboard)
    r"|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]?"                     # any other escape sequence
    r"|[\x9b][0-?]*[ -/]*[@-~]?"              # C1 CSI
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x9c]*[\x07\x9c]?"  # C1 strings
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"         # other control characters (tab and newline stay)
    r"|[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"  # bidirectional controls
)


def terminal_safe(text: str) -> str:
    """``text`` without terminal control sequences or other control characters (tabs and line
    breaks stay): card text echoed in a message cannot move the cursor, retitle the window,
    hide lines or reorder what a reader sees."""
    return _TERMINAL_ESCAPES.sub("", text)


@dataclass(frozen=True)
class Finding:
    """One problem, located as precisely as the source allows (lines and columns are 1-based)."""

    path: str
    code: str
    message: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    severity: Severity = "error"
    loc: tuple[str | int, ...] = field(default=())
    end_line: int | None = None
    end_column: int | None = None

    def __post_init__(self) -> None:
        if self.code not in CODES:  # a programming error, caught by the test suite
            raise ValueError(f"unregistered finding code {self.code!r}")
        # Messages echo card and data text: keep terminal escapes out of every output.
        for name in ("path", "message", "hint"):
            value = getattr(self, name)
            if value is not None and _TERMINAL_ESCAPES.search(value):
                object.__setattr__(self, name, terminal_safe(value))

    @property
    def where(self) -> str:
        """``path:line:col`` (or as much of it as is known)."""
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    @property
    def dotted_loc(self) -> str:
        return ".".join(str(p) for p in self.loc)

    def format(self) -> str:
        """The text form: ``path:line:col: error[code]: message`` and an indented hint line."""
        text = f"{self.where}: {self.severity}[{self.code}]: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "loc": list(self.loc),
        }


_Error = TypeVar("_Error", bound="CardwrightError")


class CardwrightError(Exception):
    """Base of every error cardwright raises on purpose.  Carries all the findings at once."""

    exit_code = 1

    def __init__(self, findings: Finding | Iterable[Finding]):
        self.findings: list[Finding] = [findings] if isinstance(findings, Finding) else list(findings)
        if not self.findings:
            raise ValueError("an error needs at least one finding")
        super().__init__(self.findings[0].format() if len(self.findings) == 1 else self.summary())

    @classmethod
    def at(
        cls: type[_Error],
        path: str,
        message: str,
        *,
        code: str,
        hint: str | None = None,
        line: int | None = None,
        column: int | None = None,
        loc: Sequence[str | int] = (),
    ) -> _Error:
        return cls(Finding(path, code, message, line=line, column=column, hint=hint, loc=tuple(loc)))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def summary(self) -> str:
        n = len(self.errors)
        return f"{n} error{'s' if n != 1 else ''}:\n" + "\n".join(f.format() for f in self.findings)


class CardError(CardwrightError):
    """A card (or a file it references) cannot be read or is invalid."""


class DataError(CardwrightError):
    """An evaluation or dataset file cannot be used as the card describes."""


class DataPathError(DataError):
    """The data path a card names holds no data: nothing there, or a folder without data files.
    Whoever knows the card positions it at the card's `path:` key, using ``problem``."""

    def __init__(self, path: str, problem: str, hint: str):
        self.problem = problem
        """What is wrong, as the end of a sentence about the path: ``does not exist``."""
        subject = "the data file" if problem == "does not exist" else "the data path"
        super().__init__(Finding(path, "data-error", f"{subject} {problem}", hint=hint))


class RenderError(CardwrightError):
    """A card cannot be rendered (a blocked resource, an unwritable output)."""


class TemplateError(RenderError):
    """A template is broken: a configuration problem, not the card's."""

    exit_code = 2


class UsageError(CardwrightError):
    """The command line or configuration is wrong."""

    exit_code = 2


class CardwrightWarning(UserWarning):
    """A warning finding (``finding``) reported as a Python warning, when the caller gave no
    callback (see :func:`warn`)."""

    def __init__(self, finding: Finding):
        super().__init__(finding.format())
        self.finding = finding


class BlockedResourceWarning(CardwrightWarning):
    """A render refused to load something outside the card's folder or on the network."""


OnWarning = Callable[[Finding], None]
"""Where warning findings go: the command line prints them, a site build collects them."""

_on_warning: ContextVar[OnWarning | None] = ContextVar("cardwright_on_warning", default=None)


def warn(finding: Finding, category: type[CardwrightWarning] = CardwrightWarning) -> None:
    """Report a warning finding to the callback of the enclosing :func:`reporting` block, or, with
    none, as a Python warning of ``category``."""
    callback = _on_warning.get()
    if callback is not None:
        callback(finding)
    else:
        warnings.warn(category(finding), stacklevel=3)


@contextlib.contextmanager
def reporting(on_warning: OnWarning | None) -> Iterator[None]:
    """Send the warning findings raised inside the block to ``on_warning`` (``None``: as Python warnings)."""
    token = _on_warning.set(on_warning)
    try:
        yield
    finally:
        _on_warning.reset(token)
