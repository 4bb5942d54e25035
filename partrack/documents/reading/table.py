"""From the rows of a task table (the plan's appendix) to areas and tasks.

Every reader hands over its tables as rows of ``Cell``; what a column holds is decided here, from
the words of its header, never from its position: plans from different provinces order and name
their columns differently.
"""

import re
from dataclasses import dataclass, field

from partrack.documents.structure import ParsedArea, ParsedTask
from partrack.plans.deadlines import DeadlineKind, parse_deadline
from partrack.vietnamese import fold

from .names import split_bodies


@dataclass(frozen=True)
class Cell:
    text: str = ""
    # Continues a vertical merge; ``text`` is the merged cell's text.
    from_above: bool = False
    # Covered by a horizontal merge (the text is in a cell to the left).
    from_left: bool = False

    @property
    def own_text(self):
        """The text written in this very cell, not inherited from a merge."""
        return "" if self.from_above else self.text


# (field, pattern on the folded header); the first match wins, so the order matters:
# "Cơ quan chủ trì, phối hợp" is the lead, "Cơ quan thực hiện: Phối hợp" (a header over two
# rows) the coordinators, and "Nội dung thực hiện" no lead at all.
_HEADER_PATTERNS = [
    ("number", re.compile(r"^(so )?(s? ?tt|thu tu)\.?$")),
    ("note", re.compile(r"ghi chu")),
    ("budget", re.compile(r"kinh phi")),
    ("deadline", re.compile(r"^(?!.*bat dau).*(thoi gian|thoi han|tien do|han hoan thanh)")),
    ("lead", re.compile(r"chu tri")),
    ("coordinators", re.compile(r"phoi hop")),
    ("lead", re.compile(r"(co quan|don vi|bo phan) thuc hien|trach nhiem|tham muu")),
    ("deliverable", re.compile(r"san pham|ket qua")),
    ("content", re.compile(r"noi dung|nhiem vu|giai phap|cong viec|hoat dong|^ten\b")),
]
# Fields kept in ``ParsedTask.extra`` under their header although they are recognised.
_EXTRA_FIELDS = {"budget"}
_LONGEST_HEADER = 80
_FEWEST_FIELDS = 3
_HEADER_SEARCH_ROWS = 8

_ROMAN_OR_LETTER = re.compile(r"^([IVXLC]{1,6}|[A-Z])[.)]?$")
_ARABIC_AREA = re.compile(r"^\d{1,2}\.$")
_NUMBERED_TITLE = re.compile(
    r"^(?P<numeral>[IVXLC]{1,6}|[A-Z]|\d{1,2})\s*[.):–-]\s*(?P<title>\S.*)$"
)
_TASK_NUMBER = re.compile(r"^\(?(?:\d{1,3}\.)*(?P<last>\d{1,4})[.)]?$")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
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

    def text(self, row, name):
        index = self.fields.get(name)
        return row[index].own_text if index is not None else ""


def map_columns(header_texts):
    """Columns for one header (one text per column), or None if it is no task-table header.

    A header has short cells, no task number, and names the content and two more columns.
    """
    texts = [squash(text) for text in header_texts]
    if any(len(text) > _LONGEST_HEADER or _looks_numbered(text) for text in texts):
        return None
    fields, extra, unrecognised = {}, {}, []
    for index, text in enumerate(texts):
        name = _field_of(fold(text))
        if name in fields or name in _EXTRA_FIELDS or (name is None and text):
            extra[index] = text
            if name not in _EXTRA_FIELDS:
                unrecognised.append(text)
        elif name:
            fields[name] = index
    if "content" not in fields or len(fields) < _FEWEST_FIELDS:
        return None
    if "number" not in fields and not texts[0] and fields["content"] != 0:
        fields["number"] = 0  # an untitled first column holds the numbers
    return Columns(fields, extra, unrecognised, len(texts))


def _looks_numbered(text):
    return bool(_TASK_NUMBER.match(text) or _ROMAN_OR_LETTER.match(text))


def _field_of(folded_header):
    for name, pattern in _HEADER_PATTERNS:
        if pattern.search(folded_header):
            return name
    return None


def find_header(rows):
    """(columns, index of the header's first row, index of the row under it), or None.

    A header may take two rows ("Cơ quan thực hiện" over "Chủ trì" | "Phối hợp"): the second
    row joins it when that recognises more columns.
    """
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        columns = map_columns(_header_texts(row))
        if columns is None:
            continue
        header_rows = rows[index : index + 1]
        joined = _two_row_header(row, rows[index + 1]) if index + 1 < len(rows) else None
        if joined and len(joined.fields) > len(columns.fields):
            columns, header_rows = joined, rows[index : index + 2]
        columns.header_keys = {_row_key(header_row) for header_row in header_rows}
        return columns, index, index + len(header_rows)
    return None


