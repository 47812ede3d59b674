"""When a measure is due: its due dates in the plan's year, from its recurrence, and the
reading of a plan document's `Хугацаа` cell into that recurrence.

A measure without any deadline is assessed in every report period ("throughout the
year"): its due dates are the four quarter ends, so a report of any period finds one on or
before its end.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shudarga.core.dates import format_date
from shudarga.core.text import fold, squash

ONCE = "once"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
PRESENTATIONS = "q1_h1_year"
HALF_YEARLY = "half_yearly"
YEAR_END = "year_end"
CONTINUOUS = "continuous"  # through the year: assessed in every report period
AS_NEEDED = "as_needed"  # as it arises: assessed in every report period
DATES = "dates"  # on the dates the document gives

EVERY_PERIOD = frozenset({CONTINUOUS, AS_NEEDED})


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _quarter_ends(year: int) -> list[dt.date]:
    return [_month_end(year, m) for m in (3, 6, 9, 12)]


def as_dates(values: Iterable[dt.date | str] | None) -> list[dt.date]:
    """Dates from a measure's stored list (ISO strings in JSON) or from dates, sorted."""
    result = []
    for value in values or ():
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                continue
        result.append(value)
    return sorted(set(result))


def due_dates(
    *,
    recurrence: str,
    year: int,
    due_date: dt.date | None = None,
    dates: Iterable[dt.date | str] | None = None,
) -> list[dt.date]:
    """Every date in `year` the measure must be done by, in order.

    `once` is the due date (year end when none is set); `monthly` each month's last day;
    `quarterly` each quarter's; `q1_h1_year` the plan's presentations (seed 5.1): end of
    Q1, of the first half and of the year; `continuous` and `as_needed` the quarter ends
    (assessed in every period); `dates` the listed dates.
    """
    if recurrence == MONTHLY:
        return [_month_end(year, m) for m in range(1, 13)]
    if recurrence in (QUARTERLY, *EVERY_PERIOD):
        return _quarter_ends(year)
    if recurrence == PRESENTATIONS:
        return [_month_end(year, m) for m in (3, 6, 12)]
    if recurrence == HALF_YEARLY:
        return [_month_end(year, m) for m in (6, 12)]
    if recurrence == ONCE and due_date is not None:
        return [due_date]
    if recurrence == DATES and (listed := as_dates(dates)):
        return listed
    return [dt.date(year, 12, 31)]


def next_due(
    *,
    recurrence: str,
    year: int,
    due_date: dt.date | None,
    today: dt.date,
    dates: Iterable[dt.date | str] | None = None,
) -> dt.date | None:
    """The first due date on or after `today`, or None when all have passed."""
    days = due_dates(recurrence=recurrence, year=year, due_date=due_date, dates=dates)
    return next((d for d in days if d >= today), None)


# -- reading the document's deadline -----------------------------------------------------


@dataclass(frozen=True)
class ScheduleReading:
    """What a `Хугацаа` cell says, as a recurrence the reports and calendar understand.

    `understood` is False when nothing in the text was recognised: the measure is then
    assessed in every period and the text stays as written. `leftover` is the part of a
    partly understood text that was not.
    """

    text: str
    recurrence: str
    due_date: dt.date | None = None
    dates: tuple[dt.date, ...] = ()
    understood: bool = True
    leftover: str = ""

    def due_dates(self, year: int) -> list[dt.date]:
        return due_dates(
            recurrence=self.recurrence, year=year, due_date=self.due_date, dates=self.dates
        )

    def describe(self) -> str:
        """The reading in the user's language: "every month", "by 2023 оны 3 дугаар сарын 31"."""
        if self.recurrence == DATES:
            return _("on %(dates)s") % {"dates": ", ".join(format_date(d) for d in self.dates)}
        if self.recurrence == ONCE and self.due_date:
            return _("by %(date)s") % {"date": format_date(self.due_date)}
        return str(RECURRENCE_SUMMARY.get(self.recurrence, self.recurrence))


# Lazy: worded in the language of each request, not of the process that loaded the module.
RECURRENCE_SUMMARY = {
    ONCE: gettext_lazy("once, by year end"),
    MONTHLY: gettext_lazy("every month"),
    QUARTERLY: gettext_lazy("every quarter"),
    PRESENTATIONS: gettext_lazy("Q1, half-year and year end"),
    HALF_YEARLY: gettext_lazy("half-year and year end"),
    YEAR_END: gettext_lazy("by year end"),
    CONTINUOUS: gettext_lazy("throughout the year, assessed in every report period"),
    AS_NEEDED: gettext_lazy("as it arises, assessed in every report period"),
}

