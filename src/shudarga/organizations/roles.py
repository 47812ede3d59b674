"""Roles and what each may do, written once. Views, exports and the API ask `role_allows`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    OFFICER = "officer", _("Responsible officer")
    REVIEWER = "reviewer", _("Reviewer")
    LEADER = "leader", _("Leader")
    AUDITOR = "auditor", _("Auditor")


class Action(models.TextChoices):
    VIEW = "view", _("see the organization's plans")
    IMPORT_PLAN = "plan.import", _("import a plan")
    EXPORT_PLAN = "plan.export", _("download a plan")
    APPROVE_PLAN = "plan.approve", _("approve a plan")
    PUBLISH_PLAN = "plan.publish", _("publish a plan")
    DELETE_PLAN = "plan.delete", _("delete a draft plan")
    EDIT_RULES = "rules.edit", _("confirm and edit criteria rules")
    EDIT_RECORDS = "records.edit", _("record register rows, evidence and petitions")
    MANAGE_SURVEYS = "surveys.manage", _("build, open and close satisfaction surveys")
    EDIT_REPORT = "report.edit", _("write a report's implementation text and submit it")
    REVIEW_REPORT = "report.review", _("score a report, mark it reviewed or send it back")
    APPROVE_REPORT = "report.approve", _("approve a report or reopen an approved one")
    SET_REPORT_RULES = (
        "report.rules",
        _("decide whether one person may submit, review and approve a report"),
    )
    MANAGE_MEMBERS = "members.manage", _("invite people and give or take their roles")
    EVALUATE_AS_PARENT = (
        "report.parent_evaluate",
        _("score a subordinate organization's report for the parent body, return or approve it"),
    )


_EVERYONE = {Action.VIEW, Action.EXPORT_PLAN}

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset(
        _EVERYONE
        | {
            Action.IMPORT_PLAN,
            Action.PUBLISH_PLAN,
            Action.DELETE_PLAN,
            Action.EDIT_RULES,
            Action.EDIT_RECORDS,
            Action.MANAGE_SURVEYS,
            Action.EDIT_REPORT,
            Action.MANAGE_MEMBERS,
        }
    ),
    Role.OFFICER: frozenset(_EVERYONE | {Action.EDIT_RECORDS, Action.EDIT_REPORT}),
    Role.REVIEWER: frozenset(
        _EVERYONE | {Action.APPROVE_PLAN, Action.REVIEW_REPORT, Action.APPROVE_REPORT}
    ),
    # The head of the organization sets its rules, such as the four-eyes rule on reports.
    Role.LEADER: frozenset(
        _EVERYONE
        | {Action.APPROVE_PLAN, Action.PUBLISH_PLAN, Action.APPROVE_REPORT, Action.SET_REPORT_RULES}
    ),
    # An auditor reads everything of the organizations it oversees and changes nothing.
    Role.AUDITOR: frozenset(_EVERYONE),
}

# Roles whose membership on an organization also opens its descendants.
ROLES_SEEING_DESCENDANTS = frozenset({Role.AUDITOR, Role.LEADER})

# Not roles anyone is given: what the people of a parent (ancestor) body hold in each
# organization below it. The parent body's leader reads the organization and its own
# descendants (`PARENT_LEADER`), but is not the organization's leader: it approves none of
# its plans or reports and sets none of its rules. A reviewer or leader of the parent body
# evaluates its reports for the parent body (`PARENT_EVALUATOR`, issue 18), beside the
# organization's own reviewer, whose work it never does.
PARENT_LEADER = "parent_leader"
PARENT_EVALUATOR = "parent_evaluator"
PERMISSIONS[PARENT_LEADER] = frozenset(_EVERYONE)
PERMISSIONS[PARENT_EVALUATOR] = frozenset(_EVERYONE | {Action.EVALUATE_AS_PARENT})

# What a role held on an ancestor becomes in an organization below it. An auditor stays an
# auditor (it reads, wherever it looks); nothing else is inherited as itself.
INHERITED_ROLES: dict[str, frozenset[str]] = {
    Role.AUDITOR: frozenset({Role.AUDITOR}),
    Role.LEADER: frozenset({PARENT_LEADER, PARENT_EVALUATOR}),
    Role.REVIEWER: frozenset({PARENT_EVALUATOR}),
}

# Roles (own or inherited) that open the organization's subordinate-organization pages.
ROLES_SHOWN_DESCENDANTS = ROLES_SEEING_DESCENDANTS | {PARENT_LEADER}

# What the inherited roles are called on pages (the members page lists them, issue 18).
INHERITED_LABELS = {
    Role.AUDITOR: _("Auditor of the parent body"),
    Role.LEADER: _("Leader of the parent body: sees and evaluates"),
    Role.REVIEWER: _("Reviewer of the parent body: evaluates"),
}


def role_allows(role: str, action: str) -> bool:
    return action in PERMISSIONS.get(role, frozenset())
