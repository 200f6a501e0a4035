"""The card commands: init, validate, schema, compute and render."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..errors import CardwrightError, Finding
from ._app import CONTEXT, echo_err, echo_finding, limit_options, load_bounded, make_limits, run_options


@click.command(context_settings=CONTEXT)
@click.argument("kind", type=click.Choice(["model-card", "datasheet"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write; `-` for standard output. [default: KIND.yaml]")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def init(kind: str, output: str | None, force: bool) -> int:
    """Write a new card with every section and question, the guidance as comments."""
    from .._io import atomic_write
    from ..schema.cross_checks import project_root
    from ..schema.scaffold import scaffold

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
    echo_err(f"wrote {target}")
    if not schema_file.exists():
        echo_err(f"hint: run `cardwright schema -o {os.path.relpath(root / 'schemas')}` so editors find the schema")
    return 0


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--strict", is_flag=True, help="Also require completeness: no empty prose, no placeholders, current results, passing gates; warnings fail.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "gitlab"]), default="text", show_default=True, help="Output format.")
@limit_options
def validate(files: tuple[str, ...], strict: bool, fmt: str, **limits: int | None) -> int:
    """Check cards against the schema and each other; report every problem at once."""
    from ..report import render_findings
    from ..validation import failed, validate_paths

    findings = validate_paths(list(files), strict=strict, limits=make_limits(**limits))
    click.echo(render_findings(findings, fmt), nl=False)
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    notes = len(findings) - errors - warnings
    if fmt == "text":
        n = len(files)
        if findings:
            also = f", {notes} note{'s' * (notes != 1)}" if notes else ""
            echo_err(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}{also} in {n} file{'s' * (n != 1)}")
        else:
            echo_err(f"{n} file{'s' * (n != 1)} valid{' (strict)' if strict else ''}")
    return 1 if failed(findings, strict=strict) else 0


@click.command(context_settings=CONTEXT)
@click.option("-o", "--output-dir", type=click.Path(file_okay=False), default="schemas", show_default=True, help="Folder to write the JSON Schemas to.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the files in the folder are not current.")
def schema(output_dir: str, check: bool) -> int:
    """Write the JSON Schemas of cards and results files (for editors and other tools)."""
    import json

    from .._io import atomic_write
    from .._render.json import rendered_json_schema
    from ..schema.json_schema import generate

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
            echo_err(f"wrote {target}")
    if stale:
        raise CardwrightError(stale)
    if check:
        echo_err(f"{folder}: schemas are current")
    return 0


@click.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Results file to write; `-` for standard output. [default: the card's `results:`, else CARD.results.json beside the card]")
@click.option("--engine", type=click.Choice(["auto", "arrow", "duckdb", "spark"]), default=None, help="Where the counting runs. [default: the card's `engine`, else auto]")
@click.option("--progress/--no-progress", default=None, help="Progress bar on standard error. [default: when it is a terminal]")
@run_options
def compute(file: str, output: str | None, engine: str | None, progress: bool | None, max_groups: int | None,
            timeout: float | None, **limits: int | None) -> int:
    """Compute a model card's quantitative analyses or a datasheet's composition statistics;
    exit 1 when a gate of severity error fails (after writing the results)."""
    from .. import compute as compute_card
    from .._compute.api import check_results_target, gate_findings, results_path, write_results
    from ..config import time_limit
    from ..schema.results import AnalysisResults

    card, policy = load_bounded(file, limits)
    target = Path(output) if output else results_path(card)
    check_results_target(card, Path(output) if output else None)
    with time_limit(policy.timeout if timeout is None else timeout, file):
        results = compute_card(card, engine=engine, progress=sys.stderr.isatty() if progress is None else progress,
                               max_groups=max_groups or policy.max_groups, on_warning=echo_finding)
        written = write_results(card, results, target)
    failed = [g for g in results.gates if not g.passed] if isinstance(results, AnalysisResults) else []
    if isinstance(results, AnalysisResults):
        for finding in gate_findings(card, results):  # located at the gate, with its hint
            echo_finding(finding)
    if output != "-":
        from .._io import shown

        echo_err(f"wrote {shown(written)}")
    return 1 if any(g.blocking for g in failed) else 0


@click.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path())
@click.option("--to", "fmt", type=click.Choice(["md", "html", "pdf", "json", "confluence"]), required=True, help="Output format (`confluence`: storage-format XHTML, charts as attachments).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write; `-` for standard output. [default: the card's name with the format's extension, beside it]")
@click.option("--template-dir", type=click.Path(file_okay=False), help="Folder of override templates, searched before the packaged ones.")
@click.option("--appendix/--no-appendix", default=None, help="End with the full tables: every intersection and every difference. [default: in md and html; in pdf when the policy sets pdf_appendix]")
@run_options
def render(file: str, fmt: str, output: str | None, template_dir: str | None, appendix: bool | None,
           max_groups: int | None, timeout: float | None, **limits: int | None) -> int:
    """Render a card to Markdown, HTML, PDF or JSON; computes its results first when they are
    missing or stale."""
    from .. import render as render_card
    from .. import results_for
    from .._compute.api import card_inputs
    from .._io import atomic_write, refuse_input_overwrite
    from ..config import time_limit

    card, policy = load_bounded(file, limits)
    suffix = {"md": ".md", "html": ".html", "pdf": ".pdf", "json": ".json", "confluence": ".confluence.xml"}[fmt]
    name = Path(file).name
    stem = name[: -len(Path(name).suffix)] if Path(name).suffix in (".yaml", ".yml") else name
    target = None if output == "-" else Path(output) if output else Path(file).with_name(stem + suffix)
    if target is not None:
        refuse_input_overwrite(target, card_inputs(card))
    with time_limit(policy.timeout if timeout is None else timeout, file):
        results = results_for(card, write=True, max_groups=max_groups or policy.max_groups, on_warning=echo_finding)
        if fmt == "confluence":
            from ..workflows.confluence import render_confluence_files

            text: str | bytes = render_confluence_files(card, results, target, template_dir=template_dir,
                                                        echo=echo_err, on_warning=echo_finding)
        else:
            if appendix is None and fmt == "pdf" and policy.pdf_appendix:
                appendix = True
            text = render_card(card, results, to=fmt, template_dir=template_dir, appendix=appendix,
                               on_warning=echo_finding)
    if target is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            click.echo(text, nl=False)
        return 0
    echo_err(f"wrote {atomic_write(target, text)}")
    return 0


COMMANDS = [init, validate, schema, compute, render]
