"""A plan as read from (or written to) a document, before it touches the database.

A table's rows are kept with what the reader decided each one is (``kind``): a task, a group
heading inside its area, or a header row repeated inside the table. The person checking the
import may change that decision; ``tasks_of`` turns rows into the tasks they make, the same way
for the reader's output and for a reviewed draft.
"""

import copy
import re
from dataclasses import dataclass, field
from datetime import date

# What a table row is, as the reader decided and the review may change.
TASK, GROUP, HEADER, JOIN = "task", "group", "header", "join"
# Reading notes: decisions the reader took on a row, shown beside it in the review.
CONTINUED = "tiếp nối bảng trước"
SPLIT = "tách từ một dòng"
SCANNED = "đọc từ bản quét — kiểm tra lại"
# Keys a row carries only while it is being reviewed.
ROW_ONLY_KEYS = ("kind", "reading", "warnings")
# Row fields joined when a row is joined to the task above it.
_TEXT_FIELDS = ("content", "product", "note")
_LIST_FIELDS = ("lead", "coordinators")


def tasks_of(rows):
    """The tasks that a section's rows make (rows in the JSON schema, each with its kind).

    A group row names the group of the tasks under it; a repeated header row is no task; a row
    to join goes on the task above it.
    """
    tasks, group = [], ""
    for row in rows:
        kind = row.get("kind", TASK)
        if kind == GROUP:
            group = f"{row.get('label', '')} {row.get('content', '')}".strip()
            continue
        if kind == HEADER:
            continue
        task = {key: value for key, value in row.items() if key not in ROW_ONLY_KEYS}
        if kind == JOIN and tasks:
            _join(tasks[-1], task)
            continue
        task.pop("group", None)
        if group:
            task["group"] = group
        tasks.append(task)
    return tasks


def _join(task, more):
    for name in _TEXT_FIELDS:
        task[name] = "\n".join(filter(None, (task.get(name, ""), more.get(name, ""))))
    for name in _LIST_FIELDS:
        task[name] = [*task.get(name, []), *(n for n in more.get(name, []) if n not in task[name])]
    if more.get("deadline_text") and not task.get("deadline_text"):
        for name in ("deadline_text", "deadline_kind", "due_date"):
            task[name] = more.get(name)


# Where a cell that holds two tasks parts: before its second numbered item or bullet
# ("1. …" / "2. …", "a) …", "- …"), else at a line break.
_ITEM_START = re.compile(r"(?:^|\n|(?<=[.;:])\s+)(?=(?:\d{1,2}|[a-zđ])[.)]\s|[-–+•]\s)")


def _halves(text):
    """(first task's part, the rest) of a cell's text, or None when it shows no second item."""
    text = (text or "").strip()
    starts = [m.start() for m in _ITEM_START.finditer(text) if m.start() > 0]
    if not starts and "\n" in text:
        starts = [text.index("\n")]
    if not starts:
        return None
    return text[: starts[0]].strip(), text[starts[0] :].strip()


def split_row(sections, index):
    """Split the draft's row at ``index`` (counted over all sections' rows), which the reader
    joined (two tasks in one row), into two task rows, in place.

    The content and the product part before their second numbered item or line, two leads part
    one from the rest; what shows no such parting (coordinators, deadline, note) is kept on
    both, for the office to edit. The undoing of "join" (``_join``).
    """
    for section in sections:
        rows = section["tasks"]
        if index < len(rows):
            break
        index -= len(rows)
    else:
        raise IndexError(index)
    row = rows[index]
    second = copy.deepcopy(row)
    for name in ("content", "product"):
        halves = _halves(row.get(name, ""))
        if halves:
            row[name], second[name] = halves
    leads = row.get("lead") or []
    if len(leads) > 1:
        row["lead"], second["lead"] = leads[:1], leads[1:]
    for part in (row, second):
        part["kind"] = TASK
        part["warnings"] = []
        part["reading"] = [*(n for n in part.get("reading", []) if n != SPLIT), SPLIT]
    rows.insert(index + 1, second)


@dataclass
class ParsedTask:
    number: int | None
    content: str
    deliverable: str = ""
    lead: list[str] = field(default_factory=list)
    coordinators: list[str] = field(default_factory=list)
    deadline_text: str = ""
    deadline_kind: str = "unknown"
    due_date: date | None = None
    note: str = ""
    # Columns we do not model (e.g. "Kinh phí"), kept under their own header text.
    extra: dict[str, str] = field(default_factory=dict)
    # Vietnamese messages for a person to check, shown next to the row.
    warnings: list[str] = field(default_factory=list)
    # What the row is (TASK, GROUP, HEADER, JOIN) and the reader's notes on it (CONTINUED…).
    kind: str = TASK
    reading: list[str] = field(default_factory=list)
    # The number as written when it is not a plain number: "4a" for a sub-row of task 4.
    label: str = ""
    # The group heading the task sits under inside its area ("II.2 Nhóm nhiệm vụ về dữ liệu").
    group: str = ""

    def to_json(self):
        return {
            "no": self.number,
            **({"label": self.label} if self.label else {}),
            "content": self.content,
            "product": self.deliverable,
            "lead": list(self.lead),
            "coordinators": list(self.coordinators),
            "deadline_text": self.deadline_text,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "deadline_kind": self.deadline_kind,
            "note": self.note,
            # Only when present, so that a plan without such columns matches expected.json.
            **({"extra": dict(self.extra)} if self.extra else {}),
            **({"group": self.group} if self.group else {}),
        }

    def to_row(self):
        """The row as the review keeps it: the task's fields, its kind and the reader's notes."""
        row = self.to_json()
        row.pop("group", None)
        row["kind"] = self.kind
        if self.reading:
            row["reading"] = list(self.reading)
        return row


