"""Daily housekeeping for the task worker, queued by `shudarga enqueue_daily`."""

from __future__ import annotations

import logging

from django_tasks import task

from shudarga.core.services import AnchorRefused, audit_anchor_take
from shudarga.core.storage import storage_sweep, sweep_grace

logger = logging.getLogger(__name__)


@task()
def anchor_audit() -> int:
    """Anchor the head of every audit chain that moved (`shudarga anchor_audit`); returns
    how many were anchored. A chain that does not hold is logged as an error and is not
    anchored (the others are)."""
    try:
        rows = audit_anchor_take()
    except AnchorRefused as exc:
        logger.error("Audit chain not anchored: %s", exc)
        raise
    return len(rows)


@task()
def sweep_storage() -> dict[str, int]:
    """What `shudarga sweep_storage` does (each removal is logged as a warning)."""
    report = storage_sweep(grace=sweep_grace())
    logger.info(
        "sweep_storage: %s files checked, %s removed, %s finished",
        report.checked,
        len(report.removed),
        len(report.finished),
    )
    return {"removed": len(report.removed), "finished": len(report.finished)}
