"""The workflow commands: diff, hash, build, export and import (registered on the same
`cardwright` group as the card commands, see :mod:`cardwright.cli`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..errors import CardwrightError, Finding, UsageError
from ..workflows.importing import SOURCES
from ._app import CONTEXT, echo_err, limit_options, load_bounded, make_limits


@click.command("diff", context_settings=CONTEXT)
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True, help="Output format (`markdown` for a pull-request comment).")
@click.option("--fail-on", type=click.Choice(["never", "regression"]), default="never", show_default=True, help="`regression`: exit 1 when a gate flips to failed or a disparity grows beyond --tolerance.")
@click.option("--tolerance", type=click.FloatRange(0), default=0.01, show_default=True, help="How much a disparity (absolute difference) may grow before it counts as grown.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write instead of standard output.")
def diff_command(old: str, new: str, fmt: str, fail_on: str, tolerance: float, output: str | None) -> int:
    """What changed between two versions of a card (files, or REV:path read from git): metrics
    with their intervals first, then disparities, gates, slices and every changed field."""
    from ..workflows.diff import diff_paths
    from ..workflows.diff_format import FORMATTERS

    result = diff_paths(old, new, tolerance=tolerance)
    text = FORMATTERS[fmt](result)
    if output:
        from .._io import atomic_write, refuse_input_overwrite

        refuse_input_overwrite(Path(output), [Path(p) for p in (old, new) if Path(p).exists()])
        echo_err(f"wrote {atomic_write(output, text)}")
    else:
        click.echo(text, nl=False)
    if fail_on == "regression" and result["regressions"]:
        echo_err(f"{len(result['regressions'])} regression{'s' * (len(result['regressions']) != 1)}")
        return 1
    return 0


@click.command("hash", context_settings=CONTEXT)
@click.argument("file", type=click.Path())
def hash_command(file: str) -> int:
    """Print a card's content hash (its content and results), to record as an approval's
    `content_sha256`."""
    from .. import load
    from ..policy import content_sha256

    click.echo(content_sha256(load(file)))
    return 0


@click.command(context_settings=CONTEXT)
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("-o", "--output-dir", type=click.Path(file_okay=False), required=True, help="Folder to write the site to.")
@click.option("--template-dir", type=click.Path(file_okay=False), help="Folder of override templates, searched before the packaged ones.")
@click.option("--force", is_flag=True, help="Render every card, even those whose inputs did not change.")
def build(directory: str, output_dir: str, template_dir: str | None, force: bool) -> int:
    """Every card under DIRECTORY to a static HTML site with an index; model cards and
    datasheets link both ways.  Only cards whose inputs changed are rendered again."""
    from ..workflows.site import build_site

    report = build_site(Path(directory), Path(output_dir), template_dir=template_dir, force=force, echo=echo_err)
    echo_err(f"{output_dir}: {len(report.rendered)} rendered, {len(report.unchanged)} unchanged, {len(report.failed)} failed")
    return 1 if report.failed else 0


@click.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path())
@click.option("--to", "fmt", type=click.Choice(["huggingface", "cyclonedx"]), required=True, help="Target format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write; `-` for standard output. [default: README.md or CARD.cdx.json beside the card]")
@click.option("--force", is_flag=True, help="Replace the output file even if cardwright did not write it or it was edited since.")
def export(file: str, fmt: str, output: str | None, force: bool) -> int:
    """Export a card as a Hugging Face README (model card with model-index, or dataset card) or a
    CycloneDX 1.6 ML-BOM (a modelCard, or a data component).  Each export carries a mark with the
    digest of its content; an existing file is replaced only when it is cardwright's own,
    unchanged export (or with --force)."""
    from .. import load_results
    from .._compute.api import card_inputs
    from .._io import atomic_write, refuse_input_overwrite
    from .._owned import check_overwrite, mark

    card, _ = load_bounded(file, {})
    results = load_results(card) if card.computation is not None else None
    if fmt == "huggingface":
        from ..workflows.export_hf import export_huggingface

        text = mark(export_huggingface(card, results, warn=lambda m: echo_err(f"{file}: not exported: {m}")),
                    "markdown")
        default = Path(file).with_name("README.md")
    else:
        from ..workflows.export_cyclonedx import export_cyclonedx

        text = mark(export_cyclonedx(card, results), "json")
        name = Path(file).name
        default = Path(file).with_name(name.rsplit(".", 1)[0] + ".cdx.json")
    if output == "-":
        click.echo(text, nl=False)
        return 0
    target = Path(output) if output else default
    refuse_input_overwrite(target, card_inputs(card))
    check_overwrite(target, "markdown" if fmt == "huggingface" else "json", force)
    echo_err(f"wrote {atomic_write(target, text)}")
    return 0


@click.command("import", context_settings=CONTEXT)
@click.argument("file", type=click.Path())
@click.option("--from", "source", type=click.Choice(SOURCES), required=True, help="Format of FILE: Model Card Toolkit JSON, a Hugging Face README (model or dataset card), or an lm-evaluation-harness results.json.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Card to write; `-` for standard output. [default: model-card.yaml or datasheet.yaml]")
@click.option("--into", "into", type=click.Path(dir_okay=False), help="An existing model card to add FILE's reported results to (nothing else in it changes).")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@limit_options
def import_command(file: str, source: str, output: str | None, into: str | None, force: bool, **limits: int | None) -> int:
    """Convert another tool's card (or an evaluation harness's results) into cardwright YAML; what
    could not be mapped is listed on standard error and as comments at the top of the card.  With
    --into, FILE's reported results are added to an existing card instead, keeping its comments
    and layout (or nothing is written, and the reason is given)."""
    from .._io import atomic_write
    from ..workflows.importing import import_card

    given = make_limits(**limits)
    if into and output:
        raise UsageError(Finding("--into", "usage", "give --into or -o, not both",
                                 hint="--into adds to an existing card; -o writes a new one"))
    conversion = import_card(Path(file), source, limits=given)
    for item in conversion.unmapped:
        echo_err(f"{file}: not mapped: {item}")
    if into:
        return _import_into(Path(into), conversion, given)
    if output == "-":
        click.echo(conversion.text, nl=False)
        return 0
    target = Path(output or f"{conversion.kind}.yaml")
    if target.exists() and not force:
        raise CardwrightError(
            Finding(str(target), "output", "the file exists; not overwriting it",
                    hint="add its reported results to it with --into, choose another name with -o, or replace it with --force")
        )
    echo_err(f"wrote {atomic_write(target, conversion.text)} ({len(conversion.unmapped)} item{'s' * (len(conversion.unmapped) != 1)} not mapped)")
    return 0


def _import_into(card: Path, conversion: Any, limits: Any) -> int:
    from .._io import atomic_write
    from ..workflows.merge_reported import merge_reported

    rows = (conversion.data.get("reported_results") or {}).get("results") or []
    if not rows:
        raise CardwrightError(Finding(str(card), "import", "the file holds no reported results to add",
                                      hint="import it without --into to convert the whole card"))
    merge = merge_reported(card, rows, limits=limits)
    for item in merge.skipped:
        echo_err(f"{card}: skipped: {item}")
    if merge.added:
        atomic_write(card, merge.text)
    echo_err(f"{card}: {merge.added} reported result{'s' * (merge.added != 1)} added, {len(merge.skipped)} already there; "
             "nothing else in the card changed")
    return 0


COMMANDS = [diff_command, hash_command, build, export, import_command]
