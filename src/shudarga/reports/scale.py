"""The official scoring scale and the implementation percent, in ONE place.

Mongolian state bodies score each measure 100 (бүрэн хэрэгжсэн), 70 (хэрэгжих шатандаа),
30 (хэрэгжилт хангалтгүй) or 0 (хэрэгжээгүй); a measure not yet due is marked ХБ (хугацаа
болоогүй). An installation may use other levels: the setting `REPORT_SCALE` is a list of
`(value, label)` pairs, values whole percentages from 0 to 100; one pair whose value is a
text instead of a number names the not-yet-due mark, e.g.

    REPORT_SCALE = [(100, "бүрэн"), (50, "дутуу"), (0, "хийгээгүй"), ("ХБ", "хугацаа болоогүй")]

The plan's (or a goal's) percent is the mean of the scores of measures that are due — ХБ
is left out of the sum and the count, 0 is kept in — truncated (never rounded) to one
decimal, as official reports print it: (59·100 + 13·70 + 5·30 + 1·0) / 78 = 89.23… → 89.2.
The labels are the official Mongolian words: they appear as they are in documents and pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_SCALE: tuple[tuple[int | str, str], ...] = (
    (100, "бүрэн хэрэгжсэн"),
    (70, "хэрэгжих шатандаа"),
    (30, "хэрэгжилт хангалтгүй"),
    (0, "хэрэгжээгүй"),
    ("ХБ", "хугацаа болоогүй"),
)
# The official labels in the reader's language for pages (documents keep the Mongolian).
UI_LABELS = {
    "бүрэн хэрэгжсэн": gettext_lazy("fully implemented"),
    "хэрэгжих шатандаа": gettext_lazy("being implemented"),
    "хэрэгжилт хангалтгүй": gettext_lazy("implementation insufficient"),
    "хэрэгжээгүй": gettext_lazy("not implemented"),
    "хугацаа болоогүй": gettext_lazy("not yet due"),
}
NO_PERCENT = "—"  # what a total shows when nothing is due
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Level:
    value: int
    label: str

    def __str__(self) -> str:
        return f"{self.value} — {self.ui_label}"

    @property
    def ui_label(self) -> str:
        """The label in the reader's language (an installation's own labels as they are)."""
        return str(UI_LABELS.get(self.label, self.label))


@dataclass(frozen=True)
class Scale:
    levels: tuple[Level, ...]  # highest first
    not_due_mark: str  # "ХБ"
    not_due_label: str  # "хугацаа болоогүй"

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(level.value for level in self.levels)

    @property
    def ui_not_due_label(self) -> str:
        return str(UI_LABELS.get(self.not_due_label, self.not_due_label))

    def label(self, value: int | None) -> str:
        return next((level.label for level in self.levels if level.value == value), "")

    def choices(self) -> list[tuple[str, str]]:
        """For a form's select: `("100", "100 — бүрэн хэрэгжсэн")`, … in the reader's
        language."""
        return [(str(level.value), str(level)) for level in self.levels]


def get_scale() -> Scale:
    """The installation's scale (setting `REPORT_SCALE`, else the official one).

    Raises ImproperlyConfigured for a scale without numeric levels, with a value outside
    0-100 or repeated, or with more than one not-yet-due mark.
    """
    raw = getattr(settings, "REPORT_SCALE", None) or DEFAULT_SCALE
    levels: list[Level] = []
    marks: list[tuple[str, str]] = []
    try:
        for value, label in raw:
            if isinstance(value, str) and not value.strip().lstrip("-").isdigit():
                marks.append((value.strip(), str(label)))
                continue
            number = int(value)
            if not 0 <= number <= 100 or any(level.value == number for level in levels):
                raise ValueError(value)
            levels.append(Level(number, str(label)))
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"REPORT_SCALE: each entry is (value 0-100, label), values unique; got {exc}"
        ) from None
    if not levels or len(marks) > 1:
        raise ImproperlyConfigured(
            "REPORT_SCALE needs at least one numeric level and at most one not-due mark."
        )
    mark, mark_label = marks[0] if marks else (DEFAULT_SCALE[-1][0], DEFAULT_SCALE[-1][1])
    return Scale(
        levels=tuple(sorted(levels, key=lambda level: -level.value)),
        not_due_mark=str(mark),
        not_due_label=mark_label,
    )


def validate_score(value: object, *, scale: Scale | None = None) -> int:
    """`value` as a level of the scale; ValidationError naming the allowed values otherwise."""
    scale = scale or get_scale()
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or number not in scale.values:
        raise ValidationError(
            _("%(value)s is not on the scale; use one of %(values)s.")
            % {"value": value, "values": ", ".join(str(v) for v in scale.values)},
            code="off_scale",
        )
    return number


def truncate_percent(value: Decimal) -> Decimal:
    """`value` cut (not rounded) to one decimal: 90.56 -> 90.5, 89.999 -> 89.9."""
    return value.quantize(_TENTH, rounding=ROUND_DOWN)


def mean_percent(scores: Iterable[int]) -> Decimal | None:
    """The mean of the scores of due measures, truncated to one decimal; None when there are
    none (every measure ХБ). Leave ХБ out of `scores`; keep 0 in.

    Computed on whole numbers (tenths by floor division), so no binary or decimal rounding
    can push 89.2999… up to 89.3.
    """
    values = list(scores)
    return mean_percent_of_sum(total=sum(values), count=len(values))


def mean_percent_of_sum(*, total: int, count: int) -> Decimal | None:
    """`mean_percent` of `count` scores adding up to `total` (as SQL sums them)."""
    if not count:
        return None
    tenths = int(total) * 10 // int(count)
    return (Decimal(tenths) / 10).quantize(_TENTH)


def format_percent(value: Decimal | None) -> str:
    """`89.2` for a percent, `—` when nothing was due."""
    return NO_PERCENT if value is None else f"{value:.1f}"
