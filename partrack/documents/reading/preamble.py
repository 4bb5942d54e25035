"""Plan-level facts from the text around the task table: who issued the plan, its number, title,
signer and recipients, and the reporting and inspection rules written in its body.

The state format (Decree 30/2020/NĐ-CP) lays these out the same way everywhere: a two-sided
masthead (issuing body and number on the left, motto and place-date on the right), the title,
the body, then "Nơi nhận" on the left beside the signature on the right. Readers tell which side
a line sits on where the layout shows it; the rules below work from the words.
"""

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date

from partrack.vietnamese import fold

from .names import is_body_name, known_bodies, known_name, starts_body_name
from .table import squash

# Where a line sits: one side of a two-sided block, centred (a title), or across the page.
LEFT, RIGHT, CENTRE, FULL = "left", "right", "centre", "full"


@dataclass(frozen=True)
class Line:
    text: str
    side: str = FULL


def layout_table_lines(rows):
    """A table that holds no tasks (masthead, signature) as lines: first column left, last right."""
    lines = []
    for row in rows:
        cells = [cell for cell in row if not cell.from_left and not cell.from_above]
        for position, cell in enumerate(cells):
            side = FULL
            if len(cells) > 1:
                side = LEFT if position == 0 else RIGHT if position == len(cells) - 1 else FULL
            lines.extend(Line(squash(text), side) for text in cell.text.splitlines())
    return lines


def fill_facts(plan, lines):
    """Fill the plan's header facts from the document's lines (those outside task tables)."""
    lines = [line for line in lines if line.text and not _PAGE_NUMBER.match(line.text)]
    title_at = _title_index(lines)
    masthead = lines[: min(title_at, 15)] if title_at is not None else lines[:12]
    if title_at is not None and _is_subject_line(lines[title_at].text):
        masthead = lines[: title_at + 4]  # a letter's subject sits under its number
    _fill_masthead(plan, masthead, lines)
    if title_at is not None:
        plan.title = _title(lines[title_at], lines[title_at + 1 :], lines)
        plan.legal_basis = _legal_basis(lines[title_at + 1 :], plan.title)
    plan.year = _year(plan, lines)
    closing = _closing(lines)
    plan.recipients = _recipients(closing)
    _fill_signer(plan, closing)
    text = " ".join(line.text for line in lines)
    plan.facts = {
        name: block
        for name, block in (
            ("reporting", _reporting(text)),
            ("inspection", _inspection(text, plan.year)),
        )
        if block
    }


_PAGE_NUMBER = re.compile(r"^[-–\s]*\d{1,3}[-–\s]*$")

# --- Masthead -------------------------------------------------------------------------------

_PARENT = re.compile(r"^(?:ubnd|uy ban nhan dan)\s+(?P<kind>tinh|thanh pho|tp\.?)\s+(?P<name>.+)$")
# Where a reader could not tell the masthead's sides apart, the motto shares the line.
_MOTTO = re.compile(r"\s+(?:CỘNG\s+H(?:OÀ|ÒA)|Độc\s+lập)\b.*$", re.I)
_SYMBOL = re.compile(r"^Số\s*[:.]?\s*(?P<number>\d*)\s*(?P<symbol>/\s*[^\s/]+(?:/[^\s/]+)*)", re.I)
_PLACE_DATE = re.compile(
    r",\s*ngày\s*(?P<day>\d{1,2})?\s*tháng\s*(?P<month>\d{1,2})\s*năm\s*(?P<year>\d{4})", re.I
)


def _fill_masthead(plan, masthead, lines):
    masthead = [Line(_MOTTO.sub("", line.text), line.side) for line in masthead]
    parent, agency = _issuer_lines(masthead)
    if parent:
        plan.parent_body = parent
    if agency:
        written = _as_written(agency, lines)
        plan.agency = _with_province(written, plan.parent_body) if parent else written
    for line in masthead:
        symbol = _SYMBOL.match(line.text)
        if symbol and not plan.symbol:
            plan.symbol = symbol["number"] + re.sub(r"\s", "", symbol["symbol"])
        place_date = _PLACE_DATE.search(line.text)
        if place_date and not plan.place:
            plan.place = _place(line.text[: place_date.start()])
            plan.issued_on = _date(place_date)


_MOST_ISSUER_LINES = 8


