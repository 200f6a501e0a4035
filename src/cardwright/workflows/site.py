"""`cardwright build DIR -o SITE`: every card under a folder as a static HTML site.

* One self-contained page per card (the renderer's HTML: inline CSS, SVG charts, images inlined),
  at the card's relative path with ``.html``; an ``index.html`` listing every card.
* Model cards link to the pages of the datasheets they name; datasheets list the model cards
  that use them.  All links are relative, so the site works from ``file://`` and any static host.
* Incremental: a page is rendered again only when the hash of its inputs changed (the card, its
  results, the datasheets it names, the cards linking to it, the templates, the cardwright
  version), recorded in ``SITE/.cardwright-site.json``.  Output is deterministic.
* Safe to run on a repository of other people's files: two cards that would share a page (or
  take the index's name) are an error before anything is written; pages are written only inside
  the site folder; a page whose card is gone is deleted only when the manifest records that
  cardwright wrote it (its SHA-256 under ``written``), it still has that content, and it is an
  ``.html`` file inside the site folder, whatever an edited manifest claims.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CardwrightError, Finding
from . import site_index
from .site_index import Row

if TYPE_CHECKING:
    from ..schema.card import Card
    from ..schema.results import Results

MANIFEST = ".cardwright-site.json"
_KIND = re.compile(r"^kind:\s*['\"]?(model-card|datasheet)\b", re.M)


@dataclass
class SiteReport:
    rendered: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[Finding] = field(default_factory=list)


@dataclass
class _Entry:
    source: Path
    page: str  # relative to the site root, posix
    card: Card
    results: Results | None = None
    results_note: str = ""
    used_by: list[dict[str, str]] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)


def discover(root: Path, exclude: Path | None = None, echo: Callable[[str], None] | None = None) -> list[Path]:
    """Card files under ``root`` (YAML files whose top level says ``kind: model-card|datasheet``).
    A link to a file outside ``root`` is left out (as links to folders are), said through ``echo``."""
    out = []
    skip = exclude.resolve() if exclude is not None else None
    inside = root.resolve()
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if skip is not None and path.resolve().is_relative_to(skip):
            continue
        if not path.resolve().is_relative_to(inside):
            if echo is not None:
                echo(f"warning: {path}: a link to {path.resolve()}, outside {root}: left out of the site")
            continue
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:65536]
        except OSError:
            continue
        if _KIND.search(head):
            out.append(path)
    return out


def _href(from_page: str, to_page: str) -> str:
    return Path(os.path.relpath(to_page, Path(from_page).parent.as_posix() or ".")).as_posix()


def _sha_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _templates_digest(template_dir: str | Path | None) -> str:
    from .._render.env import PACKAGED

    h = hashlib.sha256()
    for folder in [PACKAGED] + ([Path(template_dir)] if template_dir else []):
        for f in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(f.relative_to(folder).as_posix().encode() + b"\0" + _sha_file(f).encode())
    return h.hexdigest()


def _results_for(card: Card, echo: Callable[[str], None], report: SiteReport) -> tuple[Results | None, str]:
    """The card's results and a note; computed in memory (the source folder is not written) when
    missing or stale.  A results file edited by hand fails the build (the card is left out of it)."""
    from .. import results_for

    notes: list[str] = []

    def stale(finding: Finding) -> None:
        notes.append(finding.message)
        echo(finding.format())

    try:
        return results_for(card, write=False, on_warning=stale), "; ".join(notes)
    except CardwrightError as e:
        for f in e.findings:
            echo(f.format())
        tampered = [f for f in e.findings if f.code == "tampered-results"]
        report.failed.extend(tampered)
        return None, TAMPERED if tampered else "results could not be computed"


TAMPERED = "its results file was changed after cardwright wrote it"


def _input_hash(entry: _Entry, extra: list[Path], templates: str) -> str:
    from .._version import __version__

    h = hashlib.sha256()
    h.update(f"cardwright {__version__}\0{templates}\0".encode())
    for path in [entry.source, *extra]:
        h.update(path.as_posix().encode() + b"\0" + (_sha_file(path).encode() if path.exists() else b"-") + b"\0")
    results = entry.results.model_dump(mode="json") if entry.results is not None else None
    h.update(json.dumps({"results": results, "note": entry.results_note, "used_by": entry.used_by,
                         "links": entry.links, "page": entry.page}, sort_keys=True).encode())
    return h.hexdigest()


def _load_entries(root: Path, out_dir: Path, echo: Callable[[str], None], report: SiteReport) -> list[_Entry]:
    from ..schema.loading import check_card

    entries = []
    for path in discover(root, exclude=out_dir, echo=echo):
        rel = path.relative_to(root).as_posix()
        card, findings = check_card(path, display=str(path))
        if card is None:
            report.failed.extend(f for f in findings if f.severity == "error")
            echo(f"{path}: invalid, left out of the site (run `cardwright validate {path}`)")
            continue
        page = rel.rsplit(".", 1)[0] + ".html"
        entries.append(_Entry(source=path, page=page, card=card))
    return entries


def _link(entries: list[_Entry]) -> None:
    by_source = {e.source.resolve(): e for e in entries}
    for e in entries:
        if e.card.kind != "model-card":
            continue
        for section in (e.card.evaluation_data, e.card.training_data):
            for ref in section.datasets:
                if not ref.datasheet:
                    continue
                target = by_source.get(e.card.resolve(ref.datasheet))
                if target is None:
                    continue
                e.links[ref.datasheet] = _href(e.page, target.page)
                item = {"title": f"{e.card.model_details.name} {e.card.model_details.version}",
                        "href": _href(target.page, e.page)}
                if item not in target.used_by:
                    target.used_by.append(item)
    for e in entries:
        e.used_by.sort(key=lambda i: (i["title"], i["href"]))


def check_page_names(entries: list[_Entry]) -> None:
    """Two cards that would be written to one page (``card.yaml`` and ``card.yml``; names that
    differ only in case, one file on some systems), or a card that would replace the index: an
    error naming both, before anything is written."""
    taken: dict[str, _Entry] = {}
    problems = []
    for e in entries:
        key = e.page.casefold()
        if key == "index.html":
            problems.append(Finding(str(e.source), "output", f"the card would be written to {e.page}, the site's index page",
                                    hint="rename the card file (any name but index)"))
        elif key in taken:
            other = taken[key]
            problems.append(Finding(str(e.source), "output", f"the card and {other.source} would both be written to "
                                    f"{other.page}", hint="rename one of the two card files"))
        else:
            taken[key] = e
    if problems:
        raise CardwrightError(problems)


def page_target(out_dir: Path, page: str) -> Path | None:
    """Where ``page`` (a relative ``.html`` path from the manifest or a card) lives in the site:
    ``None`` unless it is a plain relative path that stays inside ``out_dir`` after following links."""
    rel = Path(page)
    if rel.is_absolute() or not page or ".." in rel.parts or rel.suffix != ".html" or "\\" in page:
        return None
    target = out_dir / rel
    root = out_dir.resolve()
    return target if target.parent.resolve().is_relative_to(root) else None


def _read_manifest(path: Path) -> dict[str, Any]:
    from .._io import refuse_special

    try:
        refuse_special(path)
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (ValueError, OSError, CardwrightError):
        return {}
    return data if isinstance(data, dict) else {}


def _recorded(old: dict[str, Any], key: str) -> dict[str, str]:
    value = old.get(key, {})
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(value, dict) else {}


def remove_stale_pages(out_dir: Path, written: dict[str, str], keep: set[str], report: SiteReport,
                       echo: Callable[[str], None]) -> None:
    """Delete the pages of cards that are gone: only files the manifest says cardwright wrote,
    inside the site folder, regular ``.html`` files whose content is still what was written."""
    import stat

    for page in sorted(set(written) - keep):
        target = page_target(out_dir, page)
        if target is None or page.casefold() == "index.html":
            echo(f"{out_dir / MANIFEST}: not removing {page!r}: not a page inside the site folder")
            continue
        try:
            st = target.lstat()
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(st.st_mode):
            echo(f"{target}: not removing it: not a regular file")
            continue
        if _sha_file(target) != written[page]:
            echo(f"{target}: not removing it: changed since cardwright wrote it")
            continue
        target.unlink()
        report.removed.append(page)


def build_site(root: Path, out_dir: Path, *, template_dir: str | Path | None = None, force: bool = False,
               echo: Callable[[str], None] = lambda _: None) -> SiteReport:
    """Build (or bring up to date) the site for every card under ``root`` in ``out_dir``."""
    from .._compute.reported import reported_gate_results
    from .._io import atomic_write
    from .._render.api import render

    if not root.is_dir():
        raise CardwrightError(Finding(str(root), "file-not-found", "the folder does not exist",
                                      hint="pass the folder holding your cards"))
    report = SiteReport()
    entries = []
    for e in _load_entries(root, out_dir, echo, report):
        e.results, e.results_note = _results_for(e.card, echo, report)
        if e.results_note == TAMPERED:  # a page would show it as not computed: it is left out
            echo(f"{e.source}: {TAMPERED}, left out of the site")
            continue
        entries.append(e)
    check_page_names(entries)
    _link(entries)
    manifest_path = out_dir / MANIFEST
    old = _read_manifest(manifest_path)
    old_pages, old_written = _recorded(old, "pages"), _recorded(old, "written")
    written: dict[str, str] = {}
    templates = _templates_digest(template_dir)
    pages: dict[str, str] = {}
    for e in entries:
        extra = []
        if e.card.kind == "model-card":
            extra = sorted({e.card.resolve(r.datasheet) for s in (e.card.evaluation_data, e.card.training_data)
                            for r in s.datasets if r.datasheet})
        if e.card.computation is not None:
            from .._compute.api import results_path

            extra.append(results_path(e.card))
        digest = _input_hash(e, extra, templates)
        pages[e.page] = digest
        target = page_target(out_dir, e.page)
        if target is None:
            raise CardwrightError(Finding(str(e.source), "output", f"the page {e.page} would be written outside "
                                          f"{out_dir} (through a link in the site folder)",
                                          hint="remove the link from the site folder"))
        if (not force and old_pages.get(e.page) == digest and e.page in old_written and target.is_file()
                and _sha_file(target) == old_written[e.page]):
            report.unchanged.append(e.page)
            written[e.page] = old_written[e.page]
            continue
        text = render(e.card, e.results, to="html", template_dir=template_dir, used_by=e.used_by,
                      datasheet_links=e.links, on_warning=lambda f: echo(f.format()),
                      reported_gates=reported_gate_results(e.card))
        atomic_write(target, text)
        written[e.page] = hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()
        report.rendered.append(e.page)
        echo(f"wrote {target}")
    remove_stale_pages(out_dir, old_written, set(pages), report, echo)
    atomic_write(out_dir / "index.html", index_page(entries))
    manifest = {"pages": dict(sorted(pages.items())), "written": dict(sorted(written.items()))}
    atomic_write(manifest_path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return report


def _owner(card: Card) -> str:
    if card.kind == "model-card":
        people = card.model_details.owners or card.model_details.developers
        return ", ".join(p.name for p in people)
    maintainer = (card.maintenance.maintainer or "").strip().splitlines()
    line = maintainer[0] if maintainer else ""
    return line if len(line) <= 80 else line[:77] + "…"


def _computed(e: _Entry) -> str:
    if e.results is None:
        return "not computed" if e.card.computation is not None else "—"
    stamp = e.results.provenance.computed_at
    when = stamp[:10] if stamp else "computed, undated"
    return f"{when} (recomputed for the site)" if e.results_note else when


def _gates(e: _Entry) -> tuple[str, str]:
    from ..schema.results import AnalysisResults, failed_gates

    gates = e.results.gates if isinstance(e.results, AnalysisResults) else []
    if not gates:
        return "—", ""
    failed, warned = failed_gates(gates)
    warnings = f"{warned} warning gate{'s' * (warned != 1)} failed" if warned else ""
    if failed:
        return f"{failed} of {len(gates)} failed" + (f"; {warnings}" if warned else ""), "fail"
    if warned:
        return f"{warnings} (of {len(gates)}; none blocking)", "warn"
    return f"all {len(gates)} passed", "pass"


def _summary(card: Card) -> str:
    from .._render.view import first_sentence

    return first_sentence(card.model_details.overview if card.kind == "model-card" else card.dataset.summary, 160)


def _from_root(page: str, href: str) -> str:
    """``href``, relative to ``page``, as seen from the site root (where the index lives)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href))


