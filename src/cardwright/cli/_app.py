"""What every command shares: the `cardwright` group, common options, reading a card within
the limits, and printing to standard error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .._version import __version__
from ..errors import Finding, terminal_safe

if TYPE_CHECKING:
    from ..config import Policy
    from ..schema.card import Card
    from ..schema.yaml_loader import Limits

CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
Command = TypeVar("Command", bound=Callable[..., Any])


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


def limit_options(fn: Command) -> Command:
    """Options raising the safety limits for reading cards."""
    fn = click.option("--max-depth", type=click.IntRange(1), help="Deepest YAML nesting allowed [default: 64].")(fn)
    fn = click.option(
        "--max-nodes", type=click.IntRange(1), help="Most YAML values after alias expansion [default: 100000]."
    )(fn)
    fn = click.option("--max-bytes", type=click.IntRange(1), help="Largest card file in bytes [default: 2 MiB].")(fn)
    return fn


def run_options(fn: Command) -> Command:
    """Options bounding a compute or render: the card-reading limits, groups per factor, time."""
    fn = click.option("--timeout", type=click.FloatRange(0), help="Seconds before the command stops; 0: no limit [default: 600].")(fn)
    fn = click.option("--max-groups", type=click.IntRange(1), help="Most distinct groups one factor may have [default: 1000].")(fn)
    return limit_options(fn)


def make_limits(max_bytes: int | None, max_depth: int | None, max_nodes: int | None) -> Limits | None:
    """The limits the flags give (``None``: no flag given, the policy's limits apply)."""
    from ..schema.yaml_loader import Limits

    given = {"max_bytes": max_bytes, "max_depth": max_depth, "max_nodes": max_nodes}
    if all(v is None for v in given.values()):
        return None
    return Limits(**{k: v for k, v in given.items() if v is not None})


def load_bounded(file: str, limits: dict[str, int | None]) -> tuple[Card, Policy]:
    """The card at ``file`` read within the flags' or the policy's limits, and that policy."""
    from .. import load
    from ..config import load_policy

    policy = load_policy(file if Path(file).exists() else ".")
    given = make_limits(**limits) if limits else None
    return load(file, limits=given or policy.limits()), policy


def echo_err(text: str) -> None:
    """Print to standard error (a trailing newline is added when missing), without terminal
    control sequences: messages may quote card text and file names."""
    text = terminal_safe(text)
    click.echo(text, err=True, nl=not text.endswith("\n"))


def echo_finding(finding: Finding) -> None:
    """Print a finding as `path:line:col: severity[code]: message` (the warning callback of every command)."""
    echo_err(finding.format())
