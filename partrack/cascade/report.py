"""Sở Nội vụ's consolidated province report: every agency's figures for a period, per area.

For each agency under the province, its issued plan of the year (the first, when a second was
made) and that plan's period of the kind asked. The tasks the period judges
(Task.objects.judged_in / ReportingPeriod.judged_bounds) are counted by their state on the
period's day (ReportingPeriod.state_day), from the status recorded today: done on time, done
late, overdue, in progress (open and not overdue), cannot be done. Agencies whose period has no
issued report are listed as not reported.
"""

import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from partrack.cascade.services import ISSUED_STATUSES
from partrack.documents import state_format
from partrack.documents.report_docx import _add_simple_table
from partrack.org.models import Agency, Unit
from partrack.plans.models import Plan, ReportingPeriod, State, Task, state_conditions
from partrack.reporting.models import ConsolidatedReport

# The seven areas every CCHC report follows (docs/domain.md), by the numeral plans give them.
AREAS = (
    ("I", "Công tác chỉ đạo, điều hành cải cách hành chính"),
    ("II", "Cải cách thể chế"),
    ("III", "Cải cách thủ tục hành chính"),
    ("IV", "Cải cách tổ chức bộ máy hành chính nhà nước"),
    ("V", "Cải cách chế độ công vụ"),
    ("VI", "Cải cách tài chính công"),
    ("VII", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"),
)
OTHER = "khac"
OTHER_TITLE = "Nhiệm vụ khác"
KIND_NAMES = {
    "q1": "quý I",
    "h1": "6 tháng đầu năm",
    "q3": "quý III",
    "year": "năm",
}
# Which computed states make each column; together they cover every judged task.
COLUMNS = (
    ("done_on_time", "Hoàn thành đúng hạn", (State.DONE_ON_TIME,)),
    ("done_late", "Hoàn thành quá hạn", (State.DONE_LATE,)),
    ("overdue", "Quá hạn, chưa hoàn thành", (State.OVERDUE,)),
    (
        "in_progress",
        "Đang thực hiện (trong hạn)",
        (State.IN_PROGRESS, State.NOT_STARTED, State.DUE_SOON),
    ),
    ("cannot_do", "Không thực hiện được", (State.CANNOT_DO,)),
)


@dataclass
class Figures:
    total: int = 0
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    in_progress: int = 0
    cannot_do: int = 0

    def add(self, other):
        for name in ("total", *(code for code, _label, _states in COLUMNS)):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def values(self):
        return [self.total, *(getattr(self, code) for code, _label, _states in COLUMNS)]


@dataclass
class AgencyRow:
    agency: Agency
    plan: Plan | None = None
    period: ReportingPeriod | None = None
    report: ConsolidatedReport | None = None
    areas: dict = field(default_factory=lambda: defaultdict(Figures))
    total: Figures = field(default_factory=Figures)

    @property
    def reported(self):
        return self.report is not None


@dataclass
class ProvinceReport:
    province: Agency
    year: int
    kind: str
    today: object
    rows: list
    areas: list  # [(key, numeral, title)] shown: the seven, and "other" when a plan has one
    area_totals: dict
    total: Figures

    @property
    def kind_name(self):
        return KIND_NAMES[self.kind]

    @property
    def period_words(self):
        """ "6 tháng đầu năm 2026", "quý I năm 2026", "năm 2026"."""
        if self.kind == "h1":
            return f"6 tháng đầu năm {self.year}"
        if self.kind == "year":
            return f"năm {self.year}"
        return f"{self.kind_name} năm {self.year}"

    @property
    def not_reported(self):
        return [row for row in self.rows if not row.reported]


def issued_reports(periods):
    """{period id: ConsolidatedReport} of the periods' reports the agencies have reported with:
    issued and sent to their recipients (Sở Nội vụ among them), in one query."""
    reports = ConsolidatedReport.objects.sent().filter(period__in=periods)
    return {report.period_id: report for report in reports}


def area_key(numeral):
    return numeral if numeral in dict(AREAS) else OTHER


def province_report(province, *, year, kind, today=None):
    """Every agency's figures under the province for the period (year, kind); six queries,
    plus one per distinct judging window (one, unless an office moved its periods)."""
    today = today or timezone.localdate()
    agencies = list(Agency.objects.filter(parent=province).order_by("name"))
    rows = {agency.pk: AgencyRow(agency) for agency in agencies}
    for plan in Plan.objects.filter(
        agency__in=agencies, year=year, status__in=ISSUED_STATUSES, archived_at__isnull=True
    ).order_by("-pk"):
        # The first plan of the year counts (a second is made beside it only with a reason).
        rows[plan.agency_id].plan = plan
    plans = {row.plan.pk: row for row in rows.values() if row.plan}
    periods_of = defaultdict(list)
    for period in ReportingPeriod.objects.filter(plan_id__in=plans):
        periods_of[period.plan_id].append(period)
    windows = defaultdict(list)
    for plan_id, row in plans.items():
        row.period = next((p for p in periods_of[plan_id] if p.kind == kind), None)
        if row.period is None:
            continue
        row.period.plan = row.plan
        after, until = row.period.judged_bounds(periods_of[plan_id])
        windows[(after, until, row.period.state_day(today, periods_of[plan_id]))].append(plan_id)
    for (after, until, state_day), plan_ids in windows.items():
        _count(rows_by_plan=plans, plan_ids=plan_ids, after=after, until=until, day=state_day)
    reports = issued_reports([row.period for row in plans.values() if row.period])
    for row in plans.values():
        if row.period is not None:
            row.report = reports.get(row.period.pk)
    ordered = list(rows.values())
    area_totals, total = defaultdict(Figures), Figures()
    for row in ordered:
        for key, figures in row.areas.items():
            area_totals[key].add(figures)
            row.total.add(figures)
        total.add(row.total)
    areas = [(numeral, numeral, title) for numeral, title in AREAS]
    if OTHER in area_totals:
        areas.append((OTHER, "", OTHER_TITLE))
    return ProvinceReport(province, year, kind, today, ordered, areas, area_totals, total)


def _count(*, rows_by_plan, plan_ids, after, until, day):
    conditions = state_conditions(day)
    tasks = Task.objects.filter(plan_id__in=plan_ids, due_date__isnull=False)
    if after is not None:
        tasks = tasks.filter(due_date__gt=after)
    if until is not None:
        tasks = tasks.filter(due_date__lte=until)
    counted = (
        tasks.order_by()
        .values("plan_id", "area__numeral")
        .annotate(
            total=Count("pk"),
            **{
                code: Count("pk", filter=_any(conditions[state] for state in states))
                for code, _label, states in COLUMNS
            },
        )
    )
    for found in counted:
        figures = rows_by_plan[found["plan_id"]].areas[area_key(found["area__numeral"])]
        figures.add(
            Figures(**{k: v for k, v in found.items() if k not in ("plan_id", "area__numeral")})
        )


def _any(conditions):
    combined = Q()
    for condition in conditions:
        combined |= condition
    return combined


def masthead(province):
    """(parent body line, issuing body line): "UBND TỈNH PHÚ THỌ" over "SỞ NỘI VỤ"."""
    office = Unit.objects.filter(agency=province, is_coordinator=True).order_by("order").first()
    issuer = office.name if office else "Sở Nội vụ"
    place = province.place_name
    parent = f"UBND TỈNH {place}".upper() if place else province.name.upper()
    return parent, issuer.upper()


def headers():
    return [
        "STT",
        "Cơ quan, đơn vị",
        "Tổng số nhiệm vụ đến hạn",
        *(label for _c, label, _s in COLUMNS),
    ]


def table_rows(report, key=None):
    """The rows of one area's table (key) or of the overall one (None): agencies, then total."""
    lines = []
    for number, row in enumerate(report.rows, start=1):
        figures = row.total if key is None else row.areas.get(key, Figures())
        lines.append([number, row.agency.name, *figures.values()])
    total = report.total if key is None else report.area_totals.get(key, Figures())
    lines.append(["", "Tổng cộng", *total.values()])
    return lines


def province_report_docx(report):
    """The report as .docx bytes, in the state format (Decree 30/2020/NĐ-CP)."""
    doc = state_format.new_document()
    title = (
        f"Kết quả thực hiện nhiệm vụ cải cách hành chính {report.period_words} "
        f"của các cơ quan, đơn vị thuộc {report.province.name}"
    )
    doc.core_properties.title = f"Báo cáo {title}"
    state_format.page_numbers_from_second_page(doc.sections[0])
    parent, issuer = masthead(report.province)
    state_format.add_national_header(
        doc,
        parent_body=parent,
        agency=issuer,
        symbol="/BC-SNV",
        place=report.province.place_name,
        issued_on=None,
        year=report.year,
    )
    state_format.add_title(doc, "BÁO CÁO", title)
    state_format.body_paragraph(
        doc,
        f"Tổng hợp từ PARtrack ngày {report.today:%d/%m/%Y}: {len(report.rows)} cơ quan, đơn vị; "
        f"{report.total.total} nhiệm vụ đến hạn trong kỳ, trong đó hoàn thành đúng hạn "
        f"{report.total.done_on_time}, hoàn thành quá hạn {report.total.done_late}, quá hạn chưa "
        f"hoàn thành {report.total.overdue}, đang thực hiện {report.total.in_progress}, không "
        f"thực hiện được {report.total.cannot_do}.",
    )
    state_format.add_heading_part(doc, "I. Kết quả thực hiện theo lĩnh vực")
    for number, (key, _numeral, area_title) in enumerate(report.areas, start=1):
        state_format.body_paragraph(doc, f"{number}. {area_title}", bold=True)
        _add_simple_table(doc, headers(), table_rows(report, key))
    state_format.add_heading_part(doc, "II. Tổng hợp chung")
    _add_simple_table(doc, headers(), table_rows(report))
    state_format.add_heading_part(doc, "III. Các cơ quan, đơn vị chưa báo cáo")
    missing = report.not_reported
    if not missing:
        state_format.body_paragraph(doc, "Tất cả các cơ quan, đơn vị đã gửi báo cáo.")
    for number, row in enumerate(missing, start=1):
        reason = "" if row.plan else " (chưa có kế hoạch CCHC năm đã ban hành)"
        state_format.body_paragraph(doc, f"{number}. {row.agency.name}{reason}.")
    state_format.add_recipients_and_signature(
        doc,
        ["UBND tỉnh (b/c)", "Bộ Nội vụ (b/c)", "Lưu: VT, CCHC."],
        "",
        "GIÁM ĐỐC",
        "",
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
