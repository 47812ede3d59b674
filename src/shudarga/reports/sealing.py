"""Seals of approved reports, and checking any seal (plan or report) against what is there
now: the top layer that knows plans, evidence and reports.

A report's seal holds its JSON export (the same as `export_report --format json`) and the
evidence of its period, each with id, version and SHA-256. Checking compares the export
rebuilt from the database with the sealed one, item by item, and the evidence rows with the
sealed digests; `rehash=True` (what `verify_seal` does) also reads every evidence file from
storage and hashes its bytes again, which a page view must not do.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils.translation import gettext as _

from shudarga.core.models import Seal
from shudarga.core.sealing import Difference, SealCheck, compare_fields, compare_records
from shudarga.core.selectors import (
    audit_action_since,
    seal_audit_faults,
    seal_latest,
    seal_newer_id,
    seal_row_faults,
)
from shudarga.core.services import seal_create
from shudarga.core.storage import open_stream
from shudarga.evidence.models import Evidence
from shudarga.plans.sealing import plan_seal_verify
from shudarga.reports.documents.model import ReportDocument
from shudarga.reports.models import Report
from shudarga.reports.selectors import ReportPage, report_page, report_to_document

REOPEN_ACTIONS = ("report.reopened",)
_CHUNK = 1024 * 1024


def report_seal_content(*, document: ReportDocument) -> dict[str, Any]:
    """What a report's seal holds: its JSON export without the parent body's evaluation,
    which comes after the approval and is sealed on its own (`evaluation_seal`)."""
    data = document.to_dict()
    for key in ("parent", "layout", "parent_name"):
        data.pop(key, None)
    return data


def report_seal_evidence(*, page: ReportPage) -> list[dict[str, Any]]:
    """The evidence the report lists (files and links), in the page's order."""
    return [
        {
            "id": e.pk,
            "version": e.version,
            "sha256": e.sha256,
            "title": e.title,
            "measure": row.measure.code,
        }
        for row in page.rows
        for e in row.evidence
    ]


def report_seal(*, report: Report, actor: Any, ip: str | None = None) -> Seal:
    """Seal `report` as it is now. Called by the approval, in its transaction, after the
    status and approver are saved (the export prints the approval date)."""
    page = report_page(report=report)
    return seal_create(
        kind=Seal.Kind.REPORT,
        obj=report,
        organization_id=report.plan.organization_id,
        actor=actor,
        content=report_seal_content(document=report_to_document(report=report, page=page)),
        evidence=report_seal_evidence(page=page),
        ip=ip,
    )


# -- comparing ----------------------------------------------------------------------------


def _header_fields() -> dict[str, str]:
    return {
        "status": _("status"),
        "organization": _("organization"),
        "title": _("title"),
        "year": _("year"),
        "period_key": _("period"),
        "period_start": _("period start"),
        "period_end": _("period end"),
        "date": _("date"),
        "place": _("place"),
        "percent_text": _("plan percent"),
        "scale": _("scoring scale"),
        "signers": _("signature blocks"),
    }


def _item_fields() -> dict[str, str]:
    return {
        "text": _("measure text"),
        "criteria": _("criteria"),
        "implementation": _("implementation text"),
        "due": _("due in the period"),
        "score_mark": _("score"),
        "comment": _("reviewer's comment"),
        "self_score": _("self-assessment"),
        "baseline": _("baseline level"),
        "target": _("target level"),
        "achieved": _("achieved level"),
        "target_reached": _("target reached"),
        "shortfall_reason": _("why the target was not reached"),
        "responsible": _("responsible unit"),
        "evidence": _("evidence"),
    }


def _evidence_keys(evidence: list[dict[str, Any]]) -> str:
    """The evidence an item lists, as `#12 3fa2c0…, #15 (link)`."""
    return ", ".join(
        f"#{e.get('evidence_id')} {(e.get('sha256') or '')[:12] or _('(link)')}" for e in evidence
    )


