"""What readers see instead of raw keys: display names and an order for factors and their groups,
and metrics' names and which direction is better.

Results keep raw values as keys (``under_25``, ``<25``); renders show the names a card gives
(``labels:``, ``title:``), readable ranges for binned factors (``25–44`` for the cut points 25
and 45), and list groups in the card's ``order``, bins in numeric order, the missing-values group
last.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..schema.analysis import BinnedFactor, GroupFactor
from ..schema.metric_names import direction
from .text import humanize

#: The group of rows whose factor value is missing (``missing_values: group``).
MISSING_GROUP = "(missing)"
MINUS = "\u2212"


@dataclass(frozen=True)
class FactorLabels:
    """One factor: its display name, the display names of its groups and their order."""

    name: str
    title: str
    labels: Mapping[str, str] = field(default_factory=dict)
    order: Sequence[str] = ()

    def value(self, raw: str) -> str:
        if raw in self.labels:
            return self.labels[raw]
        return "Missing" if raw == MISSING_GROUP else raw

    def rank(self, raw: str) -> tuple[int, int, str]:
        """Sort key: the given order first, then the rest alphabetically, the missing group last."""
        if raw == MISSING_GROUP and raw not in self.order:
            return (2, 0, "")
        if raw in self.order:
            return (0, list(self.order).index(raw), "")
        return (1, 0, natural(raw))

    def sort(self, values: Iterable[str]) -> list[str]:
        return sorted(dict.fromkeys(values), key=self.rank)


def natural(text: str) -> str:
    """A sort key that orders the numbers inside text by value (``2`` before ``10``)."""
    return re.sub(r"\d+", lambda m: m.group(0).rjust(12, "0"), text.casefold())


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,g}"


def bin_ranges(bins: Sequence[float]) -> list[str]:
    """Readable, non-overlapping names of the ranges cut points make: ``Under 25``, ``25–44``,
    ``45–64``, ``65 and over`` for whole-number cut points (each range holds its lower end, so the
    whole numbers in ``[25, 45)`` are 25 to 44), ``0.5 to under 0.75`` otherwise."""
    whole = all(float(b).is_integer() for b in bins)
    out = [f"Under {_number(bins[0])}"]
    for lo, hi in itertools.pairwise(bins):
        if whole and hi - lo == 1:
            out.append(_number(lo))
        elif whole:
            out.append(f"{_number(lo)}–{_number(hi - 1)}")
        else:
            out.append(f"{_number(lo)} to under {_number(hi)}")
    out.append(f"{_number(bins[-1])} and over")
    return out


def factor_labels(spec: str | BinnedFactor | GroupFactor) -> FactorLabels:
    """The display names and order one factor of a card asks for."""
    if isinstance(spec, str):
        return FactorLabels(spec, humanize(spec))
    name = spec.factor_name
    title = spec.title or humanize(name)
    if isinstance(spec, GroupFactor):
        order = [*spec.order, *(k for k in spec.labels if k not in spec.order)]
        return FactorLabels(name, title, dict(spec.labels), order)
    keys = spec.group_names
    if isinstance(spec.labels, dict):
        shown = list(spec.labels.values())
    else:
        shown = list(spec.labels) if spec.labels is not None else bin_ranges(spec.bins)
    return FactorLabels(name, title, dict(zip(keys, shown, strict=True)), keys)


@dataclass(frozen=True)
class Labels:
    """Every factor of a card, in the card's order; unknown factors are shown readably."""

    factors: Mapping[str, FactorLabels] = field(default_factory=dict)

    @classmethod
    def of(cls, specs: Iterable[str | BinnedFactor | GroupFactor]) -> Labels:
        items = [factor_labels(s) for s in specs]
        return cls({f.name: f for f in items})

    def factor(self, name: str) -> FactorLabels:
        return self.factors.get(name) or FactorLabels(name, humanize(name))

    def title(self, name: str) -> str:
        return self.factor(name).title

    def titles(self, keys: Iterable[str]) -> str:
        """``Sex × Race`` for an intersection's factors."""
        return " × ".join(self.title(k) for k in keys)

    def value(self, name: str, raw: str) -> str:
        return self.factor(name).value(raw)

    def keys(self, names: Iterable[str]) -> tuple[str, ...]:
        """Factor names in the card's order (unknown ones after, alphabetically)."""
        order = list(self.factors)
        return tuple(sorted(names, key=lambda k: (order.index(k) if k in order else len(order), k)))

    def group(self, slice_: Mapping[str, str], keys: Sequence[str] | None = None) -> str:
        """``Female × Under 25``: a slice's groups by display name, in factor order."""
        keys = self.keys(slice_) if keys is None else keys
        return " × ".join(self.value(k, slice_[k]) for k in keys)

    def rank(self, slice_: Mapping[str, str], keys: Sequence[str] | None = None) -> tuple[tuple[int, int, str], ...]:
        keys = self.keys(slice_) if keys is None else keys
        return tuple(self.factor(k).rank(slice_[k]) for k in keys)


