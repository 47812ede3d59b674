"""The invariant every plan document must keep: it becomes a plan or a clear error."""

from __future__ import annotations

from shudarga.plans.documents.model import PlanDocument, PlanImportError
from shudarga.plans.documents.reading import read_plan_document

PLAN, INVALID, ERROR = "plan", "invalid", "error"


def read_outcome(data: bytes) -> tuple[str, PlanDocument | None]:
    """`(PLAN, document)` when `data` reads and validates; `(INVALID, document)` when it
    reads but `validate()` refuses it; `(ERROR, None)` when reading refuses it. Any other
    exception propagates: that is the crash the fuzz tests look for."""
    try:
        document = read_plan_document(data)
    except PlanImportError as exc:
        assert str(exc).strip(), "a PlanImportError must say what is wrong"
        return ERROR, None
    assert isinstance(document, PlanDocument)
    try:
        document.validate()
    except PlanImportError as exc:
        assert str(exc).strip(), "a PlanImportError must say what is wrong"
        return INVALID, document
    return PLAN, document
