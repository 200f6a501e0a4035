"""Results as tidy pandas DataFrames (`AnalysisResults.to_frame`, `CompositionResults.to_frame`).

The one module that imports pandas: only when a caller asks for a DataFrame, so the base install
(validate, compute, render) never needs it.  It takes the results untyped so that it does not
import `schema.results` back (the results models call it).
"""

from __future__ import annotations

from typing import Any


def analysis_frame(results: Any) -> Any:
    """One row per slice × metric (and class, threshold and evaluation when present)."""
    import pandas as pd

    factors = list(dict.fromkeys(k for r in results.results for k in r.slice))
    if results.settings is not None:
        factors = list(dict.fromkeys([*results.settings.factors, *factors]))
    records = []
    for r in results.results:
        rec: dict[str, Any] = {"evaluation": r.evaluation, "metric": r.metric, "class": r.class_,
                               "threshold": r.threshold}
        rec.update({f: r.slice.get(f) for f in factors})
        rec.update({"value": r.value, "ci_low": r.ci_low, "ci_high": r.ci_high, "n": r.n,
                    "suppressed": r.suppressed, "reason": r.reason})
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=["evaluation", "metric", "class", "threshold", *factors,
                                                        "value", "ci_low", "ci_high", "n", "suppressed",
                                                        "reason"])
    unused = [c for c in ("evaluation", "class", "threshold") if frame[c].isna().all()]
    return frame.drop(columns=unused)


def composition_frame(results: Any) -> Any:
    """One row per group or intersection of the sensitive attributes."""
    import pandas as pd

    attrs = list(dict.fromkeys([*results.sensitive_attributes, *(k for g in results.groups for k in g.slice)]))
    records = [{**{a: g.slice.get(a) for a in attrs}, "count": g.count, "share": g.share,
                "suppressed": g.suppressed} for g in results.groups]
    return pd.DataFrame.from_records(records, columns=[*attrs, "count", "share", "suppressed"])
