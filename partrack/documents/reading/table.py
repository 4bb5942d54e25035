"""From the rows of a task table (the plan's appendix) to areas and tasks.

Every reader hands over its tables as rows of ``Cell``; what a column holds is decided here, from
the words of its header, never from its position: plans from different provinces order and name
their columns differently.
"""

import re
from dataclasses import dataclass, field

from partrack.documents.errors import DocumentError, no_task_table
from partrack.documents.structure import CONTINUED, GROUP, HEADER, ParsedArea, ParsedTask
from partrack.plans.deadlines import DeadlineKind, parse_deadline
from partrack.vietnamese import fold

from .names import split_bodies, split_lead_note


@dataclass(frozen=True)
class Cell:
    text: str = ""
    # Continues a vertical merge; ``text`` is the merged cell's text.
    from_above: bool = False
    # Covered by a horizontal merge (the text is in a cell to the left).
    from_left: bool = False
    # Written wholly in bold or italic: how a group heading without a number shows itself.
    emphasis: bool = False

    @property
    def own_text(self):
        """The text written in this very cell, not inherited from a merge."""
        return "" if self.from_above else self.text


# (field, pattern on the folded header, rank); every header takes the first pattern that fits,
# so the order matters: "Văn bản giao nhiệm vụ" is no content, "Lãnh đạo phụ trách" (a person)
# no lead, "Cơ quan chủ trì, phối hợp" the lead. When two columns claim one field, the higher
# rank wins and the other is kept under its header (an extra field) or takes its fallback.
_HEADER_PATTERNS = [
    ("number", re.compile(r"^(so )?(s? ?tt|thu tu)\.?$"), 9),
    ("note", re.compile(r"ghi chu"), 9),
    ("budget", re.compile(r"kinh phi|nguon luc|nguon von"), 9),
    ("official", re.compile(r"^(lanh dao|nguoi|can bo|dong chi|ca nhan)\b"), 9),
    ("document", re.compile(r"van ban (giao|chi dao)|can cu giao"), 9),
    ("group_column", re.compile(r"(thuoc )?nhom nhiem vu|linh vuc$"), 9),
    ("status", re.compile(r"^(tien do|tinh trang|trang thai|muc do hoan thanh)$"), 9),
    ("status", re.compile(r"ket qua thuc hien|tinh trang thuc hien"), 9),
    ("proposer", re.compile(r"^(tinh|dia phuong|don vi|co quan) (kien nghi|de xuat)"), 9),
    ("deadline", re.compile(r"han hoan thanh|thoi han"), 9),
    ("deadline", re.compile(r"tien do hoan thanh|thoi gian hoan thanh"), 8),
    ("deadline", re.compile(r"^(?!.*bat dau).*(thoi gian|tien do)"), 7),
    ("lead", re.compile(r"chu tri"), 9),
    ("coordinators", re.compile(r"phoi hop"), 9),
    ("lead", re.compile(r"(co quan|don vi|bo phan|bo|so) (thuc hien|phu trach|tiep nhan)"), 8),
    ("lead", re.compile(r"trach nhiem|tham muu|phu trach|^(co quan|don vi|bo phan)$"), 7),
    ("deliverable", re.compile(r"san pham|ket qua"), 9),
    ("content", re.compile(r"^ten\b|noi dung nhiem vu|ten nhiem vu"), 9),
    ("content", re.compile(r"noi dung|nhiem vu|giai phap|cong viec|hoat dong"), 8),
    ("content", re.compile(r"^(thong tin|noi dung)? ?(de xuat|kien nghi)|^y kien"), 6),
    ("content", re.compile(r"chi tieu"), 5),
]
# A column that loses its field to a better one may take another: "Chỉ tiêu đạt được" beside
# "Nội dung nhiệm vụ" is what the task delivers.
_FALLBACK = {"content": "deliverable"}
# Fields kept in ``ParsedTask.extra`` under their header although they are recognised.
_EXTRA_FIELDS = {"budget", "official", "document", "group_column", "status", "proposer"}
_TASK_FIELDS = ("number", "content", "deliverable", "lead", "coordinators", "deadline", "note")
_FOOTNOTE_MARK = re.compile(r"\s*\[\d{1,2}\]$")  # "TRUNG ƯƠNG[2]": a footnote's number
_FOOTNOTE = re.compile(r"\s*(\[\d{1,2}\]|\(\*+\)|\*+)\s*$")
_LONGEST_HEADER = 80
_FEWEST_FIELDS = 3
_HEADER_SEARCH_ROWS = 8

