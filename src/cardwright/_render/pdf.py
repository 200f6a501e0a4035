"""HTML to PDF through WeasyPrint, sandboxed and reproducible.

* The fetcher reads nothing from the network and no file outside the card's folder (or the
  ``--template-dir`` folder); each refused attempt becomes a ``blocked-resource`` warning.
* The PDF's dates come only from the card (``model_details.date`` / ``dataset.date``) or from
  ``SOURCE_DATE_EPOCH``, and its identifier from its own content: the same card gives the same bytes.
* WeasyPrint is imported here and only here, when a PDF is asked for; when the system libraries
  it needs (Pango, HarfBuzz) are missing, the error says which and how to install them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
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
        # its own banner must not end up in `-o -` output
        with contextlib.redirect_stdout(sys.stderr), _libraries_from_linker_cache():
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


@contextmanager
def _libraries_from_linker_cache() -> Iterator[None]:
    """While WeasyPrint loads its system libraries: ``ctypes.util.find_library`` answered from the
    linker cache, read once.  WeasyPrint tries each library under several names, most of them for
    other systems, and cffi asks ``find_library`` about every name it cannot open directly; on
    Linux each miss runs ``ldconfig -p``, ``gcc`` and ``ld`` in turn, a few tenths of a second of
    every PDF.  The cache gives what the first of those gives (the same search); a name it lacks
    is left to the next name WeasyPrint tries, the last of which (``libpango-1.0.so.0`` …) the
    dynamic loader opens itself, as it does without this."""
    import ctypes.util
    import sys

    listing = _linker_cache() if sys.platform.startswith("linux") else None
    if listing is None:
        yield
        return
    original = ctypes.util.find_library
    abi = {"x86_64": "libc6,x86-64", "ppc64": "libc6,64bit", "sparc64": "libc6,64bit", "s390x": "libc6,64bit",
           "ia64": "libc6,IA-64"}.get(os.uname().machine, "libc6") if sys.maxsize > 2**32 else "libc6"

    def find_library(name: str) -> str | None:
        found = re.search(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({re.escape(abi)}", listing)
        return found.group(1) if found else None

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _linker_cache() -> str | None:
    """``ldconfig -p``: the libraries the dynamic loader knows (``None`` where it cannot be read)."""
    import subprocess

    try:
        done = subprocess.run(["/sbin/ldconfig", "-p"], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, env={"LC_ALL": "C", "LANG": "C"},
                              timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


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
