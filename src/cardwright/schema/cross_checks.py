"""Checks that span fields or files: the computation spec's internal consistency, referenced
datasheets, the typed `extensions`, a datasheet's conditional questions and paths that escape
the project."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import Finding, Severity
from .analysis import QuantitativeAnalyses
from .group_checks import reference_findings, repeated_label_findings
from .yaml_loader import Document, Limits, Loc

if TYPE_CHECKING:
    from .card import Card
    from .computation import Computation
    from .datasheet import Datasheet
    from .model_card import DatasetRef, ModelCard

_ROOT_MARKERS = (".git", "pyproject.toml", "cardwright.toml")
REMOTE_SCHEMES = frozenset({"s3", "s3a", "s3n", "gs", "gcs", "az", "azure", "abfs", "abfss", "wasb", "wasbs",
                            "hdfs", "http", "https", "hf", "r2"})
"""The URI schemes a card's data may name (read only by an engine chosen explicitly): data on the
network.  ``file://`` and anything else would read local files around the project check."""


def remote_scheme(path: str) -> str | None:
    """The scheme of a URI ``path`` (``None`` for a path); a scheme outside :data:`REMOTE_SCHEMES`
    comes back as it is, for the caller to refuse."""
    if "://" not in path:
        return None
    return path.split("://", 1)[0].lower()



class CheckCard(Protocol):
    """How a referenced datasheet is loaded and checked: :func:`cardwright.schema.loading.check_card`,
    passed in by the loader."""

    def __call__(self, path: str | Path, *, limits: Limits | None = None, display: str | None = None,
                 _seen: frozenset[Path] = frozenset()) -> tuple[Card | None, list[Finding]]: ...


def project_root(card_path: Path) -> Path:
    """The folder a card's relative paths must stay inside: the nearest ancestor holding
    ``.git``, ``pyproject.toml`` or ``cardwright.toml``, else the card's own folder."""
    folder = card_path.resolve().parent
    for candidate in (folder, *folder.parents):
        if any((candidate / m).exists() for m in _ROOT_MARKERS):
            return candidate
    return folder


def inside_root(card: Card, relative: str) -> Path | None:
    """``relative`` resolved against the card; ``None`` when it leaves the project root."""
    if Path(relative).is_absolute():
        return None
    target = card.resolve(relative)
    root = project_root(card.source_path) if card.source_path else card.base_dir
    return target if target.is_relative_to(root) else None


class _Collector:
    def __init__(self, doc: Document):
        self.doc = doc
        self.items: list[Finding] = []

    def add(self, loc: Loc, code: str, message: str, hint: str | None = None, severity: Severity = "error") -> None:
        line, col = self.doc.position(loc)
        self.items.append(
            Finding(self.doc.path, code, message, line=line, column=col, hint=hint, loc=loc, severity=severity)
        )


def cross_findings(card: Card, doc: Document, *, limits: Limits | None, seen: frozenset[Path],
                   check: CheckCard) -> list[Finding]:
    """Every cross-field and cross-file finding; ``check`` loads and checks a referenced datasheet."""
    out = _Collector(doc)
    if card.kind == "model-card":
        _analysis_checks(card, out)
        _datasheet_refs(card, out, limits, seen, check)
    else:
        _people_questions(card, out)
        if card.data is not None:
            repeated_label_findings(card.data.sensitive_attributes, ("data", "sensitive_attributes"), out.add)
            _path_check(card, ("data", "path"), card.data.path, out)
    _results_check(card, out)
    _extensions(card, out)
    for loc in card._yaml11_ambiguous:
        value = doc.data
        for part in loc:
            value = value[part]
        out.add(
            loc,
            "ambiguous-scalar",
            f"{value!r} is kept as text here, but YAML 1.1 readers (PyYAML, Hugging Face) read it as "
            "a boolean, number or date",
            hint=f"quote it: '{value}'",
            severity="warning",
        )
    return sorted(out.items, key=lambda f: (f.path != doc.path, f.line or 0, f.column or 0))


def _path_check(card: Card, loc: Loc, relative: str, out: _Collector) -> Path | None:
    scheme = remote_scheme(relative)
    if scheme is not None and scheme not in REMOTE_SCHEMES:
        out.add(
            loc,
            "path-outside-card",
            f"{relative[:80]!r} is a {scheme}:// URI, which cardwright does not read: a local file is named by "
            "its path, which must stay inside the project",
            hint="use a path relative to the card (data on the network: s3://, gs://, https://, hdfs:// …)",
        )
        return None
    target = inside_root(card, relative)
    if target is None:
        out.add(
            loc,
            "path-outside-card",
            f"{relative!r} points outside the project folder",
            hint="use a path relative to the card that stays inside the project",
        )
    return target


def results_keys(comp: Computation) -> list[tuple[str, Loc]]:
    """Every `results:` a card writes, with where it is (each evaluation of a list may name one)."""
    if comp.evaluations:
        pairs = [(e.spec.results, (*e.loc, "results")) for e in comp.evaluations]
    elif not isinstance(comp.spec, list):
        pairs = [(comp.spec.results, (*comp.loc, "results"))]
    else:
        pairs = []
    return [(results, loc) for results, loc in pairs if results is not None]


