"""The model card: the nine sections of Mitchell et al., "Model Cards for Model Reporting"
(FAT* 2019), in the paper's order, plus optional sections for the dimensions AI service cards
and regulators ask about (see :mod:`cardwright.schema.service_sections`)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, PrivateAttr

from ._base import CardBase, OptionalProse, Prose, Section, Text
from .analysis import NamedEvaluation, QuantitativeAnalyses
from .common import Approvals, Citation, Contact, License, Link, Party, Status
from .computation import Computation
from .datasheet import Datasheet
from .reported import ReportedResults
from .service_sections import (
    Environmental,
    Explainability,
    Governance,
    Privacy,
    Robustness,
    Transparency,
)


class ModelDetails(Section):
    """Basic facts about the model (Mitchell et al. §4.1)."""

    name: Text
    """The model's name as readers will look for it."""

    overview: Prose = None
    """Two or three sentences: what the model does, for whom, and how it is used."""

    version: Text
    """Version identifier, e.g. `2.1.0`.  Quote it if it looks like a number: `"1.10"`."""

    version_notes: OptionalProse = None
    """How this version differs from earlier ones."""

    date: dt.date | None = None
    """When this version was developed or released, as YYYY-MM-DD."""

    type: Prose = None
    """Kind of model and architecture (e.g. gradient-boosted trees, a convolutional network): it
    signals the assumptions built into it."""

    developers: list[Party] = Field(default_factory=list)
    """People or organisations that built the model (helps readers judge provenance)."""

    owners: list[Party] = Field(default_factory=list)
    """Who is accountable for the model in production."""

    training_details: Prose = None
    """Training algorithms, parameters, fairness constraints or other approaches applied, and the
    input features."""

    paper_or_resource: list[Link] = Field(default_factory=list)
    """Papers or other resources with more information."""

    citation: Citation | None = None
    """How to cite the model."""

    license: License | None = None
    """An SPDX licence expression such as `Apache-2.0`, or `{name, url, text}` for a custom licence."""

    feedback_contact: Contact | None = None
    """Where to send questions or comments: an e-mail address or a URL."""


class IntendedUse(Section):
    """Uses envisioned during development (Mitchell et al. §4.2)."""

    primary_uses: Prose = None
    """The task(s) the model was built for, general or specific (e.g. pre-screening consumer credit
    applications in one market)."""

    primary_users: Prose = None
    """Who it was built for (e.g. credit analysts, enterprise teams): this hints at how robust it is
    to varied inputs."""

    out_of_scope_uses: Prose = None
    """Uses it could be mistaken for, or adjacent contexts users might try, that it is not fit for;
    name a better-suited alternative where there is one."""


class FactorInfo(Section):
    """A factor performance may vary with."""

    name: Text
    """The factor's name; use the column name when it is computed from evaluation data."""

    kind: Literal["group", "instrumentation", "environment", "other"] = "group"
    """`group` (demographic, phenotypic, cultural), `instrumentation` (capture hardware and
    settings), `environment` (deployment conditions) or `other`."""

    values: list[str] = Field(default_factory=list)
    """The values or groups considered, if they are a fixed set."""

    description: OptionalProse = None
    """How the factor is defined and measured, and why it matters here."""


class Factors(Section):
    """What model performance may vary with (Mitchell et al. §4.3)."""

    relevant_factors: list[FactorInfo] = Field(default_factory=list)
    """Foreseeable factors for which performance may differ."""

    relevant_factors_rationale: Prose = None
    """How the relevant factors were identified."""

    evaluation_factors: list[FactorInfo] = Field(default_factory=list)
    """The factors actually reported in the quantitative analyses."""

    evaluation_factors_rationale: Prose = None
    """Why these were chosen; where they differ from the relevant factors, why (e.g. labels unavailable)."""


class PerformanceMeasure(Section):
    """A reported metric and why it was chosen."""

    name: Text
    """Metric name, e.g. `false_negative_rate`."""

    rationale: OptionalProse = None
    """Why this measure matters for this model's real-world impact."""


class Metrics(Section):
    """How performance is measured (Mitchell et al. §4.4)."""

    performance_measures: list[PerformanceMeasure] = Field(default_factory=list)
    """The measures reported, and why they were preferred over others."""

    performance_measures_rationale: Prose = None
    """Which measures were prioritised and why (e.g. false negatives are costlier than false positives)."""

    decision_thresholds: Prose = None
    """Thresholds used to turn scores into decisions, and why."""

    uncertainty_approaches: Prose = None
    """How uncertainty in the metrics is computed (e.g. bootstrap confidence intervals, standard
    deviation over runs) and how it is approximated."""


class DatasetRef(Section):
    """A dataset used to train or evaluate the model."""

    name: Text
    """The dataset's name."""

    datasheet: str | None = None
    """Path (relative to this card) of the dataset's datasheet; it is validated and linked."""

    url: str | None = None
    """Where the dataset or its documentation can be found."""

    split: Text | None = None
    """The split used, e.g. `test` (the Hugging Face export writes it into `model-index`)."""

    description: OptionalProse = None
    """What it holds, which split or version was used."""