# The words are matched on folded text (lower case); each pattern says what it means.
_EVERY_PERIOD_RE = re.compile(
    r"жилдээ|жилийн\s+турш\w*|жилийн\s+хугацаанд|оны\s+турш\w*|бүтэн\s+жил\w*|байнга|"
    r"тогтмол|тасралтгүй|үргэлж\w*|өдөр\s+(?:бүр|тутам)|(?:долоо|7)\s*хоног\s+(?:бүр|тутам)|"
    r"жилийн\s+туршид|нийт\s+хугацаанд"
)
_AS_NEEDED_RE = re.compile(
    r"тухай\s+бүр\w*|тухай\s+бүрт|шаардлагатай\s+(?:үед|тохиолдолд)|шаардлагын\s+дагуу|"
    r"тухайн\s+үед|ээлжит\s+бус"
)
_MONTHLY_RE = re.compile(r"сар\s+(?:бүр|тутам)\w*")
_QUARTERLY_RE = re.compile(r"улирал\s+(?:бүр|тутам)\w*|улирлын\s+эцэс\s+бүр\w*")
_HALF_YEARLY_RE = re.compile(r"хагас\s+жил\s+(?:бүр|тутам)\w*")
_YEARLY_RE = re.compile(r"жил\s+(?:бүр|тутам)\w*")
_YEAR_END_RE = re.compile(
    r"(?:жилийн|оны)\s+(?:эцэс|эцэст|эцсээр|эцсийн|эцсэд|сүүлд|сүүлээр|төгсгөлд)\w*|"
    r"жилийн\s+эцсийн\s+байдлаар"
)
_ROMAN = {
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
    "xi": 11, "xii": 12,
}  # fmt: skip
_ROMAN_MONTH = r"(?:xii|xi|x|ix|viii|vii|vi|v|iv|iii|ii|i)"
_ORDINAL_WORDS = {
    "арван нэгдүгээр": 11, "арван хоёрдугаар": 12, "арваннэгдүгээр": 11,
    "арванхоёрдугаар": 12, "нэгдүгээр": 1, "хоёрдугаар": 2,
    "гуравдугаар": 3, "дөрөвдүгээр": 4, "тавдугаар": 5, "зургаадугаар": 6, "долоодугаар": 7,
    "наймдугаар": 8, "есдүгээр": 9, "аравдугаар": 10,
}  # fmt: skip
_ORDINAL = "|".join(_ORDINAL_WORDS)  # longest first: "арван нэгдүгээр" before "нэгдүгээр"
_SUFFIX = r"(?:\s*-?\s*(?:р|дүгээр|дугаар|дахь))?"
_SEP = r"\s*(?:,|\bба\b|\bболон\b|-)\s*"
_QUARTER_RE = re.compile(
    rf"(?<![\w.])(?P<list>(?:(?:[1-4]|i{{1,3}}|iv){_SUFFIX}{_SEP})*(?:[1-4]|i{{1,3}}|iv|{_ORDINAL})"
    rf"{_SUFFIX})\s*ул(?:ира\w*|\.|(?!\w))"
)
_FIRST_LAST_QUARTER_RE = re.compile(r"(?P<which>эхний|сүүлийн|сүүлчийн)\s+улира\w*")
_HALF_RE = re.compile(
    r"(?:(?P<which>эхний|сүүлийн|сүүлчийн|i|ii|1|2)\s*(?:-?\s*(?:р|дүгээр|дугаар))?\s+)?"
    r"хагас\s+жил\w*(?:\s+(?:эцэс|эцэст|эцсээр|эцсийн|эцсэд)\w*)?"
)
# "Жилд 2 удаа", "улиралд нэг удаа", "хагас жилд 1 удаа": how often, not when.
_TIMES_RE = re.compile(
    r"(?P<per>хагас\s+жилд|жилд|улиралд|сард|долоо\s+хоногт|7\s*хоногт)\s*"
    r"(?P<n>\d{1,2}|нэг|хоёр|гурав|дөрөв|зургаа)\s*(?:удаа|удаагийн)\w*"
)
_TIMES_WORDS = {"нэг": 1, "хоёр": 2, "гурав": 3, "дөрөв": 4, "зургаа": 6}
# "Жилийн эхэнд", "III улирлын эхэнд": by the end of the first month of that time.
_START_RE = re.compile(
    r"(?:(?P<q>[1-4]|i{1,3}|iv)\s*(?:-?\s*(?:р|дүгээр|дугаар))?\s+улирлын|жилийн|оны)\s+"
    r"(?:эхэнд|эхээр|эхний\s+сард)"
)
_DAY_FIRST_RE = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})\s*[.\-/]\s*(?P<m>\d{1,2})\s*[.\-/]\s*(?P<y>(?:19|20|21)\d\d)(?!\d)"
)
# A span of time ("2024.02.01-2024.03.01", "5 сарын 1-нээс 6 сарын 1", "3-5 дугаар сард"):
# its end is the deadline.
_RANGE_RE = re.compile(
    r"(?:аас|ээс|оос|өөс|нээс|наас|ноос)\b|(?:(?<![\d.])\d{1,4}(?:[.\-/]\d{1,2}){0,2}|"
    r"(?<![\w])[ivx]{1,4})\s*[-–]\s*(?:\d|(?:xii|xi|x|ix|viii|vii|vi|v|iv|iii|ii|i)\b)"
)
_ISO_DATE_RE = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20|21)\d\d)\s*[.\-/]\s*(?P<m>\d{1,2})\s*[.\-/]\s*(?P<d>\d{1,2})(?!\d)"
)
_YEAR_MONTH_RE = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20|21)\d\d)\s*[.\-/]\s*(?P<m>\d{1,2})(?![\d.\-/])"
)
_MONTH_RE = re.compile(
    rf"(?:(?P<y>(?:19|20|21)\d\d)\s*(?:оны|он)\s+)?(?<![\w.])(?P<list>(?:\d{{1,2}}{_SUFFIX}{_SEP})*"
    rf"(?:\d{{1,2}}|{_ORDINAL}|{_ROMAN_MONTH}){_SUFFIX})\s*сар(?P<tail>\w*)"
    r"(?:\s+(?P<d>\d{1,2})(?!\d))?"
)
_YEAR_ONLY_RE = re.compile(r"(?<!\d)(?:19|20|21)\d\d\s*(?:оны|он|онд)?(?!\d)")
_NUMBER_WORD_RE = re.compile(r"^\d+(?:-?[^\W\d]{1,3})?$")
# Words that carry no schedule of their own ("within", "until", "day", "the year's").
_FILLER = {
    "дотор", "хүртэл", "хүртэлх", "нь", "ны", "ний", "ийн", "ын", "өдөр", "өдрийн",
    "өдрөөс", "оны", "он", "онд", "хугацаанд", "хугацаа", "д", "т", "ба", "болон", "мөн",
    "эцэст", "эцэс", "эцсээр", "явцад", "үргэлжлэн", "турш", "байдлаар", "хийнэ", "гүйцэтгэнэ",
    "р", "дугаар", "дүгээр", "сарын", "сард", "сар", "дахь", "бүрийн", "тутамд", "эхэнд",
    "сүүлд", "зэрэг", "үед", "тус", "бүр", "багтаан", "багтааж", "ажлын", "хоногт", "хоног",
    "аас", "ээс", "оос", "өөс", "нээс", "наас", "ноос",
}  # fmt: skip


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return _ROMAN.get(token)


