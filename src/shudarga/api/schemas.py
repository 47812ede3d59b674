"""Request and response shapes of API v1 (pydantic, through django-ninja)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Path, Schema
from pydantic import Field, StringConstraints

from shudarga.petitions.models import (
    ADDRESS_MAX,
    BODY_MAX,
    CATEGORY_MAX,
    CONTACT_MAX,
    NAME_MAX,
    REGISTER_NO_MAX,
    SUBJECT_MAX,
    Petition,
)

# Paths: an organization code as `code_validator` allows it, and database ids in range
# (a bigger number would overflow the database's integer instead of being a 404).
OrgCode = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")]
MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
# Text a database can store: no NUL characters.
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=200)]
MeasureCode = Annotated[str, StringConstraints(pattern=r"^[^\x00]{1,20}$")]


class OrganizationOut(Schema):
    code: str
    name: str
    parent: str | None = Field(None, description="The parent organization's code.")
    roles: list[str] = Field(
        description=(
            "The token owner's roles in this organization: their own (coordinator, officer, "
            "reviewer, leader, auditor) or those a role on a parent body gives here "
            "(auditor; parent_leader: reads it and its descendants; parent_evaluator: "
            "evaluates its reports for the parent body)."
        )
    )


class PlanOut(Schema):
    id: int
    year: int
    title: str
    status: str
    approved_on: dt.date | None
    place: str
    measure_count: int
    created_at: dt.datetime


class CriterionOut(Schema):
    id: int
    text: str
    status: str = Field(description="met, not_met, not_yet_due, nothing_to_check or manual.")
    message: str
    count: int | None
    target: int | None
    rule_confirmed: bool


class MeasureOut(Schema):
    id: int
    code: str
    text: str
    activity: str | None
    responsible_unit: str
    due_date: dt.date | None
    recurrence: str
    criteria: list[CriterionOut]


class GoalOut(Schema):
    number: int
    text: str
    measures: list[MeasureOut]


class PlanDetailOut(PlanOut):
    period_start: dt.date
    period_end: dt.date
    counts: dict[str, int]
    goals: list[GoalOut]


class MeasureRef(Schema):
    id: int
    code: str


class RowOut(Schema):
    id: int
    register_key: str
    values: dict[str, Any]
    measures: list[MeasureRef]
    created_at: dt.datetime
    updated_at: dt.datetime


class RowPage(Schema):
    results: list[RowOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class RowIn(Schema):
    values: dict[str, Any] = Field(
        description="Field name -> value, as the register's columns (dates YYYY-MM-DD)."
    )
    measures: list[MeasureCode] | None = Field(
        None,
        max_length=100,
        description="Codes of the latest plan's measures; omitted on update keeps them.",
    )


class BulkIn(Schema):
    rows: list[RowIn] = Field(min_length=1, max_length=1000)
    dry_run: bool = False


class BulkOut(Schema):
    created: int
    dry_run: bool
    ids: list[int]


class RegisterOut(Schema):
    key: str
    name: str
    fields: list[str]
    date_field: str
    kind_field: str | None
    count: int


class Page(Schema):
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


# -- evidence -------------------------------------------------------------------------------


class EvidenceOut(Schema):
    id: int
    kind: str = Field(description="file or link.")
    measure: MeasureRef
    plan_id: int
    criterion_id: int | None
    title: str
    description: str
    relates_to: dt.date = Field(description="The date of the work it proves.")
    original_name: str
    content_type: str
    size: int | None
    sha256: str
    link: str
    version: int
    is_current: bool
    deleted_at: dt.datetime | None
    uploaded_at: dt.datetime
    uploaded_by: str | None
    download_url: str | None = Field(description="Where the file is downloaded; null for links.")


class EvidencePage(Page):
    results: list[EvidenceOut]


class EvidenceDetailOut(EvidenceOut):
    versions: list[EvidenceOut] = Field(description="Every version, newest first.")


# -- reports --------------------------------------------------------------------------------


class ReportOut(Schema):
    id: int
    plan_id: int
    year: int
    period: str
    status: str
    due_date: dt.date
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    approved_at: dt.datetime | None
    percent: str | None = Field(
        description="The implementation percent (mean score of due measures), e.g. `89.2`."
    )


class ReportItemOut(Schema):
    measure_id: int
    code: str
    text: str
    due: bool
    implementation: str
    self_score: int | None
    achieved: str
    target_reached: bool | None
    shortfall_reason: str
    score: int | None = Field(description="The reviewer's score; null when not due or unscored.")
    score_comment: str
    parent_score: int | None = Field(
        description="The parent body's score (issue 18); null when not due or not scored."
    )
    parent_comment: str
    evidence_count: int
    comment_count: int


class ReportGoalOut(Schema):
    number: int
    text: str
    percent: str | None
    parent_percent: str | None = Field(description="The goal's percent by the parent body.")
    items: list[ReportItemOut]


class ParentEvaluationOut(Schema):
    organization: str = Field(description="The parent body's code.")
    organization_name: str
    status: str = Field(description="`open`, `returned` (for correction) or `approved`.")
    returned_reason: str
    approved_at: dt.datetime | None
    reopened_reason: str = Field(
        description="Why the parent body last reopened its approved evaluation; empty if never."
    )
    reopened_at: dt.datetime | None


class LevelCount(Schema):
    value: int
    label: str
    count: int


class ReportTotalsOut(Schema):
    percent: str | None
    parent_percent: str | None = Field(
        description="The plan's percent by the parent body's scores, computed as `percent`."
    )
    due: int
    not_due: int
    unscored: int
    levels: list[LevelCount]


class ReportDetailOut(ReportOut):
    period_start: dt.date
    period_end: dt.date
    goals: list[ReportGoalOut]
    totals: ReportTotalsOut
    parent_evaluation: ParentEvaluationOut | None


# -- petitions ------------------------------------------------------------------------------


class PetitionPersonalOut(Schema):
    """Only for those who handle petitions (coordinators and officers)."""

    petitioner_name: str
    petitioner_register_no: str
    petitioner_address: str
    petitioner_contact: str
    body: str
    answer_text: str


class PetitionOut(Schema):
    id: int
    registration_no: str
    received_on: dt.date
    channel: str
    kind: str
    subject: str
    category: str
    status: str
    original_due_on: dt.date
    due_on: dt.date
    resolved_on: dt.date | None
    answered_on: dt.date | None
    transferred_on: dt.date | None
    closed_on: dt.date | None
    overdue: bool = Field(description="Open past its deadline, or resolved after it.")
    assigned_to: str | None
    personal: PetitionPersonalOut | None = Field(
        description="The petitioner's data, text and answer; null for roles that do not "
        "handle petitions."
    )


class PetitionPage(Page):
    results: list[PetitionOut]


class PetitionDetailOut(PetitionOut):
    extension_days: int | None
    extension_reason: str
    transferred_to: str
    close_note: str


class PetitionCreatedOut(PetitionDetailOut):
    tracking_code: str = Field(description="For the petitioner; shown this once, never again.")


def _text(max_length: int) -> Any:
    return Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=max_length)]


Channel = Literal[tuple(Petition.Channel.values)]  # type: ignore[valid-type]
PetitionKind = Literal[tuple(Petition.Kind.values)]  # type: ignore[valid-type]


class PetitionIn(Schema):
    """Checked as the register form checks it (lengths, the officer, the date)."""

    received_on: dt.date | None = Field(None, description="Defaults to today.")
    channel: Channel
    kind: PetitionKind
    petitioner_name: _text(NAME_MAX)
    petitioner_register_no: _text(REGISTER_NO_MAX) = ""
    petitioner_address: _text(ADDRESS_MAX) = ""
    petitioner_contact: _text(CONTACT_MAX) = ""
    subject: _text(SUBJECT_MAX)
    category: _text(CATEGORY_MAX) = ""
    body: _text(BODY_MAX) = ""
    assigned_to: _text(150) | None = Field(
        None, description="Username of a coordinator or officer of the organization."
    )


# -- public ---------------------------------------------------------------------------------


class PublicPlanOut(Schema):
    id: int
    year: int
    title: str
    approved_on: dt.date | None


class PublicReportScore(Schema):
    period: str
    percent: str | None
    approved_at: dt.datetime | None


class PublicPlanScores(Schema):
    plan_id: int
    year: int
    title: str
    reports: list[PublicReportScore]


class TrackIn(Schema):
    code: Annotated[str, StringConstraints(max_length=64)] = Field(
        description="The tracking code given when the petition was filed (dashes allowed)."
    )


class PetitionStatusOut(Schema):
    status: str
    status_label: str
    received_on: dt.date
    due_on: dt.date
    answered_on: dt.date | None
    resolved_on: dt.date | None