@dataclass(frozen=True)
class MetricInfo:
    """How a metric reads: its name, whether higher or lower is better (``None``: neither), and
    whether it is a share between 0 and 1."""

    title: str
    better: str | None
    share: bool = True

    def unfavourable(self, difference: float) -> float:
        """How much worse a group is than its comparison (positive: worse), by the metric's direction."""
        if self.better == "higher":
            return -difference
        if self.better == "lower":
            return difference
        return abs(difference)


_METRICS: dict[str, MetricInfo] = {
    "count": MetricInfo("Count", None, share=False),
    "base_rate": MetricInfo("Base rate", None),
    "selection_rate": MetricInfo("Selection rate", "higher"),
    "accuracy": MetricInfo("Accuracy", "higher"),
    "balanced_accuracy": MetricInfo("Balanced accuracy", "higher"),
    "precision": MetricInfo("Precision", "higher"),
    "recall": MetricInfo("Recall", "higher"),
    "specificity": MetricInfo("Specificity", "higher"),
    "false_positive_rate": MetricInfo("False positive rate", "lower"),
    "false_negative_rate": MetricInfo("False negative rate", "lower"),
    "false_discovery_rate": MetricInfo("False discovery rate", "lower"),
    "negative_predictive_value": MetricInfo("Negative predictive value", "higher"),
    "f1": MetricInfo("F1", "higher"),
    "roc_auc": MetricInfo("ROC AUC", "higher"),
    "average_precision": MetricInfo("Average precision", "higher"),
    "brier_score": MetricInfo("Brier score", "lower"),
    "log_loss": MetricInfo("Log loss", "lower", share=False),
    "macro_f1": MetricInfo("Macro F1", "higher"),
    "weighted_f1": MetricInfo("Weighted F1", "higher"),
    "mean_absolute_error": MetricInfo("Mean absolute error", "lower", share=False),
    "root_mean_squared_error": MetricInfo("Root mean squared error", "lower", share=False),
    "mean_squared_error": MetricInfo("Mean squared error", "lower", share=False),
    "r2": MetricInfo("R²", "higher", share=False),
    "median_absolute_error": MetricInfo("Median absolute error", "lower", share=False),
    "mean_label": MetricInfo("Mean label", None, share=False),
    "mean_prediction": MetricInfo("Mean prediction", None, share=False),
    "expected_calibration_error": MetricInfo("Expected calibration error", "lower"),
    "macro_precision": MetricInfo("Macro precision", "higher"),
    "macro_recall": MetricInfo("Macro recall", "higher"),
    "top_k_accuracy": MetricInfo("Top-k accuracy", "higher"),
    "std": MetricInfo("Standard deviation", None, share=False),
    "p10": MetricInfo("10th percentile", None, share=False),
    "p90": MetricInfo("90th percentile", None, share=False),
    "mean_error": MetricInfo("Mean error", None, share=False),
    "pass_rate": MetricInfo("Pass rate", "higher"),
    "mean": MetricInfo("Mean", None, share=False),
    "p50": MetricInfo("Median", None, share=False),
    "mean_abs_attribution": MetricInfo("Mean absolute attribution", None, share=False),
    "mean_attribution": MetricInfo("Mean attribution", None, share=False),
    "demographic_parity": MetricInfo("Demographic parity", None),
    "equal_opportunity": MetricInfo("Equal opportunity", None),
    "equalized_odds": MetricInfo("Equalised odds", None),
    "average_odds": MetricInfo("Average odds", None),
}


def metric(name: str) -> MetricInfo:
    """What is known about a metric: its name and which way is better.  The schema's direction
    decides, except that a lower selection (or pass) rate counts as worse here: the positive
    outcome is taken as the favourable one, as the four-fifths rule does."""
    known = _METRICS.get(name)
    if known is not None:
        return known
    better = direction(name)
    return MetricInfo(humanize(name), None if better == "none" else better, share=False)


def signed(value: float | None, digits: int = 3) -> str:
    """``+0.031`` / ``−0.052`` (a true minus sign), ``–`` when missing."""
    if value is None or value != value:
        return "–"
    text = f"{abs(value):.{digits}f}"
    if float(text) == 0:
        return f"{0:.{digits}f}"
    return ("+" if value > 0 else MINUS) + text
