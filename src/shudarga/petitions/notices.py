"""Who is told of what happens to a petition. Called by `services`, inside their
transactions; overdue petitions are told by `petition_overdue_notify`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shudarga.notifications.selectors import members_who_may
from shudarga.notifications.services import notify
from shudarga.organizations.roles import Action
from shudarga.petitions.models import Petition


def petition_notify(*, petition: Petition, event: str, actor: Any = None) -> None:
    """Tell the petition's handler of `event` ("petition.assigned", "petition.extended",
    "petition.overdue"); a petition nobody handles yet ("petition.received") is told to
    everyone who handles petitions, so someone takes it. The key holds the deadline, so a
    petition extended later is told again, and each event once."""
    if petition.assigned_to_id:
        users = [petition.assigned_to]
    else:
        users = list(
            members_who_may(organization=petition.organization_id, action=Action.EDIT_RECORDS)
        )
    notify(
        users=users,
        event=event,
        key=f"{event}:{petition.pk}:{petition.assigned_to_id or 0}:{petition.due_on:%Y-%m-%d}",
        params={"number": petition.registration_no, "due": petition.due_on.isoformat()},
        url=petition.get_absolute_url(),
        organization_id=petition.organization_id,
        actor=actor,
    )


def petition_overdue_notify(*, petitions: list[Petition], today: dt.date) -> int:
    """Tell the handlers of each of `petitions` that is open and past its deadline, once per
    deadline. Returns how many petitions were overdue."""
    count = 0
    for petition in petitions:
        if petition.is_open and petition.due_on < today:
            petition_notify(petition=petition, event="petition.overdue")
            count += 1
    return count
