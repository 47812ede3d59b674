"""The seal's digests: canonical JSON, a digest over every field, and `seal_create`'s checks."""

from __future__ import annotations

import dataclasses

import pytest

from shudarga.core.models import Seal
from shudarga.core.sealing import canonical_json, content_digest, digest_of_seal
from shudarga.core.services import seal_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_canonical_json_does_not_depend_on_key_order_or_integral_floats():
    assert canonical_json({"b": 1, "a": [5.0, "Ө"]}) == canonical_json({"a": [5, "Ө"], "b": 1})
    assert canonical_json({"a": "Ө"}) == '{"a":"\\u04e8"}'  # ASCII, so bytes are fixed


def test_the_seal_digest_covers_every_field():
    user = UserFactory()
    seal = seal_create(
        kind="plan", obj=user, organization_id=7, actor=user, content={"x": 1}, evidence=[]
    )
    assert content_digest(seal.content) == seal.content_digest
    stored = Seal.objects.get()
    assert digest_of_seal(stored) == seal.digest  # as read back from the database
    for field, value in {
        "kind": "report",
        "object_id": seal.object_id + 1,
        "organization_id": 8,
        "sealed_by_label": "someone",
        "content_digest": "0" * 64,
        "evidence": [{"id": 1}],
        "sealed_at": seal.sealed_at.replace(microsecond=(seal.sealed_at.microsecond + 1) % 10**6),
    }.items():
        changed = dataclasses.replace(_Fields.of(stored), **{field: value})
        assert digest_of_seal(changed) != seal.digest, field


@dataclasses.dataclass
class _Fields:
    kind: str
    object_id: int
    organization_id: int
    sealed_at: object
    sealed_by_id: int | None
    sealed_by_label: str
    content_digest: str
    evidence: list

    @classmethod
    def of(cls, seal):
        return cls(**{f.name: getattr(seal, f.name) for f in dataclasses.fields(cls)})


def test_it_refuses_an_unknown_kind_or_evidence_without_its_keys():
    user = UserFactory()
    with pytest.raises(ValueError, match="unknown seal kind"):
        seal_create(kind="petition", obj=user, organization_id=1, actor=None, content={},
                    evidence=[])  # fmt: skip
    with pytest.raises(ValueError, match="exactly the keys"):
        seal_create(kind="plan", obj=user, organization_id=1, actor=None, content={},
                    evidence=[{"id": 1, "sha256": "x"}])  # fmt: skip
    assert not Seal.objects.exists()
