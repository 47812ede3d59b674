"""Reads for petitions: who may handle them, the register with its filters, one petition for
a user or for a tracking code, the quarterly statistics, and the numbers the criteria
engine asks for measure 5.5.

Definitions used everywhere here (as of a day `today`):
- *resolved*: answered, transferred, or closed without either, on `resolved_on` (a
  resolution dated after `today` counts as not yet resolved);
- *overdue*: not resolved and `today` is after the deadline (`due_on`, the last allowed
  day, extension included), or resolved after the deadline ("answered late");
- *not yet due*: not resolved and the deadline is today or later;
- *due soon*: not resolved and the deadline within the next N days (today included).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from shudarga.core.models import AuditEntry
from shudarga.core.selectors import audit_entries_for_object
from shudarga.core.text import fold
from shudarga.organizations.models import Organization
from shudarga.organizations.roles import PERMISSIONS, Action
from shudarga.organizations.selectors import get_organization_for_user
from shudarga.petitions.models import Answer, Petition, Question, Survey, SurveyResponse
from shudarga.petitions.statistics import quarter_bounds as quarter_bounds
from shudarga.petitions.validators import normalize_tracking_code, tracking_hash

# Roles whose holders register and handle petitions, and so see petitioners' personal data.
HANDLER_ROLES = frozenset(
    role for role, allowed in PERMISSIONS.items() if Action.EDIT_RECORDS in allowed
)


def due_soon_days() -> int:
    return int(getattr(settings, "PETITION_DUE_SOON_DAYS", 7))


def may_handle_petitions(organization: Organization) -> bool:
    """Whether the user `get_organization_for_user` fetched `organization` for may register
    and handle its petitions and see petitioners' personal data (coordinator, officer):
    `organization.access.handles_petitions`. Reviewers, leaders and auditors read the
    register without personal data."""
    return organization.access.handles_petitions


def get_petition_for_user(
    *, user: Any, code: str, petition_id: int, handle: bool = False
) -> Petition:
    """Petition `petition_id` of organization `code` if `user` may see it; 404 otherwise
    (another organization's id included). With `handle`, 403 for a read-only role."""
    organization = get_organization_for_user(
        user=user, code=code, action=Action.EDIT_RECORDS if handle else Action.VIEW
    )
    try:
        petition = Petition.objects.select_related("assigned_to", "extended_by").get(
            pk=petition_id, organization=organization
        )
    except Petition.DoesNotExist:
        raise Http404 from None
    petition.organization = organization  # keeps the access for the templates
    return petition


def petition_officers(*, organization: Organization) -> QuerySet[Any]:
    """Users who may be assigned petitions: coordinators and officers of `organization`."""
    return (
        get_user_model()
        .objects.filter(memberships__organization=organization, memberships__role__in=HANDLER_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _open_q(today: dt.date) -> Q:
    return Q(resolved_on__isnull=True) | Q(resolved_on__gt=today)


def petition_list(
    *,
    organization: Organization,
    today: dt.date,
    status: str = "",
    channel: str = "",
    kind: str = "",
    due: str = "",
    q: str = "",
    year: int | None = None,
    assigned_to_id: int | None = None,
    personal: bool = False,
) -> QuerySet[Petition]:
    """The register of `organization`, newest first, with the assigned officer joined.

    `due` is "overdue" (still open past the deadline), "soon" (open, deadline within
    PETITION_DUE_SOON_DAYS) or "open". `q` matches words of the number, subject and
    category, and of the petitioner's data only when `personal` (a handler is asking):
    otherwise a search would tell a reader who petitioned.
    """
    rows = Petition.objects.filter(organization=organization)
    if status:
        rows = rows.filter(status=status)
    if channel:
        rows = rows.filter(channel=channel)
    if kind:
        rows = rows.filter(kind=kind)
    if year:
        rows = rows.filter(year=year)
    if assigned_to_id:
        rows = rows.filter(assigned_to_id=assigned_to_id)
    if due == "overdue":
        rows = rows.filter(_open_q(today), due_on__lt=today)
    elif due == "soon":
        rows = rows.filter(
            _open_q(today), due_on__gte=today, due_on__lte=today + dt.timedelta(due_soon_days())
        )
    elif due == "open":
        rows = rows.filter(_open_q(today))
    for word in fold(q).split()[:10]:
        if personal:
            rows = rows.filter(
                Q(search_text__contains=word) | Q(private_search_text__contains=word)
            )
        else:
            rows = rows.filter(search_text__contains=word)
    order = ("due_on", "pk") if due in {"overdue", "soon", "open"} else ("-year", "-number")
    return rows.select_related("assigned_to").order_by(*order)


def petition_due_counts(*, organization: Organization, today: dt.date) -> dict[str, int]:
    """How many open petitions of `organization` are overdue and due soon: one query."""
    soon_until = today + dt.timedelta(due_soon_days())
    return Petition.objects.filter(_open_q(today), organization=organization).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=soon_until)),
    )


