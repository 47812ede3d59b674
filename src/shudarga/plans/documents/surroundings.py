"""The lines around a plan table: the annex line of the approving order, the approval
block (`БАТЛАВ`), the title over one or more lines, the date and place, and the signature
blocks (`ХЯНАСАН:`, `БОЛОВСРУУЛСАН:`)."""

from __future__ import annotations

import bisect
import datetime as dt
import re

from django.utils.translation import gettext as _

from shudarga.core.dates import parse_mn_date
from shudarga.core.text import cyrillic_letters_in, fold, mixed_script_tokens, squash
from shudarga.plans.documents.model import DocSignature, PlanDocument, PlanImportError
from shudarga.plans.documents.source import Line

_SIGNATURE_LABEL_RE = re.compile(
    r"^\s*(ХЯНАСАН|ХЯНАЖ\s+ЗӨВШӨӨРСӨН|БОЛОВСРУУЛСАН|БАТЛАВ|БАТЛАСАН|ЗӨВШӨӨРСӨН|ЗӨВШӨӨРӨВ|"
    r"ТАНИЛЦСАН|ГҮЙЦЭТГЭСЭН|ТАЙЛАН\s+ГАРГАСАН|ТАЙЛАН\s+НЭГТГЭСЭН|ХЯНАВ|ТӨЛӨВЛӨГӨӨ\s+"
    r"БОЛОВСРУУЛСАН)\s*[:.]?\s*(.*)$"
)
_NAME_RE = re.compile(r"^[А-ЯЁӨҮA-Z]{1,3}\.\s*[А-ЯЁӨҮA-Zа-яёөүa-z-]+$")
_PLACE_RE = re.compile(r"(хот|аймаг|сум|дүүрэг|хороо|баг)\s*$", re.I)
_NUMERIC_DATE_RE = re.compile(
    r"^\s*((?:19|20|21)\d\d)\s*[.\-/]\s*(\d{1,2})\s*[.\-/]\s*(\d{1,2})\s*$"
)
_ANNEX_RE = re.compile(r"хавсралт|тушаалаар\s+батлав|захирамжаар\s+батлав|тогтоолоор\s+батлав")
_PIECES_RE = re.compile(r"\t+|\s{3,}")


def is_signature_label(text: str) -> bool:
    return bool(_SIGNATURE_LABEL_RE.match(text))


def signature_lines(grid: list[list[str]]) -> list[tuple[int, str]]:
    """The lines of signature blocks laid out in a grid (a table after the plan, the rows
    below it), each with its row index, in reading order.

    Row by row, until a row names two signers side by side (`ХЯНАСАН: | БОЛОВСРУУЛСАН:`,
    then their titles, then their names): from there on block by block, a block running
    from its label's column to the next label's.
    """
    lines: list[tuple[int, str]] = []
    label_columns: list[int] = []
    blocks: list[list[tuple[int, str]]] = []
    for index, cells in enumerate(grid):
        if not label_columns:
            labels = [i for i, cell in enumerate(cells) if is_signature_label(squash(cell))]
            if len(labels) >= 2:
                label_columns, blocks = labels, [[] for _ in labels]
        for column, cell in enumerate(cells):
            if not squash(cell):
                continue
            pieces = [(index, line) for line in cell.split("\n")]
            if label_columns:
                block = max(0, bisect.bisect_right(label_columns, column) - 1)
                blocks[block].extend(pieces)
            else:
                lines.extend(pieces)
    return lines + [line for block in blocks for line in block]


def split_pieces(lines: list[Line]) -> list[Line]:
    """Lines cut where a tab or a long run of spaces separates two things typed on one
    line (`2016 оны 01 дүгээр сарын 20<tabs>Налайх хот`). Blank lines are kept: they
    separate the title from what is above it."""
    result = []
    for line in lines:
        for text in line.text.split("\n"):
            pieces = [p for p in _PIECES_RE.split(text) if p.strip()]
            if not pieces:
                result.append(Line("", line.location))
            result.extend(Line(piece, line.location) for piece in pieces)
    return result


def read_date(text: str) -> dt.date | None:
    """A date line: `2023 оны 10 дугаар сарын 10` or `2016.01.20`; None for other text.
    PlanImportError when it is written as a date but the day does not exist."""
    if match := _NUMERIC_DATE_RE.match(text):
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise ValueError(text) from None
    return parse_mn_date(text)


def _date_or_none(text: str) -> dt.date | None:
    try:
        return read_date(text)
    except ValueError:
        return None


