"""The `cardwright` command line.  It only parses arguments and composes library functions;
heavy modules are imported inside the commands that need them, so `--help` starts fast.

Exit status: 0 clean, 1 findings (invalid card or data, failed gate, stale schema), 2 usage or
internal error.  Tracebacks only with `--debug` (or CARDWRIGHT_DEBUG=1).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import CardwrightError, Finding

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def limit_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Options raising the safety limits for reading cards."""
    fn = click.option("--max-depth", type=click.IntRange(1), help="Deepest YAML nesting allowed [default: 64].")(fn)
    fn = click.option(
        "--max-nodes", type=click.IntRange(1), help="Most YAML values after alias expansion [default: 100000]."
    )(fn)
    fn = click.option("--max-bytes", type=click.IntRange(1), help="Largest card file in bytes [default: 2 MiB].")(fn)
    return fn


def run_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Options bounding a compute or render: the card-reading limits, groups per factor, time."""
    fn = click.option("--timeout", type=click.FloatRange(0), help="Seconds before the command stops; 0: no limit [default: 600].")(fn)
    fn = click.option("--max-groups", type=click.IntRange(1), help="Most distinct groups one factor may have [default: 1000].")(fn)
    return limit_options(fn)


def load_bounded(file: str, limits: dict[str, Any]) -> tuple[Any, Any]:
    """The card at ``file`` read within the flags' or the policy's limits, and that policy."""
    from . import load
    from .config import load_policy

    policy = load_policy(file if Path(file).exists() else ".")
    given = make_limits(**limits) if limits else None
    return load(file, limits=given or policy.limits()), policy


def _data_files(card: Any) -> list[Path]:
    """The evaluation or dataset file a card computes from: an input no writer may replace."""
    spec = getattr(card, "quantitative_analyses", None) or getattr(card, "data", None)
    rel = getattr(getattr(spec, "data", None), "path", None) or getattr(spec, "path", None)
    return [card.resolve(rel)] if isinstance(rel, str) and hasattr(card, "resolve") else []


def make_limits(max_bytes: int | None, max_depth: int | None, max_nodes: int | None) -> Any:
    from .schema.yaml_loader import Limits

    given = {"max_bytes": max_bytes, "max_depth": max_depth, "max_nodes": max_nodes}
    if all(v is None for v in given.values()):
        return None  # the policy file's limits (or the defaults) apply
    return Limits(**{k: v for k, v in given.items() if v is not None})


def _echo_err(text: str) -> None:
    click.echo(text, err=True, nl=not text.endswith("\n"))


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="cardwright")
@click.option("--debug", is_flag=True, help="Show the full traceback when something goes wrong.")
def cli(debug: bool) -> None:
    """Model cards and datasheets from YAML: validated, computed from your evaluation data, and
    rendered to Markdown, HTML, PDF and JSON.

    \b
    Start with:   cardwright init model-card -o model-card.yaml
    Check it:     cardwright validate --strict model-card.yaml
    """


@cli.command(context_settings=CONTEXT)
@click.argument("kind", type=click.Choice(["model-card", "datasheet"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write; `-` for standard output. [default: KIND.yaml]")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def init(kind: str, output: str | None, force: bool) -> int:
    """Write a new card with every section and question, the guidance as comments."""
    from ._io import atomic_write
    from .schema.cross_checks import project_root
    from .schema.scaffold import scaffold

    if output == "-":
        click.echo(scaffold(kind, None), nl=False)
        return 0
    target = Path(output or f"{kind}.yaml")
    if target.exists() and not force:
        raise CardwrightError(
            Finding(str(target), "output", "the file exists; not overwriting it", hint="choose another name with -o, or add --force")
        )
    root = project_root(target.resolve().parent / "x")
    schema_file = root / "schemas" / f"{kind}.schema.json"
    ref = os.path.relpath(schema_file, target.resolve().parent)
    atomic_write(target, scaffold(kind, ref))
    _echo_err(f"wrote {target}")
    if not schema_file.exists():
        _echo_err(f"hint: run `cardwright schema -o {os.path.relpath(root / 'schemas')}` so editors find the schema")
    return 0


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--strict", is_flag=True, help="Also require completeness: no empty prose, no placeholders, current results, passing gates; warnings fail.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "gitlab"]), default="text", show_default=True, help="Output format.")
@limit_options
def validate(files: tuple[str, ...], strict: bool, fmt: str, **limits: Any) -> int:
    """Check cards against the schema and each other; report every problem at once."""
    from .report import render_findings
    from .validation import failed, validate_paths

    findings = validate_paths(list(files), strict=strict, limits=make_limits(**limits))
    click.echo(render_findings(findings, fmt), nl=False)
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if fmt == "text":
        n = len(files)
        if findings:
            _echo_err(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {n} file{'s' * (n != 1)}")
        else:
            _echo_err(f"{n} file{'s' * (n != 1)} valid{' (strict)' if strict else ''}")
    return 1 if failed(findings, strict=strict) else 0


@cli.command(context_settings=CONTEXT)
@click.option("-o", "--output-dir", type=click.Path(file_okay=False), default="schemas", show_default=True, help="Folder to write the JSON Schemas to.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the files in the folder are not current.")
def schema(output_dir: str, check: bool) -> int:
    """Write the JSON Schemas of cards and results files (for editors and other tools)."""
    import json

    from ._io import atomic_write
    from .render.json import rendered_json_schema
    from .schema.json_schema import generate

    folder = Path(output_dir)
    stale = []
    texts = generate()
    texts["rendered.schema.json"] = json.dumps(rendered_json_schema(), indent=2, ensure_ascii=False) + "\n"
    for name, text in texts.items():
        target = folder / name
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if check:
            if current != text:
                stale.append(
                    Finding(str(target), "stale-schema", "missing" if current is None else "out of date",
                            hint=f"run `cardwright schema -o {output_dir}` and commit the result")
                )
        elif current != text:
            atomic_write(target, text)
            _echo_err(f"wrote {target}")
    if stale:
        raise CardwrightError(stale)
    if check:
        _echo_err(f"{folder}: schemas are current")
    return 0


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Results file to write. [default: the card's `results:`, else CARD.results.json beside the card]")
@click.option("--engine", type=click.Choice(["auto", "arrow", "duckdb", "spark"]), default=None, help="Where the counting runs. [default: the card's `engine`, else auto]")
@click.option("--progress/--no-progress", default=None, help="Progress bar on standard error. [default: when it is a terminal]")
@run_options
def compute(file: str, output: str | None, engine: str | None, progress: bool | None, max_groups: int | None,
            timeout: float | None, **limits: Any) -> int:
    """Compute a model card's quantitative analyses or a datasheet's composition statistics;
    exit 1 when a gate fails (after writing the results)."""
    from ._io import refuse_input_overwrite
    from .compute import compute_card, results_path, write_results
    from .config import time_limit

    card, policy = load_bounded(file, limits)
    spec = getattr(card, "quantitative_analyses", None) or getattr(card, "data", None)
    if engine is not None and spec is not None:
        spec.engine = engine
    target = Path(output) if output else results_path(card)
    refuse_input_overwrite(target, [Path(file), *_data_files(card)])
    with time_limit(policy.timeout if timeout is None else timeout, file):
        results = compute_card(card, progress=sys.stderr.isatty() if progress is None else progress,
                               max_groups=max_groups or policy.max_groups)
        written = write_results(card, results, target)
    failed = [g for g in getattr(results, "gates", []) if not g.passed]
    for g in failed:
        limit = f"{'max_difference' if g.kind == 'max_difference' else 'min_ratio'} {g.limit:g}"
        _echo_err(f"{file}: gate failed: {g.metric} over {' x '.join(g.over)}: {g.value if g.value is None else f'{g.value:.4g}'} ({limit}){': ' + g.reason if g.reason else ''}")
    _echo_err(f"wrote {written}")
    return 1 if failed else 0


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path())
@click.option("--to", "fmt", type=click.Choice(["md", "html", "pdf", "json", "confluence"]), required=True, help="Output format (`confluence`: storage-format XHTML, charts as attachments).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write; `-` for standard output. [default: the card's name with the format's extension, beside it]")
@click.option("--template-dir", type=click.Path(file_okay=False), help="Folder of override templates, searched before the packaged ones.")
@run_options
def render(file: str, fmt: str, output: str | None, template_dir: str | None, max_groups: int | None,
           timeout: float | None, **limits: Any) -> int:
    """Render a card to Markdown, HTML, PDF or JSON; computes its results first when they are
    missing or stale."""
    from .config import time_limit

    card, policy = load_bounded(file, limits)
    with time_limit(policy.timeout if timeout is None else timeout, file):
        return _render(card, file, fmt, output, template_dir, max_groups or policy.max_groups)


def _render(card: Any, file: str, fmt: str, output: str | None, template_dir: str | None, max_groups: int) -> int:
    import warnings

    from ._io import atomic_write, refuse_input_overwrite
    from .compute import check_results, compute_card, load_results, write_results
    from .render import render as render_card
    from .render.pdf import BlockedResourceWarning

    stale = [f for f in check_results(card) if f.code in ("missing-results", "stale-results")]
    if stale:
        _echo_err(f"{file}: {stale[0].message}; computing the results first")
        results = compute_card(card, progress=False, max_groups=max_groups)
        _echo_err(f"wrote {write_results(card, results)}")
    else:
        results = load_results(card)
    suffix = {"md": ".md", "html": ".html", "pdf": ".pdf", "json": ".json", "confluence": ".confluence.xml"}[fmt]
    name = Path(file).name
    stem = name[: -len(Path(name).suffix)] if Path(name).suffix in (".yaml", ".yml") else name
    target = None if output == "-" else Path(output) if output else Path(file).with_name(stem + suffix)
    if target is not None:
        refuse_input_overwrite(target, [Path(file), *_data_files(card)])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BlockedResourceWarning)
        if fmt == "confluence":
            from .workflows.confluence import render_confluence_files

            text = render_confluence_files(card, results, target, template_dir=template_dir, echo=_echo_err)
        else:
            text = render_card(card, results, to=fmt, template_dir=template_dir)
    for w in caught:
        if isinstance(w.message, BlockedResourceWarning):
            _echo_err(w.message.finding.format())
    if target is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            click.echo(text, nl=False)
        return 0
    _echo_err(f"wrote {atomic_write(target, text)}")
    return 0


def _run(argv: list[str] | None) -> int:
    try:
        rv = cli.main(args=argv, prog_name="cardwright", standalone_mode=False)
    except click.exceptions.Exit as e:
        return int(e.exit_code)
    except click.exceptions.Abort:
        _echo_err("interrupted")
        return 130
    except click.ClickException as e:
        e.show()
        return 2
    return int(rv or 0)


# The workflow commands register themselves on `cli` when their module is imported.
from . import cli_workflows  # noqa: E402, F401


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script and `python -m cardwright`."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or os.environ.get("CARDWRIGHT_DEBUG") == "1"
    try:
        code = _run(args)
    except CardwrightError as e:
        if debug:
            raise
        for f in e.findings:
            _echo_err(f.format())
        code = e.exit_code
    except KeyboardInterrupt:
        _echo_err("interrupted")
        code = 130
    except BrokenPipeError:
        code = 0
    except Exception as e:  # an internal error: exit 2, never 0, traceback only with --debug
        if debug:
            raise
        _echo_err(f"cardwright: internal error: {type(e).__name__}: {e}")
        _echo_err("  hint: run again with --debug for the traceback, and please report it")
        code = 2
    sys.stdout.flush()
    sys.exit(code)
