"""What a consolidated periodic report says, as plain data: reporting builds it, writers print it.

It lives here, free of models, so that the writers in `documents` never import `reporting`.
"""

from dataclasses import dataclass, field
from datetime import date

# The editable parts of the report's text, in the order the report prints them. The results of
# each reform area are editable too, under the key of their area (`AreaBlock.key`).
INTRO = "intro"
DIRECTION = "direction"
STRENGTHS = "strengths"
WEAKNESSES = "weaknesses"
CAUSES = "causes"
NEXT_TASKS = "next_tasks"
PROPOSALS = "proposals"
CLOSING = "closing"


@dataclass
class Figures:
    """How many tasks are in each state, for the whole plan or one area."""

    label: str  # "Toàn Kế hoạch", or the area's title
    numeral: str  # the area's "II", or "" for the whole plan
    total: int
    counts: dict[str, int]  # state code → number of tasks

    @property
    def done(self):
        return self.counts.get("done_on_time", 0) + self.counts.get("done_late", 0)


@dataclass
class TaskLine:
    """One task as the report shows it, judged as of the report's day."""

    number: int | None
    content: str
    area_key: str
    lead: list[str]
    deadline_text: str
    due_date: date | None
    deadline_kind: str
    state: str  # a State code: "overdue", "done_on_time", …
    state_label: str
    percent: int
    done_on: date | None
    outcome: str  # what was done, in the unit's words; "" when nobody has said
    outcome_source: str  # "accepted_report" or "progress" or ""
    evidence: list[str] = field(default_factory=list)  # citations, by number and date
    # Whether this period judges the task (ReportingPeriod.judged_bounds): each dated task is
    # judged in exactly one period of the year.
    judged: bool = False
    # "gia hạn từ 31/03/2026 đến 30/06/2026" when the office granted an extension by then.
    extension: str = ""
    added: bool = False  # added by the office after the import ("bổ sung")

    @property
    def deadline_shown(self):
        """The deadline as the plan writes it, then the extension, if any."""
        extension = f"({self.extension})" if self.extension else ""
        return "\n".join(p for p in (self.deadline_text, extension) if p)

    @property
    def content_shown(self):
        return f"{self.content} (bổ sung)" if self.added else self.content

    @property
    def label(self):
        return f"Nhiệm vụ số {self.number}" if self.number is not None else "Nhiệm vụ"


@dataclass
class AreaBlock:
    """A reform area with its figures and its tasks, in the plan's order."""

    key: str  # "area-<id>": the key of its text in the narrative
    numeral: str
    title: str
    is_direction: bool  # area I, "Công tác chỉ đạo, điều hành", written up in part I
    figures: Figures
    tasks: list[TaskLine]


@dataclass
class UnitReportLine:
    """A unit and where its report stands (ReportingPeriod.report_standing)."""

    unit: str
    days_late: int | None  # days late at the first submission; None: no report submitted
    days_overdue: int | None = None  # not submitted: days past the deadline on the report's day


@dataclass
class Section:
    """A heading and the editable text under it, for the page that edits the narrative."""

    key: str
    heading: str
    text: str


@dataclass
class ExtraSection:
    """A section another app adds to the report (reporting.sections): its heading, its text,
    and a table; `part` says where the Word file prints it, `sheet` names its Excel sheet."""

    key: str
    heading: str
    part: str  # "direction" (part I) or "assessment" (part III, after the task figures)
    paragraphs: list[str]
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    sheet: str = ""
    # An editable section's text lives in ReportData.narrative under its key (the office edits
    # it with the rest); `paragraphs` is then only its first draft.
    editable: bool = False


@dataclass
class ReportData:
    """Everything the consolidated report prints, already computed and in order."""

    # Header and signature, from the agency's settings.
    parent_body: str
    agency: str  # "Sở Khoa học và Công nghệ": the masthead name, without the province
    agency_short: str
    place: str
    symbol: str  # "/BC-SKHCN" until the clerk numbers it
    issued_on: date | None
    signer_on_behalf: str
    signer_title: str
    signer_name: str
    recipients: list[str]

    # What the report is about.
    plan_title: str
    plan_symbol: str
    plan_issued_on: date | None
    year: int
    period_kind: str  # q1, h1, q3, year
    period_name: str  # "quý I năm 2026", "6 tháng đầu năm 2026", "năm 2026"
    starts_on: date
    ends_on: date
    as_of: date  # the day the figures are judged on
    unit_due: date  # the day units' reports were due at the office, as the plan names it
    unit_last_day: date  # the last day on time (the named day, unless the office decided not)
    next_period_name: str  # "quý II năm 2026"
    # The tasks the period judges: due after `judged_after` (None: any day) up to
    # `judged_until` (None: any day). The year's figures are final once 31/12 has passed.
    judged_after: date | None
    judged_until: date | None
    figures_final: bool

    # Computed from the data.
    state_labels: list[tuple[str, str]]  # (state code, label) in the order the report lists them
    figures: Figures
    judged_figures: Figures  # the tasks the period judges, by state
    areas: list[AreaBlock]
    on_time_units: list[UnitReportLine]
    late_units: list[UnitReportLine]
    missing_units: list[UnitReportLine]  # not submitted and past the deadline
    not_due_units: list[UnitReportLine]  # not submitted, deadline still ahead

    # The text the coordinator edits: key → text, one paragraph per line.
    narrative: dict[str, str]
    # Sections other apps register (reporting.sections), in registration order.
    extra_sections: list[ExtraSection] = field(default_factory=list)

    @property
    def title_line(self):
        return f"Kết quả thực hiện công tác cải cách hành chính {self.period_name}"

    @property
    def tasks(self):
        return [task for area in self.areas for task in area.tasks]

    @property
    def judged_tasks(self):
        return [task for task in self.tasks if task.judged]

    @property
    def reporting_units(self):
        """Every unit expected to report: on time, late, missing, not yet due."""
        return self.on_time_units + self.late_units + self.missing_units + self.not_due_units

    def sections(self):
        """[Section] in the report's order: the editable parts with their headings."""
        headings = [
            (INTRO, "Mở đầu"),
            (DIRECTION, "I. Công tác chỉ đạo, điều hành cải cách hành chính"),
            *[(s.key, s.heading) for s in self.extra_sections if s.editable],
        ]
        results = [area for area in self.areas if not area.is_direction]
        for index, area in enumerate(results, start=1):
            headings.append((area.key, f"II.{index}. {area.title}"))
        headings += [
            (STRENGTHS, "III.2. Ưu điểm"),
            (WEAKNESSES, "III.3. Tồn tại, hạn chế"),
            (CAUSES, "III.4. Nguyên nhân"),
            (NEXT_TASKS, f"IV. Nhiệm vụ trọng tâm {self.next_period_name}"),
            (PROPOSALS, "V. Đề xuất, kiến nghị"),
            (CLOSING, "Kết thúc"),
        ]
        return [Section(key, heading, self.narrative.get(key, "")) for key, heading in headings]