def _results_check(card: Card, out: _Collector) -> None:
    """`results:` is written by compute and render: confined like `data.path`, a JSON file, and
    never one of the card's own inputs."""
    comp = card.computation
    if comp is None:
        return
    hint = "name a new .json file (the default is `<card name>.results.json` beside the card)"
    for results, loc in results_keys(comp):
        target = _path_check(card, loc, results, out, )
        if target is None:
            continue
        if not results.lower().endswith(".json"):
            out.add(loc, "invalid-value", f"results file {results!r} is not a .json file", hint=hint)
            continue
        named = _input_named(card, comp, target)
        if named is not None:
            out.add(loc, "invalid-value", f"results file {results!r} is {named}, which compute would overwrite",
                    hint=hint)


def _input_named(card: Card, comp: Computation, target: Path) -> str | None:
    """What input of ``card`` the path ``target`` is, if any: the card, its data, a referenced file."""
    import fnmatch

    if card.source_path is not None and target == card.source_path.resolve():
        return "the card itself"
    for data, _ in comp.data_paths:
        if "://" in data or data.startswith("table:"):
            continue
        pattern = card.resolve(data)
        if target == pattern or target.is_relative_to(pattern) or fnmatch.fnmatch(str(target), str(pattern)):
            return "its data"
    if card.extensions_schema is not None and target == card.resolve(card.extensions_schema):
        return "its extensions schema"
    return None


def _analysis_checks(card: ModelCard, out: _Collector) -> None:
    from .analysis_checks import evaluation_checks, list_checks

    qa = card.quantitative_analyses
    if qa is None:
        return
    base: Loc = ("quantitative_analyses",)
    declared = {f.name for f in card.factors.evaluation_factors}

    def check_path(loc: Loc, relative: str) -> Path | None:
        return _path_check(card, loc, relative, out)

    if isinstance(qa, list):
        list_checks(qa, base, out.add)
        for i, evaluation in enumerate(qa):
            evaluation_checks(evaluation, (*base, i), declared, out.add, check_path)
    else:
        evaluation_checks(qa, base, declared, out.add, check_path)
    values = {f.name: list(f.values) for f in card.factors.evaluation_factors}
    evaluations: list[tuple[Loc, QuantitativeAnalyses]] = (
        [((*base, i), ev) for i, ev in enumerate(qa)] if isinstance(qa, list) else [(base, qa)])
    for at, each in evaluations:
        repeated_label_findings(each.factors, (*at, "factors"), out.add)
        reference_findings(each, at, values, out.add)


def _datasheet_refs(card: ModelCard, out: _Collector, limits: Limits | None, seen: frozenset[Path],
                    check_card: CheckCard) -> None:
    sections: tuple[tuple[str, list[DatasetRef]], ...] = (
        ("evaluation_data", card.evaluation_data.datasets), ("training_data", card.training_data.datasets))
    for section, refs in sections:
        for i, ref in enumerate(refs):
            if ref.datasheet is None:
                continue
            loc: Loc = (section, "datasets", i, "datasheet")
            target = _path_check(card, loc, ref.datasheet, out)
            if target is None:
                continue
            if not target.is_file():
                out.add(loc, "datasheet-not-found", f"datasheet {ref.datasheet!r} does not exist",
                        hint="the path is relative to the folder of the card that names it")
                continue
            if target in seen:
                continue
            display = _display(target)
            sheet, nested = check_card(target, limits=limits, display=display, _seen=seen)
            if sheet is not None and sheet.kind != "datasheet":
                out.add(loc, "not-a-datasheet", f"{ref.datasheet!r} is a {sheet.kind}, not a datasheet",
                        hint="point `datasheet:` at a file with `kind: datasheet`")
                continue
            errors = [f for f in nested if f.severity == "error"]
            if sheet is not None:
                card._datasheets[ref.datasheet] = sheet
            if errors:
                out.add(loc, "invalid-datasheet",
                        f"datasheet {ref.datasheet!r} has {len(errors)} error{'s' if len(errors) != 1 else ''} (listed with it)",
                        hint=f"run `cardwright validate {display}`")
            out.items.extend(nested)


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _people_questions(card: Datasheet, out: _Collector) -> None:
    from .datasheet import people_question_findings

    for loc, code, message, hint in people_question_findings(card, strict=False):
        out.add(tuple(loc), code, message, hint=hint)


def _extensions(card: Card, out: _Collector) -> None:
    if card.extensions_schema is None:
        return
    import jsonschema

    loc: Loc = ("extensions_schema",)
    target = _path_check(card, loc, card.extensions_schema, out)
    if target is None:
        return
    try:
        schema = json.loads(target.read_text(encoding="utf-8"))
        validator_cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
        validator_cls.check_schema(schema)
    except FileNotFoundError:
        out.add(loc, "extensions-schema", f"{card.extensions_schema!r} does not exist")
        return
    except (OSError, ValueError) as e:
        out.add(loc, "extensions-schema", f"{card.extensions_schema!r} is not readable JSON: {e}")
        return
    except jsonschema.SchemaError as e:
        out.add(loc, "extensions-schema", f"{card.extensions_schema!r} is not a valid JSON Schema: {e.message}")
        return
    instance = card.extensions if card.extensions is not None else {}
    for err in sorted(validator_cls(schema).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        where: Loc = ("extensions", *err.absolute_path)
        dotted = ".".join(str(p) for p in where)
        out.add(where, "extensions-schema", f"`{dotted}`: {err.message}",
                hint=f"required by {card.extensions_schema}")
