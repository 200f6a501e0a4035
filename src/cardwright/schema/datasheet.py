"""The datasheet (Gebru et al., *Datasheets for Datasets*): a `dataset` block, the
`relates_to_people` gate, the seven question sections and an optional `data:` block for
computed composition statistics.

The questions themselves live in :mod:`.datasheet_questions`; this module holds the document
and the rule for the questions that apply only to data about people.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, NamedTuple

from pydantic import Field, StrictBool

from ._base import CardBase, OptionalProse, Prose, Section, Text
from .analysis import CompositionData
from .common import Approvals, Citation, License, Link, Status, Url
from .computation import Computation
from .datasheet_questions import (
    PEOPLE_QUESTIONS,
    SECTIONS,
    CollectionProcess,
    Composition,
    Distribution,
    Maintenance,
    Motivation,
    Preprocessing,
    Uses,
)

__all__ = [
    "PEOPLE_QUESTIONS",
    "SECTIONS",
    "CollectionProcess",
    "Composition",
    "DatasetInfo",
    "Datasheet",
    "Distribution",
    "Maintenance",
    "Motivation",
    "PeopleFinding",
    "Preprocessing",
    "Uses",
    "is_not_applicable",
    "people_question_findings",
]


class DatasetInfo(Section):
    """The facts that identify the dataset: what it is called, which version, under which licence."""

    name: Text
    """The dataset's name, as users should refer to it."""

    version: Text | None = None
    """The version this datasheet describes (e.g. `2.1.0` or `2024-06`).  Quote it in YAML
    (`"1.10"`) so it stays text."""

    date: dt.date | None = None
    """When this version was released, as YYYY-MM-DD."""

    summary: Prose = None
    """One short paragraph: what the dataset holds, where it comes from and what it is for."""

    homepage: Url | None = None
    """Where the dataset is published or described."""

    license: License | None = None
    """The licence of the data: an SPDX identifier such as `CC-BY-4.0`, or `{name, url, text}`
    for a custom licence.  Explain the terms under `distribution.license_terms`."""

    citation: Citation | None = None
    """How to cite the dataset."""

    links: list[Link] = Field(default_factory=list)
    """Further pointers: papers, code, dashboards, the data catalogue entry."""

    tags: list[Text] = Field(default_factory=list)
    """Keywords that help people find the dataset (domain, task, modality)."""


class Datasheet(CardBase):
    """A datasheet for a dataset (Gebru et al. 2021): answers to the 57 questions a dataset's
    creators should answer for its users, in seven sections."""

    kind: Literal["datasheet"]
    """The kind of card: always `datasheet` here."""

    schema_version: Literal[1]
    """The version of the datasheet schema this file follows: `1`."""

    status: Status = "draft"
    """Where the datasheet is in its life: `draft`, `review`, `approved` or `archived`."""

    approvals: Approvals
    """Sign-offs on this datasheet (who, in which role, when)."""

    dataset: DatasetInfo
    """The dataset this datasheet describes: name, version, licence, citation, links."""

    relates_to_people: StrictBool
    """Does the dataset relate to people (read broadly: any data about individuals, or any
    human-written text, counts)?  When `true`, the people-only questions must be answered;
    when `false`, answer each of them "Not applicable"."""

    motivation: Motivation
    """Why the dataset was created, by whom, and who paid for it."""

    composition: Composition
    """What the dataset contains: instances, labels, gaps, noise, sensitive content."""

    collection_process: CollectionProcess
    """How, when and by whom the data were collected, with notice and consent."""

    preprocessing: Preprocessing
    """Preprocessing, cleaning and labelling applied to the raw data."""

    uses: Uses
    """What the dataset has been used for, could be used for, and should not be used for."""

    distribution: Distribution
    """How the dataset is shared and under which terms."""

    maintenance: Maintenance
    """Who maintains the dataset, how it is updated and how to reach its curators."""

    data: CompositionData | None = None
    """The dataset file itself, so `cardwright compute` can report its composition (counts,
    label shares, shares of sensitive attributes and their intersections)."""

    notes: OptionalProse = None
    """Anything else a reader should know that fits none of the questions."""

    @property
    def computation(self) -> Computation | None:
        """What this datasheet asks `cardwright compute` for (``None``: no `data`)."""
        return None if self.data is None else Computation("composition", self.data, ("data",))