def petition_history(*, petition: Petition) -> QuerySet[AuditEntry]:
    """Audit entries about `petition`, oldest first. They hold no personal data."""
    return audit_entries_for_object(
        object_type=Petition._meta.label_lower, object_id=petition.pk
    ).order_by("at", "id")


def petition_for_tracking_code(*, code: str) -> Petition | None:
    """The petition whose tracking code is `code` (any case, dashes allowed), or None.

    Looked up by the code's hash; a malformed code never reaches the database.
    """
    normalized = normalize_tracking_code(code)
    if normalized is None:
        return None
    return (
        Petition.objects.select_related("organization")
        .filter(tracking_hash=tracking_hash(normalized))
        .first()
    )


# --- For the criteria engine (measure 5.5, "none overdue") -------------------------------


def petition_overdue_count(
    *, organization_id: int, date_from: dt.date, date_to: dt.date, today: dt.date
) -> int:
    """How many petitions of organization `organization_id` received between `date_from`
    and `date_to` (both included) went overdue as of `today`: resolved after their
    deadline, or still unresolved with the deadline passed. 0 means "none overdue".

    One COUNT query. Petitions whose deadline has not come are not counted (they may
    still be answered in time).
    """
    return (
        Petition.objects.filter(
            organization_id=organization_id, received_on__gte=date_from, received_on__lte=date_to
        )
        .filter(
            (_open_q(today) & Q(due_on__lt=today))
            | Q(resolved_on__lte=today, resolved_on__gt=F("due_on"))
        )
        .count()
    )


def petition_deadline_counts(
    *, organization_id: int, date_from: dt.date, date_to: dt.date, today: dt.date
) -> tuple[int, int]:
    """(received, overdue) of the petitions of organization `organization_id` received
    between `date_from` and `date_to`, as `petition_overdue_count` counts overdue ones.
    With none received there is nothing to check. One query."""
    overdue = (_open_q(today) & Q(due_on__lt=today)) | Q(
        resolved_on__lte=today, resolved_on__gt=F("due_on")
    )
    counts = Petition.objects.filter(
        organization_id=organization_id, received_on__gte=date_from, received_on__lte=date_to
    ).aggregate(received=Count("pk"), overdue=Count("pk", filter=overdue))
    return counts["received"], counts["overdue"]


# --- Satisfaction survey (measure 4.3) ---------------------------------------------------


def may_manage_surveys(organization: Organization) -> bool:
    """Whether the user builds, opens and closes surveys (the coordinator), as
    `organization.access` says. Everyone who sees the organization reads the results."""
    return organization.access.may(Action.MANAGE_SURVEYS)


def survey_list(*, organization: Organization) -> QuerySet[Survey]:
    """Surveys of `organization`, newest first, with their response counts."""
    return (
        Survey.objects.filter(organization=organization)
        .annotate(response_count=Count("responses"))
        .order_by("-created_at", "-id")
    )


def get_survey_for_user(*, user: Any, code: str, survey_id: int, manage: bool = False) -> Survey:
    """Survey `survey_id` of organization `code` if `user` may see it; 404 otherwise.
    With `manage`, 403 unless the user is its coordinator."""
    organization = get_organization_for_user(user=user, code=code, action=Action.VIEW)
    try:
        survey = Survey.objects.get(pk=survey_id, organization=organization)
    except Survey.DoesNotExist:
        raise Http404 from None
    if manage and not may_manage_surveys(organization):
        raise PermissionDenied
    survey.organization = organization
    return survey


