"""Daily housekeeping for the task worker, queued by `shudarga enqueue_daily`."""

from __future__ import annotations

import logging

from django_tasks import task

from shudarga.core.services import AnchorRefused, audit_anchor_take

logger = logging.getLogger(__name__)


@task()
def anchor_audit() -> int | None:
    """Anchor the audit chain's head (`shudarga anchor_audit`); returns the anchored entry's
    id. A chain that does not hold is logged as an error and nothing is anchored."""
    try:
        row = audit_anchor_take()
    except AnchorRefused as exc:
        logger.error("Audit chain not anchored: %s", exc)
        raise
    return row.last_entry_id if row else None