def _issuer_lines(masthead):
    """(parent body, issuing body) from the masthead's left: the body over the one that issues
    ("UBND TỈNH PHÚ THỌ" over "SỞ KHOA HỌC VÀ CÔNG NGHỆ"), or the issuer alone ("THỦ TƯỚNG
    CHÍNH PHỦ"). A name wrapped over two lines is joined."""
    bodies = []  # [text]
    for line in masthead[:_MOST_ISSUER_LINES]:
        text = line.text.strip()
        if line.side == RIGHT:
            continue
        if not text.isupper() or _SYMBOL.match(text):
            if bodies:
                break
            continue
        if set(text) <= set("-–_=*. "):
            if bodies:
                break
            continue
        if (
            is_body_name(text)
            or _PARENT.match(fold(text))
            or (not bodies and starts_body_name(text))
        ):
            bodies.append(text)
        elif not bodies:
            continue
        else:
            bodies[-1] = f"{bodies[-1]} {text}"  # the rest of a wrapped name
        if len(bodies) > 2:
            break
    if not bodies:
        return "", ""
    if len(bodies) == 1:
        return "", bodies[0]
    return bodies[0], bodies[1]


def _as_written(capitals, lines):
    """ "SỞ KHOA HỌC VÀ CÔNG NGHỆ" as the body text writes it: "Sở Khoa học và Công nghệ"."""
    wanted = _lower(capitals).split()
    words = [word.strip(",.;:()") for line in lines for word in line.text.split()]
    lowered = [_lower(word) for word in words]
    for start in range(len(words) - len(wanted) + 1):
        window = " ".join(words[start : start + len(wanted)])
        if lowered[start : start + len(wanted)] == wanted and not window.isupper():
            return window
    known = known_name(capitals)
    if known:
        return known
    text = recase(capitals)
    return text[:1].upper() + text[1:]


def _lower(text):
    return unicodedata.normalize("NFC", text).lower()


def _with_province(agency, parent_body):
    match = _PARENT.match(fold(parent_body))
    if not match:
        return agency
    name = parent_body.split()[-len(match["name"].split()) :]
    province = " ".join(word.capitalize() for word in name)
    kind = "tỉnh" if match["kind"] == "tinh" else "thành phố"
    if fold(province) in fold(agency):
        return agency
    return f"{agency} {kind} {province}"


def _place(text):
    """The place before ", ngày…", without the number that shares its line ("Số: 12/KH Hà Nội")."""
    words = text.split()
    after_symbol = max(
        (i + 1 for i, word in enumerate(words) if "/" in word or ":" in word), default=0
    )
    return " ".join(words[after_symbol:])


def _date(match):
    if not match["day"]:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


# --- Title and year -------------------------------------------------------------------------

# Lines that begin the body, never the title; and those that may begin either.
_BODY_START = re.compile(r"^(can cu|[ivx]+\s*[.)]|\d+\s*[.)]|phan )")
_BODY_OR_TITLE_START = re.compile(
    r"^(thuc hien (nghi quyet|nghi dinh|quyet dinh|ke hoach|chi thi|cong van|van ban|"
    r"thong tu|chuong trinh|huong dan)|de |nham )"
)
_MOST_TITLE_LINES = 3
_MOST_WRAPPED_TITLE_LINES = 6
_YEAR = re.compile(r"\bnam\s+(\d{4})\b")


def _title_index(lines):
    """Where the title starts: the "KẾ HOẠCH" heading (the plan's own in a decision that
    issues it), else the "QUYẾT ĐỊNH" heading, else a letter's "V/v" line."""
    for test in (_is_plan_heading, _is_decision_heading, _is_notice_heading, _is_subject_line):
        found = next((i for i, line in enumerate(lines) if test(line.text)), None)
        if found is not None:
            return found
    return None


def _is_plan_heading(text):
    folded = fold(text)
    return folded == "ke hoach" or (folded.startswith("ke hoach ") and text.isupper())


def _is_decision_heading(text):
    return fold(text) == "quyet dinh"


def _is_notice_heading(text):
    return fold(text) == "thong bao"


def _is_subject_line(text):
    return bool(re.match(r"^v/v\b|^ve viec\b", fold(text)))


