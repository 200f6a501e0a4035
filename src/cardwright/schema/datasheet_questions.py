"""The seven sections of a datasheet and their 57 questions (Gebru et al., *Datasheets for
Datasets*, CACM 64(12), 2021), in the paper's order.

Each field's docstring paraphrases the question as guidance for the author; it becomes the JSON
Schema description, the scaffold comment and the hover text in editors.  Questions marked
"(People only.)" apply when the dataset relates to people; otherwise answer them "Not
applicable" (see :func:`cardwright.schema.datasheet.people_question_findings`).
"""

from __future__ import annotations

from ._base import OptionalProse, Prose, Section


class Motivation(Section):
    """Why the dataset was created (Gebru et al. §3.1)."""

    purpose: Prose = None
    """For what purpose was the dataset created?  Name the specific task or gap in existing data
    the creators had in mind."""

    creators: Prose = None
    """Who created the dataset: which team, research group or people, and on behalf of which
    company, institution or organisation?"""

    funding: Prose = None
    """Who funded the creation of the dataset?  Name the grantor and the grant name and number if
    there is one (for internal work, the budget owner)."""

    other_comments: OptionalProse = None
    """Anything else about the motivation a user of the dataset should know."""


class Composition(Section):
    """What the dataset contains (Gebru et al. §3.2)."""

    instance_types: Prose = None
    """What do the instances represent (documents, photos, people, transactions, countries…)?
    Are there several kinds of instance (e.g. people and the interactions between them)?"""

    instance_count: Prose = None
    """How many instances are there in total, and of each kind where there are several?"""

    sampling_scope: Prose = None
    """Does the dataset hold every possible instance, or a sample (not necessarily random) from a
    larger set?  If a sample: what is the larger set, is the sample representative of it (how was
    that checked), and if not, why not (e.g. to cover more diverse instances)?"""

    instance_contents: Prose = None
    """What data does each instance consist of: raw data (unprocessed text, images) or features?
    Describe the fields."""

    labels: Prose = None
    """Is there a label or target associated with each instance?  If so, what is it and how is
    it coded?"""

    missing_information: Prose = None
    """Is any information missing from individual instances?  Say which, and why (e.g. it was
    unavailable).  Do not count information removed on purpose (redaction); describe that under
    preprocessing."""

    instance_relationships: Prose = None
    """Are relationships between instances made explicit (e.g. users' movie ratings, social
    network links)?  How are they encoded?"""

    recommended_splits: Prose = None
    """Are there recommended data splits (training, development/validation, test)?  Describe
    them and the reasoning behind them."""

    errors_noise_redundancy: Prose = None
    """Are there known errors, sources of noise or redundancies (e.g. duplicates) in the dataset?"""

    external_dependencies: Prose = None
    """Is the dataset self-contained, or does it link to or rely on external resources
    (websites, tweets, other datasets)?  If it relies on them: are there guarantees they will
    exist and stay unchanged, are archival versions available, and do licences or fees apply?
    List each resource with its access point."""

    confidential_data: Prose = None
    """Does the dataset contain data that might be considered confidential (protected by legal
    privilege or doctor–patient confidentiality, the content of private communications)?"""

    offensive_content: Prose = None
    """Does the dataset contain data that, viewed directly, might be offensive, insulting,
    threatening or cause anxiety?  If so, describe it and why it is there."""

    subpopulations: Prose = None
    """(People only.)  Does the dataset identify subpopulations (e.g. by age, sex, ethnicity)?
    How were they identified, and how are they distributed in the dataset?"""

    reidentification_risk: Prose = None
    """(People only.)  Can individuals be identified, directly or indirectly (in combination
    with other data)?  How, and what was done to prevent it?"""

    sensitive_data: Prose = None
    """(People only.)  Does the dataset contain data that might be considered sensitive: racial
    or ethnic origin, sexual orientation, religious beliefs, political opinions, union
    membership, location, financial or health data, biometric or genetic data, government
    identifiers such as social security numbers, criminal history?  Describe it."""

    other_comments: OptionalProse = None
    """Anything else about the composition a user of the dataset should know."""


class CollectionProcess(Section):
    """How the data were collected (Gebru et al. §3.3)."""

    acquisition_method: Prose = None
    """How was the data for each instance acquired: directly observable (raw text, ratings),
    reported by subjects (survey responses), or indirectly inferred or derived from other data
    (part-of-speech tags, model-based guesses of age or language)?  If reported or derived, was
    it validated or verified, and how?"""

    collection_mechanisms: Prose = None
    """What mechanisms or procedures collected the data (hardware or sensors, manual curation,
    software programs, APIs)?  How were they validated?"""

    sampling_strategy: Prose = None
    """If the dataset is a sample of a larger set, what was the sampling strategy
    (deterministic, probabilistic with which probabilities)?  Write "Not applicable" when the
    dataset is the full set."""

    collectors_and_compensation: Prose = None
    """Who was involved in collecting the data (students, crowdworkers, contractors, staff), and
    how were they compensated (e.g. how much were crowdworkers paid)?"""

    collection_timeframe: Prose = None
    """Over what timeframe was the data collected?  Does it match the creation timeframe of the
    data itself (e.g. a recent crawl of old news articles)?  If not, give that timeframe too."""

    ethical_review: Prose = None
    """Were any ethical review processes carried out (e.g. by an institutional review board or
    an ethics committee)?  Describe the process and its outcome, with a link to any documents."""

    direct_or_third_party: Prose = None
    """(People only.)  Was the data collected from the individuals themselves, or obtained via
    third parties or other sources (websites, data brokers, partner organisations)?"""

    individuals_notified: Prose = None
    """(People only.)  Were the individuals told about the data collection?  How was notice
    given, and what was its exact wording (link or quote it)?"""

    consent_obtained: Prose = None
    """(People only.)  Did the individuals consent to the collection and use of their data?
    How was consent requested and given, and what was the exact wording?  Start with "No" when
    no consent was sought, and say on what basis the data is processed instead."""

    consent_revocation: Prose = None
    """(People only.)  If consent was obtained, can people revoke it later or for certain uses?
    Describe the mechanism.  "Not applicable" is accepted here only when `consent_obtained`
    starts with "No" or is itself "Not applicable"."""

    impact_analysis: Prose = None
    """(People only.)  Was an analysis of the potential impact of the dataset and its use on
    the data subjects carried out (e.g. a data protection impact assessment)?  Describe its
    outcome, with a link to any documents."""

    other_comments: OptionalProse = None
    """Anything else about the collection process a user of the dataset should know."""


