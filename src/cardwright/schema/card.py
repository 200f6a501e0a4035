"""The two kinds of card, as one type."""

from __future__ import annotations

from typing import TypeAlias

from .datasheet import Datasheet
from .model_card import ModelCard

Card: TypeAlias = ModelCard | Datasheet
"""A model card or a datasheet, as :func:`cardwright.load` returns it."""

__all__ = ["Card", "Datasheet", "ModelCard"]
