"""Rendering: a card and its computed results to Markdown, HTML, PDF or JSON.

Render formats, it never computes (the public API composes compute and render).  Nothing heavy
is imported until a render runs.
"""

from __future__ import annotations

from .api import FORMATS, render

__all__ = ["FORMATS", "render"]
