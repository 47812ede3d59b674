"""The two hooks django-simple-history offers around each historical row it writes.

They are the library's extension point (it writes rows from model signals, so no service of
ours runs there); each hook only hands over to a service.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from shudarga.core.history import HistoricalBase
from shudarga.core.services import history_prepare, history_seal


@receiver(pre_create_historical_record, dispatch_uid="shudarga-history-prepare")
def _prepare(sender: Any, instance: Any, history_instance: Any, **kwargs: Any) -> None:
    if isinstance(history_instance, HistoricalBase):
        history_prepare(history_instance=history_instance, instance=instance)


@receiver(post_create_historical_record, dispatch_uid="shudarga-history-seal")
def _seal(sender: Any, history_instance: Any, history_user: Any = None, **kwargs: Any) -> None:
    if isinstance(history_instance, HistoricalBase):
        history_seal(rows=[history_instance], actor=history_user)
