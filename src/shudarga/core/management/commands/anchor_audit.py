"""`shudarga anchor_audit`: anchor the audit chains' heads outside the database (daily)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shudarga.core.anchors import anchor_dict, anchor_file
from shudarga.core.services import AnchorRefused, audit_anchor_take


class Command(BaseCommand):
    help = (
        "Check each audit chain (one per organization, one country-wide) that moved since its "
        "last anchor, then anchor its head: a signed row the public transparency page shows, "
        "a line in the log and in the anchor file of the data directory; backups carry every "
        "anchor. Run it daily (`shudarga enqueue_daily` queues it); it exits non-zero, naming "
        "every chain that does not hold and anchoring none of those, when one does not."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = audit_anchor_take()
        except AnchorRefused as exc:
            raise CommandError(
                f"Not anchored: {exc}. Run `shudarga verify_audit --anchors`."
            ) from None
        if not rows:
            self.stdout.write("No audit chain moved since its last anchor: nothing to anchor.")
            return
        for row in rows:
            self.stdout.write(json.dumps(anchor_dict(row), sort_keys=True))
        self.stdout.write(f"Anchored {len(rows)} chain(s); also in {anchor_file()}.")
