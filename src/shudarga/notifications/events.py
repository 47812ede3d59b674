"""What each notification event says, in the reader's language.

`params` values are either plain values (numbers, dates as ISO text, codes) or labels
given in every language of the site (`{"mn": "…", "en": "…"}`, made by `labels`), so the
message is worded in the language of whoever reads it, even one chosen after it was sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

EVENTS: dict[str, Any] = {
    "report.submitted": _("The %(title)s report was submitted by %(by)s and waits for review."),
    "report.reviewed": _("The %(title)s report was reviewed and waits for approval."),
    "report.approved": _("The %(title)s report was approved."),
    "report.returned": _("The %(title)s report was returned to draft: %(reason)s"),
    "report.parent_resubmitted": _(
        "The %(title)s report of %(org)s was corrected as you asked and waits for your evaluation."
    ),
    "report.parent_approved": _(
        "%(by)s approved the parent body's evaluation of the %(title)s report: %(percent)s."
    ),
    "report.parent_reopened": _(
        "%(by)s reopened the parent body's evaluation of the %(title)s report: %(reason)s"
    ),
    "report.overdue": _("The %(title)s report was due on %(due)s and is not submitted yet."),
    "petition.received": _(
        "Petition %(number)s arrived and nobody handles it yet; answer by %(due)s."
    ),
    "petition.assigned": _("Petition %(number)s was given to you; it must be answered by %(due)s."),
    "petition.extended": _("Petition %(number)s was extended; the new deadline is %(due)s."),
    "petition.overdue": _("Petition %(number)s is overdue: it was due on %(due)s."),
    "measure.assigned": _("Measure %(code)s of the %(year)s plan was assigned to you."),
    "plan.approved": _("The %(title)s plan was approved."),
    "reminder.digest": _("%(soon)s deadlines soon, %(overdue)s overdue"),
}
# A notification of an event this version does not know (written by a newer one) still
# reads as a sentence, never as its key.
UNKNOWN = _("Something changed that concerns you.")


def labels(make: Callable[[], object]) -> dict[str, str]:
    """`make()` as text in every language of the site: `{"mn": …, "en": …}`."""
    result = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            result[code] = str(make())
    return result


def _value(value: Any) -> Any:
    if isinstance(value, dict):
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return (
            value.get(language)
            or value.get(settings.LANGUAGE_CODE)
            or next(iter(value.values()), "")
        )
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%Y-%m-%d")
        except ValueError:
            return value
    return "" if value is None else value


def message_for(event: str, params: dict[str, Any]) -> str:
    """The sentence for `event` with `params`, in the active language."""
    if event == "legacy":  # written before notifications had events: kept as it was
        return str(params.get("text", "")) or str(UNKNOWN)
    template = EVENTS.get(event)
    if template is None:
        return str(UNKNOWN)
    values = {name: _value(value) for name, value in params.items()}
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(UNKNOWN)
