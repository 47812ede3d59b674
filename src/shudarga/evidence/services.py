"""Writes for evidence: add a file or a link, replace it with a new version, delete it.

Every write checks that the measure, criterion and register row belong to the same
organization, runs `full_clean`, is atomic and audited. Stored files are never overwritten
or removed: a replacement is a new row with a new file, a deletion only marks the current
row as no longer current. An uploaded file becomes final only when its row is committed
(`core.storage.stage_upload`), so a crash leaves nothing but a pending file the daily sweep
removes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shudarga.core.services import audit_record, record_lock_check
from shudarga.core.storage import discard_pending, stage_upload
from shudarga.core.text import search_key
from shudarga.evidence.models import Evidence
from shudarga.evidence.validators import check_upload
from shudarga.organizations.models import Organization
from shudarga.plans.models import Criterion, Measure


def _snapshot(evidence: Evidence) -> dict[str, Any]:
    return {
        "kind": evidence.kind,
        "measure": evidence.measure_id,
        "criterion": evidence.criterion_id,
        "register": (
            f"{evidence.register_type.app_label}.{evidence.register_type.model}:"
            f"{evidence.register_id}"
            if evidence.register_type_id
            else None
        ),
        "title": evidence.title,
        "relates_to": evidence.relates_to.isoformat(),
        "original_name": evidence.original_name,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "link": evidence.link,
        "version": evidence.version,
        "previous": evidence.previous_id,
    }


def _check_scope(
    *,
    organization: Organization,
    measure: Measure,
    criterion: Criterion | None,
    register_row: models.Model | None,
) -> None:
    """Measure, criterion and register row must all be `organization`'s."""
    if measure.plan.organization_id != organization.pk:
        raise ValidationError(
            {"measure": _("Measure %(code)s belongs to another organization's plan.")
             % {"code": measure.code}}
        )  # fmt: skip
    if criterion is not None and criterion.measure_id != measure.pk:
        raise ValidationError(
            {"criterion": _("The criterion belongs to another measure than %(code)s.")
             % {"code": measure.code}}
        )  # fmt: skip
    if register_row is not None:
        if register_row._meta.app_label != "registers" or register_row.pk is None:
            raise ValidationError(_("Evidence can be linked only to a saved register row."))
        if getattr(register_row, "organization_id", None) != organization.pk:
            raise ValidationError(_("The register row belongs to another organization."))


def _lock_replaced(replaces: Evidence, organization: Organization) -> Evidence:
    """The row being replaced, locked, if it may still be replaced."""
    if replaces.organization_id != organization.pk:
        raise ValidationError(_("The evidence to replace belongs to another organization."))
    # Lock it so two people replacing the same file at once get versions n+1 and n+2 in
    # turn, not two versions n+1 (the unique constraints would refuse the second anyway).
    locked = Evidence.objects.select_for_update().get(pk=replaces.pk)
    if not locked.is_current:
        raise ValidationError(
            _("Only the current version can be replaced; this one was replaced or deleted.")
        )
    return locked


