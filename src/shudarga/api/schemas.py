"""Request and response shapes of API v1 (pydantic, through django-ninja)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Path, Schema
from pydantic import Field, StringConstraints

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
    roles: list[str] = Field(description="The token owner's roles in this organization.")


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
    status: str = Field(description="met, not_met, not_yet_due or manual.")
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


class ReportOut(Schema):
    id: int
    plan_id: int
    period: str
    status: str
    due_date: dt.date
    submitted_at: dt.datetime | None
    percent: str | None


class ReportItemOut(Schema):
    measure_id: int
    code: str
    due: bool
    text: str
    self_score: int | None
    score: int | None


class ReportDetailOut(ReportOut):
    items: list[ReportItemOut]


class PublicPlanOut(Schema):
    organization: str
    organization_name: str
    plan_id: int
    year: int
    title: str


class PetitionStatusOut(Schema):
    status: str
    received_on: dt.date
    due_on: dt.date
    resolved: bool