def _row(e: _Entry, by_source: dict[Path, _Entry]) -> Row:
    gates, cls = _gates(e)
    block = e.card.model_details if e.card.kind == "model-card" else e.card.dataset
    tags = () if e.card.kind == "model-card" else tuple(str(t) for t in e.card.dataset.tags)
    if e.card.kind == "model-card":
        named = ((by_source.get(e.card.resolve(name)), name, href) for name, href in e.links.items())
        links = tuple(sorted((_name(t.card) if t is not None else name, _from_root(e.page, href))
                             for t, name, href in named))
    else:
        links = tuple((i["title"], _from_root(e.page, i["href"])) for i in e.used_by)
    digest = e.results.provenance.data_sha256 if e.results is not None else ""
    return Row(href=e.page, name=_name(e.card), kind="Model card" if e.card.kind == "model-card" else "Datasheet",
               version=block.version or "", status=e.card.status, owner=_owner(e.card), tags=tags,
               summary=_summary(e.card), computed=_computed(e), digest=digest or "", gates=gates,
               gates_class=cls, links=links)


def index_page(entries: list[_Entry]) -> str:
    """The site's index (see `site_index`): model cards first, then datasheets, each by name."""
    order = sorted(entries, key=lambda e: (e.card.kind != "model-card", _name(e.card).lower(), e.page))
    by_source = {e.source.resolve(): e for e in entries}
    return site_index.index_page([_row(e, by_source) for e in order])


def _name(card: Card) -> str:
    return str(card.model_details.name if card.kind == "model-card" else card.dataset.name)
