"""The REST API at /api/v1/: the pages' reads and two of their writes, under the pages' rules.

Each endpoint finds its object through the same access helper as the page (partrack/*/access.py)
with the token's owner as the user, so a token never reaches what its owner cannot, and writes
through the same service as the page.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Status
from ninja.openapi.docs import Swagger

from partrack.api import schemas
from partrack.api.auth import TokenAuth, require_write
from partrack.api.errors import ApiError, install
from partrack.org.models import Membership
from partrack.plans import services as plan_services
from partrack.plans.access import get_plan_for, get_task_for
from partrack.plans.models import Plan, State
from partrack.reporting import services as report_services
from partrack.reporting.access import (
    get_consolidated_report_for,
    get_period_for,
    get_unit_report_for,
    issued_files_for,
    reads_drafts,
)

DESCRIPTION = """API của PARtrack: đọc kế hoạch, nhiệm vụ (kèm tình trạng tính theo ngày), tiến độ,
minh chứng, kỳ báo cáo, báo cáo đơn vị và các phiên bản báo cáo tổng hợp; ghi tiến độ nhiệm vụ và
gửi báo cáo đơn vị. Xác thực: tiêu đề `Authorization: Bearer <mã truy cập>` (tạo mã ở trang
"Mã truy cập API" của mỗi người). Lỗi luôn có dạng `{"error": {"code": …, "message": …}}`.
Xem README, mục "REST API"."""

api = NinjaAPI(
    title="PARtrack API",
    version="1",
    description=DESCRIPTION,
    auth=TokenAuth(),
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install(api)

ERRORS = {
    401: schemas.ErrorOut,
    403: schemas.ErrorOut,
    404: schemas.ErrorOut,
    429: schemas.ErrorOut,
}
WRITE_ERRORS = {**ERRORS, 400: schemas.ErrorOut, 409: schemas.ErrorOut, 422: schemas.ErrorOut}


def paginate(queryset, page, serialize):
    """One page of `queryset` (ordered) as {count, page, pages, page_size, results}: two queries."""
    paginator = Paginator(queryset, settings.PARTRACK_API_PAGE_SIZE)
    if page > paginator.num_pages:
        raise ApiError(
            404,
            "page_out_of_range",
            _("Trang %(page)s không có: chỉ có %(pages)s trang.")
            % {"page": page, "pages": paginator.num_pages},
        )
    return {
        "count": paginator.count,
        "page": page,
        "pages": paginator.num_pages,
        "page_size": paginator.per_page,
        "results": [serialize(item) for item in paginator.page(page).object_list],
    }


class PageQuery(schemas.Schema):
    page: int = schemas.Field(1, ge=1)


def named(obj):
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def person(user):
    return user.get_full_name() or user.get_username()


# Plans and areas.


def plan_out(plan):
    return {
        "id": plan.pk,
        "agency": plan.agency,
        "year": plan.year,
        "title": plan.title,
        "symbol": plan.symbol,
        "issued_on": plan.issued_on,
        "status": plan.status,
        "url": plan.get_absolute_url(),
    }


@api.get("/plans", response={200: schemas.PlanPage, **ERRORS}, tags=["Kế hoạch"])
def list_plans(request, query: Query[PageQuery]):
    """Các kế hoạch người giữ mã được xem, năm mới trước."""
    plans = Plan.objects.visible_to(request.user).order_by("-year", "agency__name", "pk")
    return paginate(plans, query.page, plan_out)


@api.get("/plans/{plan_id}", response={200: schemas.PlanOut, **ERRORS}, tags=["Kế hoạch"])
def get_plan(request, plan_id: int):
    return plan_out(get_plan_for(request.user, plan_id))


@api.get("/plans/{plan_id}/areas", response={200: schemas.AreaPage, **ERRORS}, tags=["Kế hoạch"])
def list_areas(request, plan_id: int, query: Query[PageQuery]):
    plan = get_plan_for(request.user, plan_id)
    return paginate(
        plan.areas.order_by("order", "pk"),
        query.page,
        lambda area: {
            "id": area.pk,
            "order": area.order,
            "numeral": area.numeral,
            "title": area.title,
        },
    )


# Tasks, their progress and evidence.


def task_out(task, state):
    return {
        "id": task.pk,
        "plan_id": task.plan_id,
        "area_id": task.area_id,
        "number": task.number,
        "content": task.content,
        "deliverable": task.deliverable,
        "lead_names": task.lead_names,
        "lead_units": [named(unit) for unit in task.lead_units.all()],
        "deadline_text": task.deadline_text,
        "deadline_kind": task.deadline_kind,
        "due_date": task.due_date,
        "status": task.status,
        "percent": task.percent,
        "done_on": task.done_on,
        "state": state,
        "state_label": str(State(state).label),
        "version": task.version,
        "updated_at": task.updated_at,
        "url": task.get_absolute_url(),
    }


class TaskQuery(PageQuery):
    state: State | None = None
    area: int | None = schemas.Field(None, description="id của lĩnh vực")
    unit: int | None = schemas.Field(None, description="id của đơn vị chủ trì")
    q: str = schemas.Field("", description="Tìm theo từ, không phân biệt dấu")


@api.get("/plans/{plan_id}/tasks", response={200: schemas.TaskPage, **ERRORS}, tags=["Nhiệm vụ"])
def list_tasks(request, plan_id: int, query: Query[TaskQuery]):
    """Nhiệm vụ của kế hoạch theo thứ tự phụ lục, kèm tình trạng tính đến hôm nay."""
    plan = get_plan_for(request.user, plan_id)
    today = timezone.localdate()
    tasks = plan.tasks.for_listing().with_state(today)
    if query.state:
        tasks = tasks.in_state(query.state, today)
    if query.area:
        tasks = tasks.filter(area_id=query.area)
    if query.unit:
        tasks = tasks.led_by(query.unit)
    if query.q:
        tasks = tasks.search(query.q)
    return paginate(
        tasks.order_by("area__order", "order", "number", "pk"),
        query.page,
        lambda task: task_out(task, task.state_code),
    )


@api.get("/tasks/{task_id}", response={200: schemas.TaskOut, **ERRORS}, tags=["Nhiệm vụ"])
def get_task(request, task_id: int):
    task, _access = get_task_for(request.user, task_id)
    return task_out(task, task.state(timezone.localdate()))


def progress_out(update):
    return {
        "id": update.pk,
        "kind": update.kind,
        "unit": named(update.unit),
        "author": person(update.author),
        "status": update.status,
        "previous_status": update.previous_status,
        "percent": update.percent,
        "previous_percent": update.previous_percent,
        "narrative": update.narrative,
        "done_on": update.done_on,
        "no_evidence_reason": update.no_evidence_reason,
        "created_at": update.created_at,
    }


@api.get(
    "/tasks/{task_id}/progress", response={200: schemas.ProgressPage, **ERRORS}, tags=["Nhiệm vụ"]
)
def list_progress(request, task_id: int, query: Query[PageQuery]):
    """Lịch sử nhiệm vụ: cập nhật tiến độ, đóng góp của đơn vị phối hợp, điều chỉnh; mới trước."""
    task, _access = get_task_for(request.user, task_id)
    updates = task.updates.select_related("author", "unit").order_by("-created_at", "-pk")
    return paginate(updates, query.page, progress_out)


@api.post(
    "/tasks/{task_id}/progress",
    response={201: schemas.ProgressRecorded, **WRITE_ERRORS},
    tags=["Nhiệm vụ"],
)
def record_progress(request, task_id: int, payload: schemas.ProgressIn):
    """Ghi tiến độ như trên trang nhiệm vụ: cùng quy tắc, khóa lạc quan (version) và lịch sử.

    Chỉ đơn vị chủ trì hoặc Văn phòng; mã truy cập phải có quyền đọc và ghi.
    """
    require_write(request)
    task, access = get_task_for(request.user, task_id)
    if not access.can_update:
        raise PermissionDenied
    update = plan_services.record_progress(
        task=task,
        by=request.user,
        unit=Membership.of(request.user).unit,
        status=payload.status,
        percent=payload.percent,
        narrative=payload.narrative,
        done_on=payload.done_on,
        expected_version=payload.version,
        evidence=[plan_services.NewEvidence(**item.dict()) for item in payload.evidence],
        no_evidence_reason=payload.no_evidence_reason,
    )
    update.author = request.user
    task.updated_at = update.created_at
    return Status(
        201,
        {
            "task": task_out(task, task.state(timezone.localdate())),
            "update": progress_out(update),
        },
    )


def evidence_out(item):
    return {
        "id": item.pk,
        "task_id": item.task_id,
        "update_id": item.update_id,
        "unit": named(item.unit),
        "number_symbol": item.number_symbol,
        "issued_on": item.issued_on,
        "summary": item.summary,
        "url": item.url,
        "file_name": item.file_name,
        "file_type": item.file_type,
        "file_url": item.get_absolute_url() if item.file else None,
        "citation": item.citation(),
        "created_at": item.created_at,
    }


@api.get(
    "/tasks/{task_id}/evidence", response={200: schemas.EvidencePage, **ERRORS}, tags=["Nhiệm vụ"]
)
def list_evidence(request, task_id: int, query: Query[PageQuery]):
    """Thông tin minh chứng của nhiệm vụ (số, ngày, trích yếu, tệp); tệp tải qua trang."""
    task, _access = get_task_for(request.user, task_id)
    evidence = task.evidence.select_related("unit").order_by("issued_on", "pk")
    return paginate(evidence, query.page, evidence_out)


# Reporting periods, unit reports, consolidated reports.


def period_out(period):
    return {
        "id": period.pk,
        "plan_id": period.plan_id,
        "kind": period.kind,
        "name": str(period),
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "unit_due": period.unit_due,
        "unit_last_day": period.unit_last_day,
        "agency_due": period.agency_due,
    }


@api.get("/plans/{plan_id}/periods", response={200: schemas.PeriodPage, **ERRORS}, tags=["Báo cáo"])
def list_periods(request, plan_id: int, query: Query[PageQuery]):
    plan = get_plan_for(request.user, plan_id)
    periods = plan.periods.order_by("unit_due", "pk")

    def serialize(period):
        period.plan = plan  # the plan is known: no query per period
        return period_out(period)

    return paginate(periods, query.page, serialize)


def unit_report_out(report, period, today):
    report.period = period
    return {
        "id": report.pk,
        "period_id": period.pk,
        "unit": named(report.unit),
        "status": report.status,
        "standing": report.standing(today).code,
        "lock_version": report.lock_version,
        "first_submitted_at": report.first_submitted_at,
        "submitted_at": report.submitted_at,
        "reviewed_at": report.reviewed_at,
        "review_comment": report.review_comment,
        "url": report.get_absolute_url(),
    }


@api.get(
    "/periods/{period_id}/unit-reports",
    response={200: schemas.UnitReportPage, **ERRORS},
    tags=["Báo cáo"],
)
def list_unit_reports(request, period_id: int, query: Query[PageQuery]):
    """Báo cáo các đơn vị đã lập trong kỳ, và tình trạng gửi (đúng hạn, chậm, chưa gửi)."""
    period = get_period_for(request.user, period_id)
    today = timezone.localdate()
    reports = period.unit_reports.select_related("unit").order_by("unit__order", "unit__name")
    outsider = not reads_drafts(request.user, period.plan.agency_id)

    def serialize(report):
        out = unit_report_out(report, period, today)
        if outsider and report.status in (report.Status.DRAFT, report.Status.RETURNED):
            out["review_comment"] = ""  # the office's words on a report back with its unit
        return out

    return paginate(reports, query.page, serialize)


def unit_report_detail(report, period, unit, today):
    report.unit = unit
    entries = report.entries.select_related("task").prefetch_related("evidence")
    submissions = report.submissions.order_by("-number")
    return {
        **unit_report_out(report, period, today),
        "results": report.results,
        "difficulties": report.difficulties,
        "proposals": report.proposals,
        "entries": [
            {
                "task_id": entry.task_id,
                "task_number": entry.task.number,
                "role": entry.role,
                "status": entry.status,
                "percent": entry.percent,
                "text": entry.text,
                "evidence": [item.citation() for item in entry.evidence.all()],
            }
            for entry in entries
        ],
        "submissions": [
            {
                "number": s.number,
                "submitted_at": s.submitted_at,
                "outcome": s.outcome,
                "comment": s.comment,
                "reviewed_at": s.reviewed_at,
            }
            for s in submissions
        ],
    }


def no_report_yet():
    return ApiError(404, "not_started", _("Đơn vị chưa lập báo cáo kỳ này."))


@api.get(
    "/periods/{period_id}/unit-reports/{unit_id}",
    response={200: schemas.UnitReportDetail, **ERRORS},
    tags=["Báo cáo"],
)
def get_unit_report(request, period_id: int, unit_id: int):
    """Báo cáo của một đơn vị: phần chung, từng nhiệm vụ, và các lần gửi."""
    period, unit, report, access = get_unit_report_for(request.user, period_id, unit_id)
    if report is None:
        raise no_report_yet()
    if not access.reads_content:
        # The province reads a unit report once it is sent; its status is in the list.
        raise ApiError(404, "not_submitted", _("Đơn vị chưa gửi báo cáo kỳ này."))
    return unit_report_detail(report, period, unit, timezone.localdate())


@api.post(
    "/periods/{period_id}/unit-reports/{unit_id}/submit",
    response={200: schemas.UnitReportDetail, **WRITE_ERRORS},
    tags=["Báo cáo"],
)
def submit_unit_report(request, period_id: int, unit_id: int):
    """Gửi báo cáo của đơn vị đến Văn phòng (như nút "Gửi báo cáo"): khóa lại và lưu phiên bản.

    Báo cáo chưa lập thì được lập (điền sẵn từ nhiệm vụ) rồi gửi. Chỉ người của đơn vị.
    """
    require_write(request)
    period, unit, report, access = get_unit_report_for(request.user, period_id, unit_id)
    if not access.can_write:
        raise PermissionDenied
    if report is None:
        report = report_services.start_unit_report(period=period, unit=unit)
    report = report_services.submit_unit_report(report=report, by=request.user)
    return unit_report_detail(report, period, unit, timezone.localdate())


@api.get(
    "/periods/{period_id}/consolidated-report",
    response={200: schemas.ConsolidatedReportOut, **ERRORS},
    tags=["Báo cáo"],
)
def get_consolidated_report(request, period_id: int):
    """Báo cáo tổng hợp của kỳ và mọi tệp đã xuất, theo phiên bản (mới trước)."""
    period, report, _can_edit = get_consolidated_report_for(request.user, period_id)
    if report is None:
        raise ApiError(404, "not_started", _("Văn phòng chưa lập báo cáo tổng hợp kỳ này."))
    report.period = period
    files = issued_files_for(request.user, report).order_by("-version", "kind")
    return {
        "id": report.pk,
        "period_id": period.pk,
        "symbol": report.symbol,
        "issued_on": report.issued_on,
        "version": report.version,
        "updated_at": report.updated_at,
        "url": report.get_absolute_url(),
        "files": [
            {
                "id": f.pk,
                "version": f.version,
                "kind": f.kind,
                "size": f.size,
                "sha256": f.sha256,
                "created_at": f.created_at,
                "download_url": reverse("report_file_download", args=[period.pk, f.pk]),
            }
            for f in files
        ],
    }