def _new_row(
    *,
    kind: str,
    organization: Organization,
    measure: Measure,
    actor: Any,
    title: str,
    description: str,
    criterion: Criterion | None,
    register_row: models.Model | None,
    relates_to: dt.date | None,
    replaces: Evidence | None,
) -> Evidence:
    _check_scope(
        organization=organization, measure=measure, criterion=criterion, register_row=register_row
    )
    evidence = Evidence(
        organization=organization,
        measure=measure,
        criterion=criterion,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        relates_to=relates_to or timezone.localdate(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if register_row is not None:
        evidence.register_type = ContentType.objects.get_for_model(register_row)
        evidence.register_id = register_row.pk
    if replaces is not None:
        previous = _lock_replaced(replaces, organization)
        evidence.lineage = previous.lineage
        evidence.version = previous.version + 1
        evidence.previous = previous
    return evidence


def _check_unlocked(evidence: Evidence) -> None:
    """ValidationError (`locked`) when `evidence` lies inside an approved report's period of
    its measure's plan (`core.services.record_lock_check`)."""
    record_lock_check(
        organization_id=evidence.organization_id,
        day=evidence.relates_to,
        plan_ids=[evidence.measure.plan_id],
    )


def _save_new_row(evidence: Evidence, *, actor: Any, ip: str | None) -> Evidence:
    """Retire the version it replaces, then validate, save and audit `evidence`. Neither
    the new version nor the one it replaces may lie inside an approved report."""
    evidence.search_text = search_key(evidence.title, evidence.original_name, evidence.link)
    previous = evidence.previous
    try:
        _check_unlocked(evidence)
        if previous is not None:
            _check_unlocked(previous)
    except ValidationError as exc:
        raise ValidationError({"relates_to": exc.messages}, code="locked") from None
    if previous is not None:
        # First, so the "one current version" constraint holds at every statement.
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    evidence.full_clean()
    evidence.save()
    audit_record(
        actor=actor,
        action="evidence.replaced" if previous is not None else "evidence.added",
        obj=evidence,
        organization_id=evidence.organization_id,
        changes=_snapshot(evidence),
        ip=ip,
    )
    return evidence


@transaction.atomic
def evidence_add_file(
    *,
    organization: Organization,
    measure: Measure,
    upload: UploadedFile,
    actor: Any,
    title: str = "",
    description: str = "",
    criterion: Criterion | None = None,
    register_row: models.Model | None = None,
    relates_to: dt.date | None = None,
    replaces: Evidence | None = None,
    ip: str | None = None,
) -> Evidence:
    """Store `upload` as evidence that `measure` of `organization` was carried out.

    The upload passes `validators.check_upload` (read in chunks: size, SHA-256, type
    sniffed from its bytes, allow-list, extension agrees); errors are ValidationErrors keyed
    `file`. It is stored through the default storage under a random name. With `replaces`
    (a current version of the same organization's evidence) the new row becomes its next
    version and the old one stays, file and all. `title` defaults to the file name;
    `relates_to` (the date of the work) to today.
    """
    try:
        checked = check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    evidence = _new_row(
        kind=Evidence.Kind.FILE,
        organization=organization,
        measure=measure,
        actor=actor,
        title=title or checked.original_name,
        description=description,
        criterion=criterion,
        register_row=register_row,
        relates_to=relates_to,
        replaces=replaces,
    )
    evidence.original_name = checked.original_name
    evidence.content_type = checked.content_type
    evidence.size = checked.size
    evidence.sha256 = checked.sha256
    # The storage name comes from `evidence_upload_to`; the name given here is ignored. The
    # file stays under a pending name until this transaction commits (`core.storage`).
    pending = stage_upload(evidence.file, checked.original_name, upload)
    try:
        return _save_new_row(evidence, actor=actor, ip=ip)
    except BaseException:
        # The row is not saved: the freshly stored file is nobody's, remove it.
        discard_pending(evidence.file, pending)
        raise


@transaction.atomic
def evidence_add_link(
    *,
    organization: Organization,
    measure: Measure,
    link: str,
    actor: Any,
    title: str = "",
    description: str = "",
    criterion: Criterion | None = None,
    register_row: models.Model | None = None,
    relates_to: dt.date | None = None,
    replaces: Evidence | None = None,
    ip: str | None = None,
) -> Evidence:
    """Record `link` (http or https) as evidence for `measure` of `organization`, like
    `evidence_add_file` but for a published page, post or video. `title` defaults to the
    link itself."""
    link = link.strip()
    evidence = _new_row(
        kind=Evidence.Kind.LINK,
        organization=organization,
        measure=measure,
        actor=actor,
        title=title or link[:500],
        description=description,
        criterion=criterion,
        register_row=register_row,
        relates_to=relates_to,
        replaces=replaces,
    )
    evidence.link = link
    return _save_new_row(evidence, actor=actor, ip=ip)


@transaction.atomic
def evidence_replace(
    *,
    evidence: Evidence,
    actor: Any,
    upload: UploadedFile | None = None,
    link: str = "",
    title: str = "",
    description: str | None = None,
    relates_to: dt.date | None = None,
    ip: str | None = None,
) -> Evidence:
    """A new version of `evidence` (which must be current) from `upload` or `link`.

    The new version keeps the measure, criterion and register row; title, description and
    date of the work are kept unless given. The old version stays, with its file and digest,
    as history.
    """
    if (upload is None) == (not link):
        raise ValidationError(_("Give either a file or a link for the new version."))
    common: dict[str, Any] = {
        "organization": evidence.organization,
        "measure": evidence.measure,
        "actor": actor,
        "title": title or evidence.title,
        "description": evidence.description if description is None else description,
        "criterion": evidence.criterion,
        "register_row": evidence.register_row if evidence.register_type_id else None,
        "relates_to": relates_to or evidence.relates_to,
        "replaces": evidence,
        "ip": ip,
    }
    if upload is not None:
        if not title and evidence.is_file and evidence.title == evidence.original_name:
            common["title"] = ""  # the title was the old file name: take the new one's
        return evidence_add_file(upload=upload, **common)
    return evidence_add_link(link=link, **common)


@transaction.atomic
def evidence_delete(*, evidence: Evidence, actor: Any, ip: str | None = None) -> Evidence:
    """Withdraw `evidence`: its current version stops being current, so it leaves every list
    and count. Nothing is removed — the rows and stored files stay for the audit trail and
    the history page. Hard deletion is deliberately not offered."""
    locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if not locked.is_current:
        raise ValidationError(_("Only the current version can be deleted."))
    _check_unlocked(locked)
    evidence.is_current = False
    evidence.deleted_at = timezone.now()
    evidence.deleted_by = actor if getattr(actor, "is_authenticated", False) else None
    evidence.full_clean()
    evidence.save(update_fields=["is_current", "deleted_at", "deleted_by"])
    audit_record(
        actor=actor,
        action="evidence.deleted",
        obj=evidence,
        organization_id=evidence.organization_id,
        changes={"title": evidence.title, "version": evidence.version, "sha256": evidence.sha256},
        ip=ip,
    )
    return evidence