def _title(heading, following, lines=()):
    """ "KẾ HOẠCH" + the summary line(s) under it, as one phrase, in the summary's own case.

    Where the reader knows alignment, the summary is the centred lines under a centred heading
    (or lines across the page, which a long title may fill); otherwise it ends where the words
    show the body begins. A decision's title is the plan it issues ("Ban hành Kế hoạch …"), a
    letter's its subject ("V/v …").
    """
    kind = "Kế hoạch"
    first = heading.text
    summary = []
    if _is_subject_line(first):
        kind, summary = "", [re.sub(r"^(?:V/v|Về việc)\s*:?\s*", "", first, flags=re.I)]
        # A reader that could not tell the sides apart gives "… Hà Nội, ngày 05 tháng 12 …"
        # on the subject's line: the place and date are cut off.
        summary = [_without_place_date(summary[0])]
        if heading.side == LEFT:
            # The subject wraps under the number, beside the place and date: it ends where a
            # line leaves the masthead's left side ("Kính gửi" or the body).
            following = list(
                itertools.takewhile(
                    lambda line: line.side in (LEFT, RIGHT),
                    following,
                )
            )
        following = [
            Line(_without_place_date(line.text), line.side)
            for line in following
            if line.side == heading.side and not _PLACE_DATE.match(line.text)
        ]
    elif fold(first).startswith("ke hoach "):
        summary = [first[len("KẾ HOẠCH ") :]]
    elif _is_notice_heading(first):
        kind = "Thông báo"
    for index, line in enumerate(following[:_MOST_WRAPPED_TITLE_LINES]):
        if set(line.text) <= set("-–_=*. "):
            continue  # a rule drawn with characters under the title
        if index >= _MOST_TITLE_LINES and not (line.text.isupper() and _joined(summary).isupper()):
            break  # only a title in capitals, set in a narrow PDF column, wraps so far
        if heading.side == CENTRE and line.side != CENTRE:
            break
        if _ends_title(line.text, bool(summary)):
            break
        summary.append(line.text)
    text = _joined(summary)
    if _is_decision_heading(first):
        issued = re.match(r"^(?:về việc\s+)?(?:ban hành|phê duyệt)\s+(?=kế hoạch)", text, re.I)
        if issued:
            text = text[issued.end() :]
        if fold(text).startswith("ke hoach "):
            text = text[len("Kế hoạch ") :]
        else:
            kind = "Quyết định"
    if not text:
        return kind or "Kế hoạch"
    text = _names_as_written(recase(text, lines), lines) if text.isupper() else text
    if not kind:
        return text[:1].upper() + text[1:]
    if kind and len(text) > 1 and text[1].islower() and not _is_proper_start(text, lines):
        text = text[0].lower() + text[1:]
    return f"{kind} {text}".strip()


_LONGEST_NAME = 6  # words


def _names_as_written(text, lines):
    """A title put back in lower case, with each run of its words as the body most often
    writes it inside a sentence: names in capitals ("của Ban Chỉ đạo của Chính phủ", "và Đề
    án 06"), other words as they are."""
    counts = Counter()  # (lower-cased run of words, the run as written)
    for line in lines:
        words = line.text.split()
        for start in range(1, len(words)):
            if words[start - 1].endswith((".", ":", ";", "!", "?")):
                continue
            for length in range(2, _LONGEST_NAME + 1):
                run = [word.strip(",.;:()*") for word in words[start : start + length]]
                if len(run) < length:
                    break
                phrase = " ".join(run)
                if not phrase.isupper():
                    counts[_lower(phrase), phrase] += 1
    written = {}
    for (key, phrase), _count in counts.most_common():
        written.setdefault(key, phrase)
    words, out, index = text.split(" "), [], 0
    while index < len(words):
        for length in range(_LONGEST_NAME, 1, -1):
            run = words[index : index + length]
            bare = [word.strip(",.;:()") for word in run]
            found = written.get(_lower(" ".join(bare))) if len(run) == length else None
            if found:
                out.extend(
                    word.replace(old, new)
                    for word, old, new in zip(run, bare, found.split(), strict=True)
                )
                index += length
                break
        else:
            out.append(words[index])
            index += 1
    return " ".join(out)


def _without_place_date(text):
    """ "triển khai … Hà Nội, ngày 05 tháng 12 năm 2025" without its place and date."""
    match = _PLACE_DATE.search(text)
    if not match:
        return text
    words = text[: match.start()].split()
    while words and words[-1][:1].isupper() and len(words) > 1:
        words.pop()  # the place's capitalised words
    return " ".join([*words, text[match.end() :].strip()]).strip()


def _joined(parts):
    """Lines joined back; a word hyphenated at a line end ("2026-" + "2030") is whole again."""
    text = ""
    for part in parts:
        if text.endswith("-") and len(text) > 1 and text[-2].isalnum():
            text += part.strip()
        else:
            text = f"{text} {part.strip()}".strip()
    return text


