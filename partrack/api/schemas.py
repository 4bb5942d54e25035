"""What the API answers and accepts: the OpenAPI schema is generated from these."""

from datetime import date, datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from ninja import Field, Schema
from pydantic import field_validator

from partrack.plans.models import State, Status


class ErrorDetail(Schema):
    code: str = Field(description="Mã lỗi cố định, để máy đọc: not_found, forbidden, …")
    message: str = Field(description="Lời giải thích bằng tiếng Việt, để người đọc.")
    fields: dict[str, list[str]] | None = Field(
        None, description="Lỗi theo từng trường dữ liệu gửi lên, nếu có."
    )


class ErrorOut(Schema):
    error: ErrorDetail


class Page(Schema):
    count: int = Field(description="Tổng số mục")
    page: int
    pages: int
    page_size: int


class Named(Schema):
    id: int
    name: str


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str


class PlanOut(Schema):
    id: int
    agency: AgencyOut
    year: int
    title: str
    symbol: str
    issued_on: date | None
    status: str
    url: str


class PlanPage(Page):
    results: list[PlanOut]


class AreaOut(Schema):
    id: int
    order: int
    numeral: str
    title: str


class AreaPage(Page):
    results: list[AreaOut]


class TaskOut(Schema):
    id: int
    plan_id: int
    area_id: int
    number: int | None
    content: str
    deliverable: str
    lead_names: list[str]
    lead_units: list[Named]
    deadline_text: str
    deadline_kind: str
    due_date: date | None
    status: Status
    percent: int
    done_on: date | None
    state: State = Field(description="Tính từ ngày tháng mỗi lần đọc, không lưu")
    state_label: str
    version: int = Field(description="Gửi lại khi ghi tiến độ (khóa lạc quan)")
    updated_at: datetime
    url: str


class TaskPage(Page):
    results: list[TaskOut]


class ProgressOut(Schema):
    id: int
    kind: str
    unit: Named | None
    author: str
    status: str
    previous_status: str
    percent: int | None
    previous_percent: int | None
    narrative: str
    done_on: date | None
    no_evidence_reason: str
    created_at: datetime


class ProgressPage(Page):
    results: list[ProgressOut]


class EvidenceIn(Schema):
    number_symbol: str = Field("", max_length=100)
    issued_on: date | None = None
    summary: str = Field("", max_length=500)
    url: str = Field("", max_length=500, description="http:// hoặc https://")

    @field_validator("url")
    @classmethod
    def web_address(cls, value):
        # The page's form takes only web addresses; so does the API (the page links to it).
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except DjangoValidationError:
                raise ValueError("not a web address") from None
        return value


class ProgressIn(Schema):
    status: Status
    percent: int = Field(0, ge=0, le=100)
    narrative: str = ""
    done_on: date | None = None
    version: int = Field(description="Trường version của nhiệm vụ khi đọc")
    no_evidence_reason: str = ""
    evidence: list[EvidenceIn] = Field(
        default_factory=list, description="Minh chứng là văn bản hoặc đường dẫn (tệp: qua trang)"
    )


class ProgressRecorded(Schema):
    task: TaskOut
    update: ProgressOut


class EvidenceOut(Schema):
    id: int
    task_id: int
    update_id: int | None
    unit: Named | None
    number_symbol: str
    issued_on: date | None
    summary: str
    url: str
    file_name: str
    file_type: str
    file_url: str | None = Field(description="Trang tải tệp (cần đăng nhập trên trình duyệt)")
    citation: str
    created_at: datetime


class EvidencePage(Page):
    results: list[EvidenceOut]


class PeriodOut(Schema):
    id: int
    plan_id: int
    kind: str
    name: str
    starts_on: date
    ends_on: date
    unit_due: date
    unit_last_day: date
    agency_due: date | None


class PeriodPage(Page):
    results: list[PeriodOut]


class UnitReportOut(Schema):
    id: int
    period_id: int
    unit: Named
    status: str
    standing: str = Field(description="not_due, on_time, late hoặc missing")
    lock_version: int
    first_submitted_at: datetime | None
    submitted_at: datetime | None
    reviewed_at: datetime | None
    review_comment: str
    url: str


class UnitReportPage(Page):
    results: list[UnitReportOut]


class ReportEntryOut(Schema):
    task_id: int
    task_number: int | None
    role: str
    status: str
    percent: int
    text: str
    evidence: list[str]


class SubmissionOut(Schema):
    number: int
    submitted_at: datetime
    outcome: str
    comment: str
    reviewed_at: datetime | None


class UnitReportDetail(UnitReportOut):
    results: str
    difficulties: str
    proposals: str
    entries: list[ReportEntryOut]
    submissions: list[SubmissionOut]


class ReportFileOut(Schema):
    id: int
    version: int
    kind: str
    size: int
    sha256: str
    created_at: datetime
    download_url: str


class ConsolidatedReportOut(Schema):
    id: int
    period_id: int
    symbol: str
    issued_on: date | None
    version: int
    updated_at: datetime
    url: str
    files: list[ReportFileOut]
