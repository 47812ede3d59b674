"""Base model and the audit log every service writes to."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shudarga.core.audit_chain import LEGACY_CHAIN_ID


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One change to plan, register, evidence or report data: who, when, what, from where.

    `organization_id` is a plain integer, not a foreign key, because `core` sits below
    `organizations` and an entry must outlive the rows it speaks about.

    Entries form hash chains in id order (`prev_digest` -> `digest`, see `audit_chain`), one
    chain per organization and one for country-wide entries (`chain_id`, the id of the
    chain's `AuditChainHead`), so an entry edited or deleted in the database is found by
    `shudarga verify_audit`. Write them only through `core.services.audit_record`, which
    keeps the chains.
    """

    # Set by `audit_record` before the digest is computed (auto_now_add would overwrite it).
    at = models.DateTimeField(_("when"), default=timezone.now, editable=False, db_index=True)
    # PROTECT, not SET_NULL: nulling the actor would rewrite hashed entries. A user who has
    # acted is deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=150, blank=True)
    organization_id = models.BigIntegerField(_("organization"), null=True, db_index=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    prev_digest = models.CharField(_("previous entry's digest"), max_length=64, blank=True)
    digest = models.CharField(_("digest"), max_length=64, blank=True)
    # The id of the audit key the digest is keyed with (`audit_chain.key_id_of`); empty for
    # entries written before the chain was keyed.
    key_id = models.CharField(_("key"), max_length=16, blank=True, default="")
    # The chain the entry belongs to: its head's id. A plain value, not hashed: moving an
    # entry to another chain breaks the links of both.
    chain_id = models.BigIntegerField(_("chain"))

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # A chain is walked, and its newest entry found, in id order.
            models.Index(fields=["chain_id", "id"], name="audit_entry_chain"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class AuditChainHead(models.Model):
    """The head of one audit chain: its last entry and digest.

    There is one chain per organization (`organization_id`), one for country-wide entries
    (sign-ins, users; `organization_id` None), and the legacy chain (`legacy`, always id 1)
    that holds every entry written before chains per organization (none on a fresh
    installation) and takes no more. Appending to a chain locks its head
    (`select_for_update`), so two transactions never chain onto the same entry, while
    writes of different organizations never wait for each other; and `verify_audit`
    compares each head with its chain's last entry, so entries removed from the end of a
    chain are noticed. `mac` seals the row with the audit key, so it cannot be moved back
    to hide entries cut off the end without the key.
    """

    id = models.BigAutoField(primary_key=True)
    organization_id = models.BigIntegerField(_("organization"), null=True, blank=True)
    legacy = models.BooleanField(_("legacy chain"), default=False)
    digest = models.CharField(_("last digest"), max_length=64, blank=True)
    last_entry_id = models.BigIntegerField(_("last entry"), null=True, blank=True)
    key_id = models.CharField(_("key"), max_length=16, blank=True, default="")
    mac = models.CharField(_("seal"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")
        constraints = [
            # One open chain per organization, and one country-wide (NULL counted as one).
            models.UniqueConstraint(
                Coalesce("organization_id", models.Value(0)),
                condition=models.Q(legacy=False),
                name="audit_chain_per_organization",
            ),
            models.UniqueConstraint(
                fields=["legacy"], condition=models.Q(legacy=True), name="audit_chain_one_legacy"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.last_entry_id} {self.digest[:12]}"


class AuditAnchor(models.Model):
    """An audit chain's head at one moment, taken daily (`shudarga anchor_audit`) and
    published outside the database: on the public portal's transparency page, in the log,
    in a file in the data directory and in every backup's manifest. `verify_audit
    --anchors` then finds a rewrite of anything up to an anchored entry, even one whose
    digests were all recomputed (with the key).

    `mac` signs the other fields with the audit key, so an anchor slipped into this table
    (or into a copy elsewhere) by someone without the key is refused.
    """

    at = models.DateTimeField(_("taken"), default=timezone.now, db_index=True)
    last_entry_id = models.BigIntegerField(_("last entry"))
    digest = models.CharField(_("digest"), max_length=64)
    entries = models.BigIntegerField(_("entries"))
    key_id = models.CharField(_("key"), max_length=16)
    mac = models.CharField(_("signature"), max_length=64)
    # The chain anchored (its head's id); anchors of the legacy chain name no chain in
    # their signed form.
    chain_id = models.BigIntegerField(_("chain"))
    organization_id = models.BigIntegerField(_("organization"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit anchor")
        verbose_name_plural = _("audit anchors")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["chain_id", "last_entry_id"], name="audit_anchor_chain")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} #{self.last_entry_id} {self.digest[:12]}"

    @property
    def of_legacy_chain(self) -> bool:
        """An anchor of the chain of entries from before chains per organization."""
        return self.chain_id == LEGACY_CHAIN_ID


class Seal(models.Model):
    """What a plan or report was when it was approved: its exported JSON, in canonical form,
    and the evidence files it refers to, each with its SHA-256.

    Kind and object id are plain values, not foreign keys, because `core` sits below the
    apps whose objects are sealed, and a seal must outlive what it speaks about. A new
    approval writes a new seal; old seals stay, the newest one is in force.

    `digest` covers every other field (see `sealing.seal_digest`), and the audit entry the
    sealing wrote holds that digest in the hash chain, so a seal rewritten in the database
    is noticed by `shudarga verify_seal`. Write seals only through `core.services.seal_create`.
    """

    class Kind(models.TextChoices):
        PLAN = "plan", _("Plan")
        REPORT = "report", _("Report")
        EVALUATION = "evaluation", _("Parent body's evaluation")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    organization_id = models.BigIntegerField(_("organization"), db_index=True)
    sealed_at = models.DateTimeField(_("sealed"), default=timezone.now, editable=False)
    # PROTECT for the reason AuditEntry gives: the id is part of the digest.
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sealed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sealed_by_label = models.CharField(_("sealed by (as recorded)"), max_length=150, blank=True)
    # The canonical JSON itself (ASCII, sorted keys), so the differences can be shown.
    content = models.TextField(_("sealed content"))
    content_digest = models.CharField(_("content digest"), max_length=64)
    # [{"id", "version", "sha256", "title", "measure"}, …] in a fixed order.
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    digest = models.CharField(_("seal digest"), max_length=64)

    class Meta:
        verbose_name = _("seal")
        verbose_name_plural = _("seals")
        ordering = ["-sealed_at", "-id"]
        indexes = [models.Index(fields=["kind", "object_id", "sealed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["plan", "report", "evaluation"]),
                name="seal_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.object_id} {self.sealed_at:%Y-%m-%d %H:%M}"

    @property
    def short_digest(self) -> str:
        return self.digest[:12]


class RecordLock(models.Model):
    """Records locked by an approval: what an approved report covers — the evidence and
    register rows of its plan dated inside its period, and the rows of the registers its
    criteria count across the whole organization — cannot be added, replaced or deleted
    until the report is reopened (with a reason, by a role allowed to). Written and removed
    only by the reports' workflow; the evidence and register services ask
    `core.services.record_lock_check` before every write.

    Plain values, not foreign keys: `core` sits below the apps whose objects lock and are
    locked.
    """

    kind = models.CharField(_("kind"), max_length=10, default="report")
    object_id = models.BigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    organization_id = models.BigIntegerField(_("organization"))
    plan_id = models.BigIntegerField(_("plan"))
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    # Register keys whose rows count for the plan across the organization, whatever their
    # measures ("*": every register, for approvals made before locks were recorded).
    registers = models.JSONField(_("registers counted organization-wide"), default=list)
    created_at = models.DateTimeField(_("locked"), auto_now_add=True)

    class Meta:
        verbose_name = _("record lock")
        verbose_name_plural = _("record locks")
        indexes = [models.Index(fields=["organization_id", "start", "end"])]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="record_lock_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.start} – {self.end}"

    def covers(self, *, day: Any, plan_ids: Iterable[int], register: str = "") -> bool:
        """Whether a record dated `day`, serving measures of `plan_ids` (or in register
        `register`), falls inside what this lock holds: the one test the writes refuse by and
        the pages hide their buttons by."""
        if day is None or not (self.start <= day <= self.end):
            return False
        return self.plan_id in set(plan_ids) or bool(
            register and (register in self.registers or "*" in self.registers)
        )
