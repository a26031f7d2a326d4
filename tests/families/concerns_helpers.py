"""What the tests of concerns, the screen, seen alone and the Meldcode share."""

from django.utils import timezone

from families.models.concerns import SIGNAL_FIELDS, WEIGHING_FIELDS

STAFF = ["officer", "supervisor"]
NOT_ALLOWED = ["police", "parent", "suspect_caregiver", "other_officer", "outsider"]


def screen_data(judgement: str = "no_concern", note: str = "", **changes) -> dict:
    data = dict.fromkeys(SIGNAL_FIELDS, "no")
    data.update(screened_on=timezone.localdate().isoformat(), judgement=judgement, note=note)
    data.update(changes)
    return data


def step_data(step: str = "signals", **changes) -> dict:
    data = {"kind": step, "taken_on": timezone.localdate().isoformat(), "taken_by": "Olivia Officer"}
    if step == "weigh":
        data.update(dict.fromkeys(WEIGHING_FIELDS, "yes"))
    if step == "decide":
        data["decision"] = "both"
    data.update(changes)
    return data


def screen_answers(judgement: str = "no_concern", **changes) -> dict:
    """The keyword arguments of ``screen_record``."""
    answers = dict.fromkeys(SIGNAL_FIELDS, "no")
    answers.update(changes)
    return {"screened_on": timezone.localdate(), "judgement": judgement, **answers}