class Preprocessing(Section):
    """Preprocessing, cleaning and labelling (Gebru et al. §3.4)."""

    preprocessing_done: Prose = None
    """Was any preprocessing, cleaning or labelling done (discretisation or bucketing,
    tokenisation, part-of-speech tagging, feature extraction, removal of instances, handling of
    missing values)?  Describe it.  If none was done, say so; the next two questions are then
    "Not applicable"."""

    raw_data_saved: Prose = None
    """Was the raw data kept alongside the preprocessed, cleaned or labelled data (e.g. to
    support unanticipated future uses)?  Where can it be obtained, and by whom?"""

    preprocessing_software: Prose = None
    """Is the software used to preprocess, clean or label the data available?  Give its name,
    version and where to get it."""

    other_comments: OptionalProse = None
    """Anything else about preprocessing a user of the dataset should know."""


class Uses(Section):
    """What the dataset has been and may be used for (Gebru et al. §3.5)."""

    prior_uses: Prose = None
    """Has the dataset been used for any tasks already?  Describe them (and link to the models
    or papers)."""

    uses_repository: Prose = None
    """Is there a repository that links to papers or systems using the dataset?  Where?"""

    other_possible_tasks: Prose = None
    """What (other) tasks could the dataset be used for?"""

    future_use_risks: Prose = None
    """Is there anything about the composition of the dataset, or the way it was collected,
    preprocessed, cleaned or labelled, that might affect future uses?  Could a user unknowingly
    cause unfair treatment of individuals or groups (stereotyping, quality-of-service gaps) or
    other harms (financial, legal)?  What can users do to mitigate these risks?"""

    discouraged_uses: Prose = None
    """Are there tasks the dataset should not be used for?  Say which and why."""

    other_comments: OptionalProse = None
    """Anything else about uses of the dataset."""


class Distribution(Section):
    """How the dataset is shared (Gebru et al. §3.6)."""

    third_party_distribution: Prose = None
    """Will the dataset be distributed to third parties outside the entity that created it
    (company, institution, organisation)?  To whom?"""

    distribution_method: Prose = None
    """How will it be distributed (archive on a website, API, a repository)?  Does it have a
    digital object identifier (DOI)?"""

    distribution_date: Prose = None
    """When will the dataset be (or when was it) released?"""

    license_terms: Prose = None
    """Is it distributed under a copyright or other intellectual-property licence, and/or under
    terms of use?  Describe them, link to them and name any fees.  (The licence's identifier
    goes in `dataset.license`.)"""

    third_party_ip_restrictions: Prose = None
    """Have any third parties imposed intellectual-property or other restrictions on the data
    associated with the instances?  Describe them, with links and any fees."""

    export_controls: Prose = None
    """Do any export controls or other regulatory restrictions apply to the dataset or to
    individual instances?  Describe them, with links to supporting documentation."""

    other_comments: OptionalProse = None
    """Anything else about distribution."""


class Maintenance(Section):
    """Who keeps the dataset up and how (Gebru et al. §3.7)."""

    maintainer: Prose = None
    """Who will support, host and maintain the dataset?"""

    contact: Prose = None
    """How can the owner, curator or manager of the dataset be contacted (e.g. an e-mail
    address)?"""

    erratum: Prose = None
    """Is there an erratum?  Where?  If there is none yet, say where one would be published."""

    update_plan: Prose = None
    """Will the dataset be updated (to correct labelling errors, add new instances, delete
    instances)?  How often, by whom, and how will updates reach users (mailing list, release
    notes, a repository)?"""

    retention_limits: Prose = None
    """(People only.)  Are there limits on how long data about individuals may be retained
    (e.g. were people promised their data would be deleted after a period)?  How are the limits
    enforced?"""

    older_versions: Prose = None
    """Will older versions of the dataset stay supported, hosted and maintained?  If not, how
    will their retirement be communicated to users?"""

    contribution_mechanism: Prose = None
    """Can others extend, augment, build on or contribute to the dataset?  How?  Are
    contributions validated (how, or why not), and how are they communicated to users?"""

    other_comments: OptionalProse = None
    """Anything else about maintenance."""


#: The seven sections in Gebru et al.'s order, as (key in the datasheet, model).
SECTIONS: tuple[tuple[str, type[Section]], ...] = (
    ("motivation", Motivation),
    ("composition", Composition),
    ("collection_process", CollectionProcess),
    ("preprocessing", Preprocessing),
    ("uses", Uses),
    ("distribution", Distribution),
    ("maintenance", Maintenance),
)

#: The questions that apply only to data about people, as (section, question).
PEOPLE_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("composition", "subpopulations"),
    ("composition", "reidentification_risk"),
    ("composition", "sensitive_data"),
    ("collection_process", "direct_or_third_party"),
    ("collection_process", "individuals_notified"),
    ("collection_process", "consent_obtained"),
    ("collection_process", "consent_revocation"),
    ("collection_process", "impact_analysis"),
    ("maintenance", "retention_limits"),
)
