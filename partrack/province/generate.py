"""Generated agencies, plans, tasks and progress for demos and load tests (`partrack generate`).

Agencies, units, people and plans are written with bulk_create; the tasks, their units and their
progress (nine rows in ten) with PostgreSQL's COPY, from the same model instances, so a national
size (4,000 agencies, 152,000 tasks, 608,000 updates) loads in a few minutes rather than tens
(on SQLite, bulk_create throughout). Every agency made here carries `is_generated`, which
is how the command tells its own data from a real deployment's.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import cycle
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from partrack.org.models import Agency, Membership, Role, Unit
from partrack.plans.deadlines import parse_deadline
from partrack.plans.models import Area, Plan, ProgressUpdate, ReportingPeriod, Status, Task
from partrack.plans.periods import default_periods

BATCH = 2000
# A province holds about 120 agencies after the 2025 merger (20 departments, 100+ communes).
AGENCIES_PER_PROVINCE = 120
PASSWORD = "partrack-demo"

AREAS = [
    ("I", "Công tác chỉ đạo, điều hành"),
    ("II", "Cải cách thể chế"),
    ("III", "Cải cách thủ tục hành chính"),
    ("IV", "Cải cách tổ chức bộ máy"),
    ("V", "Cải cách chế độ công vụ"),
    ("VI", "Cải cách tài chính công"),
    ("VII", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"),
]
UNITS = [
    ("Văn phòng Sở", Unit.Kind.OFFICE, True),
    ("Phòng Kế hoạch Tài chính", Unit.Kind.DIVISION, False),
    ("Phòng Chuyển đổi số", Unit.Kind.DIVISION, False),
    ("Phòng Pháp chế", Unit.Kind.DIVISION, False),
    ("Chi cục Tiêu chuẩn Đo lường Chất lượng", Unit.Kind.SUB_DEPARTMENT, False),
    ("Trung tâm Thông tin", Unit.Kind.CENTRE, False),
]
CONTENTS = [
    "Xây dựng, ban hành kế hoạch cải cách hành chính năm {year}",
    "Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền giải quyết",
    "Tổ chức kiểm tra công tác cải cách hành chính tại các đơn vị",
    "Tuyên truyền về cải cách hành chính trên cổng thông tin điện tử",
    "Triển khai luồng xanh trong giải quyết hồ sơ trực tuyến",
    "Nâng cao chỉ số hài lòng của người dân, doanh nghiệp (SIPAS)",
    "Rà soát văn bản quy phạm pháp luật, đề xuất sửa đổi, bổ sung",
    "Sắp xếp, kiện toàn tổ chức bộ máy theo quy định",
    "Đánh giá, xếp loại chất lượng công chức, viên chức",
    "Thực hiện cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Vận hành hệ thống quản lý văn bản và điều hành",
]
DEADLINES = [
    "Quý I/{year}",
    "Trước ngày 30/6/{year}",
    "Quý III/{year}",
    "Tháng 10/{year}",
    "Năm {year}",
    "Thường xuyên",
    "Theo chỉ đạo của UBND tỉnh",
    "Trước ngày 15/11/{year}",
    "6 tháng đầu năm {year}",
]


@dataclass
class Made:
    provinces: int = 0
    agencies: int = 0
    people: int = 0
    plans: int = 0
    tasks: int = 0
    updates: int = 0

    def __str__(self):
        return (
            f"generated {self.provinces} provinces, {self.agencies} agencies, {self.people} "
            f"people, {self.plans} plans, {self.tasks} tasks, {self.updates} updates"
        )


def real_agencies():
    """Agencies not made by the generator: a deployment's own data."""
    return Agency.objects.filter(is_generated=False)


