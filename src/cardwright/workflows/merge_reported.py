"""`cardwright import FILE --from … --into CARD`: add reported results to an existing card
without touching anything else in it.

The card is edited as text, by insertion only: new entries are appended after the last entry of
``reported_results.results`` (indented like it), or a new ``reported_results`` block is inserted
after the last section that precedes it in the card's order (after ``quantitative_analyses``).
Every comment, blank line and layout choice of the hand-written card survives because no
existing line changes.  The result is checked before anything is written: it must load, and its
data must equal the old card's plus the new results.  Whatever cannot be done that way (the
section written in flow style, a result already in the card with another value) is refused with
the reason, and the card is left as it was.

A result already in the card with the same value is skipped; one with the same identity (metric,
slice, dataset, task, source, settings) but another value is a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CardwrightError, Finding

if TYPE_CHECKING:
    from yaml.error import Mark
    from yaml.nodes import MappingNode, Node, SequenceNode

    from ..schema.model_card import ModelCard
    from ..schema.reported import ReportedResult
    from ..schema.yaml_loader import Limits

#: Model-card sections in card order, up to the one ``reported_results`` follows.
_BEFORE = ("kind", "schema_version", "status", "approvals", "model_details", "intended_use", "factors", "metrics",
           "evaluation_data", "training_data", "quantitative_analyses")


@dataclass
class Merge:
    """The merged card text and what happened to each incoming result."""

    text: str
    added: int = 0
    skipped: list[str] = field(default_factory=list)


def _refuse(path: str, message: str, hint: str, line: int | None = None) -> CardwrightError:
    return CardwrightError(Finding(path, "import", message, line=line, hint=hint))


def _dump_items(rows: list[dict[str, Any]], indent: int) -> str:
    from .import_common import dump_card

    text = dump_card({"results": rows}, []).split("\n", 1)[1]  # the items, at column 0
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


def _node(path: str, text: str) -> MappingNode:
    import yaml

    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:  # the card loaded already; this is defensive
        raise _refuse(path, f"cannot read the card's layout: {e}", "fix the card's YAML first") from e
    if not isinstance(root, yaml.MappingNode):  # a loaded card is a mapping; this is defensive
        raise _refuse(path, "the card is not a mapping of sections", "check that CARD is a model card")
    return root


def _child(node: MappingNode, key: str) -> tuple[Node, Node] | None:
    for k, v in node.value:
        if k.value == key:
            return k, v
    return None


def _line_end(text: str, mark: Mark) -> int:
    """Offset just after the line holding ``mark``'s position's previous character (the end of a
    block: its last content line), skipping trailing blank and comment lines."""
    lines = text[: mark.index].splitlines(keepends=True)
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return sum(len(line) for line in lines)


def _append_to_list(path: str, text: str, seq: SequenceNode, rows: list[dict[str, Any]]) -> str:
    if seq.flow_style:
        raise _refuse(path, "`reported_results.results` is written in flow style ([...]), so results cannot be "
                      "appended without rewriting it", "write it as a block list (one `- ` entry per line), or "
                      "add the results by hand", line=seq.start_mark.line + 1)
    if not seq.value:
        raise _refuse(path, "`reported_results.results` is empty", "remove the empty `results:` line (or give it a "
                      "first entry), then import again", line=seq.start_mark.line + 1)
    indent = seq.start_mark.column
    at = _line_end(text, seq.end_mark)
    return text[:at] + _newline(text, at) + _dump_items(rows, indent) + text[at:]


def _newline(text: str, at: int) -> str:
    return "" if text[:at].endswith("\n") else "\n"


def _insert_section(path: str, text: str, root: MappingNode, rows: list[dict[str, Any]]) -> str:
    from .import_common import dump_card

    if root.flow_style:
        raise _refuse(path, "the card is written in flow style, so a section cannot be added without rewriting it",
                      "write the card in block style, or add `reported_results` by hand")
    keys = [k.value for k, _ in root.value]
    before = [i for i, k in enumerate(keys) if k in _BEFORE]
    if not before:
        raise _refuse(path, "the card has none of the sections `reported_results` follows",
                      "check that CARD is a model card")
    last = max(before)
    block = dump_card({"reported_results": {"results": rows}}, [])
    if last + 1 < len(root.value):
        at = _line_end(text, root.value[last + 1][0].start_mark)
    else:
        at = len(text.rstrip("\n") + "\n") if text.strip() else 0
        text = text.rstrip("\n") + "\n"
    head = text[:at] + _newline(text, at)
    return head + "\n" + block + text[at:]


def _label(result: ReportedResult) -> str:
    return f"{result.metric} on {result.dataset.name if result.dataset else 'no dataset'}"


def _new_rows(path: str, card: ModelCard, rows: list[dict[str, Any]], merge: Merge) -> list[dict[str, Any]]:
    """The rows the card does not hold yet; those it holds with the same value are skipped (and
    named in ``merge``), and one it holds with another value refuses the whole import."""
    from ..schema.reported import ReportedResult

    existing = {r.key: r for r in (card.reported_results.results if card.reported_results else [])}
    new_rows, conflicts = [], []
    for row in rows:
        result = ReportedResult.model_validate(row)
        old = existing.get(result.key)
        if old is None:
            existing[result.key] = result
            new_rows.append(row)
        elif old.value == result.value and (old.ci_low, old.ci_high) == (result.ci_low, result.ci_high):
            merge.skipped.append(f"{_label(result)}: already in the card")
        else:
            conflicts.append(f"{_label(result)}{' ' + str(result.slice) if result.slice else ''}: "
                             f"the card has {old.value!r}, the file {result.value!r}")
    if conflicts:
        raise CardwrightError([Finding(path, "import", f"a reported result in the card has another value: {c}",
                                       hint="remove the old entries from the card (or keep them) and import again")
                               for c in conflicts])
    return new_rows


def _with_rows(path: str, text: str, rows: list[dict[str, Any]]) -> str:
    """The card's text with ``rows`` appended to its results list, or in a new section."""
    import yaml

    root = _node(path, text)
    found = _child(root, "reported_results")
    if found is None:
        return _insert_section(path, text, root, rows)
    section = found[1]
    if not isinstance(section, yaml.MappingNode) or section.flow_style:
        raise _refuse(path, "`reported_results` is written in flow style ({...}), so results cannot be added "
                      "without rewriting it", "write it in block style, or add the results by hand",
                      line=section.start_mark.line + 1)
    results = _child(section, "results")
    if results is None or not isinstance(results[1], yaml.SequenceNode):
        raise _refuse(path, "`reported_results` has no `results:` list to append to",
                      "add `results:` with one entry by hand, then import again", line=section.start_mark.line + 1)
    return _append_to_list(path, text, results[1], rows)