_ROMAN_OR_LETTER = re.compile(r"^([IVXLC]{1,6}|[A-Z])[.)]?$")
_ROMAN = re.compile(r"^[IVXLC]{1,6}$")
_ARABIC_AREA = re.compile(r"^\d{1,2}\.$")
_NUMBERED_TITLE = re.compile(
    r"^(?P<numeral>[IVXLC]{1,6}|[A-Z]|\d{1,2})\s*[.):–-]\s*(?P<title>\S.*)$"
)
# A group inside an area: "1.1", "III.1", "II.2." alone, or before its title.
_GROUP_NUMBER = re.compile(r"^(?:[IVXLC]{1,6}|\d{1,2})\.\d{1,2}(?:\.\d{1,2})?\.?$")
_GROUP_TITLE = re.compile(
    r"^(?P<numeral>(?:[IVXLC]{1,6}|\d{1,2})\.\d{1,2}(?:\.\d{1,2})?)\.?\s+(?P<title>\S.*)$"
)
_APPENDIX = re.compile(r"^PH[ỤU] L[ỤU]C(?:\s+(?:[IVXLC]{1,6}|\d{1,2}))?\.?$", re.IGNORECASE)
_TASK_NUMBER = re.compile(r"^\(?(?:\d{1,3}\.)*(?P<last>\d{1,4})[.)]?$")
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2}|[A-Z])\)?$")
_BULLET_LINE = re.compile(r"^[-–+•*]\s*[^\W\d_]")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = re.compile(r"\s+")


def squash(text):
    """Runs of white space (line breaks too) folded to one space, invisible characters dropped."""
    return _SPACES.sub(" ", (text or "").translate(_INVISIBLE)).strip()


def tidy(text):
    """Like ``squash``, but a line that starts a bullet ("- Rà soát…") stays on its own line."""
    pieces = []
    for line in filter(None, (squash(line) for line in (text or "").splitlines())):
        if pieces:
            pieces.append("\n" if _BULLET_LINE.match(line) else " ")
        pieces.append(line)
    return "".join(pieces)


@dataclass
class Columns:
    """What each column of a task table holds, from its header."""

    fields: dict  # field name -> column index
    extra: dict  # column index -> header text, for columns kept in ``ParsedTask.extra``
    unrecognised: list
    width: int
    header_keys: set = field(default_factory=set)  # header rows (``_row_key``), to drop repeats
    texts: list = field(default_factory=list)  # the header's words, column by column

    def text(self, row, name):
        index = self.fields.get(name)
        return row[index].own_text if index is not None else ""


def map_columns(header_texts, mapping=None):
    """Columns for one header (one text per column), or None if it is no task-table header.

    A header has short cells, no task number, and names the content and two more columns.
    ``mapping`` ({folded header: field}, chosen by a person for the agency) wins over the words.
    """
    texts = [_FOOTNOTE.sub("", squash(text)) for text in header_texts]
    if any(len(text) > _LONGEST_HEADER or _looks_numbered(text) for text in texts):
        return None
    mapping = mapping or {}
    mapped = any(fold(text) in mapping for text in texts if text)
    claims = []  # (rank, index, field)
    for index, text in enumerate(texts):
        folded = fold(text)
        if folded in mapping:
            claims.append((10, index, mapping[folded]))
        else:
            name, rank = _field_of(folded)
            claims.append((rank, index, name))
    fields, extra, unrecognised = {}, {}, []
    for _rank, index, name in sorted(claims, key=lambda claim: (-claim[0], claim[1])):
        text = texts[index]
        if name in fields and _FALLBACK.get(name) not in (None, *fields):
            name = _FALLBACK[name]
        if name == "ignore" or (not text and name is None):
            continue
        if name in fields or name in _EXTRA_FIELDS or name is None or name == "extra":
            extra[index] = text
            if name is None:
                unrecognised.append(text)
        else:
            fields[name] = index
    if "deadline" not in fields:
        # With no other time column, "Tiến độ" is when, not how far.
        progress = [i for i, text in extra.items() if fold(text) == "tien do"]
        if progress:
            fields["deadline"] = progress[0]
            del extra[progress[0]]
    extra = dict(sorted(extra.items()))
    unrecognised = [text for index, text in enumerate(texts) if text in unrecognised]
    if "content" not in fields or (len(fields) < _FEWEST_FIELDS and not mapped):
        return None
    if "number" not in fields and not texts[0] and fields["content"] != 0:
        fields["number"] = 0  # an untitled first column holds the numbers
    return Columns(fields, extra, unrecognised, len(texts), texts=texts)