def _numbers_in(listing: str) -> list[int]:
    """The numbers of `1-р, 3-р`, `I, III`, `3-5`, `нэгдүгээр` in order, ranges expanded."""
    for word, value in _ORDINAL_WORDS.items():
        listing = listing.replace(word, f" {value} ")
    listing = re.sub(r"-?\s*(?:дүгээр|дугаар|дахь|р)(?!\w)", " ", listing)
    numbers: list[int] = []
    for part in re.split(r"\s*(?:,|\bба\b|\bболон\b)\s*|\s+", listing):
        part = part.strip(" -")
        if not part:
            continue
        first, dash, last = part.partition("-")
        if dash:  # a range: I-II улирал, 3-5 сар
            a, b = _number(first.strip()), _number(last.strip())
            if a is not None and b is not None and a <= b:
                numbers.extend(range(a, b + 1))
            continue
        if (value := _number(part)) is not None:
            numbers.append(value)
    return numbers


def parse_due_text(text: str, year: int) -> ScheduleReading:
    """Read a document's deadline (`Жилдээ`, `Улирал бүр`, `IV улиралд`, `2023 оны 3 дугаар
    сард`, `2023.03.31`, `1-р улиралд, хагас жил, жилийн эцэст`, …) for a plan of `year`.

    An empty text means no deadline: assessed in every period. Text that says nothing
    recognisable gives the same, with `understood` False so the importer can say so.
    """
    original = squash(text)
    if not original:
        return ScheduleReading(text="", recurrence=CONTINUOUS)
    # Roman numerals typed with the Cyrillic І, and dashes of every length.
    work = " " + fold(original).replace("і", "i").replace("–", "-").replace("—", "-") + " "
    flags: set[str] = set()
    days: set[dt.date] = set()
    spans: list[tuple[int, int]] = []

    def take(pattern: re.Pattern[str]) -> list[re.Match[str]]:
        found = []
        for match in pattern.finditer(work):
            if any(s < match.end() and match.start() < e for s, e in spans):
                continue  # already read as part of something longer
            spans.append(match.span())
            found.append(match)
        return found

    for match in take(_TIMES_RE):
        per = re.sub(r"\s+", " ", match["per"])
        times = int(match["n"]) if match["n"].isdigit() else _TIMES_WORDS[match["n"]]
        yearly = {"жилд": times, "хагас жилд": times * 2, "улиралд": times * 4}.get(per, 12)
        flags.add(
            MONTHLY if yearly >= 12 else QUARTERLY if yearly >= 4
            else HALF_YEARLY if yearly >= 2 else YEAR_END
        )  # fmt: skip
    for pattern, flag in ((_HALF_YEARLY_RE, HALF_YEARLY), (_MONTHLY_RE, MONTHLY),
                          (_QUARTERLY_RE, QUARTERLY)):  # fmt: skip
        if take(pattern):
            flags.add(flag)
    for match in take(_START_RE):
        quarter = _number(match["q"]) if match["q"] else 1
        days.add(_month_end(year, 3 * (quarter or 1) - 2))
    for match in take(_HALF_RE):  # before "жилийн эцэст": "хагас жилийн эцэст" is June
        if not match["which"] and match[0].strip() == "хагас жил":
            flags.add(HALF_YEARLY)  # "Хагас жил" alone: the half-year's and the year's
            continue
        second = match["which"] in ("сүүлийн", "сүүлчийн", "ii", "2")
        days.add(_month_end(year, 12 if second else 6))
    for pattern, flag in ((_AS_NEEDED_RE, AS_NEEDED), (_EVERY_PERIOD_RE, CONTINUOUS),
                          (_YEARLY_RE, YEAR_END), (_YEAR_END_RE, YEAR_END)):  # fmt: skip
        if take(pattern):
            flags.add(flag)
    for pattern in (_ISO_DATE_RE, _DAY_FIRST_RE):
        for match in take(pattern):
            try:
                days.add(dt.date(int(match["y"]), int(match["m"]), int(match["d"])))
            except ValueError:
                spans.remove(match.span())
    for match in take(_YEAR_MONTH_RE):
        if 1 <= (month := int(match["m"])) <= 12:
            days.add(_month_end(int(match["y"]), month))
    for match in take(_FIRST_LAST_QUARTER_RE):
        days.add(_quarter_ends(year)[0 if match["which"] == "эхний" else 3])
    quarter_days: set[dt.date] = set()  # quarters listed or spanned: each is assessed
    for match in take(_QUARTER_RE):
        quarter_days.update(
            _quarter_ends(year)[q - 1] for q in _numbers_in(match["list"]) if 1 <= q <= 4
        )
    for match in take(_MONTH_RE):
        in_year = int(match["y"]) if match["y"] else year
        months = [m for m in _numbers_in(match["list"]) if 1 <= m <= 12]
        day = int(match["d"]) if match["d"] and match["tail"].startswith("ын") else None
        for month in months:
            try:
                days.add(dt.date(in_year, month, day) if day and len(months) == 1
                         else _month_end(in_year, month))  # fmt: skip
            except ValueError:
                days.add(_month_end(in_year, month))
    years = {int(m[0][:4]) for m in take(_YEAR_ONLY_RE)}  # "2023 онд"
    if len(days) > 1 and _RANGE_RE.search(work) and "," not in work:
        days = {max(days)}  # a span of days or months: due by its end
    days |= quarter_days
    if not flags and not days and years == {year}:
        flags.add(CONTINUOUS)  # "2024 онд": during the plan's year

    if not flags and not days:
        return ScheduleReading(
            text=original, recurrence=CONTINUOUS, understood=False, leftover=original
        )
    return ScheduleReading(
        text=original, **_recurrence_of(flags, days, year), leftover=_leftover(work, spans)
    )


