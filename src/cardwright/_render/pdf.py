"""HTML to PDF through WeasyPrint, sandboxed and reproducible.

* The fetcher reads nothing from the network and no file outside the card's folder (or the
  ``--template-dir`` folder); each refused attempt becomes a ``blocked-resource`` warning.
* The PDF's dates come only from the card (``model_details.date`` / ``dataset.date``) or from
  ``SOURCE_DATE_EPOCH``, and its identifier from its own content: the same card gives the same bytes.
* WeasyPrint is imported here and only here, when a PDF is asked for; when the system libraries
  it needs (Pango, HarfBuzz) are missing, the error says which and how to install them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from ..errors import BlockedResourceWarning, Finding, UsageError, warn

INSTALL_HINT = (
    "install Pango and HarfBuzz: `apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0` "
    "(Debian/Ubuntu), `dnf install pango` (Fedora), `brew install pango` (macOS); "
    "see https://doc.courtbouillon.org/weasyprint/stable/first_steps.html"
)


def import_weasyprint() -> Any:
    """``weasyprint``, or a clear error naming the missing system libraries."""
    import contextlib
    import sys

    try:
        with contextlib.redirect_stdout(sys.stderr):  # its own banner must not end up in `-o -` output
            import weasyprint
    except ImportError as e:
        raise UsageError(
            Finding(
                "weasyprint",
                "missing-dependency",
                f"PDF output needs WeasyPrint, which is not installed ({e})",
                hint="pip install 'cardwright[pdf]'",
            )
        ) from e
    except OSError as e:  # cffi could not dlopen a system library
        missing = str(e).split("'")[1] if "'" in str(e) else "Pango"
        raise UsageError(
            Finding(
                "weasyprint",
                "missing-dependency",
                f"PDF output needs system libraries WeasyPrint could not load: {missing} ({e})",
                hint=INSTALL_HINT,
            )
        ) from e
    return weasyprint


def sandboxed_fetcher(roots: list[Path], source: str) -> Any:
    """A WeasyPrint fetcher that serves ``data:`` URIs and files inside ``roots`` only."""
    from weasyprint.urls import URLFetcher, URLFetchingError

    allowed = [r.resolve() for r in roots]

    class SandboxFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, timeout=5)

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(url2pathname(parts.path)).resolve()  # follows symlinks and ..
                if path.is_file() and any(path.is_relative_to(r) for r in allowed):
                    return super().fetch(url, headers)
            finding = Finding(
                source,
                "blocked-resource",
                f"refused to load {url!r}: only files in the card's folder are read",
                severity="warning",
                hint="put the file beside the card and refer to it by a relative path",
            )
            warn(finding, BlockedResourceWarning)
            raise URLFetchingError(f"blocked resource: {url}")

    return SandboxFetcher()


def html_to_pdf(html: str, *, base_dir: Path, source: str, template_dir: str | Path | None = None) -> bytes:
    """Lay ``html`` out as a tagged PDF with bookmarks, reproducibly."""
    import logging

    weasyprint = import_weasyprint()
    roots = [base_dir] + ([Path(template_dir)] if template_dir is not None else [])
    fetcher = sandboxed_fetcher(roots, source)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # blocked fetches are reported above
    doc = weasyprint.HTML(string=html, base_url=base_dir.resolve().as_uri() + "/", url_fetcher=fetcher)
    pdf = doc.write_pdf(pdf_tags=True, pdf_identifier=True, uncompressed_pdf=False)
    return bytes(pdf)
