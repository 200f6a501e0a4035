"""The seal of a results file: ``content_sha256``, the SHA-256 of the rest of its canonical JSON
(every key but the seal itself, keys sorted, no whitespace, UTF-8).  The same results give the
same digest on every machine; reformatting the file does not change it, changing any value does.
It is a check against hand edits, not a signature (see :mod:`cardwright._compute.results_file`)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

DIGEST_KEY = "content_sha256"


def content_digest(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``data`` without :data:`DIGEST_KEY`."""
    body = {k: v for k, v in data.items() if k != DIGEST_KEY}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_sealed(data: Any) -> bool:
    """Whether ``data`` (a parsed results file) carries a seal that matches its content: written
    by cardwright, which checked its shape as it wrote it, and not edited since."""
    if not isinstance(data, dict) or not isinstance(data.get(DIGEST_KEY), str):
        return False
    try:
        return bool(data[DIGEST_KEY] == content_digest(data))
    except ValueError:  # a number JSON cannot hold (NaN, infinity)
        return False