class EvaluationData(Section):
    """Datasets behind the quantitative analyses (Mitchell et al. §4.5)."""

    datasets: list[DatasetRef] = Field(default_factory=list)
    """Which datasets were used (ideally with datasheets and public, for third-party benchmarking)."""

    motivation: Prose = None
    """Why these datasets were chosen; do they cover typical use and challenging cases?"""

    preprocessing: Prose = None
    """How the data were prepared for evaluation (filtering, cleaning, sampling)."""


class TrainingData(Section):
    """The data the model was trained on (Mitchell et al. §4.6)."""

    datasets: list[DatasetRef] = Field(default_factory=list)
    """Which datasets were used."""

    motivation: Prose = None
    """Why these datasets were chosen."""

    preprocessing: Prose = None
    """How the data were prepared for training."""

    factor_distribution: OptionalProse = None
    """Distribution over the evaluation factors in the training data; at least this when the data
    themselves cannot be shared."""

    disclosure_limits: OptionalProse = None
    """What cannot be disclosed about the training data, and why (e.g. contracts, privacy)."""


class EthicalConsiderations(Section):
    """Ethical questions considered during development (Mitchell et al. §4.8)."""

    data: Prose = None
    """Does the model use sensitive data (e.g. protected characteristics)?  Which, and why?"""

    human_life: Prose = None
    """Is the model meant to, or could it, inform decisions central to human life or flourishing
    (health, safety, livelihood)?"""

    mitigations: Prose = None
    """Risk-mitigation strategies used during development."""

    risks_and_harms: Prose = None
    """What risks use carries; who could be harmed, how likely and how severe.  If unknown, say that
    they were considered but remain unknown."""

    use_cases: Prose = None
    """Known uses that are especially fraught."""

    other: OptionalProse = None
    """Further ethics work, e.g. an external review board or testing with affected communities."""


class CaveatsAndRecommendations(Section):
    """Concerns not covered elsewhere (Mitchell et al. §4.9)."""

    further_testing: Prose = None
    """Do the results suggest more testing?  Which?"""

    unrepresented_groups: Prose = None
    """Relevant groups missing from the evaluation data."""

    usage_recommendations: Prose = None
    """Advice to those deploying or using the model."""

    ideal_evaluation_data: OptionalProse = None
    """What an ideal evaluation dataset would look like."""

    other: OptionalProse = None
    """Anything else a reader should know."""


class ModelCard(CardBase):
    """A model card (Mitchell et al. 2019)."""

    kind: Literal["model-card"]
    """Always `model-card`."""

    schema_version: Literal[1]
    """Version of the card format; `1`."""

    status: Status = "draft"
    """Where the card is in its life: `draft`, `review`, `approved` or `archived`."""

    approvals: Approvals
    """Sign-offs: `{by, role, date}` each."""

    model_details: ModelDetails
    """1. Model details: basic facts about the model."""

    intended_use: IntendedUse
    """2. Intended use: uses envisioned during development, and uses out of scope."""

    factors: Factors
    """3. Factors: what performance may vary with (groups, instrumentation, environment)."""

    metrics: Metrics
    """4. Metrics: measures of performance, thresholds and how uncertainty is computed."""

    evaluation_data: EvaluationData
    """5. Evaluation data: datasets used for the quantitative analyses."""

    training_data: TrainingData
    """6. Training data."""

    quantitative_analyses: QuantitativeAnalyses | list[NamedEvaluation] | None = None
    """7. Quantitative analyses: results disaggregated by factor and by intersection of factors,
    computed from an evaluation file by `cardwright compute`."""

    reported_results: ReportedResults | None = None
    """Results reported by others and not computed by cardwright (a paper, a leaderboard, an
    evaluation harness, another card format), with where each comes from; shown beside the
    computed results, marked as reported."""

    ethical_considerations: EthicalConsiderations
    """8. Ethical considerations."""

    caveats_and_recommendations: CaveatsAndRecommendations
    """9. Caveats and recommendations."""

    privacy: Privacy | None = None
    """Optional: how personal data is protected in training and use."""

    robustness: Robustness | None = None
    """Optional: behaviour under shifted, noisy or adversarial inputs."""

    transparency: Transparency | None = None
    """Optional: what is disclosed to the people affected by the model's outputs."""

    governance: Governance | None = None
    """Optional: accountability, review, monitoring and incident handling."""

    explainability: Explainability | None = None
    """Optional: how the model's outputs can be explained, with feature importances."""

    environmental_impact: Environmental | None = None
    """Optional: compute used and its environmental cost."""

    notes: OptionalProse = None
    """Anything else about the model that has no field above, as Markdown (e.g. sections of a card
    imported from another format, such as how to get started)."""

    _datasheets: dict[str, Datasheet] = PrivateAttr(default_factory=dict)

    @property
    def datasheets(self) -> dict[str, Datasheet]:
        """The datasheets this card names (``datasheet:`` as written → the loaded, valid
        datasheet), attached by :func:`cardwright.load`; a datasheet that could not be loaded
        is absent (its findings came with the card's)."""
        return self._datasheets

    @property
    def computation(self) -> Computation | None:
        """What this card asks `cardwright compute` for (``None``: no quantitative analyses)."""
        if self.quantitative_analyses is None:
            return None
        return Computation("quantitative-analyses", self.quantitative_analyses, ("quantitative_analyses",))