def merge_reported(card_path: Path, rows: list[dict[str, Any]], *, limits: Limits | None = None) -> Merge:
    """The text of the card at ``card_path`` with ``rows`` (reported results as card data) added."""
    from .. import load
    from ..schema.yaml_loader import Limits, read_card_text

    path = str(card_path)
    card = load(card_path, limits=limits)
    if card.kind != "model-card":
        raise _refuse(path, "reported results belong in a model card; this is a datasheet",
                      "name a model card after --into")
    text = read_card_text(card_path, limits or Limits(), path)
    merge = Merge(text)
    new_rows = _new_rows(path, card, rows, merge)
    if not new_rows:
        return merge
    merged = _with_rows(path, text, new_rows)
    _verify(path, text, merged, new_rows)
    merge.text, merge.added = merged, len(new_rows)
    return merge


def _verify(path: str, old: str, new: str, rows: list[dict[str, Any]]) -> None:
    """The merged text keeps every old line in order and holds exactly the old data plus ``rows``."""
    import difflib

    from pydantic import ValidationError

    from ..schema.loading import card_class
    from ..schema.yaml_loader import parse_yaml_text

    matcher = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    if any(op in ("replace", "delete") for op, *_ in matcher.get_opcodes()):
        raise _refuse(path, "adding the results would change existing lines of the card", "add them by hand")
    before, after = parse_yaml_text(old, path).data, parse_yaml_text(new, path).data
    old_section, new_section = before.get("reported_results") or {}, after.get("reported_results") or {}
    expected, got = old_section.get("results") or [], new_section.get("results") or []
    unchanged = ({k: v for k, v in before.items() if k != "reported_results"}
                 == {k: v for k, v in after.items() if k != "reported_results"}
                 and {k: v for k, v in old_section.items() if k != "results"}
                 == {k: v for k, v in new_section.items() if k != "results"})
    if not unchanged or got[: len(expected)] != expected or len(got) != len(expected) + len(rows):
        raise _refuse(path, "adding the results would change other data in the card", "add them by hand")
    try:
        card_class("model-card").model_validate(after)
    except ValidationError as e:
        raise _refuse(path, f"the card would not validate with the results added: {e.errors()[0]['msg']}",
                      "please report this with the input file") from e
