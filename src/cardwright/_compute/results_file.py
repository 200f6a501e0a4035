"""Results files as evidence: sealed with a digest of their own content, read within bounds.

* :func:`seal` sets ``content_sha256``: the SHA-256 of the results' canonical JSON (every key but
  ``content_sha256`` itself, keys sorted, no whitespace, UTF-8, see :func:`content_digest`).  The
  same results give the same digest on every machine; reformatting the file does not change it,
  changing any value does.  It is a check against hand edits, not a signature: whoever edits the
  file can recompute it (and `validate --strict` still compares the data digest and the settings).
* :func:`read_results` reads a results file without trusting it: only a regular file (a FIFO or
  device is refused before it is read, so nothing blocks), at most :data:`MAX_RESULTS_BYTES`, JSON
  with finite numbers and bounded integers, then the digest, then the shape, then the rules every
  results file cardwright writes follows (a row below the group size is suppressed, a suppressed
  row publishes no value).  Every problem is a finding positioned in the results file.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CardwrightError, Finding
from ..schema.sealing import DIGEST_KEY, content_digest

if TYPE_CHECKING:
    from ..schema.results import (
        AnalysisResults,
        BiasResults,
        CalibrationBin,
        CategoryShare,
        CompositionResults,
        GroupShare,
        SliceCounts,
    )

    Results = AnalysisResults | CompositionResults

MAX_RESULTS_BYTES = 64 << 20
"""The largest results file cardwright reads (64 MiB: far above any it writes)."""
MAX_INT_DIGITS = 20
"""Integers in a results file are counts: more digits than this are refused."""


def seal(results: Results) -> Results:
    """``results`` with ``content_sha256`` set to the digest of the rest."""
    results.content_sha256 = None
    results.content_sha256 = content_digest(results.model_dump(mode="json", by_alias=True))
    return results


def _display(path: Path) -> str:
    cwd = Path.cwd()
    return str(path.relative_to(cwd)) if path.is_absolute() and path.is_relative_to(cwd) else str(path)


class _Reader:
    """One results file being read: its text, and findings positioned in it."""

    def __init__(self, path: Path, recompute: str):
        self.path = path
        self.display = _display(path)
        self.recompute = recompute
        self.text = ""

    def error(self, code: str, message: str, loc: tuple[str | int, ...] = (), *, at: int | None = None,
              hint: str | None = None) -> CardwrightError:
        line, col = (_line_col(self.text, at) if at is not None else json_position(self.text, loc)) if self.text else (None, None)
        return CardwrightError(Finding(self.display, code, message, line=line, column=col, loc=loc,
                                       hint=hint or self.recompute))

    # -- reading -------------------------------------------------------------------------------
    def read_text(self) -> str:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(self.path, flags)
        except OSError as e:
            raise self.error("invalid-results", f"the results file cannot be read: {e.strerror or e}") from e
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                from .snapshot import special_kind

                kind = special_kind(st.st_mode) or "a folder"
                raise self.error("invalid-results", f"the results file is {kind}, not a regular file",
                                 hint="point `results:` at a regular .json file, or remove what is there and recompute")
            if st.st_size > MAX_RESULTS_BYTES:
                raise self.error("invalid-results", f"the results file is {st.st_size:,} bytes, over the "
                                 f"{MAX_RESULTS_BYTES:,}-byte limit for results files")
            chunks, total = [], 0
            while total <= MAX_RESULTS_BYTES and (chunk := os.read(fd, min(1 << 20, MAX_RESULTS_BYTES + 1 - total))):
                chunks.append(chunk)
                total += len(chunk)
        finally:
            os.close(fd)
        if total > MAX_RESULTS_BYTES:
            raise self.error("invalid-results", f"the results file is over the {MAX_RESULTS_BYTES:,}-byte limit "
                             "for results files")
        raw = b"".join(chunks)
        try:
            self.text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            self.text = raw[: e.start].decode("utf-8", "replace")
            raise self.error("invalid-results", f"the results file is not UTF-8 text (byte 0x{raw[e.start]:02X})",
                             at=e.start) from e
        return self.text

    def parse(self) -> Any:
        def constant(name: str) -> Any:
            raise _Refused(name, f"{name} is not a number a results file holds", non_finite=True)

        def number(text: str) -> float:
            value = float(text)
            if value in (float("inf"), float("-inf")):
                raise _Refused(text, f"the number {text[:40]} is too large", non_finite=True)
            return value

        def integer(text: str) -> int:
            if len(text.lstrip("-")) > MAX_INT_DIGITS:
                raise _Refused(text, f"the integer {text[:40]}{'…' if len(text) > 40 else ''} is too large")
            return int(text)

        try:
            return json.loads(self.text, parse_constant=constant, parse_float=number, parse_int=integer)
        except _Refused as e:
            self._refuse_non_finite(e)
            raise self.error("invalid-results", f"the results file is not valid: {e.message}",
                             at=self.text.find(e.token)) from e
        except json.JSONDecodeError as e:
            raise self.error("invalid-results", f"the results file is not valid JSON: {e.msg}", at=e.pos) from e
        except RecursionError as e:
            raise self.error("invalid-results", "the results file nests too deeply to be a results file", at=0) from e


    def _refuse_non_finite(self, refused: _Refused) -> None:
        """A NaN, an infinity or a float too large (refused while parsing) is ``non-finite``, at the
        first such number outside strings (the text is scanned only when the parse refused one)."""
        from ..schema.results import non_finite

        bad = non_finite(self.text) if refused.non_finite else None
        if bad is not None:
            line, column, token = bad
            raise CardwrightError(Finding(self.display, "non-finite", f"the results file holds {token}, which is not "
                                          "a finite number", line=line, column=column,
                                          hint="results hold only finite numbers (null where a value is undefined): "
                                          + self.recompute)) from refused


class _Refused(ValueError):
    def __init__(self, token: str, message: str, *, non_finite: bool = False):
        super().__init__(message)
        self.token, self.message, self.non_finite = token, message, non_finite


def read_results(path: Path, recompute: str, *, require_digest: bool = False) -> Results:
    """The results file at ``path``, checked (see the module's docstring); ``recompute`` is the
    hint that says how to write it again.  A file without a content digest (written before
    cardwright sealed results, or with the digest removed) is a ``stale-results`` error with
    ``require_digest``, else a warning (:func:`cardwright.errors.warn`)."""
    reader = _Reader(path, recompute)
    reader.read_text()
    data = reader.parse()
    if not isinstance(data, dict):
        raise reader.error("invalid-results", "the results file is not a JSON object", at=0)
    try:
        _check_digest(reader, data, require_digest)
    except CardwrightError as edited:
        if edited.findings[0].code == "tampered-results":  # say what was edited, when a rule shows it
            try:
                _check_rules(reader, _validated(reader, data))
            except CardwrightError as specific:
                if specific.findings[0].code == "tampered-results":
                    raise specific from edited
        raise
    results = _validated(reader, data)
    _check_rules(reader, results)
    return results


def sealed_slices(path: Path) -> list[tuple[dict[str, str], str | None]] | None:
    """The slices (group per factor, evaluation) of a model card's results file, read within the
    same bounds, without building the results models: only from a file whose content digest
    matches (written by cardwright and not edited since); ``None`` for anything else (missing,
    unreadable, unsealed, edited, a datasheet's, or not shaped as cardwright writes it)."""
    reader = _Reader(path, "")
    try:
        reader.read_text()
        data = reader.parse()
    except (CardwrightError, OSError):
        return None
    if not isinstance(data, dict) or data.get("kind") == "composition":
        return None
    recorded = data.get(DIGEST_KEY)
    slices = data.get("slices")
    if not isinstance(recorded, str) or recorded != content_digest(data) or not isinstance(slices, list):
        return None
    out: list[tuple[dict[str, str], str | None]] = []
    for s in slices:
        key = s.get("slice") if isinstance(s, dict) else None
        evaluation = s.get("evaluation") if isinstance(s, dict) else None
        if not isinstance(key, dict) or not all(isinstance(v, str) for v in key.values()):
            return None
        if evaluation is not None and not isinstance(evaluation, str):
            return None
        out.append((key, evaluation))
    return out


def _validated(reader: _Reader, data: dict[str, Any]) -> Results:
    from pydantic import ValidationError

    from ..schema.results import AnalysisResults, CompositionResults

    cls = CompositionResults if data.get("kind") == "composition" else AnalysisResults
    try:
        return cls.model_validate(data)
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        where = ".".join(map(str, loc)) or "the top level"
        raise reader.error("invalid-results", f"the results file is not valid: {where}: {err['msg']}", loc) from e


def _check_digest(reader: _Reader, data: dict[str, Any], required: bool) -> None:
    from ..errors import warn

    recorded = data.get(DIGEST_KEY)
    if recorded is None:
        unsealed = reader.error(
            "stale-results", f"the results file carries no `{DIGEST_KEY}`, so edits to it cannot be detected (it was "
            "written by an older cardwright, or the digest was removed)", at=0)
        if required:
            raise unsealed
        warn(replace(unsealed.findings[0], severity="warning"))
        return
    if not isinstance(recorded, str) or recorded != content_digest(data):
        raise reader.error(
            "tampered-results", "the results file was changed after cardwright wrote it: its content does not "
            f"match its `{DIGEST_KEY}`", (DIGEST_KEY,),
            hint=f"{reader.recompute}; if nobody meant to edit it, find out who did (see its history)")


Tampered = Callable[[tuple[str | int, ...], str], CardwrightError]


def _check_rules(reader: _Reader, results: Results) -> None:
    """What every results file cardwright writes satisfies: nothing below the threshold published."""
    from ..schema.results import AnalysisResults

    def tampered(loc: tuple[str | int, ...], message: str) -> CardwrightError:
        return reader.error("tampered-results", f"the results file was edited: {message}", loc,
                            hint=f"{reader.recompute}; suppressed counts must never be published")

    if isinstance(results, AnalysisResults):
        _analysis_rules(results, tampered)
    else:
        _composition_rules(results, tampered)


def _analysis_rules(results: AnalysisResults, tampered: Tampered) -> None:
    """A slice below `min_group_size` is suppressed, and so is every metric of it (with
    ``min_group_size_applies_to: denominator``, every metric whose denominator is below it); a
    suppressed one publishes nothing."""
    def settings(evaluation: str | None) -> tuple[int, bool]:
        got = results.evaluation_settings(evaluation)
        if got is None:
            return 0, False
        return got.min_group_size, got.min_group_size_applies_to == "denominator"

    hidden_slices = _slice_rules(results, tampered, lambda evaluation: settings(evaluation)[0])
    _count_rules(results, tampered)
    for i, r in enumerate(results.results):
        if r.metric == "count":
            continue
        k, by_denominator = settings(r.evaluation)
        if r.suppressed and (r.value, r.ci_low, r.ci_high) != (None, None, None):
            raise tampered(("results", i, "value"), f"suppressed {r.metric} of {_name(r.slice)} has a value")
        if r.suppressed:
            continue
        if by_denominator and r.n is not None and r.n < k:
            raise tampered(("results", i, "suppressed"), f"{r.metric} of {_name(r.slice)} has {r.n} rows, "
                           f"fewer than min_group_size {k}, but is not suppressed")
        if (r.evaluation, _name(r.slice)) in hidden_slices:
            raise tampered(("results", i, "suppressed"), f"{r.metric} of {_name(r.slice)} is published, but its "
                           "slice is suppressed")


def _slice_rules(results: AnalysisResults, tampered: Tampered, threshold: Callable[[str | None], int]
                 ) -> set[tuple[str | None, str]]:
    """Slices below their `min_group_size` are suppressed (their metrics hidden, not their counts);
    no published count is below `min_cell_size` but zero.  The suppressed slices, by evaluation
    and name."""
    hidden = set()
    for i, s in enumerate(results.slices):
        k = threshold(s.evaluation)
        if not s.suppressed and s.n is not None and s.n < k:
            raise tampered(("slices", i, "suppressed"), f"slice {_name(s.slice)} has {s.n} rows, fewer than "
                           f"min_group_size {k}, but is not suppressed")
        settings = results.evaluation_settings(s.evaluation)
        cell = settings.min_cell_size if settings is not None and settings.min_cell_size is not None else 0
        for loc, count in _slice_counts(s):
            if count is not None and 0 < count < cell:
                raise tampered(("slices", i, *loc), f"slice {_name(s.slice)} publishes {'.'.join(map(str, loc))} = "
                               f"{count}, below min_cell_size {cell}")
        if s.suppressed:
            hidden.add((s.evaluation, _name(s.slice)))
    return hidden


def _slice_counts(s: SliceCounts) -> list[tuple[tuple[str | int, ...], int | None]]:
    """Every count a ``slices`` entry publishes, with where it is (the total, the overall size, is public)."""
    out: list[tuple[tuple[str | int, ...], int | None]] = [(("n",), s.n)] if s.slice else []
    out += [((key,), getattr(s, key)) for key in ("tp", "fp", "tn", "fn")]
    for a, row in enumerate(s.confusion or []):
        out += [(("confusion", a, b), count) for b, count in enumerate(row)]
    return out


def _count_rules(results: AnalysisResults, tampered: Tampered) -> None:
    """No results row gives a denominator ``n`` below ``min_cell_size`` but zero (the overall
    count is public), and no calibration bin a count below it (:func:`_bin_rules`)."""
    def cell(evaluation: str | None) -> int:
        got = results.evaluation_settings(evaluation)
        return got.min_cell_size if got is not None and got.min_cell_size is not None else 0

    for i, r in enumerate(results.results):
        k = cell(r.evaluation)
        if r.slice and r.n is not None and 0 < r.n < k:
            raise tampered(("results", i, "n"), f"{r.metric} of {_name(r.slice)} publishes n = {r.n}, below "
                           f"min_cell_size {k}")
    for i, c in enumerate(results.calibration or []):
        got = results.evaluation_settings(c.evaluation)
        weighted = got is not None and got.weight is not None
        for j, b in enumerate(c.bins):
            _bin_rules(b, ("calibration", i, "bins", j), f"the calibration table of {_name(c.slice)}",
                       cell(c.evaluation), weighted, tampered)


def _bin_rules(b: CalibrationBin, loc: tuple[str | int, ...], where: str, k: int, weighted: bool,
               tampered: Tampered) -> None:
    """A calibration bin publishes no count below ``k`` but zero — its rows, and unweighted its
    positives and negatives (its share of positives times its rows) — and a suppressed bin no
    share or mean."""
    if b.suppressed and (b.mean_score, b.fraction_positive) != (None, None):
        raise tampered((*loc, "fraction_positive"), f"{where} shows a suppressed bin's values")
    if b.n is None:
        if not b.suppressed:
            raise tampered((*loc, "n"), f"{where} has a bin without its rows that is not suppressed")
        return
    if 0 < b.n < k:
        raise tampered((*loc, "n"), f"{where} publishes a bin of {b.n} rows, below min_cell_size {k}")
    if weighted or b.fraction_positive is None:
        return
    positives = round(b.fraction_positive * b.n)
    for count, what in ((positives, "positives"), (b.n - positives, "negatives")):
        if 0 < count < k:
            raise tampered((*loc, "fraction_positive"), f"{where} publishes a bin of {count} {what}, below "
                           f"min_cell_size {k}")


def _composition_rules(results: CompositionResults, tampered: Tampered) -> None:
    """A cell below `min_cell_size` is suppressed; a suppressed one publishes no count."""
    k = results.min_cell_size
    cells: list[tuple[tuple[str | int, ...], GroupShare | CategoryShare]] = [
        (("groups", i), g) for i, g in enumerate(results.groups)]
    cells += [(("label_shares", i), c) for i, c in enumerate(results.label_shares or [])]
    for j, col in enumerate(results.columns):
        cells += [(("columns", j, "categories", i), c) for i, c in enumerate(col.categories or [])]
    for loc, cell in cells:
        if cell.suppressed and cell.count is not None:
            raise tampered((*loc, "count"), "a suppressed cell publishes its count")
        if not cell.suppressed and cell.count is not None and 0 < cell.count < k:
            raise tampered((*loc, "suppressed"), f"a cell of {cell.count} rows, fewer than min_cell_size {k}, "
                           "is not suppressed")
    if results.bias is not None:
        _bias_rules(results.bias, k, tampered)


def _bias_rules(bias: BiasResults, k: int, tampered: Tampered) -> None:
    """A suppressed bias measure publishes no value, rate or stratum; no count of the bias block is
    below `min_cell_size` but zero."""
    counts: list[tuple[tuple[str | int, ...], int | None]] = [
        (("bias", "rows_dropped", reason), n) for reason, n in bias.rows_dropped.items()]
    for i, m in enumerate(bias.measures):
        at: tuple[str | int, ...] = ("bias", "measures", i)
        shown = (m.value, m.ci_low, m.ci_high, m.facet_rate, m.rest_rate, m.strata or None)
        if m.suppressed and any(x is not None for x in shown):
            raise tampered((*at, "value"), f"suppressed {m.metric} of {_name(m.facet)} publishes a value or rate")
        counts += [((*at, "n_facet"), m.n_facet), ((*at, "n_rest"), m.n_rest)]
        for j, s in enumerate(m.strata or []):
            counts += [((*at, "strata", j, key), getattr(s, key)) for key in ("n", "n_facet", "n_rest")]
    for loc, count in counts:
        if count is not None and 0 < count < k:
            raise tampered(loc, f"the bias measures publish {count} rows, fewer than min_cell_size {k}")


def _name(key: dict[str, str]) -> str:
    return " × ".join(f"{k}={v}" for k, v in key.items()) or "overall"


# -- positions in JSON text -----------------------------------------------------------------------
_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


def _line_col(text: str, at: int) -> tuple[int, int]:
    at = max(0, min(at, len(text)))
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _skip(text: str, i: int) -> int:
    """The index just after the JSON value starting at ``i`` (the text is valid JSON)."""
    from json.decoder import scanstring  # type: ignore[attr-defined]

    if text[i] == '"':
        return int(scanstring(text, i + 1)[1])
    if text[i] not in "[{":
        m = _SCALAR.match(text, i)
        return m.end() if m else i + 1
    depth = 0
    while True:
        ch = text[i]
        if ch == '"':
            i = int(scanstring(text, i + 1)[1])
            continue
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1


def json_position(text: str, loc: tuple[str | int, ...]) -> tuple[int, int]:
    """``(line, column)`` of the value at ``loc`` in the JSON ``text`` (of its nearest existing
    ancestor when it is absent)."""
    from json.decoder import scanstring  # type: ignore[attr-defined]

    i = _WS.match(text, 0).end()  # type: ignore[union-attr]
    try:
        for key in loc:
            start = i
            if text[i] == "{" and isinstance(key, str):
                i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
                while text[i] == '"':
                    name, i = scanstring(text, i + 1)
                    i = _WS.match(text, _WS.match(text, i).end() + 1).end()  # type: ignore[union-attr]
                    if name == key:
                        break
                    i = _WS.match(text, _skip(text, i)).end()  # type: ignore[union-attr]
                    if text[i] == ",":
                        i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
                else:
                    return _line_col(text, start)
            elif text[i] == "[" and isinstance(key, int):
                i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
                for _ in range(key):
                    if text[i] == "]":
                        return _line_col(text, start)
                    i = _WS.match(text, _skip(text, i)).end()  # type: ignore[union-attr]
                    if text[i] == ",":
                        i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
                if text[i] == "]":
                    return _line_col(text, start)
            else:
                return _line_col(text, start)
    except (IndexError, ValueError):
        return 1, 1
    return _line_col(text, i)
