"""Optional model-card sections for the dimensions AI service cards, the NIST AI RMF and the EU AI
Act (Annex IV) ask about beyond Mitchell et al.: privacy, robustness, transparency, governance,
explainability and environmental impact."""

from __future__ import annotations

from pydantic import Field

from ._base import OptionalProse, Prose, Section, Text


class Privacy(Section):
    """How personal data is protected (NIST AI RMF MEASURE 2.10)."""

    personal_data: Prose = None
    """Which personal data the model is trained on or receives at inference time."""

    protections: Prose = None
    """Techniques protecting it: minimisation, pseudonymisation, access control, differential privacy…"""

    retention: OptionalProse = None
    """How long inputs and outputs are kept, and how they are deleted."""

    memorization_risk: OptionalProse = None
    """Could the model reveal training records (membership inference, memorisation)?  How was it tested?"""


class Robustness(Section):
    """Behaviour outside ideal conditions (NIST AI RMF MEASURE 2.5–2.7)."""

    evaluations: Prose = None
    """Robustness tests run (distribution shift, noisy or missing inputs, stress tests) and results."""

    adversarial_testing: OptionalProse = None
    """Adversarial or red-team testing done, and what it found."""

    known_failure_modes: Prose = None
    """Conditions under which the model is known to fail or degrade."""

    fallback: OptionalProse = None
    """What happens when the model fails or is unavailable (fail-safe behaviour, human fallback)."""


class Transparency(Section):
    """What is disclosed to the people affected (EU AI Act Art. 13, 50)."""

    disclosure_to_affected_people: Prose = None
    """How people are told that a model contributes to decisions about them."""

    documentation_available: OptionalProse = None
    """Which documentation is published, and where."""

    limitations_communicated: OptionalProse = None
    """How limitations are communicated to deployers and users."""


class Governance(Section):
    """Accountability, oversight and monitoring (NIST AI RMF GOVERN, MANAGE 4)."""

    accountable_owner: Text | None = None
    """The role or person accountable for the model in production."""

    human_oversight: Prose = None
    """How humans oversee, override or contest the model's outputs."""

    review_process: OptionalProse = None
    """Reviews the model went through before release (model risk, legal, ethics)."""

    monitoring: Prose = None
    """What is monitored after deployment (performance, drift, disparities) and how often."""

    incident_response: OptionalProse = None
    """How incidents and complaints are reported, tracked and resolved; the appeal channel."""

    regulatory_context: OptionalProse = None
    """Laws, regulations and standards that apply (e.g. EU AI Act high-risk, ECOA, GDPR)."""

    decommissioning: OptionalProse = None
    """When and how the model would be withdrawn."""


class FeatureImportance(Section):
    """The importance of one input feature."""

    feature: Text
    """Feature name."""

    importance: float
    """Its importance score (e.g. mean absolute SHAP value)."""

    direction: Text | None = None
    """How it moves the prediction, e.g. `higher → more likely approved`."""


class Explainability(Section):
    """How the model's outputs can be explained (NIST AI RMF MEASURE 2.9)."""

    methods: Prose = None
    """Explanation methods used or offered (e.g. SHAP, reason codes, counterfactuals)."""

    feature_importance_method: OptionalProse = None
    """How the feature importances below were computed, and on which data."""

    feature_importance: list[FeatureImportance] = Field(default_factory=list)
    """Global feature importances, most important first."""

    explanations_to_affected_people: OptionalProse = None
    """What explanation an affected person receives (e.g. adverse-action reason codes)."""

    limitations: OptionalProse = None
    """Limits of the explanations (approximation, instability, correlated features)."""


class Environmental(Section):
    """Compute used and its environmental cost (NIST AI RMF MEASURE 2.12)."""

    hardware: Text | None = None
    """Hardware used for training, e.g. `8 × NVIDIA A100`."""

    training_hours: float | None = Field(default=None, ge=0)
    """Wall-clock hours of training."""

    cloud_provider: Text | None = None
    """Cloud provider, if any."""

    region: Text | None = None
    """Compute region (its grid mix determines emissions)."""

    co2_eq_kg: float | None = Field(default=None, ge=0)
    """Estimated emissions in kilograms of CO₂-equivalent."""

    estimation_method: OptionalProse = None
    """How the emissions were estimated (e.g. the ML CO2 Impact calculator)."""

    inference_footprint: OptionalProse = None
    """Expected energy or compute cost of inference at the planned volume."""
