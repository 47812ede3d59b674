"""Version history of the organization's data (django-simple-history), sealed by the audit
chain.

Each tracked model declares `history = TrackedHistory(organization="plan.organization_id")`:
django-simple-history then keeps a historical table (`plans.HistoricalMeasure`, …) with one
row per version — every field's value, when (`history_date`), who (`history_user_id`), what
(`history_type`: `+` created, `~` changed, `-` deleted) — and this module adds, through the
common base `HistoricalBase`, from where (`history_ip`) and whose (`history_organization_id`,
so an organization's history is one indexed filter per table, even for rows since deleted).

A historical row is sealed the moment it is written: the audit chain gets an entry
(`action="history.created|changed|deleted"`, `object_type` the historical model's label,
`object_id` the row's `history_id`) whose `changes["digest"]` is `version_digest(row)`. An
edited row then no longer matches its entry; a deleted row leaves an entry without a row; a
row inserted behind the application has no entry — `shudarga verify_audit` reports all
three (`selectors.history_check`), and the entries themselves are guarded by the chain.

`version_digest` is a contract, like `audit_chain.entry_digest`: rows already sealed were
hashed with it.
"""

from __future__ import annotations

import decimal
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shudarga.core.audit_chain import _normalise_json, canonical_at

# Fields that are derived from the others (search and sort keys), or secrets: they are not
# copied into history. Models add their own with `excluded_fields`.
DERIVED_FIELDS = ("search_text", "sort_key", "private_search_text")

ACTION_PREFIX = "history."
ACTIONS = {"+": "history.created", "~": "history.changed", "-": "history.deleted"}


class HistoricalBase(models.Model):
    """Fields every historical row has besides django-simple-history's own."""

    # From where: the caller's address, as `core.http.client_ip` reads it.
    history_ip = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    # Whose: kept on the row because the object (and the parents that lead to the
    # organization) may be deleted later, and the version must still show in the
    # organization's history.
    history_organization_id = models.BigIntegerField(_("organization"), null=True, db_index=True)

    # The path from a tracked object to its organization's id, set per historical model by
    # `TrackedHistory` ("organization_id", "plan.organization_id", …).
    organization_path = ""

    class Meta:
        abstract = True


class TrackedHistory(HistoricalRecords):
    """`HistoricalRecords` with Shudarga's choices:

    - the base `HistoricalBase` (address, organization);
    - the user as a plain id, not a foreign key: deleting a user must not rewrite (SET_NULL)
      sealed rows, as it would with the library's default foreign key;
    - derived fields (`DERIVED_FIELDS`) left out.
    """

    def __init__(
        self, *, organization: str, excluded_fields: Iterable[str] = (), **kwargs: Any
    ) -> None:
        super().__init__(
            bases=(HistoricalBase,),
            history_user_id_field=models.BigIntegerField(null=True, blank=True, db_index=True),
            excluded_fields=[*DERIVED_FIELDS, *excluded_fields],
            **kwargs,
        )
        self.organization_path = organization

    def _get_history_user_fields(self) -> dict[str, Any]:
        fields = super()._get_history_user_fields()
        # A field object belongs to one model: with `inherit=True` one TrackedHistory makes
        # several historical tables, and a shared field would send updates to the last one.
        fields["history_user_id"] = fields["history_user_id"].clone()
        return fields

    def create_history_model(self, model: type[models.Model], inherited: bool) -> Any:
        history_model = super().create_history_model(model, inherited)
        history_model.organization_path = self.organization_path
        return history_model


def historical_models() -> list[type[HistoricalBase]]:
    """Every historical model of the project, in a stable order (by label)."""
    found = [m for m in apps.get_models() if issubclass(m, HistoricalBase)]
    return sorted(found, key=lambda m: m._meta.label_lower)


def tracked_model(history_model: type[HistoricalBase]) -> type[models.Model]:
    """The model whose versions `history_model` holds."""
    return history_model.instance_type


def organization_of(instance: models.Model, path: str) -> int | None:
    """Follow `path` ("plan.organization_id") from `instance`; None where a link is empty.

    Uses the relations already loaded on `instance` (services load them), else one query
    per step.
    """
    value: Any = instance
    for step in path.split("."):
        if value is None:
            return None
        value = getattr(value, step)
    return int(value) if value is not None else None


def _canonical_value(field: models.Field, value: Any) -> Any:
    """`value` of `field` in the one form it has whether it comes from the object being
    saved or from either database's column (times in UTC, decimals to their places, IPv6
    compressed, JSON as it reads back)."""
    if value is None:
        return None
    if isinstance(field, models.ForeignKey):
        return _canonical_value(field.target_field, value)
    if isinstance(field, models.FileField):
        return str(getattr(value, "name", value) or "")
    if isinstance(field, models.JSONField):
        return _normalise_json(json.loads(json.dumps(value)))
    value = field.to_python(value)
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        return canonical_at(value)
    if isinstance(field, models.DateField | models.TimeField):
        return value.isoformat()
    if isinstance(field, models.DecimalField):
        return str(value.quantize(decimal.Decimal(1).scaleb(-field.decimal_places)))
    if isinstance(field, models.GenericIPAddressField):
        return field.get_prep_value(value)
    if isinstance(field, models.BooleanField):
        return bool(value)
    if isinstance(field, models.IntegerField | models.AutoField):
        return int(value)
    return str(value)


def version_canonical_json(row: HistoricalBase) -> bytes:
    """The bytes that are hashed for a historical row: its model's label and every column,
    as sorted-key ASCII JSON."""
    payload = {
        "model": row._meta.label_lower,
        "fields": {
            field.attname: _canonical_value(field, getattr(row, field.attname))
            for field in row._meta.concrete_fields
        },
    }
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def version_digest(row: HistoricalBase) -> str:
    """Hex SHA-256 of `version_canonical_json(row)`: what the audit chain seals."""
    return hashlib.sha256(version_canonical_json(row)).hexdigest()