def _is_proper_start(text, lines):
    """Whether the summary's first word is a name ("Cải cách" is not; "Ủy ban" may be)."""
    first = text.split()[0]
    return first.isupper() and len(first) > 1


# Symbols kept in capitals when an all-capitals title is written back in its own case.
_SYMBOLS = {
    "ubnd", "hđnd", "cchc", "tthc", "cđs", "bcđ", "mttq", "đvhc", "cqđp", "kh&cn", "khcn",
    "nđ-cp", "qđ-ttg", "qđ-ubnd", "tt-btc", "cntt", "ct-ttg", "vpcp", "bnv", "pci", "papi",
    "sipas", "dti", "par", "index", "covid-19", "qh15", "ttg", "ubmttq", "đbqh", "xhcn",
}  # fmt: skip
_PLACE_WORDS = {"tỉnh", "thành phố", "huyện", "xã", "phường", "quận", "thị xã"}


def recase(capitals, lines=()):
    """An all-capitals phrase in its own case: "KẾ HOẠCH CCHC NĂM 2026 CỦA UBND TỈNH PHÚ THỌ"
    gives "kế hoạch CCHC năm 2026 của UBND tỉnh Phú Thọ" (known bodies and symbols kept, the
    place after "tỉnh" capitalised)."""
    text = capitals.lower()
    for lowered, name in known_bodies().items():
        text = re.sub(rf"(?<!\w){re.escape(lowered)}(?!\w)", name, text)
    words = text.split(" ")
    out, place = [], False
    for word in words:
        bare = word.strip(',.;:()"“”')
        if bare in _SYMBOLS or (bare.upper() != bare.lower() and re.search(r"\d", bare)):
            word = word.replace(bare, bare.upper()).replace("TTG", "TTg")
        elif place and bare and bare not in ("và", "của", "năm", "giai", "đoạn"):
            word = word[:1].upper() + word[1:]
        elif place:
            place = False
        if bare in _PLACE_WORDS or (out and f"{out[-1]} {bare}" in _PLACE_WORDS):
            place = True
        out.append(word)
    return " ".join(out)


def _ends_title(text, has_summary):
    folded = fold(text)
    return (
        _BODY_START.match(folded)
        or (has_summary and _BODY_OR_TITLE_START.match(folded))
        or text.endswith(":")
        or text.startswith(("(", "["))
        or folded.startswith(("kinh gui", "chu tich", "thu tuong", "bo truong", "giam doc"))
        or folded in ("quyet dinh:", "quyet nghi:")
    )


# A year that is a horizon or a range's, not the plan's own: "đến năm 2035", "2026 - 2030".
_HORIZON = re.compile(
    r"(?:den|toi|tam nhin|giai doan|tu|sau|truoc)\s+(?:nam\s+)?\d{4}"
    r"|\d{4}\s*[-–]\s*(?:nam\s+)?\d{4}"
)


def _year(plan, lines):
    """The plan's year: the year its title names for the plan itself ("năm 2026"), never a
    horizon ("đến năm 2035", "giai đoạn 2026 - 2030"); otherwise the year it was issued."""
    match = _YEAR.search(_HORIZON.sub(" ", fold(plan.title)))
    if match:
        plan.year_source = "title"
        return int(match[1])
    if plan.issued_on:
        plan.year_source = "issued"
        return plan.issued_on.year
    for text in (line.text for line in lines):
        match = _YEAR.search(_HORIZON.sub(" ", fold(text)))
        if match:
            plan.year_source = "text"
            return int(match[1])
    return None


_LEGAL_BASIS = re.compile(r"^(can cu|thuc hien|trien khai)\b")


def _legal_basis(after_title, title):
    """The "Căn cứ …" / "Thực hiện …" paragraphs between the title and the plan's first part.

    A paragraph a PDF wrapped over several lines is joined back; each paragraph keeps its line.
    """
    lines = list(after_title[:12])
    folded_title = fold(title)
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if _LEGAL_BASIS.match(fold(line.text)) and fold(line.text) not in folded_title
        ),
        None,
    )
    if start is None:
        return ""
    paragraphs = []
    for line in after_title[start:]:
        folded = fold(line.text)
        if _PART_HEADING.match(folded):
            break
        if _LEGAL_BASIS.match(folded) or not paragraphs or paragraphs[-1].endswith((";", ":")):
            if paragraphs and paragraphs[-1].endswith(":"):
                break  # "… như sau:" closes the preamble
            paragraphs.append(line.text)
        else:
            paragraphs[-1] += " " + line.text
    return "\n".join(paragraphs)


