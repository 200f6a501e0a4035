"""`cardwright export FILE --to cyclonedx`: a CycloneDX 1.6 JSON BOM.

A model card becomes a ``machine-learning-model`` component with its ``modelCard``: model
parameters (approach, task, architecture, the training and evaluation datasets inline), the
quantitative analysis (every computed metric on every slice the results publish, with its interval
and slice name, a withheld value saying why; then every reported result, marked as reported) and the
considerations (users, use cases, limitations, trade-offs, ethical considerations with their
mitigations, and a fairness assessment per gate or headline disparity).  A datasheet becomes a
``data`` component.  The serial number is derived from the card's content hash and a timestamp is
written only when ``SOURCE_DATE_EPOCH`` is set, so the same card gives the same bytes.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

SCHEMA = "http://cyclonedx.org/schema/bom-1.6.schema.json"
_EMAIL = re.compile(r"^(?:mailto:)?([^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,})$")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


def _num(v: float | None) -> str | None:
    return None if v is None else repr(float(v))


def _slice_name(s: dict[str, str]) -> str:
    return "overall" if not s else ", ".join(f"{k}={v}" for k, v in s.items())


def _licenses(license: Any) -> list[dict[str, Any]] | None:
    if license is None:
        return None
    if isinstance(license, str):
        return [{"expression": license}]
    entry: dict[str, Any] = {"name": license.name}
    if license.url:
        entry["url"] = license.url
    return [{"license": entry}]


def _contacts(people: list[Any]) -> list[dict[str, str]]:
    out = []
    for p in people:
        entry = {"name": p.name}
        m = _EMAIL.match(p.contact or "")
        if m:
            entry["email"] = m.group(1)
        out.append(entry)
    return out


def _texts(*values: str | None) -> list[str]:
    return [v.strip() for v in values if v and v.strip()]


def _dataset(ref: Any, role: str) -> dict[str, Any]:
    data: dict[str, Any] = {"type": "dataset", "name": ref.name}
    description = _texts(ref.description)
    data["description"] = f"{role} data." + (f" {description[0]}" if description else "")
    if ref.url:
        data["contents"] = {"url": ref.url}
    return data


def _performance_metrics(results: Any) -> list[dict[str, Any]]:
    """Every computed row the results file publishes; a row without a value says why."""
    out = []
    for row in results.results:
        entry: dict[str, Any] = {"type": row.metric, "slice": _slice_name(row.slice)}
        if row.value is not None:
            entry["value"] = _num(row.value)
        else:
            why = row.reason or ("too few rows in the group" if row.suppressed else "undefined")
            entry["value"] = f"{'suppressed' if row.suppressed else 'not available'}: {why}"
        if row.ci_low is not None and row.ci_high is not None:
            entry["confidenceInterval"] = {"lowerBound": _num(row.ci_low), "upperBound": _num(row.ci_high)}
        out.append(entry)
    return out


def _reported_metrics(card: Any) -> list[dict[str, Any]]:
    """Reported results, each slice marked as reported with its dataset and source."""
    section = card.reported_results
    if section is None:
        return []
    out = []
    for r in section.results:
        where = [f"reported on {r.dataset.name}" if r.dataset else "reported"]
        if r.source is not None and (r.source.name or r.source.harness):
            where.append(f"by {r.source.name or r.source.harness}")
        entry: dict[str, Any] = {"type": r.metric, "value": _num(r.number) if r.number is not None else str(r.value),
                                 "slice": f"{_slice_name(r.slice)} ({' '.join(where)})"}
        if r.ci_low is not None and r.ci_high is not None:
            entry["confidenceInterval"] = {"lowerBound": _num(r.ci_low), "upperBound": _num(r.ci_high)}
        out.append(entry)
    return out


def _worst_group(results: Any, metric: str, over: list[str]) -> tuple[dict[str, str] | None, Any]:
    rows = [d for d in results.disparities if d.metric == metric and d.over == over]
    summary = next((d for d in rows if d.group is None), None)
    groups = [d for d in rows if d.group is not None and d.difference is not None]
    if groups:
        worst = max(groups, key=lambda d: abs(d.difference))
        return worst.group, summary or worst
    if summary is not None:
        low = summary.lowest if metric not in ("false_positive_rate", "false_negative_rate") else summary.highest
        return low, summary
    return None, None


def _fairness(card: Any, results: Any) -> list[dict[str, str]]:
    mitigation = _texts(card.ethical_considerations.mitigations)
    pairs = [(g.metric, list(g.over), g) for g in results.gates]
    if not pairs:
        singles = [d for d in results.disparities if d.group is None and len(d.over) == 1 and d.metric in set(results.settings.metrics)]
        pairs = [(d.metric, list(d.over), None) for d in singles]
    out = []
    for metric, over, gate in pairs:
        group, d = _worst_group(results, metric, over)
        if d is None:
            continue
        parts = []
        if d.difference is not None:
            ref = f" against {_slice_name(d.reference)}" if d.reference else " between the highest and lowest groups"
            parts.append(f"{metric} differs by {d.difference:.4g}{ref}")
        if d.ratio is not None:
            parts.append(f"ratio {d.ratio:.4g}")
        if gate is not None:
            limit = f"at most {gate.limit:g}" if gate.kind == "max_difference" else f"at least {gate.limit:g}"
            parts.append(f"gate ({gate.kind} {limit}) {'passed' if gate.passed else 'FAILED'}")
        entry = {"groupAtRisk": _slice_name(group) if group else " × ".join(over), "harms": "; ".join(parts) + "."}
        if mitigation:
            entry["mitigationStrategy"] = mitigation[0]
        out.append(entry)
    return out


def _reported_fairness(card: Any) -> list[dict[str, str]]:
    """One assessment per gate on reported results."""
    from .._compute.api import reported_gate_message
    from .._compute.reported import reported_gate_results

    out = []
    for g in reported_gate_results(card):
        group = _slice_name(g.worst) if g.worst else " × ".join(g.over) or "overall"
        text = f"gate on reported {g.metric} passed" if g.passed else reported_gate_message(g)
        out.append({"groupAtRisk": group, "harms": text + (" (warning only)." if g.severity == "warning" else ".")})
    return out


def _considerations(card: Any, results: Any) -> dict[str, Any]:
    iu, ec, cr = card.intended_use, card.ethical_considerations, card.caveats_and_recommendations
    out: dict[str, Any] = {
        "users": _texts(iu.primary_users),
        "useCases": _texts(iu.primary_uses),
        "technicalLimitations": _texts(iu.out_of_scope_uses, cr.unrepresented_groups, cr.further_testing,
                                       cr.usage_recommendations, cr.other),
        "performanceTradeoffs": _texts(card.metrics.performance_measures_rationale, card.metrics.decision_thresholds),
    }
    risks = []
    for name in _texts(ec.risks_and_harms, ec.data, ec.human_life, ec.use_cases):
        risk = {"name": name}
        if ec.mitigations:
            risk["mitigationStrategy"] = ec.mitigations.strip()
        risks.append(risk)
    out["ethicalConsiderations"] = risks
    fairness = _fairness(card, results) if results is not None and results.kind == "quantitative-analyses" else []
    out["fairnessAssessments"] = fairness + _reported_fairness(card)
    return {k: v for k, v in out.items() if v}


def _model_component(card: Any, results: Any) -> dict[str, Any]:
    md = card.model_details
    qa = card.quantitative_analyses
    params: dict[str, Any] = {"approach": {"type": "supervised"}}
    params["task"] = qa.task if qa is not None else "classification"
    if md.type:
        params["modelArchitecture"] = md.type.strip()
    datasets = [_dataset(r, "Training") for r in card.training_data.datasets]
    datasets += [_dataset(r, "Evaluation") for r in card.evaluation_data.datasets]
    if datasets:
        params["datasets"] = datasets
    model_card: dict[str, Any] = {"bom-ref": f"model-card:{_slug(md.name)}", "modelParameters": params}
    metrics = _performance_metrics(results) if results is not None and results.kind == "quantitative-analyses" else []
    metrics += _reported_metrics(card)
    if metrics:
        model_card["quantitativeAnalysis"] = {"performanceMetrics": metrics}
    considerations = _considerations(card, results)
    if considerations:
        model_card["considerations"] = considerations
    component: dict[str, Any] = {"type": "machine-learning-model", "bom-ref": f"model:{_slug(md.name)}@{md.version}",
                                 "name": md.name, "version": md.version}
    if md.overview:
        component["description"] = md.overview.strip()
    authors = _contacts(md.developers)
    if authors:
        component["authors"] = authors
    licenses = _licenses(md.license)
    if licenses:
        component["licenses"] = licenses
    refs = [{"type": "documentation", "url": link.url, "comment": link.title} for link in md.paper_or_resource]
    if refs:
        component["externalReferences"] = refs
    component["modelCard"] = model_card
    component["properties"] = _properties(card)
    return component


def _data_component(card: Any, results: Any) -> dict[str, Any]:
    ds = card.dataset
    data: dict[str, Any] = {"type": "dataset", "name": ds.name}
    if ds.summary:
        data["description"] = ds.summary.strip()
    if ds.homepage:
        data["contents"] = {"url": ds.homepage}
    sensitive = list(getattr(results, "sensitive_attributes", None) or [])
    if sensitive:
        data["sensitiveData"] = sensitive
    component: dict[str, Any] = {"type": "data", "bom-ref": f"data:{_slug(ds.name)}@{ds.version or 'unversioned'}",
                                 "name": ds.name}
    if ds.version:
        component["version"] = ds.version
    licenses = _licenses(ds.license)
    if licenses:
        component["licenses"] = licenses
    component["data"] = [data]
    component["properties"] = _properties(card)
    return component


def _properties(card: Any) -> list[dict[str, str]]:
    props = [{"name": "cardwright:status", "value": card.status}]
    for a in card.approvals:
        props.append({"name": "cardwright:approval", "value": f"{a.by} ({a.role}), {a.date.isoformat()}"})
    return props


def build_bom(card: Any, results: Any = None) -> dict[str, Any]:
    """The BOM as a JSON-able mapping."""
    from .._render.api import source_date
    from .._version import __version__
    from ..policy import content_sha256

    component = _model_component(card, results) if card.kind == "model-card" else _data_component(card, results)
    metadata: dict[str, Any] = {
        "tools": {"components": [{"type": "application", "name": "cardwright", "version": __version__}]},
    }
    stamp = source_date()
    if stamp:
        metadata["timestamp"] = stamp
    return {
        "$schema": SCHEMA,
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'cardwright:' + content_sha256(card))}",
        "version": 1,
        "metadata": metadata,
        "components": [component],
    }


def export_cyclonedx(card: Any, results: Any = None) -> str:
    """The BOM as JSON text (indented, stable key order)."""
    return json.dumps(build_bom(card, results), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
