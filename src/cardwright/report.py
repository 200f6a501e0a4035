"""Findings in the formats people and CI systems read: text, JSON, GitHub annotations, GitLab
Code Quality."""

from __future__ import annotations

import hashlib
import json
import os

from .errors import Finding

FORMATS = ("text", "json", "github", "gitlab")


def as_text(findings: list[Finding]) -> str:
    return "".join(f.format() + "\n" for f in findings)


def as_json(findings: list[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def as_github(findings: list[Finding]) -> str:
    """Workflow commands (``::error file=…,line=…::message``), one per finding."""
    lines = []
    for f in findings:
        props = [f"file={_escape_property(f.path)}"]
        if f.line is not None:
            props.append(f"line={f.line}")
        if f.column is not None:
            props.append(f"col={f.column}")
        props.append(f"title={_escape_property('cardwright ' + f.code)}")
        message = f.message + (f"\n{f.hint}" if f.hint else "")
        command = "notice" if f.severity == "note" else f.severity
        lines.append(f"::{command} {','.join(props)}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)


def github_summary(findings: list[Finding]) -> str:
    """A Markdown table of every finding, for ``$GITHUB_STEP_SUMMARY`` (annotations are capped)."""
    if not findings:
        return "### cardwright: no problems found\n"
    rows = ["### cardwright findings", "", "| location | severity | code | message |", "|---|---|---|---|"]
    for f in findings:
        msg = f.message.replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `{f.where}` | {f.severity} | `{f.code}` | {msg} |")
    return "\n".join(rows) + "\n"


def as_gitlab(findings: list[Finding]) -> str:
    """A GitLab Code Quality report.  Fingerprints hash the path, code and YAML path (not the line),
    so a finding keeps its identity when lines move."""
    items = []
    for f in findings:
        ident = "\0".join((f.path, f.code, f.dotted_loc, f.message if not f.loc else ""))
        items.append(
            {
                "description": f.message + (f" (hint: {f.hint})" if f.hint else ""),
                "check_name": f.code,
                "fingerprint": hashlib.sha256(ident.encode()).hexdigest(),
                "severity": {"error": "major", "warning": "minor"}.get(f.severity, "info"),
                "location": {"path": f.path, "lines": {"begin": f.line or 1}},
            }
        )
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def render_findings(findings: list[Finding], fmt: str) -> str:
    if fmt == "json":
        return as_json(findings)
    if fmt == "github":
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(github_summary(findings))
        return as_github(findings)
    if fmt == "gitlab":
        return as_gitlab(findings)
    return as_text(findings)