def _recurrence_of(flags: set[str], days: set[dt.date], year: int) -> dict:
    """The simplest recurrence that gives exactly the dates and repetitions read."""
    for flag in (MONTHLY, QUARTERLY, CONTINUOUS, AS_NEEDED):
        if flag in flags:
            return {"recurrence": flag}
    named = set(days)
    if HALF_YEARLY in flags:
        named |= {_month_end(year, 6), _month_end(year, 12)}
    if YEAR_END in flags:
        named.add(dt.date(year, 12, 31))
    ordered = tuple(sorted(named))
    for recurrence in (YEAR_END, HALF_YEARLY, PRESENTATIONS, QUARTERLY, MONTHLY):
        if list(ordered) == due_dates(recurrence=recurrence, year=year):
            return {"recurrence": recurrence}
    if len(ordered) == 1:
        return {"recurrence": ONCE, "due_date": ordered[0]}
    return {"recurrence": DATES, "dates": ordered}


def _leftover(work: str, spans: list[tuple[int, int]]) -> str:
    chars = list(work)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = " "
    words = (w.strip("-") for w in re.findall(r"[\w-]+", "".join(chars)))
    # A number with its case ending ("25-ны") says nothing a matched pattern did not.
    return " ".join(w for w in words if w and w not in _FILLER and not _NUMBER_WORD_RE.match(w))
