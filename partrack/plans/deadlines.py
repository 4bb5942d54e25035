"""Read a deadline written in words ("Quý I/2026", "Thường xuyên", ...) as a kind and a due date.

The spec is docs/domain.md, "Deadlines written in words". The due date is the last day that is
still on time; a text that names no year takes the plan's year. A text that fits no known
phrasing is UNKNOWN, with no date: a person dates it, the parser never guesses.

Pure Python: no Django, no I/O, and ``parse_deadline`` never raises for a ``str``.
"""

from __future__ import annotations

import datetime
import enum
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Deadline", "DeadlineKind", "parse_deadline"]


class DeadlineKind(enum.StrEnum):
    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    RANGE = "range"
    CONTINUOUS = "continuous"
    ON_REQUEST = "on_request"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due_date: datetime.date | None
    condition: str = ""


# --- Normalising the text -------------------------------------------------------------------

# Longer cells are notes, not deadlines; the cap also bounds the work done on hostile input.
_MAX_LENGTH = 500

_TRANSLATION = {
    **dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff")),  # invisible: drop
    **{ord(ch): "-" for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"},
    **{ord(ch): "/" for ch in "\u2044\u2215\uff0f"},
    **{ord(ch): "(" for ch in "\uff08"},
    **{ord(ch): ")" for ch in "\uff09"},
}
_SPACES = re.compile(r"\s+")  # \s covers line breaks, tabs and non-breaking spaces
_EDGE_CHARS = " .,;:-*+•"
_CLOSING_TO_OPENING = {")": "(", "]": "["}


def _clean(text: str) -> str:
    """NFC, one kind of dash and slash, single spaces, no stray punctuation at the ends."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATION)
    return _SPACES.sub(" ", text).strip(_EDGE_CHARS)


def _split_conditions(text: str) -> tuple[str, str] | None:
    """Split "Năm 2026 (Khi có hướng dẫn)" into ("Năm 2026", "Khi có hướng dẫn").

    Several trailing bracket groups are joined with "; ". A text wholly in brackets is read
    as its inside. Returns None when the brackets do not balance.
    """
    conditions: list[str] = []
    head = text
    while head.endswith(tuple(_CLOSING_TO_OPENING)):
        closing = head[-1]
        opening = _CLOSING_TO_OPENING[closing]
        depth = 0
        for index in range(len(head) - 1, -1, -1):
            if head[index] == closing:
                depth += 1
            elif head[index] == opening:
                depth -= 1
                if depth == 0:
                    break
        else:
            return None
        inner = head[index + 1 : -1].strip(" ,;")
        head = head[:index].strip(_EDGE_CHARS)
        if inner:
            conditions.insert(0, inner)
        if not head and len(conditions) == 1:
            head = conditions.pop()
    return head, "; ".join(conditions)


# --- Dates ----------------------------------------------------------------------------------


def _date(year: int | None, month: int, day: int) -> datetime.date | None:
    if year is None:
        return None
    try:
        return datetime.date(year, month, day)
    except (ValueError, OverflowError, TypeError):
        return None


def _end_of_month(year: int | None, month: int) -> datetime.date | None:
    if not 1 <= month <= 12:
        return None
    if month == 12:
        return _date(year, 12, 31)
    first_of_next = _date(year, month + 1, 1)
    return first_of_next - datetime.timedelta(days=1) if first_of_next else None


def _year(match: re.Match[str], plan_year: int | None, group: str = "year") -> int | None:
    written = match.groupdict().get(group)
    return int(written) if written else plan_year


def _ascending(numbers: list[int], low: int, high: int) -> bool:
    in_bounds = all(low <= n <= high for n in numbers)
    return in_bounds and all(a < b for a, b in zip(numbers, numbers[1:], strict=False))


# --- Resolvers: a match and the plan year give the due date, or None if the match is invalid --

Resolver = Callable[[re.Match[str], int | None], datetime.date | None]

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_TOKEN = re.compile(r"iv|iii|ii|i|[1-4]")


def _on_date(match: re.Match[str], plan_year: int | None) -> datetime.date | None:
    return _date(_year(match, plan_year), int(match["month"]), int(match["day"]))


def _in_month(match: re.Match[str], plan_year: int | None) -> datetime.date | None:
    return _end_of_month(_year(match, plan_year), int(match["month"]))


def _in_months(match: re.Match[str], plan_year: int | None) -> datetime.date | None:
    months = [int(n) for n in re.findall(r"[0-9]+", match["months"])]
    if not _ascending(months, 1, 12):
        return None
    return _end_of_month(_year(match, plan_year), months[-1])


def _in_quarter(match: re.Match[str], plan_year: int | None) -> datetime.date | None:
    return _end_of_month(_year(match, plan_year), 3 * _ROMAN[match["quarter"]])


def _in_quarters(match: re.Match[str], plan_year: int | None) -> datetime.date | None:
    quarters = [_ROMAN[token] for token in _QUARTER_TOKEN.findall(match["quarters"])]
    if not _ascending(quarters, 1, 4):
        return None
    return _end_of_month(_year(match, plan_year), 3 * quarters[-1])


def _in_half(match: re.Match[str], plan_year: int | None) -> datetime.date | None:
    month = 6 if match["half"] == "đầu" else 12
    return _end_of_month(_year(match, plan_year), month)


def _in_year(match: re.Match[str], plan_year: int | None) -> datetime.date | None:
    return _date(_year(match, plan_year), 12, 31)


def _in_years(match: re.Match[str], plan_year: int | None) -> datetime.date | None:
    start, end = int(match["start"]), int(match["end"])
    return _date(end, 12, 31) if start < end else None


def _before_year(match: re.Match[str], plan_year: int | None) -> datetime.date | None:
    return _date(int(match["year"]) - 1, 12, 31)


def _quarter_to_quarter(match: re.Match[str], plan_year: int | None) -> datetime.date | None:
    """ "Quý III/2026 - Quý I/2027": the end of the last quarter, which must come later."""
    start = (int(match["start_year"]), _ROMAN[match["start"]])
    end = (int(match["end_year"]), _ROMAN[match["end"]])
    return _end_of_month(end[0], 3 * end[1]) if start < end else None


def _month_to_month(match: re.Match[str], plan_year: int | None) -> datetime.date | None:
    """ "Tháng 11/2025 - tháng 2/2026": the end of the last month, which must come later."""
    start = (int(match["start_year"]), int(match["start"]))
    end = (int(match["end_year"]), int(match["end"]))
    if not (1 <= start[1] <= 12 and 1 <= end[1] <= 12) or start >= end:
        return None
    return _end_of_month(end[0], end[1])


# --- Building blocks (matched against the lower-cased text) --------------------------------

_YEAR = r"(?P<year>(?:19|20)[0-9]{2})"
_DAY = r"(?P<day>[0-9]{1,2})"
_MONTH = r"(?P<month>[0-9]{1,2})"
# Between a month or quarter and its year: "/", "-", ".", "," or a space, then maybe "năm".
_TO_YEAR = r"(?:\s*[/.,-]\s*|\s+)(?:năm\s+)?"
_OPTIONAL_YEAR = rf"(?:{_TO_YEAR}{_YEAR})?"
# Words that may open a month, quarter, half or year without moving its end:
# "thực hiện trong", "hoàn thành", "vào", "cuối", "đến hết", "chậm nhất trong".
# "trước" (before) is left out on purpose: "trước quý III" could end in Q2 or in Q3.
_LEAD = (
    r"(?:(?:thực hiện|hoàn thành|triển khai|ban hành)\s+)?"
    r"(?:(?:trong|vào|cuối|hết|đến hết|chậm nhất(?:\s+(?:là|trong|vào))?)\s+)?"
)
# Words that may open a date: "trước ngày", "chậm nhất là ngày", "hạn: ngày", "đến ngày".
_DATE_LEAD = (
    r"(?:(?:thực hiện|hoàn thành|báo cáo|gửi)\s+)?"
    r"(?:(?:trước|chậm nhất(?:\s+là)?|hạn(?:\s+chót)?|đến|vào|trong)\s*:?\s+)?"
    r"(?:ngày\s+)?"
)
_LIST_SEPARATOR = r"\s*(?:-|,|và|đến|tới)\s*"
_QUARTER_WORD = r"(?:quý|quí|qúy|qúi)"
_QUARTER = r"(?:iv|iii|ii|i|[1-4])"
_MONTHS = rf"(?P<months>[0-9]{{1,2}}(?:{_LIST_SEPARATOR}(?:tháng\s*)?[0-9]{{1,2}})+)"
_QUARTERS = rf"(?P<quarters>{_QUARTER}(?:{_LIST_SEPARATOR}(?:{_QUARTER_WORD}\s*)?{_QUARTER})+)"
_EVERY = r"(?:hằng|hàng)\s+(?:năm|quý|quí|tháng|tuần|ngày)"
_ONGOING = rf"(?:thường xuyên|liên tục|định kỳ(?:\s+{_EVERY})?|{_EVERY})"
_NO_DIGITS = r"(?:\s+[^0-9]*)?"  # "của UBND tỉnh": a date in the tail would be lost, so refuse it
# Words that make a task wait on an event: "Khi có phát sinh", "Sau khi Bộ ban hành …".
_EVENT = (
    r"(?:khi có phát sinh|khi phát sinh|sau khi\s+\S.*|theo kế hoạch|theo lộ trình(?:\s+\S.*)?"
    r"|theo tiến độ(?:\s+\S.*)?)"
)

# Every pattern must match the whole text (fullmatch), and no two patterns match the same text
# (a test checks this on every table phrasing), so the order below is for reading, not priority.
# If the matching rule's resolver finds the values invalid (31/02, months out of order), the
# result is UNKNOWN: no later, looser rule gets a chance.
_RULES: list[tuple[DeadlineKind, str, Resolver | None]] = [
    (
        DeadlineKind.ON_REQUEST,
        r"(?:thực hiện\s+)?"
        r"(?:(?:theo|khi có)\s+(?:(?:văn bản|sự)\s+)?(?:chỉ đạo|yêu cầu|hướng dẫn|đề nghị)"
        rf"|theo kế hoạch riêng|theo kế hoạch của(?=\s)){_NO_DIGITS}",
        None,
    ),
    # "Khi có phát sinh", "Theo kế hoạch", "Sau khi có hướng dẫn của Bộ" (a date after "sau
    # khi" is the event's, not the task's: "Sau khi Nghị định 15/2026 có hiệu lực").
    (DeadlineKind.ON_REQUEST, rf"(?:thực hiện\s+)?{_EVENT}", None),
    (
        DeadlineKind.CONTINUOUS,
        rf"(?:thực hiện\s+)?{_ONGOING}(?:\s*(?:[,;]|và)?\s*{_ONGOING})*"
        rf"(?:\s*,?\s*(?:trong\s+)?năm(?:\s+{_YEAR})?)?",
        _in_year,
    ),
    # "Nhiệm vụ thường xuyên"; "Thường xuyên, định kỳ 6 tháng báo cáo …": what follows the
    # period is how often to report, not a deadline; "Tháng 12 hằng năm": every year.
    (DeadlineKind.CONTINUOUS, rf"nhiệm vụ\s+{_ONGOING}", _in_year),
    (
        DeadlineKind.CONTINUOUS,
        r"(?:thực hiện\s+)?thường xuyên\s*[,;]?\s*định kỳ\s+(?!(?:hằng|hàng)\s+\S+$)\S.*",
        _in_year,
    ),
    (
        DeadlineKind.CONTINUOUS,
        rf"{_LEAD}(?:tháng\s*[0-9]{{1,2}}|{_QUARTER_WORD}\s*{_QUARTER})\s+"
        r"(?:hằng|hàng)\s+năm",
        _in_year,
    ),
    # Dates: "30/11/2025", "15-6-2026" (the same separator twice), "trước ngày 15/11".
    (
        DeadlineKind.DATE,
        rf"{_DATE_LEAD}{_DAY}\s*(?P<sep>[/.-])\s*{_MONTH}\s*(?P=sep)\s*{_YEAR}",
        _on_date,
    ),
    (DeadlineKind.DATE, rf"{_DATE_LEAD}{_DAY}\s*/\s*{_MONTH}", _on_date),
    (DeadlineKind.DATE, rf"{_DATE_LEAD}{_DAY}\s+tháng\s+{_MONTH}{_OPTIONAL_YEAR}", _on_date),
    # A list needs two 1-2 digit numbers, so "Tháng 6-2026" is a single month, not a list.
    (DeadlineKind.RANGE, rf"{_LEAD}(?:từ\s+)?tháng\s*{_MONTHS}{_OPTIONAL_YEAR}", _in_months),
    (DeadlineKind.MONTH, rf"{_LEAD}tháng\s*{_MONTH}{_OPTIONAL_YEAR}", _in_month),
    (DeadlineKind.MONTH, rf"{_LEAD}{_MONTH}\s*[/.-]\s*{_YEAR}", _in_month),
    # Likewise "Quí IV-2025" is a single quarter: "2025" is no quarter number.
    (
        DeadlineKind.RANGE,
        rf"{_LEAD}(?:từ\s+)?{_QUARTER_WORD}\s*{_QUARTERS}{_OPTIONAL_YEAR}",
        _in_quarters,
    ),
    (
        DeadlineKind.QUARTER,
        rf"{_LEAD}{_QUARTER_WORD}\s*(?P<quarter>{_QUARTER}){_OPTIONAL_YEAR}",
        _in_quarter,
    ),
    (
        DeadlineKind.HALF,
        rf"{_LEAD}(?:6|sáu)\s*tháng\s+(?P<half>đầu|cuối)\s+năm(?:\s+{_YEAR})?",
        _in_half,
    ),
    (
        DeadlineKind.RANGE,
        rf"{_LEAD}(?:giai đoạn\s+)?(?:từ\s+)?(?:năm\s+)?(?P<start>(?:19|20)[0-9]{{2}})"
        r"\s*(?:-|đến|tới)\s*(?:năm\s+)?(?P<end>(?:19|20)[0-9]{2})",
        _in_years,
    ),
    (
        DeadlineKind.RANGE,
        rf"{_LEAD}(?:từ\s+)?{_QUARTER_WORD}\s*(?P<start>{_QUARTER}){_TO_YEAR}"
        r"(?P<start_year>(?:19|20)[0-9]{2})\s*(?:-|đến|tới)\s*"
        rf"{_QUARTER_WORD}\s*(?P<end>{_QUARTER}){_TO_YEAR}(?P<end_year>(?:19|20)[0-9]{{2}})",
        _quarter_to_quarter,
    ),
    (
        DeadlineKind.RANGE,
        rf"{_LEAD}(?:từ\s+)?tháng\s*(?P<start>[0-9]{{1,2}}){_TO_YEAR}"
        r"(?P<start_year>(?:19|20)[0-9]{2})\s*(?:-|đến|tới)\s*"
        rf"tháng\s*(?P<end>[0-9]{{1,2}}){_TO_YEAR}(?P<end_year>(?:19|20)[0-9]{{2}})",
        _month_to_month,
    ),
    (DeadlineKind.YEAR, rf"{_LEAD}(?:năm\s*)?{_YEAR}", _in_year),
    # "Trước năm 2030": done by the end of 2029.
    (DeadlineKind.YEAR, rf"(?:hoàn thành\s+)?trước\s+năm\s+{_YEAR}", _before_year),
    # "Trong năm" names no year: it is the plan's. A bare "Năm" is not enough.
    (
        DeadlineKind.YEAR,
        r"(?:(?:thực hiện|hoàn thành|triển khai)\s+)?(?:trong|cuối|hết|đến hết)\s+năm",
        _in_year,
    ),
]

_COMPILED_RULES = [(kind, re.compile(pattern), resolve) for kind, pattern, resolve in _RULES]


def parse_deadline(text: str, plan_year: int | None) -> Deadline:
    """Read ``text`` (a "Thời gian hoàn thành" cell) as a kind, a due date and a condition.

    ``plan_year`` stands in when the text names no year; without it such a text is UNKNOWN.
    Never raises for a ``str``; anything it cannot read with certainty is UNKNOWN, undated.
    """
    if not isinstance(text, str):
        return Deadline(DeadlineKind.UNKNOWN, None)
    cleaned = _clean(text)
    if not cleaned or len(cleaned) > _MAX_LENGTH:
        return Deadline(DeadlineKind.UNKNOWN, None)
    split = _split_conditions(cleaned)
    if split is None:
        return Deadline(DeadlineKind.UNKNOWN, None)
    head, condition = split
    deadline = _read(head, plan_year, condition)
    if deadline is not None:
        return deadline
    # A long phrase: "Ban hành trong quý I năm 2026. Thực hiện rà soát …": the first sentence
    # dates the task, the rest is kept as its condition.
    sentence = _FIRST_SENTENCE.match(head)
    if sentence:
        rest = "; ".join(filter(None, (sentence["rest"].strip(_EDGE_CHARS), condition)))
        deadline = _read(sentence["first"].strip(_EDGE_CHARS), plan_year, rest)
        if deadline is not None and deadline.kind != DeadlineKind.UNKNOWN:
            return deadline
    return Deadline(DeadlineKind.UNKNOWN, None, condition)


_FIRST_SENTENCE = re.compile(r"(?P<first>[^.]{3,}?)\.\s+(?P<rest>[A-ZĐÀ-Ỹ].*)", re.DOTALL)


def _read(head: str, plan_year: int | None, condition: str) -> Deadline | None:
    """The deadline of ``head`` by the first rule that fits it whole, or None if none fits."""
    key = unicodedata.normalize("NFC", head.lower())
    for kind, pattern, resolve in _COMPILED_RULES:
        match = pattern.fullmatch(key)
        if match is None:
            continue
        if resolve is None:
            return Deadline(kind, None, condition)
        due_date = resolve(match, plan_year)
        if due_date is None:
            return Deadline(DeadlineKind.UNKNOWN, None, condition)
        return Deadline(kind, due_date, condition)
    return None