_PART_HEADING = re.compile(r"^([ivx]+|[a-d]|\d+)\s*[.)]\s")


# --- Closing: recipients and signature ------------------------------------------------------

_RECIPIENTS = re.compile(r"^noi nhan\s*:?")
_APPENDIX = re.compile(r"^phu luc\b")
_ITEM = re.compile(r"^\s*[-–+•]\s*")
_ON_BEHALF = re.compile(r"^(kt|tm|tl|tuq|q)\s*\.")
_NOT_A_NAME = re.compile(r"^\(|^(da ky|ky boi|ky ten)")


def _closing(lines):
    """The lines from "Nơi nhận" up to the appendix."""
    start = next((i for i, line in enumerate(lines) if _RECIPIENTS.match(fold(line.text))), None)
    if start is None:
        return []
    end = next(
        (i for i in range(start, len(lines)) if _APPENDIX.match(fold(lines[i].text))), len(lines)
    )
    attached = next((i for i in range(start, end) if _ATTACHED.match(fold(lines[i].text))), None)
    if attached is not None:
        # "(Kèm theo Quyết định …)" under an appendix's heading: the closing ends above both.
        end = attached - 1 if attached - 1 > start else attached
    return lines[start:end]


_ATTACHED = re.compile(r"^\(?(ban hanh )?kem theo\b")


def _recipients(closing):
    """The "- …;" items under "Nơi nhận", a wrapped item joined back together."""
    recipients = []  # each a list of lines
    for line in closing:
        text = line.text
        if line.side == RIGHT:
            continue
        if _RECIPIENTS.match(fold(text)):
            text = text.split(":", 1)[1] if ":" in text else ""
        if _ITEM.match(text):
            recipients.append([_ITEM.sub("", text)])
        elif recipients and text and not fold(recipients[-1][0]).startswith("luu"):
            recipients[-1].append(text)
    items = (squash(" ".join(lines)).rstrip(";.,") for lines in recipients)
    return [item for item in items if item]


# Words a signer's title cannot end on, and words that end one wrapped onto the next line.
_OPEN_TITLE_WORDS = {"CHỦ", "PHÓ", "GIÁM", "THỨ", "THỦ", "CHÁNH", "BỘ", "TỔNG", "TRƯỞNG BAN"}
_CLOSING_TITLE_WORDS = {"TỊCH", "ĐỐC", "TRƯỞNG", "TƯỚNG", "VĂN PHÒNG", "THANH TRA"}


def _fill_signer(plan, closing):
    """ "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" / the name, from the right of the closing.

    The "KT." / "TM." / "Q." lines (one or two: "TM. ỦY BAN NHÂN DÂN" over "KT. CHỦ TỊCH") are
    kept apart from the signer's own title; a line wrapped in a narrow column ("KT. CHỦ" over
    "TỊCH") is joined back first."""
    lines = [line.text for line in closing if line.side == RIGHT]
    if not lines:  # no sides known: the signature is what is not a recipient
        lines = [
            line.text
            for line in closing
            if not _ITEM.match(line.text) and not _RECIPIENTS.match(fold(line.text))
        ]
        # A recipient wrapped onto a second line ("thuộc, Công báo;", "TTĐTCP;") comes before
        # the signature's first line, in capitals and ending on no ";" ("KT. THỦ TƯỚNG").
        lines = list(itertools.dropwhile(_not_signature_start, lines)) or lines
    lines = _join_wrapped_titles([text for text in lines if not _NOT_A_NAME.match(fold(text))])
    on_behalf = []
    while lines and _ON_BEHALF.match(fold(lines[0])):
        on_behalf.append(lines.pop(0))
        if on_behalf[-1].endswith(",") and lines:
            # "KT. BỘ TRƯỞNG," over "CHỦ NHIỆM": one office named by two titles
            on_behalf[-1] += " " + lines.pop(0)
    if on_behalf:
        plan.signer_on_behalf = "\n".join(on_behalf)
    titles = [text for text in lines if text.isupper()]
    names = [text for text in lines if not text.isupper()] or titles[1:]
    plan.signer_title = titles[0] if titles else ""
    if not titles and len(on_behalf) > 1:
        # "TM. ỦY BAN NHÂN DÂN" over "CHỦ TỊCH" written as "KT." lines only: the last is the title
        plan.signer_title = on_behalf[-1]
    plan.signer_name = names[-1] if names else ""


