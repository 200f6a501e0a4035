"""The Jinja environment: a template search path with the user's folder first, ``StrictUndefined``
(a misspelled name is an error, never a blank) and autoescaping for HTML.

User prose is data, never template source: it reaches templates only as values, so ``{{ 7*7 }}``
in a field renders as written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import Finding, TemplateError

PACKAGED = Path(__file__).parent / "templates"
#: The override point for each output format (a thin template extending ``base.<fmt>.j2``).
ENTRY = {"html": "card.html.j2", "md": "card.md.j2"}


def make_env(
    fmt: str, template_dir: str | Path | None = None, filters: dict[str, Callable[..., Any]] | None = None
) -> Any:
    """A Jinja environment for ``fmt`` (``html`` or ``md``) searching ``template_dir`` first."""
    import jinja2

    dirs: list[str] = []
    if template_dir is not None:
        user = Path(template_dir)
        if not user.is_dir():
            raise TemplateError(
                Finding(
                    str(user),
                    "template",
                    "the template folder does not exist",
                    hint="pass --template-dir a folder holding your override templates",
                )
            )
        dirs.append(str(user))
    dirs.append(str(PACKAGED))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        undefined=jinja2.StrictUndefined,
        autoescape=fmt == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(filters or {})
    return env


def render_template(env: Any, name: str, **context: Any) -> str:
    """Render ``name``; template mistakes become a :class:`TemplateError` naming file and line."""
    import jinja2

    try:
        return str(env.get_template(name).render(**context))
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(
            Finding(
                e.filename or e.name or name,
                "template",
                e.message or str(e),
                line=e.lineno,
                hint="fix the template syntax",
            )
        ) from e
    except jinja2.UndefinedError as e:
        path, line = _template_frame(e)
        raise TemplateError(
            Finding(
                path or name,
                "template",
                str(e.message),
                line=line,
                hint="check the spelling of the name; docs/rendering.md lists what templates get",
            )
        ) from e
    except jinja2.TemplateNotFound as e:
        raise TemplateError(
            Finding(
                str(e.name),
                "template",
                f"template {e.name!r} not found",
                hint="an override must extend a packaged template by its exact name, e.g. base.html.j2",
            )
        ) from e


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback (Jinja rewrites frames to them)."""
    tb = exc.__traceback__
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        fn = tb.tb_frame.f_code.co_filename
        if fn.endswith(".j2"):
            found = (fn, tb.tb_lineno)
        tb = tb.tb_next
    return found
