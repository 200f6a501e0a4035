"""A code book: labels coded 0, 1, 2… in order of first appearance, the one way a factor's groups
(``levels.Levels``) and a multiclass evaluation's classes (``labels.Classes``) are coded."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(kw_only=True)
class Codebook:
    """Labels and their codes; a label seen for the first time gets the next code."""

    labels: list[str] = field(default_factory=list)
    """The label of each code."""
    index: dict[str, int] = field(default_factory=dict)
    """The code of each label."""

    def code(self, label: str) -> int:
        """The code of ``label``, given the next one if it is new."""
        got = self.index.get(label)
        if got is None:
            got = self.index[label] = len(self.labels)
            self.labels.append(label)
        return got