def _two_row_header(row, below):
    below_texts = _header_texts(below, skip_merged_from_above=True)
    if any(_looks_numbered(squash(text)) for text in below_texts):
        return None  # a numbered row is a task, not the header's second row
    texts = _header_texts(row)
    return map_columns([f"{a} {b}" for a, b in zip(texts, below_texts, strict=False)])


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

    def __init__(self):
        self.areas = []
        self.unrecognised_columns = []
        self.warnings = []
        self._columns = None
        self._draft = None
        self._last_number = 0
        self._letter_areas = False

    def read(self, rows):
        """Read one table: the rows above its header, or None if it is no task table.

        A table with no header of its own goes on with the previous one (the next page of a
        PDF) when it has as many columns.
        """
        rows = [row for row in rows if row]
        found = find_header(rows)
        if found:
            columns, header_at, body_at = found
            self._start_columns(columns)
            self._read_rows(rows[body_at:])
            return rows[:header_at]
        if self._columns and rows and len(rows[0]) == self._columns.width:
            self._read_rows(rows)
            return []
        return None

    def finish(self):
        """The areas read, with the last task written out."""
        self._write_draft()
        return self.areas

    def _start_columns(self, columns):
        previous = self._columns
        if previous and (columns.fields, columns.width) == (previous.fields, previous.width):
            columns.header_keys |= previous.header_keys
        else:
            self._write_draft()  # a task does not go on into a table of other columns
        self._columns = columns
        for header in columns.unrecognised:
            if header not in self.unrecognised_columns:
                self.unrecognised_columns.append(header)

    def _read_rows(self, rows):
        at_table_start = True
        for row in rows:
            row = self._fit(row)
            if self._is_filler(row):
                continue
            heading = self._area_heading(row)
            if heading:
                self._start_area(*heading)
            else:
                self._read_task_row(row, at_table_start)
            at_table_start = False

    def _fit(self, row):
        width = self._columns.width
        return list(row[:width]) + [Cell()] * (width - len(row))

    def _is_filler(self, row):
        """Empty rows, repeated headers and the "(1) (2) (3)" row under a header."""
        texts = [text for text in (squash(cell.own_text) for cell in row) if text]
        if not texts or _row_key(row) in self._columns.header_keys:
            return True
        repeated = map_columns(_header_texts(row))
        if repeated and repeated.fields == self._columns.fields:
            return True
        numbers = [int(text.strip("()")) for text in texts if _COLUMN_NUMBER.match(text)]
        return len(texts) >= 3 and len(numbers) == len(texts) and numbers == sorted(set(numbers))

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
        match = _NUMBERED_TITLE.match(text)
        spans_rest = index < len(row) - 1 and all(cell.from_left for cell in row[index + 1 :])
        if spans_rest:
            return (match["numeral"], match["title"], False) if match else ("", text, False)
        fields = self._columns.fields
        in_number_or_content = index in (fields.get("number"), fields.get("content"))
        if in_number_or_content and match and _ROMAN_OR_LETTER.match(match["numeral"]):
            return match["numeral"], match["title"], False
        return None

    def _start_area(self, numeral, title, has_more_cells):
        """Open an area; once areas go by letter or roman numeral, "1." rows are tasks."""
        self._write_draft()
        self._letter_areas = self._letter_areas or bool(_ROMAN_OR_LETTER.match(numeral))
        if has_more_cells:
            self.warnings.append(
                f"Dòng mục {numeral} có thêm thông tin ngoài tên mục; thông tin đó bị bỏ qua."
            )
        self.areas.append(ParsedArea(numeral=numeral, title=title))

    def _read_task_row(self, row, at_table_start):
        columns = self._columns
        number_index = columns.fields.get("number")
        label = squash(columns.text(row, "number"))
        continues_merged_number = number_index is not None and row[number_index].from_above
        has_own_content = bool(squash(columns.text(row, "content")))
        names_lead = bool(squash(columns.text(row, "lead"))) or number_index is None
        if label or self._draft is None:
            self._start_task(row, label)
        elif continues_merged_number or at_table_start:
            self._draft.add(row, inherit_merged=False)
        elif has_own_content and names_lead:
            self._start_task(row, label)
        else:
            self._draft.add(row, inherit_merged=False)
            self._draft.warnings.append(
                "Dòng không đánh số ngay dưới đã được ghép vào nhiệm vụ này; hãy kiểm tra."
            )

    def _start_task(self, row, label):
        self._write_draft()
        number = _task_number(label)
        draft = _Draft(number, self._columns)
        draft.add(row, inherit_merged=True)
        if not label and "number" in self._columns.fields:
            draft.warnings.append("Dòng này không có số thứ tự; hãy kiểm tra.")
        draft.warnings.extend(self._advance_numbering(number))
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

    def _write_draft(self):
        draft, self._draft = self._draft, None
        if draft is None:
            return
        if not self.areas:
            self.areas.append(ParsedArea(numeral="", title=""))
        self.areas[-1].tasks.append(self._task(draft))

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
        )
        if not task.content:
            task.warnings.append("Dòng này không có nội dung nhiệm vụ.")
        if "lead" in draft.columns.fields and not task.lead:
            task.warnings.append("Chưa ghi cơ quan chủ trì.")
        return task


def _task_number(label):
    match = _TASK_NUMBER.match(label)
    return int(match["last"]) if match else None


def date_tasks(plan):
    """Fill each task's deadline kind and due date from its words, in the plan's year."""
    for task in plan.tasks:
        deadline = parse_deadline(task.deadline_text, plan.year)
        task.deadline_kind = str(deadline.kind)
        task.due_date = deadline.due_date
        if not task.deadline_text:
            task.warnings.append("Chưa ghi thời gian hoàn thành.")
        elif deadline.kind == DeadlineKind.UNKNOWN:
            task.warnings.append(
                f"Chưa hiểu thời hạn “{task.deadline_text}”: cần người xác định ngày."
            )