def _looks_numbered(text):
    return bool(_TASK_NUMBER.match(text) or _ROMAN_OR_LETTER.match(text))


def _field_of(folded_header):
    for name, pattern, rank in _HEADER_PATTERNS:
        if pattern.search(folded_header):
            return name, rank
    return None, 0


def find_header(rows, mapping=None):
    """(columns, index of the header's first row, index of the row under it), or None.

    A header may take two rows ("Cơ quan thực hiện" over "Chủ trì" | "Phối hợp"): the second
    row joins it when that recognises more columns.
    """
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        columns = map_columns(_header_texts(row), mapping)
        if columns is None:
            continue
        header_rows = rows[index : index + 1]
        joined = _two_row_header(row, rows[index + 1], mapping) if index + 1 < len(rows) else None
        if joined and len(joined.fields) > len(columns.fields):
            columns, header_rows = joined, rows[index : index + 2]
        columns.header_keys = {_row_key(header_row) for header_row in header_rows}
        return columns, index, index + len(header_rows)
    return None


def _two_row_header(row, below, mapping=None):
    below_texts = _header_texts(below, skip_merged_from_above=True)
    if any(_looks_numbered(squash(text)) for text in below_texts):
        return None  # a numbered row is a task, not the header's second row
    texts = _header_texts(row)
    joined = [f"{a} {b}".strip() for a, b in zip(texts, below_texts, strict=False)]
    return map_columns(joined, mapping)


def _header_texts(row, skip_merged_from_above=False):
    """Each column's header text; a header spread over merged columns names each of them."""
    texts, spanning = [], ""
    for cell in row:
        if cell.from_left:
            texts.append(spanning)
        elif cell.from_above and skip_merged_from_above:
            texts.append("")
        else:
            spanning = cell.text
            texts.append(cell.text)
    return texts


def _row_key(row):
    """What two copies of one header row share, however their lines wrap."""
    return tuple(squash(cell.own_text).lower() for cell in row)


@dataclass
class _Draft:
    """A task being gathered: the texts of each column, over one row or several."""

    number: int | None
    columns: Columns
    parts: dict = field(default_factory=dict)  # column index -> list of texts
    warnings: list = field(default_factory=list)
    reading: list = field(default_factory=list)
    label: str = ""

    def add(self, row, inherit_merged):
        for index, cell in enumerate(row):
            text = cell.text if inherit_merged else cell.own_text
            if text.strip():
                self.parts.setdefault(index, []).append(text)

    def text(self, name):
        index = self.columns.fields.get(name)
        return self.column_text(index) if index is not None else ""

    def column_text(self, index):
        return "\n".join(self.parts.get(index, []))