def generate(*, agencies, tasks_per_plan, updates_per_task, year, today=None):
    """Add `agencies` generated agencies (under generated provinces), each with an active plan of
    `year`, its tasks across the 7 areas and `updates_per_task` progress updates per task.

    Logins: `gen-tinh-<p>` reads province p (Sở Nội vụ); `gen-<short name>` is an agency's
    office; password "partrack-demo".
    """
    today = today or date(year, 11, 26)
    made = Made()
    start = Agency.objects.filter(is_generated=True, parent__isnull=False).count()
    provinces_wanted = math.ceil(agencies / AGENCIES_PER_PROVINCE)
    password = make_password(PASSWORD)  # hashed once: every generated login shares it
    User = get_user_model()
    with transaction.atomic():
        batch_no = Agency.objects.filter(is_generated=True, parent__isnull=True).count()
        provinces = [
            Agency(
                name=f"UBND tỉnh Mẫu {batch_no + p + 1}",
                short_name=f"GT{batch_no + p + 1:03d}",
                parent_body="UBND TỈNH MẪU",
                kind=Agency.Kind.PROVINCE,
                is_generated=True,
            )
            for p in range(provinces_wanted)
        ]
        Agency.objects.bulk_create(provinces)
        made.provinces = len(provinces)
        users = [
            User(username=f"gen-tinh-{p.short_name[2:]}", password=password, first_name="Sở Nội vụ")
            for p in provinces
        ]
        User.objects.bulk_create(users)
        Membership.objects.bulk_create(
            Membership(user=u, agency=p, role=Role.VIEWER, title="Chuyên viên Sở Nội vụ")
            for u, p in zip(users, provinces, strict=True)
        )
        made.people += len(users)

        new = [
            Agency(
                parent=provinces[n // AGENCIES_PER_PROVINCE],
                name=f"Sở Mẫu số {start + n + 1}",
                short_name=f"G{start + n + 1:05d}",
                parent_body="UBND TỈNH MẪU",
                place_name="Mẫu",
                is_generated=True,
            )
            for n in range(agencies)
        ]
        Agency.objects.bulk_create(new, batch_size=BATCH)
        made.agencies = len(new)
        units = [
            Unit(agency=a, name=name, kind=kind, is_coordinator=office, order=order)
            for a in new
            for order, (name, kind, office) in enumerate(UNITS, start=1)
        ]
        Unit.objects.bulk_create(units, batch_size=BATCH)
        units_of = {a.pk: units[i * len(UNITS) : (i + 1) * len(UNITS)] for i, a in enumerate(new)}
        offices = [
            User(username=f"gen-{a.short_name.lower()}", password=password, first_name="Văn phòng")
            for a in new
        ]
        User.objects.bulk_create(offices, batch_size=BATCH)
        Membership.objects.bulk_create(
            (
                Membership(user=u, agency=a, unit=units_of[a.pk][0], role=Role.COORDINATOR)
                for u, a in zip(offices, new, strict=True)
            ),
            batch_size=BATCH,
        )
        author_of = {a.pk: u.pk for u, a in zip(offices, new, strict=True)}
        made.people += len(offices)

        plans = [
            Plan(
                agency=a,
                year=year,
                title=f"Kế hoạch cải cách hành chính năm {year} của {a.name}",
                symbol=f"{n % 90 + 10}/KH-{a.short_name}",
                issued_on=date(year - 1, 12, 20),
                status=Plan.Status.ACTIVE,
            )
            for n, a in enumerate(new)
        ]
        Plan.objects.bulk_create(plans, batch_size=BATCH)
        made.plans = len(plans)
        ReportingPeriod.objects.bulk_create(
            (
                ReportingPeriod(
                    plan=plan,
                    kind=p["kind"],
                    starts_on=p["starts_on"],
                    ends_on=p["ends_on"],
                    unit_due=p["unit_due"],
                )
                for plan in plans
                for p in default_periods(year)
            ),
            batch_size=BATCH,
        )
        areas = [
            Area(plan=plan, order=order, numeral=numeral, title=title)
            for plan in plans
            for order, (numeral, title) in enumerate(AREAS, start=1)
        ]
        Area.objects.bulk_create(areas, batch_size=BATCH)
        areas_of = {p.pk: areas[i * len(AREAS) : (i + 1) * len(AREAS)] for i, p in enumerate(plans)}

        # A few plans at a time, so that memory stays flat whatever the size.
        step = max(1, BATCH // max(1, tasks_per_plan))
        for first in range(0, len(plans), step):
            made.tasks += _tasks_for(
                plans[first : first + step],
                areas_of=areas_of,
                units_of=units_of,
                author_of=author_of,
                per_plan=tasks_per_plan,
                updates=updates_per_task,
                year=year,
                today=today,
                made=made,
            )
    analyze()
    return made


def analyze():
    """Refresh PostgreSQL's statistics of the tables just filled: until autovacuum comes by, the
    planner takes them for nearly empty and picks nested loops that cost seconds (the filtered
    list across agencies: 770 ms before, 3 ms after, on 7,200 tasks)."""
    conn = connections[DEFAULT_DB_ALIAS]
    if conn.vendor != "postgresql":
        return
    models = [Agency, Unit, Membership, Plan, ReportingPeriod, Area, Task, ProgressUpdate]
    models += [Task.lead_units.through, Task.coordinating_units.through]
    with conn.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {conn.ops.quote_name(model._meta.db_table)}")


def _tasks_for(plans, *, areas_of, units_of, author_of, per_plan, updates, year, today, made):
    """Tasks, their units and progress for a few plans: one round of bulk inserts."""
    deadlines = {
        text: parse_deadline(text, year) for text in (d.format(year=year) for d in DEADLINES)
    }
    texts = cycle(deadlines)
    tasks, leads = [], []
    for plan in plans:
        plan_areas = areas_of[plan.pk]
        units = units_of[plan.agency_id]
        # The agency's number, not a database id: the same command makes the same data.
        seed = int(plan.agency.short_name[1:])
        for n in range(1, per_plan + 1):
            text = next(texts)
            deadline = deadlines[text]
            lead = units[1 + (n + seed) % (len(units) - 1)]
            coordinator = units[1 + (n + seed + 1) % (len(units) - 1)]
            content = CONTENTS[(n + seed) % len(CONTENTS)].format(year=year) + f" ({n})"
            status, percent, done_on = _progress(n + seed, deadline.due_date, today)
            task = Task(
                plan=plan,
                area=plan_areas[(n - 1) * len(plan_areas) // per_plan],
                number=n,
                order=n,
                content=content,
                deliverable="Báo cáo kết quả thực hiện",
                lead_names=[lead.name],
                coordinating_names=[coordinator.name],
                deadline_text=text,
                deadline_kind=deadline.kind,
                due_date=deadline.due_date,
                condition=deadline.condition,
                status=status,
                percent=percent,
                done_on=done_on,
            )
            task.search_text = task.build_search_text()
            tasks.append(task)
            leads.append((lead, coordinator))
    insert(Task, tasks, with_ids=True)
    insert(
        Task.lead_units.through,
        [{"task_id": t.pk, "unit_id": lead.pk} for t, (lead, _c) in zip(tasks, leads, strict=True)],
    )
    insert(
        Task.coordinating_units.through,
        [{"task_id": t.pk, "unit_id": c.pk} for t, (_lead, c) in zip(tasks, leads, strict=True)],
    )
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    history = []
    for t, (lead, _c) in zip(tasks, leads, strict=True):
        for k in range(updates):
            day = date(year, 1, 15) + timedelta(days=(k * 60 + t.number * 3) % 300)
            day = min(day, today)
            history.append(
                {
                    "task_id": t.pk,
                    "unit_id": lead.pk,
                    "author_id": author_of[t.plan.agency_id],
                    "status": Status.IN_PROGRESS,
                    "previous_status": Status.NOT_STARTED if k == 0 else Status.IN_PROGRESS,
                    "percent": min(100, 20 * (k + 1)),
                    "narrative": f"Đã triển khai bước {k + 1} của nhiệm vụ.",
                    "created_at": datetime.combine(day, time(9, 0), tzinfo=zone),
                }
            )
        if len(history) >= BATCH * 4:
            insert(ProgressUpdate, history)
            made.updates += len(history)
            history = []
    insert(ProgressUpdate, history)
    made.updates += len(history)
    return len(tasks)


def insert(model, objs, *, with_ids=False):
    """Write `objs` of `model` in one go: unsaved instances, or dicts of field attnames to
    values (the other fields take their defaults); `with_ids` gives the instances their pk.

    On PostgreSQL with COPY: bulk_create's INSERTs (and the model instances behind them) cost
    most of a national load in Python. Defaults, auto_now and JSON go through the fields' own
    pre_save and get_db_prep_save, so rows read back exactly as save() would have written them.
    """
    if not objs:
        return
    conn = connections[DEFAULT_DB_ALIAS]
    if conn.vendor != "postgresql":
        if isinstance(objs[0], dict):
            objs = [model(**row) for row in objs]
        model.objects.bulk_create(objs, batch_size=BATCH)
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if with_ids or not f.primary_key]
    blank = model()
    default = {f.attname: f.get_db_prep_save(f.pre_save(blank, True), conn) for f in fields}
    # Only JSON needs adapting for COPY: dates, numbers, text and None go as they are.
    adapt = {f.attname: f.encoder for f in fields if f.get_internal_type() == "JSONField"}
    stamped = {f.attname for f in fields if getattr(f, "auto_now", False)}
    names = [f.attname for f in fields]
    with conn.cursor() as cursor:
        if with_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objs)],
            )
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk
        columns = ", ".join(conn.ops.quote_name(f.column) for f in fields)
        table = conn.ops.quote_name(meta.db_table)
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                values = obj if isinstance(obj, dict) else obj.__dict__
                copy.write_row(
                    [
                        default[name]
                        if name in stamped or name not in values
                        else conn.ops.adapt_json_value(values[name], adapt[name])
                        if name in adapt
                        else values[name]
                        for name in names
                    ]
                )
    if not isinstance(objs[0], dict):
        for obj in objs:
            obj._state.adding = False
            obj._state.db = conn.alias


def _progress(seed, due_date, today):
    """(status, percent, done_on): a spread of states as a real plan shows in November."""
    kind = seed % 10
    if kind < 4 and due_date is not None:
        # Done: most on time, some late.
        done = due_date - timedelta(days=3) if kind < 3 else due_date + timedelta(days=9)
        return Status.DONE, 100, min(done, today)
    if kind < 7:
        return Status.IN_PROGRESS, 10 * kind, None
    if kind == 7:
        return Status.CANNOT_DO, 0, None
    return Status.NOT_STARTED, 0, None
