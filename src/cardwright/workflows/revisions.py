"""Reading a card as it was in a git revision (`REV:path`), with the files it refers to."""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..errors import CardError, CardwrightError, Finding

if TYPE_CHECKING:
    from ..schema.card import Card


def is_revision(spec: str) -> bool:
    """Whether ``spec`` is ``REV:path`` rather than a file (an existing file always wins)."""
    if Path(spec).exists() or ":" not in spec:
        return False
    rev, _, path = spec.partition(":")
    return bool(rev) and bool(path) and not (len(rev) == 1 and rev.isalpha() and path.startswith("\\"))


def _git(args: list[str], cwd: Path, spec: str) -> bytes:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as e:
        raise CardwrightError(Finding(spec, "git", "git is not installed", hint="install git, or pass two files")) from e
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CardwrightError(
            Finding(spec, "git", message[-1] if message else "git failed",
                    hint="write REV:path with a revision git knows (e.g. HEAD~1, main, v3.0.0) and the card's path")
        )
    return proc.stdout


def _show(rev: str, rel: PurePosixPath, root: Path) -> bytes | None:
    proc = subprocess.run(["git", "show", f"{rev}:{rel.as_posix()}"], cwd=root, capture_output=True, check=False)
    return proc.stdout if proc.returncode == 0 else None


def _normal(path: PurePosixPath) -> PurePosixPath | None:
    parts: list[str] = []
    for p in path.parts:
        if p == "..":
            if not parts:
                return None
            parts.pop()
        elif p not in (".", ""):
            parts.append(p)
    return PurePosixPath(*parts)


def _references(text: str) -> list[str]:
    """Relative paths a card names that loading or diffing needs (datasheets, results, schema)."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return []
    if not isinstance(data, dict):
        return []
    refs: list[str] = []
    for section in ("evaluation_data", "training_data"):
        for ds in (data.get(section) or {}).get("datasets") or []:
            if isinstance(ds, dict) and isinstance(ds.get("datasheet"), str):
                refs.append(ds["datasheet"])
    spec = data.get("quantitative_analyses") or data.get("data")
    if isinstance(spec, dict) and isinstance(spec.get("results"), str):
        refs.append(spec["results"])
    if isinstance(data.get("extensions_schema"), str):
        refs.append(data["extensions_schema"])
    return refs


def load_revision(spec: str, workdir: Path) -> Card:
    """Load the card ``REV:path`` (``path`` relative to the current folder) into ``workdir``.

    The card and the files it names (datasheets, results, extensions schema) are copied out of
    git at their relative places, so the card loads and validates as it did at that revision.
    """
    from ..schema.loading import check_card

    rev, _, raw = spec.partition(":")
    here = Path.cwd()
    root = Path(_git(["rev-parse", "--show-toplevel"], here, spec).decode().strip())
    target = (here / raw).resolve() if not raw.startswith("/") else Path(raw)
    try:
        rel = PurePosixPath(target.relative_to(root.resolve()).as_posix())
    except ValueError as e:
        raise CardwrightError(Finding(spec, "git", f"{raw} is outside the repository at {root}")) from e
    text = _git(["show", f"{rev}:{rel.as_posix()}"], root, spec)
    card_file = workdir / rel
    card_file.parent.mkdir(parents=True, exist_ok=True)
    card_file.write_bytes(text)
    config = _show(rev, PurePosixPath("cardwright.toml"), root)
    (workdir / "cardwright.toml").write_bytes(config or b"")
    pending = [(rel, text.decode("utf-8", "replace"))]
    seen = {rel}
    stem = rel.name.rsplit(".", 1)[0]
    default_results = rel.parent / f"{stem}.results.json"
    extra = [default_results]
    while pending:
        current, body = pending.pop()
        wanted = [_normal(current.parent / r) for r in _references(body)] + extra
        extra = []
        for ref in wanted:
            if ref is None or ref in seen:
                continue
            seen.add(ref)
            content = _show(rev, ref, root)
            if content is None:
                continue
            out = workdir / ref
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(content)
            if ref.suffix in (".yaml", ".yml"):
                pending.append((ref, content.decode("utf-8", "replace")))
                ds_stem = ref.name.rsplit(".", 1)[0]
                extra.append(ref.parent / f"{ds_stem}.results.json")
    card, findings = check_card(card_file, display=spec)
    if card is None:
        raise CardError([f for f in findings if f.severity == "error"] or findings)
    return card


def load_side(spec: str, stack: contextlib.ExitStack) -> Card:
    """A card from a file or ``REV:path``; ``stack`` (an ExitStack) owns any temporary folder."""
    if is_revision(spec):
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cardwright-rev-")))
        return load_revision(spec, workdir)
    from ..schema.loading import load_card

    return load_card(spec)