class TaskTables:
    """Reads task tables one after another (a table may go on in the next: a PDF's pages)."""

    def __init__(self, mapping=None, only_table=None):
        self.areas = []
        self._only_table = only_table
        self._tables_read = 0
        self.unrecognised_columns = []
        self.warnings = []
        self.tables_seen = []
        self._mapping = mapping or {}
        self._columns = None
        self._draft = None
        self._last_number = 0
        self._letter_areas = False
        self._parts = False
        self._part = ""
        self._group = ""
        self._pending_heading = None
        self._appendix = None  # "PHỤ LỤC II" and its caption's lines above the next table
        self._appendix_area = None
        self._sub_letter = 0
        self._after_draft = []
        self._last_row = None  # the last row read, to carry merged cells over a page break
        self._carry = None
        self._written = []  # (draft, task) of the last tasks written, for ``_mend_written``

    def read(self, rows):
        """Read one table: the rows above its header, or None if it is no task table.

        A table with no header of its own goes on with the previous one (the next page of a
        PDF) when it has as many columns.
        """
        rows = [row for row in rows if row]
        found = find_header(rows, self._mapping)
        number, self._tables_read = self._tables_read, self._tables_read + 1
        self._note_table(rows, found, number)
        chosen = self._only_table
        if chosen is not None and number != chosen and (found or number < chosen):
            return None  # not the table the office chose (nor its next page)
        if found:
            columns, header_at, body_at = found
            continues = self._start_columns(columns)
            self._read_rows(rows[body_at:], continues=continues)
            return rows[:header_at]
        if self._columns and rows and len(rows[0]) == self._columns.width:
            self._read_rows(self._carried_over(rows), continues=True)
            if self._carry:
                self._last_row, self._carry = self._carry, None
            return []
        return None

    def _carried_over(self, rows):
        """A table's next page with the merged cells that cross the page break made whole.

        A cell merged down over several rows and cut by the page break starts the new page
        again with the rest of its text, or empty: the rows it covers there take the whole
        cell's text, as on the page before. The first row is the rest of the row the break cut
        (no number of its own), or a new row whose empty cell, merged down, goes on with the
        merged cell above the break.
        """
        last = self._last_row
        if last is None:
            return rows
        first = rows[0]
        number_index = self._columns.fields.get("number")
        new_row = number_index is not None and bool(squash(first[number_index].text))
        rows = [list(row) for row in rows]
        carried = list(last)
        for column, (before, rest) in enumerate(zip(last, first, strict=False)):
            merged_down = len(rows) > 1 and column < len(rows[1]) and rows[1][column].from_above
            if new_row and not (merged_down and not rest.text.strip() and before.text.strip()):
                continue
            whole = "\n".join(filter(None, (before.text.strip(), rest.own_text.strip())))
            if before.from_above and rest.own_text.strip():
                self._mend_written(column, before.text, whole)
            carried[column] = Cell(whole, from_above=True)
            if new_row:
                rows[0][column] = Cell(whole, from_above=True)
            for row in rows[1:]:
                if column >= len(row) or not row[column].from_above:
                    break
                row[column] = Cell(whole, from_above=True)
        if len(rows) == 1 and not new_row:
            self._carry = carried  # a page holding only the cut row: the next page goes on
        return rows

    def _mend_written(self, column, part, whole):
        """The tasks already written that share a merged cell the page break cut (sub-rows
        "2a", "2b" under one lead and coordinators) take the cell's whole text too."""
        for draft, task in reversed(self._written):
            texts = draft.parts.get(column)
            if not texts or texts[-1] != part:
                break
            texts[-1] = whole
            mended = self._task(draft)
            for name in ("content", "deliverable", "lead", "coordinators", "deadline_text"):
                setattr(task, name, getattr(mended, name))
            task.note, task.extra = mended.note, mended.extra

    def heading_line(self, text):
        """A line just above a table: "2. Nhiệm vụ …" heads the area of the next table (the
        first table too: an appendix's "1. …" over it). A heading a PDF wrapped goes on in a
        line that starts in lower case ("… đổi mới sáng tạo và chuyển đổi số quá hạn" /
        "chưa hoàn thành")."""
        text = squash(text)
        self._appendix_line(text)
        match = _NUMBERED_TITLE.match(text)
        pending = self._pending_heading
        if match and len(text) <= _LONGEST_HEADER * 3:
            self._pending_heading = (match["numeral"], match["title"])
        elif pending and text[:1].islower() and len(pending[1] + text) <= _LONGEST_HEADER * 3:
            self._pending_heading = (pending[0], f"{pending[1]} {text}")
        elif text:
            self._pending_heading = None

    def finish(self):
        """The areas read, with the last task written out."""
        self._write_draft()
        return self.areas

    def _note_table(self, rows, found, number):
        """What the table's head looks like, for a person mapping columns by hand."""
        if found:
            columns, header_at, _body_at = found
            headers, count = columns.texts, len(rows) - header_at
        elif rows:
            headers, count = [squash(cell.text)[:_LONGEST_HEADER] for cell in rows[0]], len(rows)
        else:
            return
        self.tables_seen.append(
            {"number": number, "headers": headers, "rows": count, "found": bool(found)}
        )

    def _start_columns(self, columns):
        """Use ``columns`` from now on; whether the new table goes on with the previous one."""
        previous = self._columns
        same = previous and (columns.fields, columns.width) == (previous.fields, previous.width)
        if same:
            columns.header_keys |= previous.header_keys
        else:
            self._write_draft()  # a task does not go on into a table of other columns
        self._columns = columns
        for header in columns.unrecognised:
            if header not in self.unrecognised_columns:
                self.unrecognised_columns.append(header)
        appendix, self._appendix = self._appendix, None
        if self._pending_heading:
            self._start_area(*self._pending_heading, False)
            self._pending_heading = None
            return False
        if appendix and not same and self.areas:
            # A table of other columns under its own appendix heading is no part of the
            # areas above: it opens an area named by the appendix's caption.
            self._start_area("", " ".join(appendix["caption"]) or appendix["heading"], False)
            self._appendix_area = self.areas[-1]
            return False
        return bool(same)

    def _appendix_line(self, text):
        """Note an appendix heading ("PHỤ LỤC II") and the caption in capitals under it, up
        to the first line that is not in capitals ("(Kèm theo Thông báo …)")."""
        appendix = self._appendix
        if _APPENDIX.match(text):
            self._appendix = {"heading": text, "caption": [], "open": True}
        elif appendix and appendix["open"] and text:
            if text.isupper() and not text.startswith("(") and len(appendix["caption"]) < 4:
                appendix["caption"].append(text)
            else:
                appendix["open"] = False

    def _read_rows(self, rows, continues):
        at_table_start = continues
        self._parts = self._parts or _has_parts(rows, self._columns)
        for row in rows:
            row = self._fit(row)
            self._last_row = row
            filler = self._filler(row)
            if filler == "empty":
                continue
            if filler == "header":
                header = ParsedTask(None, _row_text(row), kind=HEADER)
                if self._draft:
                    self._after_draft.append(header)  # the task above may go on below it
                else:
                    self._add_row(header)
                continue
            heading = self._area_heading(row)
            group = None if heading else self._group_heading(row)
            if heading:
                self._start_area(*heading)
            elif group:
                if not (at_table_start and self._goes_on_group(group)):
                    self._start_group(*group)
            else:
                self._read_task_row(row, at_table_start)
            at_table_start = False

    def _fit(self, row):
        width = self._columns.width
        return list(row[:width]) + [Cell()] * (width - len(row))

    def _filler(self, row):
        """ "empty" for empty rows and the "(1) (2) (3)" row under a header, "header" for a
        repeated header row, None for any other row."""
        texts = [text for text in (squash(cell.own_text) for cell in row) if text]
        if not texts:
            return "empty"
        if _row_key(row) in self._columns.header_keys:
            return "header"
        repeated = map_columns(_header_texts(row), self._mapping)
        if repeated and repeated.fields == self._columns.fields:
            return "header"
        codes = [text.strip("()") for text in texts if _COLUMN_NUMBER.match(text)]
        numbers = [int(code) for code in codes if code.isdigit()]
        if len(texts) >= 3 and len(codes) == len(texts) and numbers == sorted(set(numbers)):
            return "empty"
        return None

    def _area_heading(self, row):
        """(numeral, title, whether other cells are filled) if the row heads an area, or None.

        An area row is numbered I, II… or A, B… (or "1." when no such areas are in use), with
        its title in the content column or written across the row.
        """
        columns = self._columns
        filled = [index for index, cell in enumerate(row) if squash(cell.own_text)]
        if len(filled) == 1:
            heading = self._lone_heading(row, filled[0])
            if heading:
                return heading
        number = squash(columns.text(row, "number"))
        title = squash(columns.text(row, "content"))
        others = set(filled) - {columns.fields.get("number"), columns.fields.get("content")}
        if not title and len(others) == 1 and _ROMAN_OR_LETTER.match(number):
            # The title written across the row from another column (the lead before the content)
            (index,) = others
            if index < len(row) - 1 and all(cell.from_left for cell in row[index + 1 :]):
                return number.rstrip(".)"), squash(row[index].text), False
        if not title:
            return None
        if _ROMAN_OR_LETTER.match(number):
            return number.rstrip(".)"), title, bool(others)
        if not others and not self._letter_areas and _ARABIC_AREA.match(number):
            return number.rstrip("."), title, False
        return None

    def _lone_heading(self, row, index):
        """A heading in one cell: across the row, or "I. TITLE" in the number or content column."""
        text = squash(row[index].text)
        if _GROUP_TITLE.match(text):
            return None  # "3.1 Nông nghiệp" heads a group, not an area
        match = _NUMBERED_TITLE.match(text)
        spans_rest = index < len(row) - 1 and all(cell.from_left for cell in row[index + 1 :])
        if spans_rest:
            if match:
                return match["numeral"], match["title"], False
            if self.areas and self.areas[-1].numeral:
                return None  # an unnumbered row across the table inside an area: a group
            return "", text, False
        fields = self._columns.fields
        in_number_or_content = index in (fields.get("number"), fields.get("content"))
        if in_number_or_content and match and _ROMAN_OR_LETTER.match(match["numeral"]):
            return match["numeral"], match["title"], False
        return None

    def _group_heading(self, row):
        """(label, title) if the row heads a group of tasks inside its area, or None.

        A group row has no lead and no deadline of its own, and is numbered "1.1" / "III.1",
        or written across the row, or set in bold or italic with no number.
        """
        columns = self._columns
        for name in ("lead", "deadline", "coordinators", "deliverable"):
            if squash(columns.text(row, name)):
                return None
        filled = [cell for cell in row if squash(cell.own_text)]
        number = squash(columns.text(row, "number"))
        title = squash(columns.text(row, "content"))
        if len(filled) == 1:
            text = squash(filled[0].own_text)
            match = _GROUP_TITLE.match(text)
            if match:
                return match["numeral"], match["title"]
            index = row.index(filled[0])
            spans_rest = index < len(row) - 1 and all(c.from_left for c in row[index + 1 :])
            if spans_rest or (filled[0].emphasis and not number):
                return "", text
        if title and _GROUP_NUMBER.match(number):
            return number.rstrip("."), title
        return None

    def _start_area(self, numeral, title, has_more_cells):
        title = _FOOTNOTE_MARK.sub("", title)
        """Open an area; once areas go by letter or roman numeral, "1." rows are tasks.

        In a table with parts (A, B, C above I, II, III), a letter row opens a part: its
        sections carry its name, and it is an area itself only while no section follows.
        """
        self._write_draft()
        self._group = ""
        is_letter = bool(_ROMAN_OR_LETTER.match(numeral)) and not _ROMAN.match(numeral)
        if numeral == "I" and self.areas and self.areas[-1].numeral == "H":
            is_letter = True  # A, B … H, I, K: "I" is a letter here
        self._letter_areas = self._letter_areas or bool(_ROMAN_OR_LETTER.match(numeral))
        if has_more_cells:
            self.warnings.append(
                f"Dòng mục {numeral} có thêm thông tin ngoài tên mục; thông tin đó bị bỏ qua."
            )
        if self._parts and is_letter:
            self._part = f"{numeral}. {title}"
            self.areas.append(ParsedArea(numeral=numeral, title=title))
            return
        previous = self.areas[-1] if self.areas else None
        if previous is not None and previous is self._appendix_area and not previous.rows:
            self.areas.pop()  # the appendix's rows are areas of their own: I, II…
            previous = self.areas[-1] if self.areas else None
        part_numeral = self._part.split(".")[0]
        if self._parts and previous and not previous.rows and previous.numeral == part_numeral:
            self.areas.pop()  # the part has sections: it is no area of its own
        self.areas.append(ParsedArea(numeral=numeral, title=title, part=self._part))

    def _goes_on_group(self, group):
        """Whether an unnumbered group heading at the top of a table's next page is the rest
        of the group row the page break cut; if so the heading above takes it."""
        label, title = group
        rows = self.areas[-1].rows if self.areas else []
        if label or self._draft is not None or not rows or rows[-1].kind != GROUP:
            return False
        rows[-1].content = f"{rows[-1].content} {title}"
        self._group = f"{rows[-1].label} {rows[-1].content}".strip()
        return True

    def _start_group(self, label, title):
        self._write_draft()
        self._group = f"{label} {title}".strip()
        row = ParsedTask(None, title, kind=GROUP, label=label)
        self._add_row(row)

    def _read_task_row(self, row, at_table_start):
        columns = self._columns
        number_index = columns.fields.get("number")
        label = squash(columns.text(row, "number"))
        continues_merged_number = number_index is not None and row[number_index].from_above
        has_own_content = bool(squash(columns.text(row, "content")))
        names_lead = bool(squash(columns.text(row, "lead"))) or number_index is None
        own_deadline = bool(squash(columns.text(row, "deadline")))
        if label or self._draft is None:
            self._start_task(row, label)
            if at_table_start:
                self._draft.reading.append(CONTINUED)
        elif continues_merged_number and has_own_content and (names_lead or own_deadline):
            self._start_sub_task(row)
        elif continues_merged_number or at_table_start:
            self._draft.add(row, inherit_merged=False)
            if at_table_start and CONTINUED not in self._draft.reading:
                self._draft.reading.append(CONTINUED)
        elif has_own_content and names_lead:
            self._start_task(row, label)
        else:
            self._draft.add(row, inherit_merged=False)
            self._draft.warnings.append(
                "Dòng không đánh số ngay dưới đã được ghép vào nhiệm vụ này; hãy kiểm tra."
            )

    def _start_task(self, row, label):
        self._write_draft()
        self._sub_letter = 0
        number = _task_number(label)
        draft = _Draft(number, self._columns)
        draft.add(row, inherit_merged=True)
        if not label and "number" in self._columns.fields:
            draft.warnings.append("Dòng này không có số thứ tự; hãy kiểm tra.")
        elif label and number is None:
            draft.label = label
        draft.warnings.extend(self._advance_numbering(number))
        self._draft = draft

    def _start_sub_task(self, row):
        """A row with its own content and lead under a merged number: "4b" after "4a"."""
        previous = self._draft
        if self._sub_letter == 0:
            self._sub_letter = 1
            previous.label = f"{previous.number or ''}a"
            previous.reading.append("dòng con dưới số gộp")
        self._write_draft()
        self._sub_letter += 1
        draft = _Draft(previous.number, self._columns)
        draft.add(row, inherit_merged=True)
        draft.label = f"{previous.number or ''}{chr(ord('a') + self._sub_letter - 1)}"
        draft.reading.append("dòng con dưới số gộp")
        self._draft = draft

    def _advance_numbering(self, number):
        """Note ``number`` as the last one seen; a warning if it does not follow the previous."""
        if number is None:
            return []
        previous, self._last_number = self._last_number, number
        starts_area = not self.areas or not self.areas[-1].tasks
        if number == previous + 1 or (number == 1 and starts_area):
            return []
        return [f"Số thứ tự {number} không liền sau {previous}: có thể thiếu hoặc thừa dòng."]

    def _add_row(self, row):
        if row.kind == HEADER and not (self.areas and self.areas[-1].rows):
            return  # a header repeated before any task is just the header
        if not self.areas:
            self.areas.append(ParsedArea(numeral="", title=""))
        self.areas[-1].rows.append(row)

    def _write_draft(self):
        draft, self._draft = self._draft, None
        if draft is None:
            return
        task = self._task(draft)
        task.group = self._group
        self._add_row(task)
        self._written = [*self._written[-20:], (draft, task)]
        for row in self._after_draft:
            self._add_row(row)
        self._after_draft = []

    @staticmethod
    def _task(draft):
        extra = draft.columns.extra
        task = ParsedTask(
            number=draft.number,
            content=tidy(draft.text("content")),
            deliverable=tidy(draft.text("deliverable")),
            lead=split_bodies(draft.text("lead")),
            coordinators=split_bodies(draft.text("coordinators")),
            deadline_text=squash(draft.text("deadline")),
            note=tidy(draft.text("note")),
            extra={header: tidy(draft.column_text(index)) for index, header in extra.items()},
            warnings=draft.warnings,
            reading=draft.reading,
            label=draft.label,
        )
        lead_note = split_lead_note(task.lead)
        if lead_note:
            task.lead, rest = lead_note
            task.note = "\n".join(filter(None, (task.note, rest)))
        if not task.content:
            task.warnings.append("Dòng này không có nội dung nhiệm vụ.")
        if "lead" in draft.columns.fields and not task.lead:
            task.warnings.append("Chưa ghi cơ quan chủ trì.")
        return task


