"""`cardwright export FILE --to cyclonedx`: a CycloneDX 1.6 JSON BOM.

A model card becomes a ``machine-learning-model`` component with its ``modelCard``: model
parameters (approach, task, architecture, the training and evaluation datasets inline), the
quantitative analysis (every computed row the results file holds, with its interval and a slice
naming its group, evaluation, class and threshold, a withheld value saying why; then every reported
result, marked as reported: see :mod:`.cyclonedx_metrics`) and the
considerations (users, use cases, limitations, trade-offs, ethical considerations with their
mitigations, and a fairness assessment per gate or headline disparity).  A datasheet becomes a
``data`` component.  The serial number is derived from the card's content hash and a timestamp is
written only when ``SOURCE_DATE_EPOCH`` is set, so the same card gives the same bytes.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import TYPE_CHECKING, Any

from .cyclonedx_metrics import computed_metrics, reported_metrics, slice_name
from .result_labels import value_text

if TYPE_CHECKING:
    from ..schema.card import Card
    from ..schema.common import License, Party
    from ..schema.datasheet import Datasheet
    from ..schema.model_card import DatasetRef, ModelCard
    from ..schema.results import AnalysisResults, CompositionResults, Disparity, GateResult, Results

SCHEMA = "http://cyclonedx.org/schema/bom-1.6.schema.json"
_EMAIL = re.compile(r"^(?:mailto:)?([^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,})$")
#: How a gate's limit reads in a fairness assessment.
_LIMIT_WORDS = {"max_difference": "at most", "min_ratio": "at least", "min": "at least", "max": "at most",
                "baseline": "within"}

Scope = tuple[str | None, str | None, float | None]
"""What a gate or disparity is about besides its metric and factors: (evaluation, class, threshold)."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


def _licenses(license: License | None) -> list[dict[str, Any]] | None:
    if license is None:
        return None
    if isinstance(license, str):
        return [{"expression": license}]
    entry: dict[str, Any] = {"name": license.name}
    if license.url:
        entry["url"] = license.url
    return [{"license": entry}]


def _contacts(people: list[Party]) -> list[dict[str, str]]:
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


def _dataset(ref: DatasetRef, role: str) -> dict[str, Any]:
    data: dict[str, Any] = {"type": "dataset", "name": ref.name}
    description = _texts(ref.description)
    data["description"] = f"{role} data." + (f" {description[0]}" if description else "")
    if ref.url:
        data["contents"] = {"url": ref.url}
    return data


def _scope_words(scope: Scope) -> str:
    evaluation, class_, threshold = scope
    words = [f"evaluation {evaluation}"] if evaluation is not None else []
    words += [f"class {class_}"] if class_ is not None else []
    words += [f"threshold {value_text(threshold)}"] if threshold is not None else []
    return f" ({'; '.join(words)})" if words else ""


def _worst_group(results: AnalysisResults, metric: str, over: list[str],
                 scope: Scope) -> tuple[dict[str, str] | None, Disparity | None]:
    from ..schema.metric_names import direction

    rows = [d for d in results.disparities if d.metric == metric and d.over == over
            and (d.evaluation, d.class_, d.threshold) == scope]
    summary = next((d for d in rows if d.group is None), None)
    groups = [d for d in rows if d.group is not None and d.difference is not None]
    if groups:
        worst = max(groups, key=lambda d: abs(d.difference or 0.0))
        return worst.group, summary or worst
    if summary is not None:
        return (summary.highest if direction(metric) == "lower" else summary.lowest), summary
    return None, None


def _gate_words(gate: GateResult) -> str:
    return f"gate ({gate.kind} {_LIMIT_WORDS[gate.kind]} {gate.limit:g}) {'passed' if gate.passed else 'FAILED'}"


def _assessment(metric: str, over: list[str], group: dict[str, str] | None, d: Disparity | None,
                gate: GateResult | None, scope: Scope) -> dict[str, str] | None:
    """One fairness assessment: the group at risk and what the disparity (or the gate) says."""
    parts = []
    if d is not None and d.difference is not None:
        ref = f" against {slice_name(d.reference)}" if d.reference else " between the highest and lowest groups"
        parts.append(f"{metric}{_scope_words(scope)} differs by {d.difference:.4g}{ref}")
    if d is not None and d.ratio is not None:
        parts.append(f"ratio {d.ratio:.4g}")
    if gate is not None:
        if d is None:
            group = gate.group
            value = f" is {gate.value:.4g}" if gate.value is not None else f": {gate.reason or 'no value'}"
            parts.append(f"{metric}{_scope_words(scope)}{value}")
        parts.append(_gate_words(gate))
    if not parts:
        return None
    return {"groupAtRisk": slice_name(group) if group else " × ".join(over) or "overall", "harms": "; ".join(parts) + "."}


