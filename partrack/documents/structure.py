"""A plan as read from (or written to) a document, before it touches the database."""

from dataclasses import dataclass, field
from datetime import date


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

    def to_json(self):
        return {
            "no": self.number,
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
        }


@dataclass
class ParsedArea:
    numeral: str
    title: str
    tasks: list[ParsedTask] = field(default_factory=list)

    def to_json(self):
        return {
            "roman": self.numeral,
            "title": self.title,
            "tasks": [task.to_json() for task in self.tasks],
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
    warnings: list[str] = field(default_factory=list)
    # Document-level facts in the schema of expected.json's "plan" block
    # ("reporting", "inspection"), filled where the reader recognises them.
    facts: dict = field(default_factory=dict)

    @property
    def tasks(self):
        return [task for area in self.areas for task in area.tasks]

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
                tasks=[
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
                    )
                    for row in section.get("tasks", [])
                ],
            )
            for section in data["sections"]
        ],
    )
