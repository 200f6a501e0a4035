"""`cardwright serve CARD_OR_FOLDER`: a live preview, as `mkdocs serve` is for docs.

The cards are rendered to HTML in memory and served from loopback (``127.0.0.1``) unless another
host is asked for.  A watcher notices every save of a card, the data it names or the datasheets it
links; each change re-validates the card, recomputes its results when the data or settings changed
(:func:`cardwright.results_for`, in memory: nothing is written), renders it again, and tells open
pages over server-sent events, which reload.  Findings (an invalid card, a stale or failing
computation) show in a panel at the top of the page.  Ctrl-C stops the server cleanly.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import CardwrightError, Finding

LOOPBACK = "127.0.0.1"
RELOAD = """<script>
(function () {
  var shown = "%s";
  var source = new EventSource("/__events");
  source.onmessage = function (e) { if (e.data !== shown) { source.close(); location.reload(); } };
})();
</script>"""
PANEL_STYLE = ("position:sticky;top:0;z-index:10;margin:0 0 1rem;padding:.6rem 1rem;background:#fff4d6;"
               "border-bottom:2px solid #b07d00;font:14px/1.4 'DejaVu Sans',Arial,sans-serif;color:#1a1a1a")


@dataclass
class Page:
    """One card's current preview."""

    source: Path
    html: str = ""
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Preview:
    """What the server shows and the watcher updates, guarded by one condition."""

    root: Path
    pages: dict[str, Page] = field(default_factory=dict)
    version: int = 0
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, pages: dict[str, Page]) -> None:
        with self.changed:
            self.pages = pages
            self.version += 1
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()


def card_files(root: Path) -> list[Path]:
    """The card a single file names, or every card under a folder."""
    if root.is_file():
        return [root]
    from .site import discover

    return discover(root)


def _panel(findings: list[Finding]) -> str:
    if not findings:
        return ""
    items = "".join(f"<li><code>{html.escape(f.format())}</code></li>" for f in findings)
    errors = sum(f.severity == "error" for f in findings)
    title = (f"{errors} error{'s' * (errors != 1)}" if errors else "Warnings") + " — fix the card and save; the page reloads"
    return (f'<aside id="cardwright-findings" role="alert" style="{PANEL_STYLE}"><strong>{html.escape(title)}'
            f'</strong><ul style="margin:.3rem 0 0;padding-left:1.2rem">{items}</ul></aside>')


def build_page(path: Path) -> Page:
    """Validate, compute if stale, render: the preview of one card (never raises for a bad card)."""
    from .. import render, results_for
    from ..schema.datasheet import Datasheet
    from ..schema.loading import check_card
    from ..schema.model_card import ModelCard

    page = Page(path)
    card, findings = check_card(path, display=str(path))
    page.findings = list(findings)
    if not isinstance(card, (ModelCard, Datasheet)):
        return page
    try:
        results = results_for(card, write=False, on_warning=page.findings.append)
        page.html = str(render(card, results, to="html", on_warning=page.findings.append))
    except CardwrightError as e:
        page.findings += e.findings
    return page


def inputs(path: Path) -> list[Path]:
    """The files a card's preview depends on: the card, its data, its datasheets, its results."""
    from .._compute.api import card_inputs, results_path
    from ..schema.datasheet import Datasheet
    from ..schema.loading import check_card
    from ..schema.model_card import ModelCard

    card, _ = check_card(path, display=str(path))
    if not isinstance(card, (ModelCard, Datasheet)):
        return [path]
    out = [path, *card_inputs(card)]
    if card.computation is not None:
        out.append(results_path(card))
    return out


def _stamp(files: list[Path]) -> tuple[tuple[str, int, int], ...]:
    out = []
    for f in files:
        try:
            st = f.stat()
            out.append((str(f), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(f), -1, -1))
    return tuple(out)


def page_name(root: Path, card: Path) -> str:
    return card.name if root.is_file() else card.relative_to(root).as_posix()


def rebuild(preview: Preview) -> list[Path]:
    """Render every card again, publish the pages, and return the files they depend on."""
    cards = card_files(preview.root)
    pages = {page_name(preview.root, c): build_page(c) for c in cards}
    preview.publish(pages)
    files = [f for c in cards for f in inputs(c)]
    return list(dict.fromkeys(files))


def _state(preview: Preview, watched: list[Path]) -> tuple[object, ...]:
    """What a change would change: the watched files' times and sizes, and which cards exist."""
    listing = tuple(sorted(str(p) for p in preview.root.rglob("*") if p.suffix in (".yaml", ".yml"))) \
        if preview.root.is_dir() else ()
    return (_stamp(watched), listing)


