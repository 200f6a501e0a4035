"""Field docstrings, attached when they are read rather than when the models are built.

Every field of a card or results model has a docstring under it (the author guidance that flows
into the JSON Schema, the scaffold's comments, the hints of findings and the rendered guidance).
Pydantic can read them while it builds each model (``use_attribute_docstrings``), but that parses
the source of every class on every start: a fifth of what `cardwright validate` spends.  Here each
module's source is parsed once, and only when something asks for a description:
:func:`documented` attaches them to one model's fields; :func:`documented_schema` attaches them to
every model and rebuilds the models so that their JSON Schemas carry them.
"""

from __future__ import annotations

import ast
import inspect
import sys
import typing
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from pydantic import BaseModel

_done: set[type[BaseModel]] = set()
_rebuilt: set[type[BaseModel]] = set()


@cache
def _module_docs(module: str) -> dict[str, dict[str, str]]:
    """Class name → field name → docstring, for the top-level classes of ``module``."""
    path = getattr(sys.modules[module], "__file__", None)
    if path is None:
        return {}
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}
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
