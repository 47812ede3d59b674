"""The statutory deadlines of petitions, written once and dated.

The petitions law gives 30 calendar days from receipt to answer a petition, complaint or
request, 90 days for a proposal, and lets the head extend a deadline once by up to 30 days.
When the law changes, add a new `DeadlineRule` with the date it comes into force; never edit
an old one. A petition stores the key of the rule in force on the day it was received
(`Petition.rule_key`), so its deadline and allowed extension keep following that rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


class Kind:
    """Petition types. The values are stored; labels live in `Petition.Kind`."""

    PETITION = "petition"  # өргөдөл
    COMPLAINT = "complaint"  # гомдол
    PROPOSAL = "proposal"  # санал
    REQUEST = "request"  # хүсэлт

    ALL = (PETITION, COMPLAINT, PROPOSAL, REQUEST)


@dataclass(frozen=True)
class DeadlineRule:
    key: str
    valid_from: dt.date
    days: Mapping[str, int]  # petition kind -> calendar days from receipt
    max_extension_days: int  # one extension, by at most this many days
    legal_basis: object  # lazily translated text

    def days_for(self, kind: str) -> int:
        return self.days[kind]

    def due_on(self, *, kind: str, received_on: dt.date) -> dt.date:
        """The deadline: `days` calendar days after the day of receipt."""
        return received_on + dt.timedelta(days=self.days_for(kind))


DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule(
        key="1995",
        valid_from=dt.date(1995, 1, 1),
        days={Kind.PETITION: 30, Kind.COMPLAINT: 30, Kind.REQUEST: 30, Kind.PROPOSAL: 90},
        max_extension_days=30,
        legal_basis=_(
            "Law on resolving petitions and complaints of citizens to state bodies and officials"
        ),
    ),
)


def rule_in_force(on: dt.date, rules: tuple[DeadlineRule, ...] | None = None) -> DeadlineRule:
    """The rule in force on `on`: the one with the latest `valid_from` not after it.

    ValueError for a date before every rule (no petition can be received before the law).
    """
    candidates = [r for r in (rules or DEADLINE_RULES) if r.valid_from <= on]
    if not candidates:
        raise ValueError(f"no deadline rule in force on {on}")
    return max(candidates, key=lambda r: r.valid_from)


def rule_by_key(key: str, rules: tuple[DeadlineRule, ...] | None = None) -> DeadlineRule:
    """The rule a petition was registered under. KeyError for an unknown key."""
    for rule in rules or DEADLINE_RULES:
        if rule.key == key:
            return rule
    raise KeyError(key)
