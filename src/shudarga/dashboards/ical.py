"""iCalendar (RFC 5545) text of a person's obligations, written by hand: all-day events,
escaped text, lines folded at 75 octets, CRLF line ends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from shudarga.dashboards.selectors import Obligation

PRODID = "-//Shudarga//Deadlines//MN"


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1) without splitting a UTF-8 character:
    continuation lines start with one space."""
    out: list[str] = []
    current, size, limit = [], 0, 75
    for char in line:
        n = len(char.encode("utf-8"))
        if size + n > limit:
            out.append("".join(current))
            current, size, limit = [], 0, 74  # the leading space takes one octet
        current.append(char)
        size += n
    out.append("".join(current))
    return "\r\n ".join(out)


def calendar(items: Iterable[Obligation], *, name: str, base_url: str) -> str:
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for item in items:
        end = item.day + dt.timedelta(days=1)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{item.uid}@shudarga",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{end:%Y%m%d}",
            f"SUMMARY:{escape_text(item.title)}",
            f"DESCRIPTION:{escape_text(item.organization.name)}",
            f"URL:{base_url}{item.url}",
            f"CATEGORIES:{item.kind.upper()}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