def _uppercase(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.7 * len(letters)


def read_surroundings(document: PlanDocument, before: list[Line], after: list[Line]) -> None:
    """Title, basis, date, year, place and signature blocks from the lines around the
    table. Raises PlanImportError for a date that does not exist. Without any text above
    the table the title stays empty (`name_untitled` names the plan once its year is known)."""
    before = split_pieces(before)
    after = split_pieces(after)
    before = _take_basis(document, before)
    before = _take_signatures(document, before)
    after = _take_signatures(document, after)
    title_index = _title_line(before)
    title_lines: set[int] = set()
    if title_index is None:
        title_index = _title_line(after)
        if title_index is not None:
            document.title = squash(after[title_index].text)
    else:
        title_lines = _title_run(before, title_index)
        document.title = squash(" ".join(before[i].text for i in sorted(title_lines)))
    for index, line in enumerate(before + after):
        text = squash(line.text)
        if not text or index in title_lines:
            continue
        try:
            date = read_date(text)
        except ValueError:
            raise PlanImportError(
                _("%(where)s: “%(text)s” is not a real date.")
                % {"where": line.location, "text": text[:80]}
            ) from None
        if date is not None and document.approved_on is None:
            document.approved_on = date
    rest = [
        squash(line.text)
        for index, line in enumerate(before)
        if index not in title_lines and squash(line.text) and _date_or_none(line.text) is None
    ]
    for candidate in rest:
        if _PLACE_RE.search(candidate) and len(candidate) <= 80:
            document.place = candidate
            break
    if not document.title and rest:
        document.title = max(rest, key=len)
        document.warnings.append(
            _(
                "The document has no line with the word “ТӨЛӨВЛӨГӨӨ”; the title was taken "
                "as “%(title)s”."
            )
            % {"title": document.title[:80]}
        )
    if match := re.search(r"(?<!\d)(19\d\d|20\d\d|21\d\d)(?!\d)", document.title):
        document.year = int(match[1])
    elif document.approved_on is not None:
        document.year = document.approved_on.year


def name_untitled(document: PlanDocument) -> None:
    """A plan whose document has no title at all is named as the official title reads,
    once its year is known, and the importer says so."""
    if document.title or document.year is None:
        return
    document.title = f"{document.year} ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ"
    document.warnings.append(
        _("The document has no title above the plan table; it was named “%(title)s”.")
        % {"title": document.title}
    )


def _title_line(lines: list[Line]) -> int | None:
    """The line that names the plan: it says `ТӨЛӨВЛӨГӨӨ`, and reads like a title (a year,
    capitals, the word last, no full stop) rather than a sentence about the plan."""
    best: tuple[int, int] | None = None
    for index, line in enumerate(lines):
        text = squash(line.text)
        folded = fold(text)
        if "төлөвлөгөө" not in folded:
            continue
        score = 1
        score += 3 if re.search(r"(?<!\d)(?:19|20|21)\d\d(?!\d)", text) else 0
        score += 2 if _uppercase(text) else 0
        score += 2 if re.search(r"төлөвлөгөө\W*$", folded) else 0
        score += 1 if "авлиг" in folded else 0
        score -= 3 if text.endswith((".", "?", "!")) else 0
        if best is None or score > best[0]:
            best = (score, index)
    return best[1] if best is not None and best[0] > 0 else None


def _title_run(lines: list[Line], index: int) -> set[int]:
    """The lines of a title typed over several lines: the `ТӨЛӨВЛӨГӨӨ` line and the lines
    right above it written the same way (all capitals, or not), up to a blank line."""
    run = {index}
    style = _uppercase(lines[index].text)
    i = index - 1
    while i >= 0:
        text = squash(lines[i].text)
        if not text or _date_or_none(text) is not None or _uppercase(text) != style:
            break
        if text.endswith((".", ":", ";")) or (_PLACE_RE.search(text) and len(text) <= 40):
            break
        run.add(i)
        i -= 1
    return run


def _take_basis(document: PlanDocument, lines: list[Line]) -> list[Line]:
    """The annex line of the approving order ("… Засаг даргын 2018 оны … сарын … -ны
    өдрийн … дугаар захирамжийн хавсралт"), over one or more lines, as the plan's basis."""
    for index, line in enumerate(lines):
        if not _ANNEX_RE.search(fold(line.text)) or "төлөвлөгөө" in fold(line.text):
            continue
        first = index
        while first > 0:
            above = squash(lines[first - 1].text)
            if (
                not above
                or is_signature_label(above)
                or "төлөвлөгөө" in fold(above)
                or _uppercase(above)
            ):
                break
            first -= 1
        document.basis = squash(" ".join(lines[i].text for i in range(first, index + 1)))
        return lines[:first] + lines[index + 1 :]
    return lines


def _clean_name(text: str) -> str:
    return squash(text.strip().strip("/").strip())


def _take_signatures(document: PlanDocument, lines: list[Line]) -> list[Line]:
    """Move signature blocks (`ХЯНАСАН:` + title lines + name) into the document; return
    the other lines."""
    rest: list[Line] = []
    block: list[str] | None = None
    label = ""

    def close() -> None:
        if block is None:
            return
        parts = [_clean_name(p) for p in block if _clean_name(p)]
        name = parts.pop() if parts and _NAME_RE.match(parts[-1]) else ""
        if not name and parts and len(parts) > 1:
            name = parts.pop()
        document.signatures.append(DocSignature(label=label, title=" ".join(parts), name=name))

    for line in lines:
        text = squash(line.text)
        if not text:
            if block is None:
                rest.append(line)
            continue
        if match := _SIGNATURE_LABEL_RE.match(text):
            close()
            label = squash(match[1])
            block = [match[2]] if squash(match[2]) else []
            continue
        if block is not None:
            if _date_or_none(text) is not None or "төлөвлөгөө" in fold(text):
                close()
                block = None
                rest.append(line)
                continue
            block.append(text)
            if _NAME_RE.match(_clean_name(text)):
                close()
                block = None
            continue
        rest.append(line)
    close()
    return rest


def warn_mixed_scripts(document: PlanDocument) -> None:
    """A warning for each word that mixes Latin and Cyrillic letters (`khutulbur.iaас.mn`)."""

    def check(where: str, text: str) -> None:
        for token in mixed_script_tokens(text):
            document.warnings.append(
                _(
                    "%(where)s: “%(token)s” mixes Latin and Cyrillic letters (Cyrillic: "
                    "%(letters)s); it was kept as written — check the address or name."
                )
                % {"where": where, "token": token, "letters": ", ".join(cyrillic_letters_in(token))}
            )

    for goal in document.goals:
        check(_("goal %(number)s") % {"number": goal.number}, goal.text)
        for measure in goal.measures:
            where = _("measure %(code)s") % {"code": measure.code}
            check(where, measure.text)
            for criterion in measure.criteria:
                check(where, criterion)