def _fairness_subjects(results: AnalysisResults) -> list[tuple[str, list[str], Scope, GateResult | None]]:
    """The gates; without gates, every single factor's headline disparity of a reported metric."""
    if results.gates:
        return [(g.metric, list(g.over), (g.evaluation, g.class_, g.threshold), g) for g in results.gates]
    out: list[tuple[str, list[str], Scope, GateResult | None]] = []
    for d in results.disparities:
        settings = results.evaluation_settings(d.evaluation)
        if d.group is None and len(d.over) == 1 and settings is not None and d.metric in settings.metrics:
            out.append((d.metric, list(d.over), (d.evaluation, d.class_, d.threshold), None))
    return out


def _fairness(card: ModelCard, results: AnalysisResults) -> list[dict[str, str]]:
    mitigation = _texts(card.ethical_considerations.mitigations)
    out = []
    for metric, over, scope, gate in _fairness_subjects(results):
        group, d = _worst_group(results, metric, over, scope)
        entry = _assessment(metric, over, group, d, gate, scope)
        if entry is None:
            continue
        if mitigation:
            entry["mitigationStrategy"] = mitigation[0]
        out.append(entry)
    return out


def _reported_fairness(card: ModelCard) -> list[dict[str, str]]:
    """One assessment per gate on reported results."""
    from .._compute.api import reported_gate_message
    from .._compute.reported import reported_gate_results

    out = []
    for g in reported_gate_results(card):
        group = slice_name(g.worst) if g.worst else " × ".join(g.over) or "overall"
        text = f"gate on reported {g.metric} passed" if g.passed else reported_gate_message(g)
        out.append({"groupAtRisk": group, "harms": text + (" (warning only)." if g.severity == "warning" else ".")})
    return out


def _considerations(card: ModelCard, results: AnalysisResults | None) -> dict[str, Any]:
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
    fairness = _fairness(card, results) if results is not None else []
    out["fairnessAssessments"] = fairness + _reported_fairness(card)
    return {k: v for k, v in out.items() if v}


def _model_parameters(card: ModelCard) -> dict[str, Any]:
    params: dict[str, Any] = {"approach": {"type": "supervised"}}
    evaluations = card.computation.evaluations if card.computation is not None else []
    params["task"] = ", ".join(dict.fromkeys(e.spec.task for e in evaluations)) or "classification"
    if card.model_details.type:
        params["modelArchitecture"] = card.model_details.type.strip()
    datasets = [_dataset(r, "Training") for r in card.training_data.datasets]
    datasets += [_dataset(r, "Evaluation") for r in card.evaluation_data.datasets]
    if datasets:
        params["datasets"] = datasets
    return params


def _model_card(card: ModelCard, results: AnalysisResults | None) -> dict[str, Any]:
    model_card: dict[str, Any] = {"bom-ref": f"model-card:{_slug(card.model_details.name)}",
                                  "modelParameters": _model_parameters(card)}
    metrics = computed_metrics(results) if results is not None else []
    metrics += reported_metrics(card)
    if metrics:
        model_card["quantitativeAnalysis"] = {"performanceMetrics": metrics}
    considerations = _considerations(card, results)
    if considerations:
        model_card["considerations"] = considerations
    return model_card


def _model_component(card: ModelCard, results: AnalysisResults | None) -> dict[str, Any]:
    md = card.model_details
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
    component["modelCard"] = _model_card(card, results)
    component["properties"] = _properties(card)
    return component


def _data_component(card: Datasheet, results: CompositionResults | None) -> dict[str, Any]:
    ds = card.dataset
    data: dict[str, Any] = {"type": "dataset", "name": ds.name}
    if ds.summary:
        data["description"] = ds.summary.strip()
    if ds.homepage:
        data["contents"] = {"url": ds.homepage}
    sensitive = list(results.sensitive_attributes) if results is not None else []
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


def _properties(card: Card) -> list[dict[str, str]]:
    props = [{"name": "cardwright:status", "value": card.status}]
    for a in card.approvals:
        props.append({"name": "cardwright:approval", "value": f"{a.by} ({a.role}), {a.date.isoformat()}"})
    return props


def _component(card: Card, results: Results | None) -> dict[str, Any]:
    if card.kind == "model-card":
        analysis = results if results is not None and results.kind == "quantitative-analyses" else None
        return _model_component(card, analysis)
    composition = results if results is not None and results.kind == "composition" else None
    return _data_component(card, composition)


def build_bom(card: Card, results: Results | None = None) -> dict[str, Any]:
    """The BOM as a JSON-able mapping."""
    from .._render.api import source_date
    from .._version import __version__
    from ..policy import content_sha256

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
        "components": [_component(card, results)],
    }


def export_cyclonedx(card: Card, results: Results | None = None) -> str:
    """The BOM as JSON text (indented, stable key order)."""
    return json.dumps(build_bom(card, results), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
