"""The welcome page's words: why the questions are asked now, in plain words, never a package's milestone code."""
from __future__ import annotations

from pro_service.i18n import _l

# Patients do not know the packages' words ("Pakkeforløp start", "klinisk beslutning"): each milestone
# says what is happening in their treatment and why the answers help now.
WHY = {
    "start": _l("Your treatment is starting. Your answers show how you are now, so that you and the people "
                "who treat you can later see whether things change."),
    "first_consultation": _l("You are starting to talk with the people who treat you. Your answers help them "
                             "understand how you are."),
    "clinical_decision": _l("The people who treat you are planning your treatment with you. Your answers help "
                            "them choose what fits you."),
    "evaluation": _l("It is time to look at how your treatment is going. Your answers show whether things "
                     "have changed since you started."),
    "end": _l("Your treatment is coming to an end. Your answers show what has changed since you started."),
    "follow_up": _l("Some time has passed since your treatment ended. Your answers show how you are now."),
}
OTHER = _l("Your answers help you and the people who treat you see how you are doing and whether the "
           "treatment helps.")


def why(milestone_id: str) -> str:
    return str(WHY.get(milestone_id, OTHER))