def watch(preview: Preview, watched: list[Path], interval: float = 0.25,
          rebuilt: Callable[[int], None] = lambda _version: None) -> None:
    """Rebuild whenever a watched file changes (checked every ``interval`` seconds), until the
    preview stops."""
    state = _state(preview, watched)
    while True:
        with preview.changed:
            preview.changed.wait(interval)
            if preview.stopping:
                return
        now = _state(preview, watched)
        if now != state:
            watched = rebuild(preview)
            state = _state(preview, watched)
            rebuilt(preview.version)


def _index(preview: Preview) -> str:
    rows = "".join(
        f'<li><a href="/{html.escape(name)}">{html.escape(name)}</a>'
        + (f" — {sum(f.severity == 'error' for f in page.findings)} errors" if not page.html else "") + "</li>"
        for name, page in sorted(preview.pages.items()))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>cardwright preview</title></head>'
            f"<body><main><h1>Cards under {html.escape(str(preview.root))}</h1><ul>{rows}</ul></main>"
            f"{RELOAD % preview.version}</body></html>")


def _with_preview(page: Page, version: int) -> str:
    body = page.html or ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>'
                         f"{html.escape(page.source.name)}</title></head><body><main><h1>"
                         f"{html.escape(page.source.name)}</h1><p>The card cannot be rendered until it is valid.</p>"
                         "</main></body></html>")
    body = body.replace("<body>", "<body>" + _panel(page.findings), 1)
    return body.replace("</body>", RELOAD % version + "</body>", 1)


def _stream_events(preview: Preview, write: Callable[[bytes], None]) -> None:
    """Server-sent events: the build number now and after every rebuild, until the preview stops."""
    sent = -1
    while True:
        with preview.changed:
            if preview.version == sent and not preview.stopping:
                preview.changed.wait(15)
            if preview.stopping:
                return
            version = preview.version
        write(f"data: {version}\n\n".encode() if version != sent else b": keep-alive\n\n")
        sent = version


def _page_for(preview: Preview, path: str) -> tuple[int, str]:
    """The status and HTML of a request for ``path`` (a card's name, or the index)."""
    with preview.changed:
        pages, version = dict(preview.pages), preview.version
    if not path and preview.root.is_file():
        path = next(iter(pages), "")
    if not path:
        return 200, _index(preview)
    if path in pages:
        return 200, _with_preview(pages[path], version)
    return 404, "<!DOCTYPE html><title>not found</title><p>No such card in this preview.</p>"


LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def host_name(header: str | None) -> str:
    """The host of a ``Host`` header, without its port (``[::1]:8000`` -> ``::1``)."""
    value = (header or "").strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def handler_for(preview: Preview, *, local_only: bool = True) -> type[BaseHTTPRequestHandler]:
    """The request handler.  With ``local_only`` (serving on loopback) a request must name a
    loopback host: a page elsewhere that rebinds its own name to 127.0.0.1 (DNS rebinding) could
    otherwise read the preview."""
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args: object) -> None:  # quiet: the terminal is for findings
            return

        def do_GET(self) -> None:
            if local_only and host_name(self.headers.get("Host")) not in LOCAL_NAMES:
                data = b"This preview answers only requests for 127.0.0.1 or localhost.\n"
                self.send_response(421)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            path = unquote(urlsplit(self.path).path).lstrip("/")
            if path == "__events":
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Connection", "close")
                self.end_headers()

                def write(data: bytes) -> None:
                    self.wfile.write(data)
                    self.wfile.flush()

                try:
                    _stream_events(preview, write)
                except (BrokenPipeError, ConnectionResetError):
                    return
                return
            status, text = _page_for(preview, path)
            data = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

    return Handler


def serve(root: Path, *, host: str = LOOPBACK, port: int = 8000, echo: Callable[[str], None] = print) -> None:
    """Serve the live preview of ``root`` (a card or a folder of cards) until interrupted."""
    if not root.exists():
        raise CardwrightError(Finding(str(root), "file-not-found", "no such card or folder",
                                      hint="pass a card file or a folder holding cards"))
    preview = Preview(root.resolve() if root.is_dir() else root)

    def rebuilt(version: int) -> None:
        pages = preview.pages
        errors = sum(f.severity == "error" for p in pages.values() for f in p.findings)
        echo(f"rendered {len(pages)} card{'s' * (len(pages) != 1)} (build {version})"
             + (f", {errors} error{'s' * (errors != 1)} shown in the page" if errors else ""))

    watched = rebuild(preview)
    rebuilt(preview.version)
    server = ThreadingHTTPServer((host, port), handler_for(preview, local_only=host in LOCAL_NAMES))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="cardwright-serve", daemon=True)
    thread.start()
    url = f"http://{host}:{server.server_address[1]}/"
    if host not in (LOOPBACK, "localhost", "::1"):
        echo(f"warning: serving on {host}: other machines can read these cards")
    echo(f"serving {root} on {url} (Ctrl-C stops)")
    try:
        watch(preview, watched, rebuilt=rebuilt)
    finally:
        preview.stop()
        server.shutdown()
        server.server_close()
        echo("stopped")


__all__ = ["LOOPBACK", "serve"]
