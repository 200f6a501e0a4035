"""Printing a card diff as text (a terminal), Markdown (a pull-request comment) or JSON."""

from __future__ import annotations

import difflib
import html
import json
import re
from typing import Any

#: Slice rows shown in text and Markdown before the rest are counted (JSON has them all).
MAX_SLICE_ROWS = 40


def _num(v: float | None) -> str:
    return "—" if v is None else f"{v:.4f}"


def _ci(row: dict[str, Any] | None) -> str:
    if row is None:
        return "—"
    if row["value"] is None:
        return "suppressed" if row.get("suppressed") else row.get("text") or "—"
    if row["ci_low"] is None or row["ci_high"] is None:
        return _num(row["value"])
    return f"{_num(row['value'])} [{_num(row['ci_low'])}, {_num(row['ci_high'])}]"


def _delta(c: dict[str, Any]) -> str:
    return "" if c["delta"] is None else f"{c['delta']:+.4f}"


def _flag(c: dict[str, Any]) -> str:
    if c["status"] != "changed":
        return str(c["status"])
    if c["significant"]:
        return "SIGNIFICANT (intervals do not overlap)"
    if c["overlap"]:
        return "intervals overlap"
    return ""


def _scope(change: dict[str, Any]) -> str:
    """`` (evaluation holdout; class setosa; threshold 0.5)`` for a gate that has them."""
    words = [f"{k} {change[k]}" for k in ("evaluation", "class", "threshold") if change.get(k) is not None]
    return f" ({'; '.join(words)})" if words else ""


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:;])\s+|\n", text.strip()) if s]


def _prose_diff(old: Any, new: Any) -> list[str]:
    a = _sentences(str(old)) if old is not None else []
    b = _sentences(str(new)) if new is not None else []
    return [line for line in difflib.unified_diff(a, b, lineterm="", n=1)][2:]


def _value(v: Any) -> str:
    if v is None:
        return "(none)"
    text = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
    return text if len(text) <= 100 else text[:97] + "…"


