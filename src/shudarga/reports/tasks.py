"""Background work of reports, run by the task worker (`shudarga db_worker`)."""

from __future__ import annotations

from django_tasks import task

from shudarga.reports.models import ReportBundle
from shudarga.reports.services import bundle_build


@task()
def build_report_bundle(bundle_id: int) -> dict[str, int | str]:
    """Build a requested evidence bundle (see `services.bundle_build`). Its progress and
    outcome are saved on the bundle row, which the report page polls; a failure is recorded
    there and fails the task too."""
    bundle = bundle_build(bundle=ReportBundle.objects.get(pk=bundle_id))
    return {"bundle": bundle.pk, "files": bundle.total, "size": bundle.size}
