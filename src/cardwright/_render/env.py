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
#: The packaged templates compiled to Python, per format (``scripts/gen_docs.py`` writes them, and
#: checks them with ``--check``): a render does not parse and compile the templates each time.
COMPILED = Path(__file__).parent / "compiled"
#: The override point for each output format (a thin template extending ``base.<fmt>.j2``).
ENTRY = {"html": "card.html.j2", "md": "card.md.j2"}


def _environment(fmt: str, loader: Any, *, sandboxed: bool = False) -> Any:
    """The one way an environment is set up, for rendering and for compiling alike; ``sandboxed``
    for override templates, which come with a card's repository and may not reach Python's
    internals (``cycler.__init__.__globals__.os`` …): Jinja's sandbox refuses such attributes and
    calls."""
    import jinja2
    import jinja2.sandbox

    kind = jinja2.sandbox.SandboxedEnvironment if sandboxed else jinja2.Environment
    return kind(loader=loader, undefined=jinja2.StrictUndefined, autoescape=fmt == "html",
                trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False)


def _for_format(fmt: str, name: str) -> bool:
    """Whether a packaged template belongs to ``fmt`` (the HTML set includes its stylesheets)."""
    return name.endswith(".md.j2") if fmt == "md" else not name.endswith(".md.j2")


def sources_digest(fmt: str) -> str:
    """What the compiled templates of ``fmt`` were made from: the sources and Jinja's version."""
    import hashlib

    import jinja2

    h = hashlib.sha256(f"jinja2 {jinja2.__version__}\0".encode())
    for path in sorted(PACKAGED.iterdir()):
        if path.is_file() and _for_format(fmt, path.name):
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


_LOADERS: dict[str, Any] = {}
"""One loader per compiled folder for the life of the process: Jinja's ModuleLoader puts a weak
proxy of its package into ``sys.modules``, which must not die while other code walks
``sys.modules`` (and a new loader per render would add a package each time)."""


def _compiled_loader(fmt: str) -> Any:
    """A loader of the compiled packaged templates when they match the sources, else ``None``."""
    import jinja2

    folder = COMPILED / fmt
    stamp = folder / "STAMP"
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == sources_digest(fmt):
        if str(folder) not in _LOADERS:
            _LOADERS[str(folder)] = jinja2.ModuleLoader(str(folder))
        return _LOADERS[str(folder)]
    return None


def compile_packaged(fmt: str, filters: list[str]) -> dict[str, str]:
    """The packaged templates of ``fmt`` compiled to Python: file name → module text, and the STAMP.
    ``filters``: the names of the filters renders provide (compiled code looks them up when it runs)."""
    import jinja2

    env = _environment(fmt, jinja2.FileSystemLoader(str(PACKAGED)))
    env.filters.update(dict.fromkeys(filters, str))
    out = {}
    for name in env.list_templates(filter_func=lambda n: _for_format(fmt, n)):
        source, _, _ = env.loader.get_source(env, name)
        out[jinja2.ModuleLoader.get_module_filename(name)] = env.compile(source, name, name, raw=True,
                                                                         defer_init=True)
    out["STAMP"] = sources_digest(fmt) + "\n"
    return out


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
    loaders: list[Any] = [jinja2.FileSystemLoader(dirs)] if dirs else []
    compiled = _compiled_loader(fmt)
    if compiled is not None:
        loaders.append(compiled)
    loaders.append(jinja2.FileSystemLoader(str(PACKAGED)))
    env = _environment(fmt, jinja2.ChoiceLoader(loaders), sandboxed=bool(dirs))
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
    except jinja2.exceptions.SecurityError as e:
        path, line = _template_frame(e)
        raise TemplateError(
            Finding(
                path or name,
                "template",
                f"the template does something templates may not: {e}",
                line=line,
                hint="templates format the card and results they are given; they cannot call into Python",
            )
        ) from e
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as e:
        path, line = _template_frame(e)
        if not env.sandboxed or path is None or not Path(path).is_file() \
                or Path(path).resolve().is_relative_to(PACKAGED.resolve()):
            raise  # not an override template's doing: a packaged (or compiled) template's is an internal error
        raise TemplateError(
            Finding(
                path,
                "template",
                f"the template stopped: {type(e).__name__}: {e}",
                line=line,
                hint="check the expression on this line against what templates get (docs/rendering.md)",
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