def _metric_rows(d: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    overall = [c for c in d["metrics"] if not c["slice"]]
    sliced = [c for c in d["metrics"] if c["slice"]]
    notable = [c for c in sliced if c["significant"] or c["status"] != "changed" or c.get("reported")]
    shown = overall + notable[:MAX_SLICE_ROWS]
    return shown, len(d["metrics"]) - len(shown)


def _disparity_rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    """Those that grew beyond the tolerance, were added or removed, or concern a gated metric."""
    gated = {(g["metric"], tuple(g["over"])) for g in d["gates"]}
    return [c for c in d["disparities"]
            if c["grew"] or c["status"] != "changed" or (c["metric"], tuple(c["over"])) in gated]


def _title(d: dict[str, Any]) -> str:
    o, n = d["old"], d["new"]
    if o["name"] == n["name"]:
        return f"{n['name']}: {o['version'] or '?'} → {n['version'] or '?'}"
    return f"{o['name']} {o['version'] or ''} → {n['name']} {n['version'] or ''}"


def _difference(side: dict[str, Any] | None) -> str:
    return _num(abs(side["difference"])) if side and side["difference"] is not None else "—"


def format_text(d: dict[str, Any]) -> str:
    out = [_title(d), ""]
    if not any(d[k] for k in ("metrics", "disparities", "gates", "fields")) and not any(d["slices"].values()):
        return "\n".join([*out, "no changes"]) + "\n"
    for section in (_text_metrics, _text_disparities, _text_gates, _text_slices, _text_fields, _text_regressions):
        out += section(d)
    return "\n".join(out).rstrip("\n") + "\n"


def _text_metrics(d: dict[str, Any]) -> list[str]:
    if not d["metrics"]:
        return []
    rows, hidden = _metric_rows(d)
    out = ["Metrics (old → new, 95% intervals where computed)"]
    for c in rows:
        out.append(f"  {c['metric']} [{c['label']}]: {_ci(c['old'])} → {_ci(c['new'])} {_delta(c)}  {_flag(c)}".rstrip())
    if hidden:
        out.append(f"  … and {hidden} more slice changes within their intervals (see --format json)")
    return [*out, ""]


def _text_disparities(d: dict[str, Any]) -> list[str]:
    if not d["disparities"]:
        return []
    out = [f"Disparities (largest difference; GREW: by more than {d['tolerance']:g})"]
    shown = _disparity_rows(d)
    for c in shown:
        mark = "  GREW" if c["grew"] else ""
        out.append(f"  {c['metric']} over {c['label']}: {_difference(c['old'])} → {_difference(c['new'])}{mark}")
    if len(shown) < len(d["disparities"]):
        out.append(f"  … and {len(d['disparities']) - len(shown)} that did not grow beyond the tolerance")
    return [*out, ""]


def _text_gates(d: dict[str, Any]) -> list[str]:
    if not d["gates"]:
        return []
    out = ["Gates"]
    for g in d["gates"]:
        over = f" over {' × '.join(g['over'])}" if g["over"] else ""
        what = "reported " if g.get("reported") else ""
        out.append(f"  {what}{g['metric']}{over}{_scope(g)} ({g['kind']} {g['limit']:g}): {g['status']}")
    return [*out, ""]


def _text_slices(d: dict[str, Any]) -> list[str]:
    if not any(d["slices"].values()):
        return []
    out = ["Slices"]
    out += [f"  + {' × '.join(f'{k}={v}' for k, v in s.items())}" for s in d["slices"]["added"]]
    out += [f"  - {' × '.join(f'{k}={v}' for k, v in s.items())}" for s in d["slices"]["removed"]]
    return [*out, ""]


def _text_fields(d: dict[str, Any]) -> list[str]:
    if not d["fields"]:
        return []
    out = ["Fields"]
    for f in d["fields"]:
        out.append(f"  {f['field']} ({f['status']})")
        if f["prose"] and f["status"] == "changed":
            out += [f"    {line}" for line in _prose_diff(f["old"], f["new"])]
        else:
            out.append(f"    {_value(f['old'])} → {_value(f['new'])}")
    return [*out, ""]


def _text_regressions(d: dict[str, Any]) -> list[str]:
    if not d["regressions"]:
        return []
    return ["Regressions", *(f"  {r}" for r in d["regressions"]), ""]


def _cell(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|#!])", r"\\\1", text).replace("\n", " ")


def format_markdown(d: dict[str, Any]) -> str:
    out = [f"### Card diff: {_cell(_title(d))}", ""]
    for section in (_md_regressions, _md_metrics, _md_disparities, _md_gates, _md_slices, _md_fields):
        out += section(d)
    if len(out) == 2:
        out.append("No changes.")
    return "\n".join(out).rstrip("\n") + "\n"


def _md_regressions(d: dict[str, Any]) -> list[str]:
    if not d["regressions"]:
        return []
    listed = d["regressions"][:MAX_SLICE_ROWS]
    out = [":warning: **Regressions**", ""] + [f"- {_cell(r)}" for r in listed]
    if len(listed) < len(d["regressions"]):
        out.append(f"- … and {len(d['regressions']) - len(listed)} more")
    return [*out, ""]


def _md_metrics(d: dict[str, Any]) -> list[str]:
    if not d["metrics"]:
        return []
    rows, hidden = _metric_rows(d)
    out = ["#### Metrics", "", "| metric | slice | old | new | change | |", "|---|---|---|---|---:|---|"]
    for c in rows:
        flag = "**significant**" if c["significant"] else _cell(_flag(c))
        out.append(f"| {_cell(c['metric'])} | {_cell(c['label'])} | {_ci(c['old'])} | {_ci(c['new'])} | {_delta(c)} | {flag} |")
    if hidden:
        out += ["", f"_… and {hidden} more slice changes within their intervals._"]
    return [*out, ""]


def _md_disparities(d: dict[str, Any]) -> list[str]:
    if not d["disparities"]:
        return []
    out = ["#### Disparities", "", "| metric | over | old | new | |", "|---|---|---|---|---|"]
    shown = _disparity_rows(d)
    for c in shown:
        grew = "**grew**" if c["grew"] else ""
        out.append(f"| {_cell(c['metric'])} | {_cell(c['label'])} | {_difference(c['old'])} | {_difference(c['new'])} | {grew} |")
    if len(shown) < len(d["disparities"]):
        out += ["", f"_… and {len(d['disparities']) - len(shown)} that did not grow beyond the tolerance._"]
    return [*out, ""]


def _md_gates(d: dict[str, Any]) -> list[str]:
    if not d["gates"]:
        return []
    out = ["#### Gates", "", "| gate | status |", "|---|---|"]
    out += [f"| {_cell(g['metric'])} over {_cell(' × '.join(g['over']) + _scope(g))} | {g['status']} |"
            for g in d["gates"]]
    return [*out, ""]


def _md_slices(d: dict[str, Any]) -> list[str]:
    if not any(d["slices"].values()):
        return []
    out = ["#### Slices", ""]
    out += [f"- added: {_cell(' × '.join(f'{k}={v}' for k, v in s.items()))}" for s in d["slices"]["added"]]
    out += [f"- removed: {_cell(' × '.join(f'{k}={v}' for k, v in s.items()))}" for s in d["slices"]["removed"]]
    return [*out, ""]


def _md_fields(d: dict[str, Any]) -> list[str]:
    if not d["fields"]:
        return []
    out = ["#### Fields", ""]
    for f in d["fields"]:
        if f["prose"] and f["status"] == "changed":
            body = "\n".join(_prose_diff(f["old"], f["new"])).replace("```", "ʼʼʼ")
            out += [f"<details><summary><code>{html.escape(f['field'])}</code></summary>", "", "```diff", body, "```",
                    "", "</details>", ""]
        else:
            out.append(f"- `{f['field']}` ({f['status']}): {_cell(_value(f['old']))} → {_cell(_value(f['new']))}")
    return [*out, ""]


def format_json(d: dict[str, Any]) -> str:
    return json.dumps(d, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


FORMATTERS = {"text": format_text, "markdown": format_markdown, "json": format_json}
