"""A plan as documents carry it, before (or after) it is a Plan: the schema of the seed's
expected.json, typed.

The reader (documents) produces it, the plans services save it, ``Plan.as_data()`` gives it back
for the writers. On disk and in JSON fields (import drafts) it keeps exactly the shape of
expected.json: ``from_dict`` reads that shape, ``to_dict`` writes it, and no other module spells
its keys.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass
class SignerData:
    name: str = ""
    title: str = ""
    on_behalf: str = ""  # "KT. GIÁM ĐỐC"

    @classmethod
    def from_dict(cls, value):
        value = value or {}
        return cls(
            name=value.get("name") or "",
            title=value.get("title") or "",
            on_behalf=value.get("on_behalf") or "",
        )

    def to_dict(self):
        return {"name": self.name, "title": self.title, "on_behalf": self.on_behalf}


@dataclass
class PlanHead:
    """The "plan" block: what the document says of itself."""

    title: str = ""
    agency: str = ""
    year: int | None = None
    symbol: str = ""
    signer: SignerData = field(default_factory=SignerData)
    recipients: list[str] = field(default_factory=list)
    # The rules the plan's body writes ("reporting", "inspection"), in their own schema.
    rules: dict = field(default_factory=dict)
    # What expected.json leaves out: the issue date, the "Căn cứ …" paragraphs, the parent body.
    issued_on: date | None = None
    legal_basis: str = ""
    parent_body: str = ""

    _KNOWN = ("title", "agency", "year", "symbol", "signer", "recipients")
    _ISSUE = ("issued_on", "legal_basis", "parent_body")

    @classmethod
    def from_dict(cls, value):
        value = value or {}
        return cls(
            title=value.get("title") or "",
            agency=value.get("agency") or "",
            year=value.get("year"),
            symbol=value.get("symbol") or "",
            signer=SignerData.from_dict(value.get("signer")),
            recipients=list(value.get("recipients") or []),
            rules={k: v for k, v in value.items() if k not in cls._KNOWN + cls._ISSUE},
            issued_on=_date(value.get("issued_on")),
            legal_basis=value.get("legal_basis") or "",
            parent_body=value.get("parent_body") or "",
        )

    def to_dict(self, *, with_issue=True):
        """The block; ``with_issue=False`` leaves out what expected.json does not carry."""
        head = {
            "title": self.title,
            "agency": self.agency,
            "year": self.year,
            "symbol": self.symbol,
            "signer": self.signer.to_dict(),
            **self.rules,
            "recipients": list(self.recipients),
        }
        if with_issue:
            head["issued_on"] = self.issued_on.isoformat() if self.issued_on else None
            head["legal_basis"] = self.legal_basis
            if self.parent_body:
                head["parent_body"] = self.parent_body
        return head


@dataclass
class TaskData:
    """A task row: "no", "content", "product", "lead", "coordinators", "deadline_text"…"""

    number: int | None = None
    content: str = ""
    deliverable: str = ""
    lead: list[str] = field(default_factory=list)
    coordinators: list[str] = field(default_factory=list)
    deadline_text: str = ""
    # "" when the deadline was never dated (the services date it from its words).
    deadline_kind: str = ""
    due_date: date | None = None
    note: str = ""
    # Columns we do not model (e.g. "Kinh phí"), kept under their own header text.
    extra: dict[str, str] = field(default_factory=dict)
    # The number as written when it is not a plain number: "4a" for a sub-row of task 4.
    label: str = ""
    # The group heading the task sits under inside its area ("II.2 Nhóm nhiệm vụ về dữ liệu").
    group: str = ""

    @classmethod
    def from_dict(cls, row):
        return cls(**cls._fields_of(row))

    @staticmethod
    def _fields_of(row):
        return {
            "number": row.get("no"),
            "content": row.get("content") or "",
            "deliverable": row.get("product") or "",
            "lead": list(row.get("lead") or []),
            "coordinators": list(row.get("coordinators") or []),
            "deadline_text": row.get("deadline_text") or "",
            "deadline_kind": row.get("deadline_kind") or "",
            "due_date": _date(row.get("due_date")),
            "note": row.get("note") or "",
            "extra": dict(row.get("extra") or {}),
            "label": row.get("label") or "",
            "group": row.get("group") or "",
        }

    def to_dict(self):
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


@dataclass
class SectionData:
    """An area of the plan ("roman" numeral, title) and its rows."""

    numeral: str = ""
    title: str = ""
    # The part above the area ("A. Nhiệm vụ chung"), in plans with parts A, B, C over sections.
    part: str = ""
    tasks: list[TaskData] = field(default_factory=list)

    @classmethod
    def from_dict(cls, section, row_type=TaskData):
        return cls(
            numeral=section.get("roman") or "",
            title=section.get("title") or "",
            part=section.get("part") or "",
            tasks=[row_type.from_dict(row) for row in section.get("tasks") or []],
        )

    def to_dict(self):
        return {
            "roman": self.numeral,
            "title": self.title,
            **({"part": self.part} if self.part else {}),
            "tasks": [task.to_dict() for task in self.tasks],
        }


@dataclass
class PlanData:
    """A whole plan: {"plan": head, "sections": [section, …]}."""

    head: PlanHead = field(default_factory=PlanHead)
    sections: list[SectionData] = field(default_factory=list)

    # What the sections' rows are read as (a subclass may keep rows with more in them).
    row_type = TaskData

    @classmethod
    def from_dict(cls, value):
        return cls(
            head=PlanHead.from_dict(value.get("plan")),
            sections=[
                SectionData.from_dict(section, cls.row_type)
                for section in value.get("sections") or []
            ],
        )

    @classmethod
    def of(cls, value):
        """``value`` as PlanData: itself, or read from its dict."""
        return value if isinstance(value, PlanData) else cls.from_dict(value)

    def to_dict(self, *, with_issue=True):
        return {
            "plan": self.head.to_dict(with_issue=with_issue),
            "sections": [section.to_dict() for section in self.sections],
        }

    @property
    def tasks(self):
        return [task for section in self.sections for task in section.tasks]

    @staticmethod
    def rows_of(value):
        """The task rows of a plan's dict themselves (no copies), in the document's order."""
        return [row for section in value.get("sections") or [] for row in section["tasks"]]

    def tasks_by_area(self):
        """[(area numeral, task)] in the document's order."""
        return [(section.numeral, task) for section in self.sections for task in section.tasks]


def _date(value):
    return date.fromisoformat(value) if value else None
