"""The domain core: instrument definitions, scoring and change — pure Python, no Flask, no database.

Everything here takes frozen data and returns frozen data, so the part of the
product most worth getting exactly right can be tested alone.
"""
from .catalog import Catalog, CatalogError, load_catalog, load_instrument
from .change import Change, change
from .models import Band, Instrument, Item, ResponseScale, Scale
from .responses import RESPONSE_TYPES, InvalidAnswers, ResponseType
from .scoring import CriticalAnswer, ScaleScore, ScoreResult, score

__all__ = [
    "RESPONSE_TYPES",
    "Band",
    "Catalog",
    "CatalogError",
    "Change",
    "CriticalAnswer",
    "Instrument",
    "InvalidAnswers",
    "Item",
    "ResponseScale",
    "ResponseType",
    "Scale",
    "ScaleScore",
    "ScoreResult",
    "change",
    "load_catalog",
    "load_instrument",
    "score",
]
