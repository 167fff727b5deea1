"""Change per goal, classified with the published GBO reliable change index. Pure: no Flask, no database."""
from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

RELIABLE_CHANGE = 2.45
"""Points on the 0–10 GBO scale a change must exceed to be reliable (Jacobson–Truax reliable change index).

Source: Edbrooke-Childs J, Jacob J, Law D, Deighton J, Wolpert M. Interpreting standardized and idiographic
outcome measures in CAMHS: what does change mean and how does it relate to functioning and experience?
Child and Adolescent Mental Health 2015;20(3):142-148 (doi:10.1111/camh.12107), computed on parent-rated GBO
goals in the CORC data set. Ratings are whole numbers, so in practice a change of 3 points or more.
"""


class GoalChange(StrEnum):
    RELIABLY_IMPROVED = "reliably_improved"
    NO_RELIABLE_CHANGE = "no_reliable_change"
    RELIABLY_DETERIORATED = "reliably_deteriorated"


def classify_change(first: float, latest: float) -> GoalChange:
    """The change from the first rating to the latest: reliable only when it exceeds `RELIABLE_CHANGE`.

    Higher is better on the GBO scale (10 = goal reached), so a rise is an improvement.
    """
    difference = latest - first
    if difference > RELIABLE_CHANGE:
        return GoalChange.RELIABLY_IMPROVED
    if difference < -RELIABLE_CHANGE:
        return GoalChange.RELIABLY_DETERIORATED
    return GoalChange.NO_RELIABLE_CHANGE


def goal_change(ratings: Sequence[int]) -> GoalChange | None:
    """The change over ratings in time order (first to latest); None with fewer than two ratings."""
    if len(ratings) < 2:
        return None
    return classify_change(ratings[0], ratings[-1])
