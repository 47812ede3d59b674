"""`shudarga anchor_audit`: anchor the audit chain's head outside the database (daily)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shudarga.core.anchors import anchor_dict, anchor_file
from shudarga.core.services import AnchorRefused, audit_anchor_take


class Command(BaseCommand):
    help = (
        "Check the audit chain since the last anchor, then anchor its head: a signed row the "
        "public transparency page shows, a line in the log and in the anchor file of the data "
        "directory; backups carry every anchor. Run it daily (`shudarga enqueue_daily` queues "
        "it); it exits non-zero, anchoring nothing, when the chain does not hold."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            row = audit_anchor_take()
        except AnchorRefused as exc:
            raise CommandError(
                f"Not anchored: {exc}. Run `shudarga verify_audit --anchors`."
            ) from None
        if row is None:
            self.stdout.write("The audit log is empty: nothing to anchor.")
            return
        self.stdout.write(json.dumps(anchor_dict(row), sort_keys=True))
        self.stdout.write(f"Anchored entry #{row.last_entry_id}; also in {anchor_file()}.")
