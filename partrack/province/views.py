from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from partrack.org.models import Unit
from partrack.pagination import paginate
from partrack.plans.models import Plan, ReportingPeriod
from partrack.province import exports, overview, overview_xlsx
from partrack.province.access import overview_agencies, readable_agencies, readable_tasks
from partrack.province.forms import AcrossFilterForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filter_form(request, today):
    """The filters, their choices read in a fixed number of queries (2, or 3 with an agency)."""
    agencies = readable_agencies(request.user)
    years = (
        Plan.objects.filter(agency__in=agencies)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    units = []
    try:
        agency_id = int(request.GET.get("agency", ""))
    except ValueError:
        agency_id = None
    if agency_id is not None:
        units = Unit.objects.filter(agency_id=agency_id, agency__in=agencies).values_list(
            "pk", "name"
        )
    return AcrossFilterForm(
        request.GET,
        agencies=agencies.order_by("name").values_list("pk", "name"),
        units=list(units),
        years=list(years),
        this_year=today.year,
    )


def filtered_tasks(request, today):
    form = filter_form(request, today)
    return form, form.filter(readable_tasks(request.user).with_state(today), today)


# Rows counted for the page numbers at most: a province's lists (a few thousand tasks) are
# counted exactly; a country's, or a search matching thousands, say "more than" instead.
COUNT_CAP = 10_000
SEARCH_COUNT_CAP = 1_000


@login_required
def task_list(request):
    """Tasks of every agency the person reads, filtered, a page at a time."""
    today = timezone.localdate()
    form, tasks = filtered_tasks(request, today)
    # The areas come in their own query: joined, PostgreSQL hashes every area of the country
    # before it sorts and keeps 50 rows (44 of the 70 ms at 150,000 tasks).
    tasks = tasks.select_related("plan__agency").prefetch_related("area", "lead_units")
    page = paginate(request, tasks, cap=SEARCH_COUNT_CAP if form.searched else COUNT_CAP)
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        # Each row's link is this prefix and the task's id: one reverse() for the page.
        "task_url_prefix": reverse("task_detail", args=[0]).removesuffix("0/"),
    }
    return render(request, "province/tasks.html", ctx)


@login_required
def task_export(request, kind):
    """The filtered list as CSV or XLSX, every row (not one page), streamed as it is written."""
    today = timezone.localdate()
    _form, tasks = filtered_tasks(request, today)
    name = f"nhiem-vu-{today:%Y%m%d}"
    if kind == "csv":
        response = StreamingHttpResponse(
            exports.csv_stream(tasks), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            exports.xlsx_stream(tasks, title="Nhiệm vụ"), content_type=XLSX_TYPE
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def overview_rows(request, today):
    """(rows sorted as asked, the year, the period kind, the sort) for the overview and its file."""
    agencies = overview_agencies(request.user)
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        year = today.year
    kind = request.GET.get("ky", "")
    if kind not in ReportingPeriod.Kind.values:
        kind = overview.default_kind(year, today)
    sort = request.GET.get("sap-xep", "name")
    rows = overview.build_rows(agencies, year=year, kind=kind, today=today)
    return overview.sort_rows(rows, sort), year, kind, sort


@login_required
def province_overview(request):
    """Every agency of the province for a period: plan, tasks on time, overdue, report sent."""
    today = timezone.localdate()
    rows, year, kind, sort = overview_rows(request, today)
    page = paginate(request, rows)
    query = request.GET.copy()
    query.pop("page", None)
    base = request.GET.copy()
    for name in ("page", "sap-xep"):
        base.pop(name, None)
    columns = []
    for key, label in overview.SORT_LABELS.items():
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        following = f"-{key}" if current and not descending else key
        columns.append(
            {
                "key": key,
                "label": label,
                "query": f"{base.urlencode()}&sap-xep={following}".lstrip("&"),
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    chart = {
        "labels": [row.agency.short_name for row in page.object_list],
        "share": [row.share for row in page.object_list],
        "overdue": [row.overdue for row in page.object_list],
    }
    ctx = {
        "page": page,
        "year": year,
        "kind": kind,
        "kinds": ReportingPeriod.Kind.choices,
        "years": range(today.year - 2, today.year + 2),
        "columns": columns,
        "query": query.urlencode(),
        "chart": chart,
        "today": today,
    }
    return render(request, "province/overview.html", ctx)


@login_required
def province_overview_xlsx(request):
    """The overview as an Excel file: every agency (not one page), sorted as on the page."""
    today = timezone.localdate()
    rows, year, kind, _sort = overview_rows(request, today)
    response = HttpResponse(
        overview_xlsx.workbook_bytes(rows, year=year, kind=kind, today=today),
        content_type=XLSX_TYPE,
    )
    response["Content-Disposition"] = (
        f'attachment; filename="tong-quan-tinh-{kind}-{year}-{today:%Y%m%d}.xlsx"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
