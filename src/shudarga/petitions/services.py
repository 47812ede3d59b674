"""Writes for petitions: register (numbered, with its deadline), assign, extend, answer,
transfer, close, and the deadline reminders. Each is validated, transactional and audited.

Audit entries never hold the petitioner's personal data: a change to those fields is
recorded by name only, because the audit log is read by roles that may not see them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shudarga.core.dates import format_mn_date
from shudarga.core.services import audit_record
from shudarga.core.storage import discard_pending, stage_upload
from shudarga.core.text import search_key
from shudarga.organizations.models import Organization
from shudarga.petitions.deadlines import rule_by_key, rule_in_force
from shudarga.petitions.models import (
    Answer,
    Petition,
    PetitionAttachment,
    PetitionCounter,
    PetitionStatsSnapshot,
    Question,
    Survey,
    SurveyResponse,
)
from shudarga.petitions.notices import petition_notify
from shudarga.petitions.selectors import petition_officers
from shudarga.petitions.statistics import petition_quarter_stats, quarter_bounds
from shudarga.petitions.validators import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    check_attachment,
    tracking_hash,
)

PERSONAL_FIELDS = (
    "petitioner_name",
    "petitioner_register_no",
    "petitioner_address",
    "petitioner_contact",
)


def new_tracking_code() -> str:
    """A fresh tracking code (16 characters of TRACKING_ALPHABET, from `secrets`)."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def _fill_search_keys(petition: Petition) -> None:
    petition.search_text = search_key(petition.registration_no, petition.subject, petition.category)
    petition.private_search_text = search_key(
        *(getattr(petition, name) for name in PERSONAL_FIELDS)
    )