def survey_questions(*, survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position", "id"))


def survey_for_public(*, key: str) -> Survey | None:
    """The survey behind a public link, if it is open or closed (a draft is not public)."""
    if not key or len(key) > 64:
        return None
    return (
        Survey.objects.select_related("organization")
        .filter(public_key=key, status__in=[Survey.Status.OPEN, Survey.Status.CLOSED])
        .first()
    )


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    bars: list[tuple[str, int, float]] = field(default_factory=list)  # label, count, percent
    mean: float | None = None
    texts: list[str] = field(default_factory=list)


def survey_results(*, survey: Survey, max_texts: int = 200) -> tuple[int, list[QuestionResult]]:
    """The number of responses and, per question, its bars (scale 1-5 or choices, with
    counts and percentages of those who answered), the mean of a scale, and the latest
    free-text answers (at most `max_texts` each).

    Three queries: responses, questions, grouped answer counts, plus one per free-text
    question (bounded by the survey's questions, not by its answers).
    """
    total = survey.responses.count()
    questions = survey_questions(survey=survey)
    counts: dict[tuple[int, Any], int] = {}
    grouped = (
        Answer.objects.filter(question__survey=survey)
        .exclude(question__kind=Question.Kind.TEXT)
        .values("question_id", "scale", "choice")
        .annotate(n=Count("id"))
    )
    for row in grouped:
        value = row["scale"] if row["scale"] is not None else row["choice"]
        counts[(row["question_id"], value)] = row["n"]
    results = []
    for question in questions:
        result = QuestionResult(question=question)
        if question.kind == Question.Kind.TEXT:
            texts = list(
                Answer.objects.filter(question=question)
                .exclude(text="")
                .order_by("-id")
                .values_list("text", flat=True)[:max_texts]
            )
            result.texts = texts
            result.answered = Answer.objects.filter(question=question).exclude(text="").count()
        else:
            values: list[Any] = (
                [1, 2, 3, 4, 5] if question.kind == Question.Kind.LIKERT else question.choices
            )
            n = [counts.get((question.pk, v), 0) for v in values]
            result.answered = sum(n)
            result.bars = [
                (str(v), c, (c * 100 / result.answered) if result.answered else 0.0)
                for v, c in zip(values, n, strict=True)
            ]
            if question.kind == Question.Kind.LIKERT and result.answered:
                weighted = sum(v * c for v, c in zip(values, n, strict=True))
                result.mean = round(weighted / result.answered, 2)
        results.append(result)
    return total, results


def survey_response_count(*, organization_id: int, date_from: dt.date, date_to: dt.date) -> int:
    """How many responses the surveys of organization `organization_id` received between
    `date_from` and `date_to` (both included, in the site's time zone). For the criteria
    engine (measure 4.3, "real results counted"). One COUNT query."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return SurveyResponse.objects.filter(
        survey__organization_id=organization_id, submitted_at__gte=start, submitted_at__lt=end
    ).count()


def surveys_answered(
    *, organization_id: int, date_from: dt.date, date_to: dt.date
) -> QuerySet[Survey]:
    """Surveys of the organization answered between `date_from` and `date_to` (site time
    zone), each with `period_responses`, oldest first. For 4.3's "results computed": the
    criteria read each one's summary. One query."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    in_period = Q(responses__submitted_at__gte=start, responses__submitted_at__lt=end)
    return (
        Survey.objects.filter(organization_id=organization_id)
        .annotate(period_responses=Count("responses", filter=in_period))
        .filter(period_responses__gt=0)
        .order_by("created_at", "id")
    )


def open_surveys(*, organization: Organization) -> QuerySet[Survey]:
    """Surveys of `organization` that take answers now, newest first (for the portal)."""
    return Survey.objects.filter(organization=organization, status=Survey.Status.OPEN).order_by(
        "-opened_at", "-id"
    )


@dataclass
class SurveySummary:
    responses: int
    likert_answers: int
    likert_average: float | None  # 1–5, None without scale answers


def survey_summary(*, organization_id: int, date_from: dt.date, date_to: dt.date) -> SurveySummary:
    """Answers to the satisfaction surveys of organization `organization_id` in the period
    (site time zone): how many responses, and the mean of the 1–5 scale answers. For the
    report's drafting of measure 4.3. Two aggregate queries."""
    from django.db.models import Avg, Count

    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    responses = SurveyResponse.objects.filter(
        survey__organization_id=organization_id, submitted_at__gte=start, submitted_at__lt=end
    )
    scale = Answer.objects.filter(response__in=responses, scale__isnull=False).aggregate(
        n=Count("id"), avg=Avg("scale")
    )
    return SurveySummary(
        responses=responses.count(),
        likert_answers=scale["n"],
        likert_average=float(scale["avg"]) if scale["avg"] is not None else None,
    )
