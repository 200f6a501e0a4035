"""Field docstrings, attached when they are read rather than when the models are built.

Every field of a card or results model has a docstring under it (the author guidance that flows
into the JSON Schema, the scaffold's comments, the hints of findings and the rendered guidance).
Pydantic can read them while it builds each model (``use_attribute_docstrings``), but that parses
the source of every class on every start: a fifth of what `cardwright validate` spends.  Here each
module's source is parsed once, and only when something asks for a description:
:func:`documented` attaches them to one model's fields; :func:`documented_schema` attaches them to
every model and rebuilds the models so that their JSON Schemas carry them.

Parsing is itself skipped for the packaged schema modules: ``_field_docs.py`` (written by
``scripts/gen_docs.py``, checked by its ``--check``) holds their docstrings with the SHA-256 of the
source they were read from, and is used for a module only while that digest still matches.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import sys
import typing
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from pydantic import BaseModel

_done: set[type[BaseModel]] = set()
_rebuilt: set[type[BaseModel]] = set()


ModuleDocs = dict[str, dict[str, str]]
"""Class name → field name → docstring."""


@cache
def _module_docs(module: str) -> ModuleDocs:
    """Class name → field name → docstring, for the top-level classes of ``module``: from
    ``_field_docs.py`` when it was made from this very source, else read from the source."""
    path = getattr(sys.modules[module], "__file__", None)
    if path is None:
        return {}
    source = Path(path).read_bytes()
    stored = _stored().get(module)
    if stored is not None and stored[0] == hashlib.sha256(source).hexdigest():
        return stored[1]
    return _parsed_docs(source.decode("utf-8"))


def _stored() -> dict[str, tuple[str, ModuleDocs]]:
    try:
        from ._field_docs import DOCS
    except ImportError:  # not generated yet: every module is parsed
        return {}
    return DOCS


def _parsed_docs(source: str) -> ModuleDocs:
    """The field docstrings of the top-level classes in a module's ``source``."""
    tree = ast.parse(source)
    out: ModuleDocs = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        docs: dict[str, str] = {}
        for a, b in zip(node.body, node.body[1:], strict=False):
            if (isinstance(a, ast.AnnAssign) and isinstance(a.target, ast.Name) and isinstance(b, ast.Expr)
                    and isinstance(b.value, ast.Constant) and isinstance(b.value.value, str)):
                docs[a.target.id] = inspect.cleandoc(b.value.value)
        out[node.name] = docs
    return out


def documented(model: type[BaseModel]) -> type[BaseModel]:
    """``model`` with each field's docstring as its description (inherited fields keep the
    docstring of the class that declares them last).  Cheap after the first call."""
    if model in _done:
        return model
    for klass in reversed(model.__mro__):
        if not (isinstance(klass, type) and issubclass(klass, BaseModel)) or klass is BaseModel:
            continue
        for name, doc in _module_docs(klass.__module__).get(klass.__qualname__, {}).items():
            info = model.model_fields.get(name)
            if info is not None and name in inspect.get_annotations(klass):
                info.description = doc
    _done.add(model)
    return model


def _models() -> list[type[BaseModel]]:
    """Every card and results model defined so far, each after the models its fields hold."""

    def subclasses(cls: type[BaseModel]) -> Iterator[type[BaseModel]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    every = list(dict.fromkeys(c for c in subclasses(BaseModel) if c.__module__.startswith("cardwright.schema")))
    seen: dict[type[BaseModel], None] = {}

    def visit(cls: type[BaseModel]) -> None:
        if cls in seen:
            return
        for info in cls.model_fields.values():
            for dep in _held(info.annotation):
                if dep in every and dep is not cls:
                    visit(dep)
        seen[cls] = None

    for cls in every:
        visit(cls)
    return list(seen)


def _held(annotation: object) -> Iterable[type[BaseModel]]:
    """The model classes an annotation can hold (through unions, lists, dicts, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _held(arg)


def documented_all() -> None:
    """Attach every card and results model's docstrings (no rebuild: descriptions read from the
    fields, as findings, completeness checks and renders do)."""
    for cls in _models():
        documented(cls)


def documented_schema() -> None:
    """Attach every model's docstrings and rebuild the models, leaves first, so their JSON
    Schemas (``cardwright schema``, the rendered schema) describe every field."""
    for cls in _models():
        if cls not in _rebuilt:
            documented(cls)
            cls.model_rebuild(force=True)
            _rebuilt.add(cls)


def field_docs_module() -> str:
    """The text of ``_field_docs.py``: the field docstrings of every schema module that has any,
    each with the SHA-256 of its source."""
    lines = ['"""Field docstrings of the schema modules, each with the SHA-256 of the source they come from.',
             "",
             "Generated by `python scripts/gen_docs.py` (checked by `--check`); do not edit.  A module whose",
             'source no longer matches its digest is read from its source instead (see docs.py)."""',
             "",
             "DOCS = {"]
    for path in sorted(Path(__file__).parent.glob("*.py")):
        if path.name == "_field_docs.py":
            continue
        source = path.read_bytes()
        docs = _parsed_docs(source.decode("utf-8"))
        if not any(docs.values()):
            continue
        lines.append(f"    {'cardwright.schema.' + path.stem!r}: ({hashlib.sha256(source).hexdigest()!r}, {{")
        for cls, fields in docs.items():
            if fields:
                lines.append(f"        {cls!r}: {{")
                lines += [f"            {name!r}: {doc!r}," for name, doc in fields.items()]
                lines.append("        },")
        lines.append("    }),")
    lines.append("}")
    return "\n".join(lines) + "\n"