def _has_parts(rows, columns):
    """Whether the table has parts A, B… above sections I, II…: both kinds of heading rows."""
    numerals = set()
    for row in rows:
        row = list(row[: columns.width]) + [Cell()] * (columns.width - len(row))
        filled = [cell for cell in row if squash(cell.own_text)]
        number = squash(columns.text(row, "number")) if len(filled) > 1 else ""
        if len(filled) == 1:
            match = _NUMBERED_TITLE.match(squash(filled[0].own_text))
            number = match["numeral"] if match else ""
        numerals.add(number.rstrip(".)"))
    letters = {n for n in numerals if re.fullmatch(r"[A-Z]", n) and not _ROMAN.match(n)}
    romans = {n for n in numerals if _ROMAN.match(n) and len(n) > 1}
    return bool(letters and romans)


def _row_text(row):
    return " | ".join(text for text in (squash(cell.own_text) for cell in row) if text)


def _task_number(label):
    match = _TASK_NUMBER.match(label)
    return int(match["last"]) if match else None


class NoTaskTable(DocumentError):
    """No task table: the message names the headers of the tables seen, and those needed."""

    def __init__(self, tables_seen):
        super().__init__(no_task_table(tables_seen))
        self.tables_seen = tables_seen


# One deadline for a whole appendix written in the body: "… hoàn thành trước ngày 15/12/2025".
_BODY_DEADLINE = re.compile(
    r"(?:hoàn thành|hoàn thiện|xử lý|báo cáo)[^.;]{0,120}?\b"
    r"(?P<deadline>(?:trước|chậm nhất(?: là)?) ngày \d{1,2}/\d{1,2}/\d{4})",
    re.IGNORECASE,
)