@dataclass(init=False)
class ParsedArea:
    numeral: str
    title: str
    # Every row read in the area, tasks and the rows that are no task (group headings…).
    rows: list[ParsedTask]
    # The part above the area ("A. Nhiệm vụ chung"), in plans with parts A, B, C over sections.
    part: str = ""

    def __init__(self, numeral, title, tasks=None, *, rows=None, part=""):
        """``tasks`` (rows that are all tasks, as the writers build it) or ``rows``."""
        self.numeral, self.title, self.part = numeral, title, part
        self.rows = list(rows if rows is not None else tasks or [])

    @property
    def tasks(self):
        return [row for row in self.rows if row.kind == TASK]

    def to_json(self):
        return {
            "roman": self.numeral,
            "title": self.title,
            **({"part": self.part} if self.part else {}),
            "tasks": tasks_of([row.to_row() for row in self.rows]),
        }


@dataclass
class ParsedPlan:
    title: str = ""
    agency: str = ""
    parent_body: str = ""
    year: int | None = None
    symbol: str = ""
    issued_on: date | None = None
    place: str = ""
    signer_name: str = ""
    signer_title: str = ""
    signer_on_behalf: str = ""
    recipients: list[str] = field(default_factory=list)
    # The "Căn cứ …" / "Thực hiện …" paragraphs under the title.
    legal_basis: str = ""
    areas: list[ParsedArea] = field(default_factory=list)
    # Column headers found in the table that map to no known field.
    unrecognised_columns: list[str] = field(default_factory=list)
    # The tables seen, each {"headers": [...], "rows": n}, for mapping columns by hand.
    tables_seen: list[dict] = field(default_factory=list)
    # Where the year that dates undated deadlines came from ("title", "issued", "").
    year_source: str = ""
    warnings: list[str] = field(default_factory=list)
    # Document-level facts in the schema of expected.json's "plan" block
    # ("reporting", "inspection"), filled where the reader recognises them.
    facts: dict = field(default_factory=dict)

    @property
    def tasks(self):
        return [task for area in self.areas for task in area.tasks]

    @property
    def rows(self):
        return [row for area in self.areas for row in area.rows]

    def to_json(self):
        """The plan in exactly the schema of the seed's expected.json."""
        plan = {
            "title": self.title,
            "agency": self.agency,
            "year": self.year,
            "symbol": self.symbol,
            "signer": {
                "name": self.signer_name,
                "title": self.signer_title,
                "on_behalf": self.signer_on_behalf,
            },
            **self.facts,
            "recipients": list(self.recipients),
        }
        return {"plan": plan, "sections": [area.to_json() for area in self.areas]}

    def to_plan_data(self):
        """What is saved of the plan: expected.json's schema plus the facts it leaves out
        (issue date, legal basis). The web import and `partrack import_plan` both save this."""
        data = self.to_json()
        data["plan"]["issued_on"] = self.issued_on.isoformat() if self.issued_on else None
        data["plan"]["legal_basis"] = self.legal_basis
        if self.parent_body:
            data["plan"]["parent_body"] = self.parent_body
        return data

    def to_draft_data(self):
        """Like ``to_plan_data``, but each section keeps every row read, with its kind and the
        reader's notes and warnings, for the review to show and change."""
        data = self.to_plan_data()
        for section, area in zip(data["sections"], self.areas, strict=True):
            section["tasks"] = [
                {**row.to_row(), "warnings": list(row.warnings)} for row in area.rows
            ]
        return data


def plan_from_json(data):
    """A ParsedPlan from expected.json's schema (e.g. Plan.as_data()), for the writers."""
    head = data["plan"]
    signer = head.get("signer", {})
    return ParsedPlan(
        title=head.get("title", ""),
        agency=head.get("agency", ""),
        year=head.get("year"),
        symbol=head.get("symbol", ""),
        signer_name=signer.get("name", ""),
        signer_title=signer.get("title", ""),
        signer_on_behalf=signer.get("on_behalf", ""),
        recipients=list(head.get("recipients", [])),
        areas=[
            ParsedArea(
                numeral=section.get("roman", ""),
                title=section.get("title", ""),
                part=section.get("part", ""),
                rows=[
                    ParsedTask(
                        number=row.get("no"),
                        content=row.get("content", ""),
                        deliverable=row.get("product", ""),
                        lead=list(row.get("lead", [])),
                        coordinators=list(row.get("coordinators", [])),
                        deadline_text=row.get("deadline_text", ""),
                        deadline_kind=row.get("deadline_kind") or "unknown",
                        due_date=date.fromisoformat(row["due_date"])
                        if row.get("due_date")
                        else None,
                        note=row.get("note", ""),
                        extra=dict(row.get("extra", {})),
                        label=row.get("label", ""),
                        group=row.get("group", ""),
                    )
                    for row in section.get("tasks", [])
                ],
            )
            for section in data["sections"]
        ],
    )