def _not_signature_start(text):
    return not text.isupper() or text.endswith((";", "."))


def _join_wrapped_titles(lines):
    joined = []
    for text in lines:
        previous = joined[-1] if joined else ""
        wraps = (
            previous.isupper()
            and text.isupper()
            and (
                previous.split()[-1:]
                and previous.split()[-1] in _OPEN_TITLE_WORDS
                or text.split()[0] in _CLOSING_TITLE_WORDS
                and len(text.split()) == 1
            )
        )
        if wraps:
            joined[-1] = f"{previous} {text}"
        else:
            joined.append(text)
    return joined


# --- Reporting and inspection rules ---------------------------------------------------------

_QUARTER_DUE = re.compile(r"truoc ngay (\d{1,2}) (?:cua )?thang cuoi (?:cua )?(?:moi )?quy")
_ANNUAL_DUE = re.compile(r"nam\s*\(?\s*truoc ngay (\d{1,2})(?: thang |/)(\d{1,2})\b")
_REPORT_TO = re.compile(
    r"\bvề\s+((?:Văn phòng|Phòng|Sở|Ban|Bộ phận|Thanh tra)\b[^,.;()]*?)"
    r"\s*(?=\bđể\b|\btrước\b|\btheo\b|\bqua\b|[,.;(]|$)"
)
_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
_INSPECTED_SHARE = re.compile(
    r"kiem tra (?:it nhat |toi thieu |khoang )?(\d{1,3}(?:[.,]\d+)?) ?% (?:so )?(?:cac )?"
    r"(?:phong|don vi|co quan|bo phan|chi cuc|trung tam)"
)
_INSPECTION_TIME = re.compile(r"thoi gian kiem tra\s*:?\s*(.{0,80})")
_QUARTERS = re.compile(
    r"qu[yi] (?P<list>(?:[ivx]+|[1-4])(?:\s*(?:,|va|-|–)\s*(?:qu[yi] )?(?:[ivx]+|[1-4]))*)"
    r"(?:\s*(?:nam|/|-)\s*(?P<year>\d{4}))?"
)
_LONGEST_SENTENCE = 2000
_ROMAN_QUARTERS = {"i": "I", "ii": "II", "iii": "III", "iv": "IV"}
_ARABIC_QUARTERS = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def _reporting(text):
    """The reporting deadlines of the "Tổ chức thực hiện" part, in the words of the schema."""
    for sentence in re.split(r"(?<=\.)\s+", text):
        if len(sentence) > _LONGEST_SENTENCE:
            continue  # no rule is written so long; and the search would be slow
        block = _reporting_deadlines(fold(sentence))
        if block:
            to = _REPORT_TO.search(sentence)
            if to:
                block["to"] = squash(to[1])
            return block
    return {}


def _reporting_deadlines(folded):
    block = {}
    quarterly, annual = _QUARTER_DUE.search(folded), _ANNUAL_DUE.search(folded)
    if quarterly:
        day = int(quarterly[1])
        block["quarterly_and_half_year_due"] = (
            f"before the {_ordinal(day)} of the last month of the quarter"
        )
    if annual and 1 <= int(annual[2]) <= 12:
        block["annual_due"] = f"before {int(annual[1])} {_MONTHS[int(annual[2]) - 1]}"
    return block


def _ordinal(day):
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _inspection(text, plan_year):
    folded = fold(text)
    block = {}
    share = _INSPECTED_SHARE.search(folded)
    if share and 0 < float(share[1].replace(",", ".")) <= 100:
        block["share_of_units"] = float(share[1].replace(",", ".")) / 100
    when = _INSPECTION_TIME.search(folded)
    quarters = _QUARTERS.search(when[1]) if when else None
    if quarters:
        year = quarters["year"] or plan_year
        block["when"] = [
            f"Quý {numeral}/{year}" if year else f"Quý {numeral}"
            for numeral in _quarter_numerals(quarters["list"])
        ]
    return block


def _quarter_numerals(listing):
    numerals = []
    for token in re.findall(r"[ivx]+|[1-4]", listing):
        numeral = _ROMAN_QUARTERS.get(token) or _ARABIC_QUARTERS.get(token)
        if numeral and numeral not in numerals:
            numerals.append(numeral)
    return numerals