_NOT_APPLICABLE = re.compile(r"^[\s*_>]*(not\s+applicable|n/a)(?![\w/])", re.IGNORECASE)
_ANSWER_NO = re.compile(r"^[\s*_>]*no(?!\w)", re.IGNORECASE)


def is_not_applicable(answer: str | None) -> bool:
    """Whether an answer declares the question not applicable: it starts with "Not applicable"
    or "N/A" (any case, Markdown emphasis allowed), optionally followed by a reason."""
    return answer is not None and bool(_NOT_APPLICABLE.match(answer))


class PeopleFinding(NamedTuple):
    """A problem with a people-only question: where (a location tuple for
    :meth:`CardBase.locate`), a code from :data:`cardwright.errors.CODES`, a message and a hint."""

    loc: tuple[str | int, ...]
    code: str
    message: str
    hint: str


def _answered(section: Section, key: str) -> str | None:
    """The answer to ``key`` if one was written (present and not blank), else ``None``."""
    value: object = getattr(section, key)
    if key not in section.model_fields_set or not isinstance(value, str) or not value.strip():
        return None
    return value


def people_question_findings(datasheet: Datasheet, *, strict: bool = True) -> list[PeopleFinding]:
    """Check the people-only questions against `relates_to_people`.

    * People data, question unanswered (absent, null or blank): ``missing-answer`` (strict only,
      so an unfilled scaffold validates).
    * People data, answered "not applicable": ``not-applicable`` — except `consent_revocation`
      when `consent_obtained` starts with "No" or is itself "not applicable".
    * No people data, question unanswered: ``missing-answer`` (strict only).
    * No people data, answered in substance: ``invalid-value`` (the answer contradicts
      `relates_to_people: false`).
    """
    findings: list[PeopleFinding] = []
    people = datasheet.relates_to_people
    for section_key, question in PEOPLE_QUESTIONS:
        section: Section = getattr(datasheet, section_key)
        loc: tuple[str | int, ...] = (section_key, question)
        dotted = f"{section_key}.{question}"
        answer = _answered(section, question)
        if answer is None:
            if strict:
                if people:
                    findings.append(
                        PeopleFinding(
                            loc,
                            "missing-answer",
                            f"`{dotted}` must be answered: this dataset relates to people",
                            "describe how this applies to the people in the data",
                        )
                    )
                else:
                    findings.append(
                        PeopleFinding(
                            loc,
                            "missing-answer",
                            f"`{dotted}` must say explicitly that it does not apply",
                            'write "Not applicable: <reason>" (the dataset does not relate to people)',
                        )
                    )
            continue
        na = is_not_applicable(answer)
        if people and na and not _revocation_exempt(datasheet, question):
            findings.append(
                PeopleFinding(
                    loc,
                    "not-applicable",
                    f"`{dotted}` is answered 'not applicable', but this dataset relates to people",
                    "answer the question for the people in the data, or set `relates_to_people: false` "
                    "if the data is not about people",
                )
            )
        elif not people and not na:
            findings.append(
                PeopleFinding(
                    loc,
                    "invalid-value",
                    f"`{dotted}` is answered, but `relates_to_people` is false",
                    'set `relates_to_people: true` if the data is about people, or answer "Not applicable"',
                )
            )
    return findings


def _revocation_exempt(datasheet: Datasheet, question: str) -> bool:
    if question != "consent_revocation":
        return False
    consent = _answered(datasheet.collection_process, "consent_obtained")
    return consent is not None and (bool(_ANSWER_NO.match(consent)) or is_not_applicable(consent))
