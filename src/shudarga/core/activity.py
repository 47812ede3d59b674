"""Audit entries as people read them: each action key ("petition.answered") and each
recorded change ("assigned_to": [None, "officer"]) in words of the reader's language, so no
page shows a key, `None`, `True` or a Python list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

ACTIONS = {
    "organization.created": gettext_lazy("Organization created"),
    "unit.created": gettext_lazy("Unit added"),
    "membership.granted": gettext_lazy("Role given"),
    "membership.removed": gettext_lazy("Role taken away"),
    "member.invited": gettext_lazy("Person invited"),
    "user.password_set": gettext_lazy("Password set"),
    "user.password_changed": gettext_lazy("Password changed"),
    "user.two_factor_enabled": gettext_lazy("Two-factor sign-in turned on"),
    "user.two_factor_disabled": gettext_lazy("Two-factor sign-in turned off"),
    "user.two_factor_reset": gettext_lazy("Two-factor sign-in reset"),
    "api_token.created": gettext_lazy("API token made"),
    "api_token.revoked": gettext_lazy("API token revoked"),
    "calendar_feed.created": gettext_lazy("Calendar address made"),
    "calendar_feed.revoked": gettext_lazy("Calendar address stopped"),
    "plan.imported": gettext_lazy("Plan imported"),
    "plan.approve": pgettext_lazy("plan", "Plan approved"),
    "plan.publish": gettext_lazy("Plan published"),
    "plan.reopen": gettext_lazy("Plan reopened"),
    "plan.unpublish": gettext_lazy("Plan taken off the portal"),
    "plan.deleted": gettext_lazy("Draft plan deleted"),
    "plan.rolled_over": gettext_lazy("Next year's plan started"),
    "plan.sealed": gettext_lazy("Plan sealed"),
    "plan.import_layout_saved": gettext_lazy("Import layout saved"),
    "plan.import_layout_forgotten": gettext_lazy("Import layout forgotten"),
    "measure.assigned": gettext_lazy("Measure assigned"),
    "criterion_rule.saved": gettext_lazy("Criterion rule saved"),
    "criterion_rule.reset": gettext_lazy("Criterion rule reset"),
    "evidence.added": gettext_lazy("Evidence added"),
    "evidence.replaced": gettext_lazy("Evidence replaced"),
    "evidence.deleted": gettext_lazy("Evidence deleted"),
    "petition.registered": gettext_lazy("Petition registered"),
    "petition.assigned": gettext_lazy("Petition assigned"),
    "petition.extended": gettext_lazy("Petition deadline extended"),
    "petition.answered": gettext_lazy("Petition answered"),
    "petition.transferred": gettext_lazy("Petition transferred"),
    "petition.closed": gettext_lazy("Petition closed"),
    "petition.reminded": gettext_lazy("Petition reminder sent"),
    "survey.created": gettext_lazy("Survey made"),
    "survey.opened": gettext_lazy("Survey opened"),
    "survey.closed": gettext_lazy("Survey closed"),
    "survey.answered": gettext_lazy("Survey answered"),
    "report.created": gettext_lazy("Report created"),
    "report.redrafted": gettext_lazy("Report texts drafted again"),
    "report.due_date": gettext_lazy("Report due date changed"),
    "report.item_saved": gettext_lazy("Report text saved"),
    "report.item_scored": gettext_lazy("Measure scored"),
    "report.commented": gettext_lazy("Comment written"),
    "report.submitted": gettext_lazy("Report submitted"),
    "report.reviewed": gettext_lazy("Report reviewed"),
    "report.approved": pgettext_lazy("report", "Report approved"),
    "report.reopened": gettext_lazy("Report reopened"),
    "report.sealed": gettext_lazy("Report sealed"),
    "report.parent_scored": gettext_lazy("Measure scored by the parent body"),
    "report.parent_returned": gettext_lazy("Report returned by the parent body"),
    "report.parent_resubmitted": gettext_lazy("Corrected report sent back to the parent body"),
    "report.parent_approved": gettext_lazy("Parent body's evaluation approved"),
    "report.parent_reopened": gettext_lazy("Parent body's evaluation reopened"),
    "evaluation.sealed": gettext_lazy("Parent body's evaluation sealed"),
    "ranking.approved": gettext_lazy("Ranking approved"),
    "report.bundle_requested": gettext_lazy("Evidence bundle requested"),
    "reminder.sent": gettext_lazy("Reminder sent"),
    "data.generate": gettext_lazy("Benchmark data generated"),
}
# Actions named by a pattern: "register.events.created" and the like.
SUFFIXES = {
    "created": gettext_lazy("Register row added"),
    "changed": gettext_lazy("Register row changed"),
    "deleted": gettext_lazy("Register row deleted"),
    "imported": gettext_lazy("Register rows imported"),
}

FIELDS = {
    "assigned_to": gettext_lazy("officer"),
    "due_on": gettext_lazy("deadline"),
    "received_on": gettext_lazy("received"),
    "status": gettext_lazy("status"),
    "reason": gettext_lazy("reason"),
    "days": gettext_lazy("days"),
    "decided_by": gettext_lazy("decided by"),
    "petitioner_informed": gettext_lazy("petitioner told"),
    "number": gettext_lazy("number"),
    "channel": gettext_lazy("channel"),
    "kind": gettext_lazy("type"),
    "rule": gettext_lazy("rule"),
    "attachment": gettext_lazy("attachment"),
    "user": gettext_lazy("person"),
    "role": gettext_lazy("role"),
    "roles": gettext_lazy("roles"),
    "name": gettext_lazy("name"),
    "email": gettext_lazy("e-mail"),
    "responsible_person": gettext_lazy("responsible person"),
    "responsible_unit": gettext_lazy("responsible unit"),
    "units": gettext_lazy("units"),
    "recurrence": gettext_lazy("schedule"),
    "due_date": gettext_lazy("due date"),
    "scheduled_dates": gettext_lazy("dates"),
    "score": gettext_lazy("score"),
    "from_plan": gettext_lazy("from plan"),
    "unfinished": gettext_lazy("unfinished measures"),
    "items": gettext_lazy("items"),
    "rows": gettext_lazy("rows"),
    "to": gettext_lazy("to"),
    "days_left": gettext_lazy("days left"),
    "transferred_to": gettext_lazy("transferred to"),
    "answered_on": gettext_lazy("answered on"),
    "closed_on": gettext_lazy("closed on"),
}


def action_label(action: str) -> str:
    """The action in words; a key this version does not know reads as "Change"."""
    if action in ACTIONS:
        return str(ACTIONS[action])
    last = action.rsplit(".", 1)[-1]
    if action.startswith("register.") and last in SUFFIXES:
        return str(SUFFIXES[last])
    return _("Change")


def plain(value: Any) -> str:
    """A recorded value in words: nothing as "—", yes/no, lists joined, ISO dates kept."""
    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(plain(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {plain(v)}" for k, v in value.items())
    return str(value)


def field_label(name: str) -> str:
    return str(FIELDS[name]) if name in FIELDS else name.replace("_", " ")


def change_items(changes: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(field, what happened) of each recorded change: a [before, after] pair reads
    "before → after", anything else its value in words."""
    result = []
    for name, value in (changes or {}).items():
        if isinstance(value, list) and len(value) == 2 and not isinstance(value[0], list | dict):
            text = f"{plain(value[0])} → {plain(value[1])}"
        else:
            text = plain(value)
        result.append((field_label(name), text))
    return result
