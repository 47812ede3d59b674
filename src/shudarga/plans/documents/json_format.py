"""The interchange JSON: exactly the keys of `PlanDocument.to_dict()`."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from shudarga.plans.documents.model import PlanDocument, PlanImportError
from shudarga.plans.documents.text_format import decode


def read(data: bytes) -> PlanDocument:
    try:
        payload = json.loads(decode(data))
    except json.JSONDecodeError as exc:
        raise PlanImportError(
            _("The JSON is not valid at line %(line)s, column %(column)s: %(error)s.")
            % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
        ) from None
    except RecursionError:  # "[" a thousand times: no plan is nested that deep
        raise PlanImportError(_("The JSON is nested too deeply to be a plan.")) from None
    return PlanDocument.from_dict(payload)


def write(document: PlanDocument) -> bytes:
    return json.dumps(document.to_dict(), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