def _next_number(organization: Organization, year: int) -> int:
    """The next registration number of `organization` in `year`.

    The counter row is locked until the caller's transaction ends, so a second
    registration waits here; if that transaction rolls back, so does the increment, and
    no number is skipped. (SQLite has no row locks; its IMMEDIATE transactions, set in
    settings, serialise writers instead.)
    """
    counter, _created = PetitionCounter.objects.select_for_update().get_or_create(
        organization=organization, year=year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _check_officer(organization: Organization, officer: Any) -> None:
    if (
        officer is not None
        and not petition_officers(organization=organization).filter(pk=officer.pk).exists()
    ):
        raise ValidationError(
            {"assigned_to": _("Choose a coordinator or officer of this organization.")}
        )


def _today() -> dt.date:
    return timezone.localdate()


def _attach(petition: Petition, upload: UploadedFile, actor: Any) -> PetitionAttachment:
    checked = check_attachment(upload)
    attachment = PetitionAttachment(
        petition=petition,
        original_name=(upload.name or "file")[-255:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # Final once the petition's transaction commits (`core.storage.stage_upload`).
    pending = stage_upload(attachment.file, f"x{checked.extension}", upload)
    try:
        attachment.save()
    except BaseException:
        discard_pending(attachment.file, pending)
        raise
    return attachment


@dataclass(frozen=True)
class Registered:
    petition: Petition
    tracking_code: str  # shown once to the petitioner; only its hash is stored


@transaction.atomic
def petition_register(
    *,
    organization: Organization,
    received_on: dt.date,
    channel: str,
    kind: str,
    petitioner_name: str,
    subject: str,
    petitioner_register_no: str = "",
    petitioner_address: str = "",
    petitioner_contact: str = "",
    category: str = "",
    body: str = "",
    assigned_to: Any = None,
    attachment: UploadedFile | None = None,
    actor: Any = None,
    ip: str | None = None,
) -> Registered:
    """Register a petition: the next gap-free number of its organization and year, the
    deadline from the rule in force on `received_on`, a new tracking code.

    `received_on` may not be in the future. `assigned_to` must be a coordinator or officer
    of `organization`. `attachment` must be a PDF, JPEG or PNG (checked by its bytes).
    """
    if received_on > _today():
        raise ValidationError({"received_on": _("The date of receipt cannot be in the future.")})
    try:
        rule = rule_in_force(received_on)
    except ValueError:
        raise ValidationError({"received_on": _("This date is too early.")}) from None
    _check_officer(organization, assigned_to)
    code = new_tracking_code()
    due_on = rule.due_on(kind=kind, received_on=received_on) if kind in rule.days else received_on
    petition = Petition(
        organization=organization,
        year=received_on.year,
        number=0,  # set below, once everything else is valid
        received_on=received_on,
        channel=channel,
        kind=kind,
        petitioner_name=petitioner_name,
        petitioner_register_no=petitioner_register_no,
        petitioner_address=petitioner_address,
        petitioner_contact=petitioner_contact,
        subject=subject,
        category=category,
        body=body,
        assigned_to=assigned_to,
        status=Petition.Status.IN_PROGRESS if assigned_to else Petition.Status.RECEIVED,
        rule_key=rule.key,
        base_days=rule.days.get(kind, 0),
        original_due_on=due_on,
        due_on=due_on,
        tracking_hash=tracking_hash(code),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    petition.full_clean(exclude=["number", "tracking_hash"])
    if attachment is not None:
        check_attachment(attachment)  # refuse a bad file before a number is taken
    petition.number = _next_number(organization, petition.year)
    _fill_search_keys(petition)
    petition.save()
    if attachment is not None:
        _attach(petition, attachment, actor)
    audit_record(
        actor=actor,
        action="petition.registered",
        obj=petition,
        organization_id=organization.pk,
        changes={
            "number": petition.registration_no,
            "received_on": received_on.isoformat(),
            "channel": channel,
            "kind": kind,
            "due_on": due_on.isoformat(),
            "rule": rule.key,
            "assigned_to": assigned_to.get_username() if assigned_to else None,
            "attachment": attachment is not None,
        },
        ip=ip,
    )
    petition_notify(
        petition=petition,
        event="petition.assigned" if assigned_to else "petition.received",
        actor=actor,
    )
    return Registered(petition=petition, tracking_code=code)


def _locked(petition: Petition) -> Petition:
    """The petition re-read under a row lock, keeping the organization (and its
    `user_roles`) the caller looked up: two clerks acting at once do not both win."""
    fresh = Petition.objects.select_for_update().get(pk=petition.pk)
    fresh.organization = petition.organization
    return fresh


def _copy_back(target: Petition, source: Petition) -> None:
    for field in Petition._meta.concrete_fields:
        if field.name != "organization":
            setattr(target, field.attname, getattr(source, field.attname))


def _require_open(petition: Petition) -> None:
    if not petition.is_open:
        raise ValidationError(_("This petition is already resolved."))


def _check_day(petition: Petition, on: dt.date, field: str) -> None:
    if on > _today():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if on < petition.received_on:
        raise ValidationError({field: _("The date cannot be before the petition was received.")})


@transaction.atomic
def petition_assign(*, petition: Petition, officer: Any, actor: Any, ip: str | None = None) -> None:
    """Assign an open petition to a coordinator or officer of its organization."""
    locked = _locked(petition)
    _require_open(locked)
    _check_officer(locked.organization, officer)
    before = locked.assigned_to.get_username() if locked.assigned_to else None
    locked.assigned_to = officer
    if locked.status == Petition.Status.RECEIVED:
        locked.status = Petition.Status.IN_PROGRESS
    locked.full_clean()
    locked.save(update_fields=["assigned_to", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="petition.assigned",
        obj=locked,
        organization_id=locked.organization_id,
        changes={"assigned_to": [before, officer.get_username()]},
        ip=ip,
    )
    petition_notify(petition=locked, event="petition.assigned", actor=actor)
    _copy_back(petition, locked)


@transaction.atomic
def petition_extend(
    *,
    petition: Petition,
    days: int,
    reason: str,
    decided_by: str,
    petitioner_informed: bool,
    actor: Any,
    on: dt.date | None = None,
    ip: str | None = None,
) -> None:
    """Extend an open petition's deadline once, by 1 to the rule's maximum days (30),
    counted from the original deadline; the head's decision (`decided_by`), its reason, and
    that the petitioner was told are required. Not after the deadline has passed: a late
    extension would hide an overdue petition. Resets the reminder for the new deadline."""
    on = on or _today()
    locked = _locked(petition)
    _require_open(locked)
    rule = rule_by_key(locked.rule_key)
    if locked.extension_days is not None:
        raise ValidationError(_("The deadline of a petition may be extended only once."))
    if not 1 <= days <= rule.max_extension_days:
        raise ValidationError(
            {"days": _("Extend by 1 to %(max)s days.") % {"max": rule.max_extension_days}}
        )
    if on > locked.due_on:
        raise ValidationError(_("The deadline has passed; it can no longer be extended."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if not decided_by.strip():
        raise ValidationError({"decided_by": _("Name the head who decided the extension.")})
    if not petitioner_informed:
        raise ValidationError(
            {"petitioner_informed": _("The petitioner must be told of the extension.")}
        )
    old_due = locked.due_on
    locked.extension_days = days
    locked.extension_reason = reason.strip()
    locked.extension_decided_by = decided_by.strip()
    locked.extension_petitioner_informed = True
    locked.extended_on = on
    locked.extended_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.due_on = locked.original_due_on + dt.timedelta(days=days)
    locked.status = Petition.Status.EXTENDED
    locked.reminder_sent_at = None
    locked.full_clean()
    locked.save()
    audit_record(
        actor=actor,
        action="petition.extended",
        obj=locked,
        organization_id=locked.organization_id,
        changes={
            "due_on": [old_due.isoformat(), locked.due_on.isoformat()],
            "days": days,
            "reason": locked.extension_reason,
            "decided_by": locked.extension_decided_by,
            "petitioner_informed": True,
        },
        ip=ip,
    )
    petition_notify(petition=locked, event="petition.extended", actor=actor)
    _copy_back(petition, locked)


def _resolve(
    petition: Petition,
    *,
    text_field: str,
    text: str,
    missing: str,
    day_field: str,
    day: dt.date,
    status: str,
    action: str,
    changes: Callable[[Petition], dict[str, Any]],
    actor: Any,
    ip: str | None,
) -> None:
    """Resolve an open petition on `day` with `text` (the answer, or where it was sent):
    locked, checked, saved, audited, and copied back to the caller's instance."""
    locked = _locked(petition)
    _require_open(locked)
    _check_day(locked, day, day_field)
    if not text.strip():
        raise ValidationError({text_field: missing})
    setattr(locked, text_field, text.strip())
    setattr(locked, day_field, day)
    locked.resolved_on = day
    locked.status = status
    locked.full_clean()
    locked.save()
    audit_record(
        actor=actor,
        action=action,
        obj=locked,
        organization_id=locked.organization_id,
        changes={**changes(locked), day_field: day.isoformat()},
        ip=ip,
    )
    _copy_back(petition, locked)


@transaction.atomic
def petition_answer(
    *, petition: Petition, answer_text: str, answered_on: dt.date, actor: Any, ip: str | None = None
) -> None:
    """Record the answer to an open petition; it stops running against its deadline."""
    _resolve(
        petition,
        text_field="answer_text",
        text=answer_text,
        missing=_("Write the answer or its summary."),
        day_field="answered_on",
        day=answered_on,
        status=Petition.Status.ANSWERED,
        action="petition.answered",
        changes=lambda locked: {"late": answered_on > locked.due_on},
        actor=actor,
        ip=ip,
    )


@transaction.atomic
def petition_transfer(
    *,
    petition: Petition,
    transferred_to: str,
    transferred_on: dt.date,
    actor: Any,
    ip: str | None = None,
) -> None:
    """Record that an open petition was sent on to the body competent to decide it."""
    _resolve(
        petition,
        text_field="transferred_to",
        text=transferred_to,
        missing=_("Name the body it was transferred to."),
        day_field="transferred_on",
        day=transferred_on,
        status=Petition.Status.TRANSFERRED,
        action="petition.transferred",
        changes=lambda locked: {"to": locked.transferred_to},
        actor=actor,
        ip=ip,
    )


@transaction.atomic
def petition_close(
    *, petition: Petition, closed_on: dt.date, note: str, actor: Any, ip: str | None = None
) -> None:
    """Close a petition. An answered or transferred one keeps its resolution date; an
    open one (withdrawn, left without consideration) needs a note and is resolved on
    `closed_on`."""
    locked = _locked(petition)
    if locked.status == Petition.Status.CLOSED:
        raise ValidationError(_("This petition is already closed."))
    _check_day(locked, closed_on, "closed_on")
    if locked.is_open and not note.strip():
        raise ValidationError(
            {"note": _("Say why a petition without an answer or transfer is closed.")}
        )
    if locked.resolved_on and closed_on < locked.resolved_on:
        raise ValidationError({"closed_on": _("It cannot be closed before it was resolved.")})
    locked.closed_on = closed_on
    locked.close_note = note.strip()
    if locked.resolved_on is None:
        locked.resolved_on = closed_on
    locked.status = Petition.Status.CLOSED
    locked.full_clean()
    locked.save()
    audit_record(
        actor=actor,
        action="petition.closed",
        obj=locked,
        organization_id=locked.organization_id,
        changes={"closed_on": closed_on.isoformat(), "note": locked.close_note},
        ip=ip,
    )
    _copy_back(petition, locked)


@dataclass(frozen=True)
class ReminderResult:
    sent: int
    skipped_no_email: int


def petition_send_reminders(*, today: dt.date, days_before: int) -> ReminderResult:
    """E-mail the assigned officer of every open petition whose deadline is at most
    `days_before` days away (or already passed), once per deadline.

    Each petition is claimed by setting `reminder_sent_at` with a conditional UPDATE
    before its mail goes out, so two runs at once never send the same reminder twice; if
    sending fails, the claim is undone and the next run tries again. Officers without an
    e-mail address are skipped (and counted) and not marked, so they get it once they
    have one; they see the petition in the due-soon list meanwhile.
    """
    candidates = (
        Petition.objects.filter(
            resolved_on__isnull=True,
            reminder_sent_at__isnull=True,
            assigned_to__isnull=False,
            due_on__lte=today + dt.timedelta(days=days_before),
        )
        .select_related("organization", "assigned_to")
        .order_by("due_on", "pk")
    )
    sent = skipped = 0
    site = str(getattr(settings, "SITE_URL", "")).rstrip("/")
    for petition in candidates.iterator():
        email = petition.assigned_to.email
        if not email:
            skipped += 1
            continue
        now = timezone.now()
        claimed = Petition.objects.filter(
            pk=petition.pk, reminder_sent_at__isnull=True, resolved_on__isnull=True
        ).update(reminder_sent_at=now)
        if not claimed:
            continue  # another run sent it, or it was just answered
        days_left = (petition.due_on - today).days
        subject = _("Petition %(no)s: deadline %(date)s") % {
            "no": petition.registration_no,
            "date": format_mn_date(petition.due_on),
        }
        if days_left < 0:
            state = _("The deadline passed %(days)s days ago.") % {"days": -days_left}
        else:
            state = _("%(days)s days are left.") % {"days": days_left}
        link = site + reverse("petitions:detail", args=[petition.organization.code, petition.pk])
        message = "\n".join(
            [
                _("A petition assigned to you must be answered by %(date)s.")
                % {"date": format_mn_date(petition.due_on)},
                state,
                "",
                f"{petition.organization.name} · № {petition.registration_no}",
                petition.get_kind_display() + ": " + petition.subject,
                "",
                link,
            ]
        )
        try:
            send_mail(subject, message, None, [email])
        except Exception:
            Petition.objects.filter(pk=petition.pk).update(reminder_sent_at=None)
            raise
        with transaction.atomic():
            audit_record(
                actor=None,
                action="petition.reminded",
                obj=petition,
                organization_id=petition.organization_id,
                changes={"to": petition.assigned_to.get_username(), "days_left": days_left},
            )
        sent += 1
    return ReminderResult(sent=sent, skipped_no_email=skipped)


# --- Satisfaction survey (measure 4.3) ---------------------------------------------------

MAX_QUESTIONS = 30
MAX_CHOICES = 12


def _survey_audit(survey: Survey, action: str, actor: Any, ip: str | None, **changes: Any) -> None:
    audit_record(
        actor=actor,
        action=f"survey.{action}",
        obj=survey,
        organization_id=survey.organization_id,
        changes=changes,
        ip=ip,
    )


@transaction.atomic
def survey_create(
    *, organization: Organization, title: str, intro: str = "", actor: Any, ip: str | None = None
) -> Survey:
    """A new draft survey of `organization`, with an unguessable public link key."""
    survey = Survey(
        organization=organization,
        title=title.strip(),
        intro=intro.strip(),
        public_key=secrets.token_urlsafe(16),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    survey.full_clean()
    survey.save()
    _survey_audit(survey, "created", actor, ip, title=survey.title)
    return survey


@transaction.atomic
def survey_summarize(
    *,
    survey: Survey,
    result: str,
    actions_taken: str,
    on: dt.date,
    actor: Any,
    ip: str | None = None,
) -> Survey:
    """Write what the survey found and what was done about it (4.3: "results computed").
    Audited with the text before and after."""
    before = {"result": survey.result, "actions_taken": survey.actions_taken}
    survey.result, survey.actions_taken = result.strip(), actions_taken.strip()
    survey.summarized_on = on if (survey.result or survey.actions_taken) else None
    survey.full_clean()
    survey.save(update_fields=["result", "actions_taken", "summarized_on", "updated_at"])
    _survey_audit(
        survey,
        "summarized",
        actor,
        ip,
        before=before,
        after={"result": survey.result, "actions_taken": survey.actions_taken},
    )
    return survey


def _require_draft(survey: Survey) -> None:
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("Questions can be changed only while the survey is a draft."))


@transaction.atomic
def survey_question_add(
    *,
    survey: Survey,
    kind: str,
    text: str,
    choices: list[str] | None = None,
    required: bool = True,
    actor: Any,
    ip: str | None = None,
) -> Question:
    """Add a question at the end of a draft survey. A choice question needs 2 to 12
    distinct options; the others take none."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(survey)
    if survey.questions.count() >= MAX_QUESTIONS:
        raise ValidationError(
            _("A survey may have at most %(n)s questions.") % {"n": MAX_QUESTIONS}
        )
    options = [c.strip()[:200] for c in (choices or []) if c.strip()]
    if kind == Question.Kind.CHOICE:
        if len(options) < 2 or len(options) > MAX_CHOICES or len(set(options)) != len(options):
            raise ValidationError(
                {
                    "choices": _("Give 2 to %(n)s different choices, one a line.")
                    % {"n": MAX_CHOICES}
                }
            )
    else:
        options = []
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    question = Question(
        survey=survey,
        position=(last or 0) + 1,
        kind=kind,
        text=text.strip(),
        choices=options,
        required=required,
    )
    question.full_clean()
    question.save()
    _survey_audit(survey, "question_added", actor, ip, kind=kind, text=question.text)
    return question


@transaction.atomic
def survey_question_delete(*, question: Question, actor: Any, ip: str | None = None) -> None:
    """Remove a question from a draft survey."""
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _require_draft(survey)
    _survey_audit(survey, "question_deleted", actor, ip, text=question.text)
    question.delete()


@transaction.atomic
def survey_open(*, survey: Survey, actor: Any, ip: str | None = None) -> None:
    """Open a draft survey with at least one question to answers from its public link."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.status != Survey.Status.DRAFT:
        raise ValidationError(_("Only a draft survey can be opened."))
    if not locked.questions.exists():
        raise ValidationError(_("Add at least one question first."))
    survey.status = Survey.Status.OPEN
    survey.opened_at = timezone.now()
    survey.save(update_fields=["status", "opened_at", "updated_at"])
    _survey_audit(survey, "opened", actor, ip)


@transaction.atomic
def survey_close(*, survey: Survey, actor: Any, ip: str | None = None) -> None:
    """Close an open survey: from now on answers are refused."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.status != Survey.Status.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.status = Survey.Status.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at", "updated_at"])
    _survey_audit(survey, "closed", actor, ip)


class SurveyClosed(ValidationError):
    """The survey is not open (closed since the form was shown, or never opened)."""


@transaction.atomic
def survey_submit(*, survey: Survey, answers: dict[int, Any]) -> SurveyResponse:
    """Save one anonymous response. `answers` maps question id to an int 1-5 (scale), one
    of the choices (choice) or text (free text); required questions must be answered.

    The survey row is locked and re-read, so an answer racing the close is refused
    (SurveyClosed). Nothing that identifies the sender is stored, the audit entry included.
    """
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.status != Survey.Status.OPEN:
        raise SurveyClosed(_("This survey is closed and takes no more answers."))
    questions = list(locked.questions.order_by("position", "id"))
    errors: dict[str, str] = {}
    rows: list[Answer] = []
    for question in questions:
        value = answers.get(question.pk)
        if value in (None, ""):
            if question.required:
                errors[f"q{question.pk}"] = _("Please answer this question.")
            continue
        answer = Answer(question=question)
        if question.kind == Question.Kind.LIKERT:
            if not isinstance(value, int) or not 1 <= value <= 5:
                errors[f"q{question.pk}"] = _("Choose 1 to 5.")
                continue
            answer.scale = value
        elif question.kind == Question.Kind.CHOICE:
            if value not in question.choices:
                errors[f"q{question.pk}"] = _("Choose one of the options.")
                continue
            answer.choice = value
        else:
            text = str(value).strip()
            if len(text) > 2000:
                errors[f"q{question.pk}"] = _("At most 2,000 characters.")
                continue
            answer.text = text
        rows.append(answer)
    if errors:
        raise ValidationError(errors)
    response = SurveyResponse.objects.create(survey=locked)
    for answer in rows:
        answer.response = response
    Answer.objects.bulk_create(rows)
    audit_record(
        actor=None,
        action="survey.answered",
        obj=locked,
        organization_id=locked.organization_id,
        changes={"response": response.pk},
    )
    return response


# --- Statistics -------------------------------------------------------------------------


@transaction.atomic
def petition_stats_submit(
    *,
    organization: Organization,
    year: int,
    quarter: int | None,
    actor: Any,
    today: dt.date,
    reason: str = "",
    ip: str | None = None,
) -> PetitionStatsSnapshot:
    """Submit the figures of a finished quarter (or year, `quarter` None) as of its cut-off.
    They are kept as they are from then on. Submitting again is a correction: it needs a
    reason, names the snapshot it corrects, and is audited as one."""
    date_from, date_to = quarter_bounds(year, quarter)
    if today <= date_to:
        raise ValidationError(
            _("The period ends on %(day)s: its figures can be submitted after that.")
            % {"day": date_to.isoformat()},
            code="not_over",
        )
    # Lock the organization's row: two people submitting at once make one snapshot each,
    # the second a correction of the first.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    previous = (
        PetitionStatsSnapshot.objects.filter(
            organization=organization, year=year, quarter=quarter or 0
        )
        .order_by("-submitted_at", "-id")
        .first()
    )
    reason = reason.strip()
    if previous is not None and not reason:
        raise ValidationError(
            _("These figures were submitted already; say why they are corrected."),
            code="reason",
        )
    stats = petition_quarter_stats(
        organization_id=organization.pk, date_from=date_from, date_to=date_to, today=today
    )
    snapshot = PetitionStatsSnapshot(
        organization=organization,
        year=year,
        quarter=quarter or 0,
        data=stats.to_data(),
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        corrects=previous,
        reason=reason if previous is not None else "",
    )
    snapshot.full_clean()
    snapshot.save()
    audit_record(
        actor=actor,
        action="petition_stats.corrected" if previous else "petition_stats.submitted",
        obj=snapshot,
        organization_id=organization.pk,
        changes={
            "year": year,
            "quarter": quarter or 0,
            "total": stats.total.counts(),
            **({"corrects": previous.pk, "reason": reason} if previous else {}),
        },
        ip=ip,
    )
    return snapshot