def body_deadline(lines):
    """The one deadline the body sets for the whole appendix, or "" when it sets none or many."""
    text = squash(" ".join(line.text for line in lines))[:200_000]
    found = {squash(match["deadline"]) for match in _BODY_DEADLINE.finditer(text)}
    if len(found) > 1:
        # Several deadlines: the one in the sentence that sends the reader to the appendix.
        found = {
            squash(match["deadline"])
            for sentence in re.split(r"(?<=[.;])\s+", text)
            if re.search(r"phụ lục", sentence, re.IGNORECASE)
            for match in _BODY_DEADLINE.finditer(sentence)
        }
    if len(found) != 1:
        return ""
    deadline = found.pop()
    return deadline[0].upper() + deadline[1:]


def date_tasks(plan, body_deadline=""):
    """Fill each task's deadline kind and due date from its words, in the plan's year.

    Tasks of a table without a deadline column (a table of targets) take the one deadline the
    body sets for the appendix, when it sets exactly one.
    """
    for task in plan.tasks:
        if not task.deadline_text and body_deadline:
            task.deadline_text = body_deadline
            task.reading.append("thời hạn chung ghi trong văn bản")
        deadline = parse_deadline(task.deadline_text, plan.year)
        if deadline.kind == DeadlineKind.UNKNOWN and task.deadline_text:
            first = _first_dated(task.deadline_text, plan.year)
            if first is not None:
                deadline = first
                task.reading.append(FIRST_DATE)
        task.deadline_kind = str(deadline.kind)
        task.due_date = deadline.due_date
        if not task.deadline_text:
            task.warnings.append("Chưa ghi thời gian hoàn thành.")
        elif deadline.kind == DeadlineKind.UNKNOWN:
            task.warnings.append(
                f"Chưa hiểu thời hạn “{task.deadline_text}”: cần người xác định ngày."
            )


# A long deadline phrase the deadline rules do not read whole ("Hoàn thành trong năm 2026 và có
# rà soát … (nếu có)", "Thí điểm trong giai đoạn 2026 - 2027 và thực hiện mở rộng sau năm
# 2028"): the task is due by the first time it names for finishing; one named as a start only
# ("từ năm 2026", "sau năm 2028") dates nothing.
FIRST_DATE = "thời hạn theo mốc đầu tiên ghi trong ô"
_DATED = re.compile(
    r"(?<![\w/])(?P<start>(?:từ|sau|kể từ|từ sau)\s+)?"
    r"(?P<phrase>(?:trước\s+)?(?:quý\s+[IVX]{1,3}\s+)?năm\s+\d{4}"
    r"|(?:giai đoạn\s+)?\d{4}\s*[-–]\s*\d{4})",
    re.IGNORECASE,
)


def _first_dated(text, plan_year):
    """The deadline of the first time ``text`` names as an end, or None."""
    for match in _DATED.finditer(text):
        if match["start"]:
            continue
        phrase = match["phrase"]
        deadline = parse_deadline(phrase[:1].upper() + phrase[1:], plan_year)
        if deadline.kind != DeadlineKind.UNKNOWN:
            return deadline
        return None
    return None
