"""A plan as read from (or written to) a document, before it touches the database.

The reader's output (ParsedPlan) becomes plans.plan_data.PlanData, the typed schema of the
seed's expected.json that the plans services save. A table's rows are kept with what the reader
decided each one is (``DraftRow.kind``): a task, a group heading inside its area, or a header
row repeated inside the table. The person checking the import may change that decision;
``tasks_of`` turns rows into the tasks they make, the same way for the reader's output and for
a reviewed draft (DraftData, what ``ImportDraft.data`` holds).
"""

import copy
import re
from dataclasses import dataclass, field, fields
from datetime import date

from partrack.plans.plan_data import PlanData, PlanHead, SectionData, SignerData, TaskData

# What a table row is, as the reader decided and the review may change.
TASK, GROUP, HEADER, JOIN = "task", "group", "header", "join"
# Reading notes: decisions the reader took on a row, shown beside it in the review.
CONTINUED = "tiếp nối bảng trước"
SPLIT = "tách từ một dòng"
SCANNED = "đọc từ bản quét — kiểm tra lại"
# Row fields joined when a row is joined to the task above it.
_TEXT_FIELDS = ("content", "deliverable", "note")
_LIST_FIELDS = ("lead", "coordinators")


@dataclass
class DraftRow(TaskData):
    """A row of a draft under review: a task's fields and what only the review keeps."""

    # What the row is (TASK, GROUP, HEADER, JOIN) and the reader's notes on it (CONTINUED…).
    kind: str = TASK
    reading: list[str] = field(default_factory=list)
    # The reader's own warnings on the row, dropped once a person edits it.
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, row):
        return cls(
            **cls._fields_of(row),
            kind=row.get("kind") or TASK,
            reading=list(row.get("reading") or []),
            warnings=list(row.get("warnings") or []),
        )

    def to_dict(self):
        row = super().to_dict()
        row["kind"] = self.kind
        if self.reading:
            row["reading"] = list(self.reading)
        row["warnings"] = list(self.warnings)
        return row

    def task(self):
        """The row's task fields alone (a copy)."""
        return copy.deepcopy(TaskData(**{f.name: getattr(self, f.name) for f in fields(TaskData)}))


@dataclass
class DraftData(PlanData):
    """What an import draft keeps (``ImportDraft.data``): the plan with every row read, as
    DraftRow, and what the review shows beside it."""

    # The reader's warnings on the whole document.
    warnings: list[str] = field(default_factory=list)
    # Headers of the table that map to no field.
    unrecognised_columns: list[str] = field(default_factory=list)
    # The tables seen, each {"headers": [...], "rows": n}, for mapping columns by hand.
    tables_seen: list[dict] = field(default_factory=list)
    # Where the year that dates undated deadlines came from ("title", "issued", "").
    year_source: str = ""

    row_type = DraftRow

    @classmethod
    def from_dict(cls, value):
        draft = super().from_dict(value)
        draft.warnings = list(value.get("warnings") or [])
        draft.unrecognised_columns = list(value.get("unrecognised_columns") or [])
        draft.tables_seen = list(value.get("tables_seen") or [])
        draft.year_source = value.get("year_source") or ""
        return draft

    def to_dict(self):
        return {
            **super().to_dict(),
            "warnings": list(self.warnings),
            "unrecognised_columns": list(self.unrecognised_columns),
            "tables_seen": list(self.tables_seen),
            "year_source": self.year_source,
        }

    @property
    def rows(self):
        """Every row read, tasks and the rows the reader (or a person) took for no task."""
        return self.tasks

    def plan_data(self):
        """The plan as the plans services take it: each section's rows made into tasks as
        their kinds say (group rows name the tasks' group…)."""
        return PlanData(
            head=self.head,
            sections=[
                SectionData(
                    numeral=section.numeral,
                    title=section.title,
                    part=section.part,
                    tasks=tasks_of(section.tasks),
                )
                for section in self.sections
            ],
        )


def tasks_of(rows):
    """The tasks (TaskData) that a section's rows (DraftRow) make.

    A group row names the group of the tasks under it; a repeated header row is no task; a row
    to join goes on the task above it.
    """
    tasks, group = [], ""
    for row in rows:
        if row.kind == GROUP:
            group = f"{row.label} {row.content}".strip()
            continue
        if row.kind == HEADER:
            continue
        task = row.task()
        if row.kind == JOIN and tasks:
            _join(tasks[-1], task)
            continue
        task.group = group
        tasks.append(task)
    return tasks