def report_differences(*, sealed: dict[str, Any], current: dict[str, Any]) -> list[Difference]:
    """What differs between two JSON exports of a report: the header (status, percent, …)
    and each measure's item by code (score, implementation text, evidence listed, …)."""

    def items(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
        # `score_mark` stands for the score and its label ("100", "ХБ"): one line, not three.
        return {
            item["code"]: {
                **{k: v for k, v in item.items() if k not in ("score", "score_label")},
                "evidence": _evidence_keys(item.get("evidence", [])),
            }
            for goal in data.get("goals", [])
            for item in goal.get("items", [])
        }

    def goals(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {
            str(g["number"]): {"text": g["text"], "percent_text": g.get("percent_text")}
            for g in data.get("goals", [])
        }

    differences = compare_fields(
        where=_("Report"), before=sealed, after=current, labels=_header_fields()
    )
    differences += compare_records(
        where=lambda key: _("Goal %(number)s") % {"number": key},
        before=goals(sealed),
        after=goals(current),
        labels={"text": _("text"), "percent_text": _("goal percent")},
    )
    differences += compare_records(
        where=lambda key: _("Measure %(code)s") % {"code": key},
        before=items(sealed),
        after=items(current),
        labels=_item_fields(),
    )
    return differences


def _describe(entry: dict[str, Any]) -> str:
    return _('Evidence #%(id)s "%(title)s" (measure %(measure)s)') % {
        "id": entry["id"],
        "title": entry["title"],
        "measure": entry["measure"],
    }


def _file_sha256(evidence: Evidence) -> str | None:
    """SHA-256 of the stored file's bytes, read in chunks; None when it is missing."""
    digest = hashlib.sha256()
    try:
        with open_stream(evidence.file.storage, evidence.file.name) as handle:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def evidence_differences(*, sealed: list[dict[str, Any]], rehash: bool) -> list[Difference]:
    """Each sealed evidence row compared with the database (one query): gone, deleted,
    replaced, or its stored digest changed; with `rehash`, each file's bytes are also read
    from storage and hashed (missing, or bytes that differ from the sealed digest)."""
    rows = {
        e.pk: e
        for e in Evidence.objects.filter(pk__in=[entry["id"] for entry in sealed]).only(
            "id", "kind", "file", "version", "sha256", "is_current", "deleted_at"
        )
    }
    differences = []
    for entry in sealed:
        where = _describe(entry)
        row = rows.get(entry["id"])
        if row is None:
            differences.append(Difference(where, _("the row is gone from the database")))
            continue
        if row.deleted_at is not None:
            differences.append(Difference(where, _("was deleted after sealing")))
        elif not row.is_current:
            differences.append(Difference(where, _("was replaced by a newer version")))
        if row.version != entry["version"]:
            differences.append(
                Difference(where, _("version changed"), str(entry["version"]), str(row.version))
            )
        if row.sha256 != entry["sha256"]:
            differences.append(
                Difference(
                    where,
                    _("its recorded SHA-256 changed"),
                    entry["sha256"][:12],
                    row.sha256[:12],
                )
            )
        if rehash and row.is_file and entry["sha256"]:
            actual = _file_sha256(row)
            if actual is None:
                differences.append(Difference(where, _("the file is missing from storage")))
            elif actual != entry["sha256"]:
                differences.append(
                    Difference(
                        where,
                        _("the file's bytes differ from the sealed SHA-256"),
                        entry["sha256"][:12],
                        actual[:12],
                    )
                )
    return differences


def _check(
    seal: Seal, report: Report | None, page: ReportPage | None, *, full: bool, rehash: bool
) -> SealCheck:
    check = SealCheck(seal=seal, differences=seal_row_faults(seal=seal), rehashed=rehash)
    if full:
        check.differences += seal_audit_faults(seal=seal)
    if report is None:
        check.differences.append(Difference(_("Report"), _("the report no longer exists")))
    else:
        page = page or report_page(report=report)
        current = report_seal_content(document=report_to_document(report=report, page=page))
        check.differences += report_differences(sealed=json.loads(seal.content), current=current)
        check.reopened = report.status != Report.Status.APPROVED
    check.differences += evidence_differences(sealed=seal.evidence, rehash=rehash)
    if full and (report is None or check.reopened):
        check.reopened = audit_action_since(
            object_type=Report._meta.label_lower,
            object_id=seal.object_id,
            actions=REOPEN_ACTIONS,
            since=seal.sealed_at,
        )
        if not check.reopened:
            check.differences.append(
                Difference(_("Report"), _("left the approved state without a recorded reopening"))
            )
    return check


def report_seal_badge(*, report: Report, page: ReportPage) -> SealCheck | None:
    """The report's seal in force compared with the database, or None when the report was
    never sealed. Uses the page the view already built; the seal (one query), the export's
    people and signatures (two) and the evidence rows (one) are all it adds, whatever the
    report's size. Files are not re-hashed here: that is `verify_seal`'s work."""
    seal = seal_latest(kind=Seal.Kind.REPORT, object_id=report.pk)
    if seal is None:
        return None
    if any(row.evidence_count is not None for row in page.rows):
        page = None  # the page lists only a few evidence items a measure; the seal has all
    return _check(seal, report, page, full=False, rehash=False)


def report_seal_verify(*, seal: Seal, rehash: bool = True) -> SealCheck:
    """Everything about one report seal: the row against its digests and the audit log,
    and while it is in force the report and its evidence (with `rehash`, the files' bytes)
    against it."""
    newer = seal_newer_id(seal=seal)
    if newer is not None:
        faults = seal_row_faults(seal=seal) + seal_audit_faults(seal=seal)
        return SealCheck(seal=seal, differences=faults, superseded_by=newer)
    report = Report.objects.filter(pk=seal.object_id).select_related("plan__organization").first()
    return _check(seal, report, None, full=True, rehash=rehash)


def evaluation_seal_verify(*, seal: Seal) -> SealCheck:
    """A parent body's sealed evaluation (issue 18) against the scores now: each measure's
    score by the parent and by the organization, the comments and both percents. No files:
    an evaluation lists none."""
    from shudarga.reports.evaluation import evaluation_seal_content
    from shudarga.reports.models import ParentEvaluation

    faults = seal_row_faults(seal=seal) + seal_audit_faults(seal=seal)
    newer = seal_newer_id(seal=seal)
    if newer is not None:
        return SealCheck(seal=seal, differences=faults, superseded_by=newer)
    check = SealCheck(seal=seal, differences=faults)
    evaluation = (
        ParentEvaluation.objects.filter(pk=seal.object_id)
        .select_related("report__plan__organization")
        .first()
    )
    if evaluation is None:
        check.differences.append(Difference(_("Evaluation"), _("the evaluation no longer exists")))
        return check
    report = evaluation.report
    current = evaluation_seal_content(report=report, page=report_page(report=report))
    check.differences += evaluation_differences(sealed=json.loads(seal.content), current=current)
    check.reopened = evaluation.status != ParentEvaluation.Status.APPROVED
    return check


def evaluation_differences(*, sealed: dict[str, Any], current: dict[str, Any]) -> list[Difference]:
    """What differs between two sealed forms of a parent body's evaluation."""

    def items(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
        own = data.get("own", {})
        return {
            item["code"]: {
                "parent_mark": item["score_mark"],
                "parent_comment": item["comment"],
                "own_mark": own.get(item["code"]),
            }
            for item in (data.get("parent") or {}).get("items", [])
        }

    def header(data: dict[str, Any]) -> dict[str, Any]:
        return {
            "percent_text": data.get("percent_text"),
            "parent_percent_text": (data.get("parent") or {}).get("percent_text"),
        }

    differences = compare_fields(
        where=_("Evaluation"),
        before=header(sealed),
        after=header(current),
        labels={"percent_text": _("plan percent"), "parent_percent_text": _("parent percent")},
    )
    differences += compare_records(
        where=lambda key: _("Measure %(code)s") % {"code": key},
        before=items(sealed),
        after=items(current),
        labels={
            "parent_mark": _("parent body's score"),
            "parent_comment": _("parent body's comment"),
            "own_mark": _("score"),
        },
    )
    return differences


def seal_verify(*, seal: Seal, rehash: bool = True) -> SealCheck:
    """`plan_seal_verify`, `report_seal_verify` or `evaluation_seal_verify`, by kind."""
    if seal.kind == Seal.Kind.PLAN:
        return plan_seal_verify(seal=seal)
    if seal.kind == Seal.Kind.EVALUATION:
        return evaluation_seal_verify(seal=seal)
    return report_seal_verify(seal=seal, rehash=rehash)
