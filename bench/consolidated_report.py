"""Time the consolidated periodic report (data assembled + Word written), against the targets.

Two plans: the seed plan of the demo (36 tasks), and a generated plan of 1,000 tasks with four
progress updates each, evidence on the done ones and every unit's report accepted. Both live in
a throwaway SQLite database made for the run (migrate, demo, generate), so no data is touched.

Run from the project root: DEBUG=1 .venv/bin/python bench/consolidated_report.py
"""

import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

FOLDER = tempfile.mkdtemp(prefix="partrack-bench-")
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)
os.environ["DATABASE_URL"] = f"sqlite:///{FOLDER}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partrack.settings")
os.environ.setdefault("PARTRACK_INSECURE_DEV_KEY", "1")
os.environ["MEDIA_ROOT"] = str(Path(FOLDER) / "media")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from partrack.documents.report_docx import (  # noqa: E402
    consolidated_report_docx,
    consolidated_report_xlsx,
    tasks_csv,
)
from partrack.org.models import Agency, Membership  # noqa: E402
from partrack.plans.demo import load_demo  # noqa: E402
from partrack.plans.models import (  # noqa: E402
    Area,
    Evidence,
    Plan,
    ProgressUpdate,
    ReportingPeriod,
    Status,
    Task,
)
from partrack.reporting import services  # noqa: E402
from partrack.reporting.assembly import assemble  # noqa: E402

TARGETS_MS = {"seed plan, 36 tasks": 500, "generated plan, 1,000 tasks": 5000}
RUNS = {"seed plan, 36 tasks": 20, "generated plan, 1,000 tasks": 5}
TODAY = date(2026, 3, 18)  # drafted after the units' deadline, before Sở Nội vụ's
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AREAS = [
    ("I", "Công tác chỉ đạo, điều hành"),
    ("II", "Cải cách thể chế"),
    ("III", "Cải cách thủ tục hành chính"),
    ("IV", "Cải cách tổ chức bộ máy"),
    ("V", "Cải cách chế độ công vụ"),
    ("VI", "Cải cách tài chính công"),
    ("VII", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"),
]
DEADLINES = [
    "Quý I/2026",
    "Tháng 01/2026",
    "Quý II/2026",
    "Năm 2026",
    "Thường xuyên",
    "Theo chỉ đạo của UBND tỉnh",
    "Trước ngày 30/11/2026",
    "6 tháng đầu năm 2026",
]
TOPICS = ["kiểm tra", "tuyên truyền", "sáng kiến", "PAR INDEX", "rà soát", "số hóa"]


def generate_plan(tasks=1000, updates_per_task=4):
    """A plan of `tasks` tasks in seven areas, each with its history, evidence and unit reports."""
    agency = Agency.objects.get(short_name="SKHCN")
    units = list(agency.units.all())
    author = Membership.objects.filter(agency=agency, role="coordinator").first().user
    plan = Plan.objects.create(
        agency=agency, year=2026, title="Kế hoạch sinh tự động", status=Plan.Status.DRAFT
    )
    plan.ensure_periods()
    areas = [
        Area.objects.create(plan=plan, order=n, numeral=numeral, title=title)
        for n, (numeral, title) in enumerate(AREAS, start=1)
    ]
    rows = []
    for n in range(1, tasks + 1):
        task = Task(
            plan=plan,
            area=areas[n % len(areas)],
            number=n,
            order=n,
            content=f"Nhiệm vụ số {n}: triển khai {TOPICS[n % len(TOPICS)]} năm 2026",
            lead_names=[units[n % len(units)].name],
        )
        task.set_deadline(DEADLINES[n % len(DEADLINES)], 2026)
        task.search_text = task.build_search_text()
        rows.append(task)
    Task.objects.bulk_create(rows)
    Task.lead_units.through.objects.bulk_create(
        Task.lead_units.through(task_id=t.pk, unit_id=units[t.number % len(units)].pk) for t in rows
    )

    history, evidence = [], []
    start = datetime(2026, 1, 5, 9, tzinfo=TZ)
    for task in rows:
        status, percent = Status.NOT_STARTED, 0
        for k in range(updates_per_task):
            when = start + timedelta(days=(task.number * 7 + k * 23) % 150)
            previous = (status, percent)
            percent = min(100, percent + 25)
            done = percent == 100 and task.number % 3 == 0
            status = Status.DONE if done else Status.IN_PROGRESS
            history.append(
                ProgressUpdate(
                    task=task,
                    unit_id=units[task.number % len(units)].pk,
                    author=author,
                    kind=ProgressUpdate.Kind.UPDATE,
                    status=status,
                    previous_status=previous[0],
                    percent=percent,
                    previous_percent=previous[1],
                    narrative=f"Lần cập nhật {k + 1} của nhiệm vụ {task.number}.",
                    done_on=when.date() if done else None,
                    created_at=when,
                )
            )
        task.status, task.percent = status, percent
        task.done_on = history[-1].done_on
        if task.done_on:
            evidence.append(
                Evidence(
                    task=task,
                    added_by=author,
                    number_symbol=f"{task.number}/KH-SKHCN",
                    issued_on=task.done_on,
                    summary=f"Văn bản hoàn thành nhiệm vụ {task.number}",
                    created_at=history[-1].created_at,
                )
            )
    history.sort(key=lambda update: update.created_at)
    ProgressUpdate.objects.bulk_create(history)
    Evidence.objects.bulk_create(evidence)
    Task.objects.bulk_update(rows, ["status", "percent", "done_on"])

    period = ReportingPeriod.objects.get(plan=plan, kind="q1")
    for n, unit in enumerate(units):
        report = services.start_unit_report(period=period, unit=unit)
        report.entries.update(text="Đã thực hiện theo kế hoạch.")
        report.proposals = f"Đề xuất của {unit.name}."
        report.save(update_fields=["proposals"])
        sent = datetime(2026, 3, 8 + n % 4, 9, tzinfo=TZ)
        services.submit_unit_report(report=report, by=author, now=sent)
        services.accept_unit_report(report=report, by=author, now=sent + timedelta(days=2))
    return plan


def median_ms(period, runs):
    build = lambda: consolidated_report_docx(assemble(period, today=TODAY))  # noqa: E731
    build()  # warm up: imports and the Word template are not what is measured
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        build()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main():
    call_command("migrate", verbosity=0)
    load_demo()
    seed = Plan.objects.get(agency__short_name="SKHCN")
    generated = generate_plan()
    within = True
    for (name, target), plan in zip(TARGETS_MS.items(), (seed, generated), strict=True):
        period = ReportingPeriod.objects.select_related("plan__agency").get(plan=plan, kind="q1")
        with CaptureQueriesContext(connection) as queries:
            data = assemble(period, today=TODAY)
        start = time.perf_counter()
        consolidated_report_xlsx(data)
        tasks_csv(data)
        tables_ms = (time.perf_counter() - start) * 1000
        median = median_ms(period, RUNS[name])
        verdict = "ok" if median < target else "OVER TARGET"
        within = within and median < target
        print(
            f"{name:28} DOCX median {median:7.1f} ms  (target < {target} ms)  {verdict}"
            f"   [{len(queries)} queries; XLSX + CSV {tables_ms:.0f} ms; "
            f"{sum(len(area.tasks) for area in data.areas)} tasks]"
        )
    return 0 if within else 1


if __name__ == "__main__":
    raise SystemExit(main())