def _join(task, more):
    for name in _TEXT_FIELDS:
        setattr(task, name, "\n".join(filter(None, (getattr(task, name), getattr(more, name)))))
    for name in _LIST_FIELDS:
        have = getattr(task, name)
        setattr(task, name, [*have, *(n for n in getattr(more, name) if n not in have)])
    if more.deadline_text and not task.deadline_text:
        task.deadline_text, task.deadline_kind = more.deadline_text, more.deadline_kind
        task.due_date = more.due_date


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
    both, for the office to edit. The undoing of "join" (``_join``). ``sections`` are a
    DraftData's.
    """
    for section in sections:
        rows = section.tasks
        if index < len(rows):
            break
        index -= len(rows)
    else:
        raise IndexError(index)
    row = rows[index]
    second = copy.deepcopy(row)
    for name in ("content", "deliverable"):
        halves = _halves(getattr(row, name))
        if halves:
            setattr(row, name, halves[0])
            setattr(second, name, halves[1])
    if len(row.lead) > 1:
        row.lead, second.lead = row.lead[:1], row.lead[1:]
    for part in (row, second):
        part.kind = TASK
        part.warnings = []
        part.reading = [*(n for n in part.reading if n != SPLIT), SPLIT]
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

    def task_data(self):
        return TaskData(
            number=self.number,
            content=self.content,
            deliverable=self.deliverable,
            lead=list(self.lead),
            coordinators=list(self.coordinators),
            deadline_text=self.deadline_text,
            deadline_kind=self.deadline_kind,
            due_date=self.due_date,
            note=self.note,
            extra=dict(self.extra),
            label=self.label,
            group=self.group,
        )

    def to_json(self):
        return self.task_data().to_dict()

    def draft_row(self):
        """The row as the review keeps it: the task's fields (its group comes from the group
        rows above it), its kind, the reader's notes and warnings."""
        task = self.task_data()
        task.group = ""
        return DraftRow(
            **vars(task),
            kind=self.kind,
            reading=list(self.reading),
            warnings=list(self.warnings),
        )


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

    def section_data(self):
        return SectionData(
            numeral=self.numeral,
            title=self.title,
            part=self.part,
            tasks=tasks_of([row.draft_row() for row in self.rows]),
        )

    def to_json(self):
        return self.section_data().to_dict()


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

    def head(self):
        return PlanHead(
            title=self.title,
            agency=self.agency,
            year=self.year,
            symbol=self.symbol,
            signer=SignerData(
                name=self.signer_name, title=self.signer_title, on_behalf=self.signer_on_behalf
            ),
            recipients=list(self.recipients),
            rules=dict(self.facts),
            issued_on=self.issued_on,
            legal_basis=self.legal_basis,
            parent_body=self.parent_body,
        )

    def plan_data(self):
        """What is saved of the plan (PlanData): its head and its areas' tasks."""
        return PlanData(head=self.head(), sections=[area.section_data() for area in self.areas])

    def to_json(self):
        """The plan in exactly the schema of the seed's expected.json."""
        return self.plan_data().to_dict(with_issue=False)

    def to_plan_data(self):
        """What is saved of the plan: expected.json's schema plus the facts it leaves out
        (issue date, legal basis). The web import and `partrack import_plan` both save this."""
        return self.plan_data().to_dict()

    def draft_data(self):
        """Like ``plan_data``, but each section keeps every row read (DraftRow), with its kind
        and the reader's notes and warnings, for the review to show and change."""
        return DraftData(
            head=self.head(),
            sections=[
                SectionData(
                    numeral=area.numeral,
                    title=area.title,
                    part=area.part,
                    tasks=[row.draft_row() for row in area.rows],
                )
                for area in self.areas
            ],
            warnings=list(self.warnings),
            unrecognised_columns=list(self.unrecognised_columns),
            tables_seen=list(self.tables_seen),
            year_source=self.year_source,
        )


def plan_from_json(data):
    """A ParsedPlan from expected.json's schema (e.g. Plan.as_data()), for the writers."""
    data = PlanData.of(data)
    head = data.head
    return ParsedPlan(
        title=head.title,
        agency=head.agency,
        year=head.year,
        symbol=head.symbol,
        signer_name=head.signer.name,
        signer_title=head.signer.title,
        signer_on_behalf=head.signer.on_behalf,
        recipients=list(head.recipients),
        areas=[
            ParsedArea(
                numeral=section.numeral,
                title=section.title,
                part=section.part,
                rows=[
                    ParsedTask(
                        number=task.number,
                        content=task.content,
                        deliverable=task.deliverable,
                        lead=list(task.lead),
                        coordinators=list(task.coordinators),
                        deadline_text=task.deadline_text,
                        deadline_kind=task.deadline_kind or "unknown",
                        due_date=task.due_date,
                        note=task.note,
                        extra=dict(task.extra),
                        label=task.label,
                        group=task.group,
                    )
                    for task in section.tasks
                ],
            )
            for section in data.sections
        ],
    )
