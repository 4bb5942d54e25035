"""The demo: the seed plan of Sở KH&CN Phú Thọ, a second agency, people and some progress.

These people and passwords exist only here; a real installation creates its own.
"""

import json
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from partrack.org.models import Agency, Membership, Role, Unit
from partrack.plans import services
from partrack.plans.models import Status
from partrack.plans.plan_data import PlanData, PlanHead, SectionData, TaskData

SEED_PLAN = Path(__file__).parent / "data" / "seed-plan-2026.json"
DEMO_PASSWORD = "partrack-demo"

UNITS = [
    # (name, short name, kind, aliases the seed's appendix uses, is the office)
    (
        "Văn phòng Sở",
        "VP",
        Unit.Kind.OFFICE,
        ["Văn phòng Sở (Phụ trách pháp chế)", "Văn phòng"],
        True,
    ),
    (
        "Phòng Kế hoạch Tài chính",
        "KHTC",
        Unit.Kind.DIVISION,
        ["Phòng Kế hoạch - Tài chính", "Phòng KH-TC"],
        False,
    ),
    ("Phòng Chuyển đổi số", "CĐS", Unit.Kind.DIVISION, [], False),
    (
        "Phòng Sở hữu trí tuệ và An toàn bức xạ",
        "SHTT&ATBX",
        Unit.Kind.DIVISION,
        ["Phòng Sở hữu trí tuệ &ATBX", "Phòng Sở hữu trí tuệ & ATBX"],
        False,
    ),
    (
        "Chi cục Tiêu chuẩn Đo lường Chất lượng",
        "TĐC",
        Unit.Kind.SUB_DEPARTMENT,
        ["Chi cục TCĐLCL"],
        False,
    ),
    (
        "Bộ phận Một cửa",
        "BPMC",
        Unit.Kind.ONE_STOP,
        ["Cán bộ trực một cửa", "CCVC làm việc tại Bộ phận một cửa (Trung tâm Phục vụ HCC)"],
        False,
    ),
]

PEOPLE = [
    # (login, first name, last name, role, unit short name or None, title)
    ("admin", "Quản trị", "Hệ thống", Role.ADMINISTRATOR, None, "Quản trị hệ thống"),
    ("vanphong", "Hoa", "Nguyễn Thị", Role.COORDINATOR, "VP", "Chuyên viên Văn phòng Sở"),
    ("lanhdao", "Anh", "Nguyễn Duy", Role.LEADER, None, "Phó Giám đốc Sở"),
    ("phongcds", "Minh", "Trần Văn", Role.MEMBER, "CĐS", "Chuyên viên Phòng Chuyển đổi số"),
    ("phongkhtc", "Thu", "Lê Thị", Role.MEMBER, "KHTC", "Kế toán Phòng Kế hoạch Tài chính"),
]

# Evidence of the done tasks: (number/symbol, date, summary).
EVIDENCE = {
    1: ("15/KH-SKHCN", date(2026, 1, 20), "Kế hoạch cải cách hành chính năm 2026"),
    2: ("22/KH-SKHCN", date(2026, 1, 28), "Kế hoạch thông tin tuyên truyền CCHC 2026 - 2030"),
    3: ("61/KH-SKHCN", date(2026, 4, 15), "Kế hoạch CCHC nhà nước giai đoạn 2026 - 2030"),
    4: ("98/KH-SKHCN", date(2026, 6, 20), "Kế hoạch kiểm tra CCHC, công vụ năm 2026"),
    13: ("18/KH-SKHCN", date(2026, 1, 26), "Kế hoạch kiểm tra, rà soát văn bản QPPL năm 2026"),
    17: ("16/KH-SKHCN", date(2026, 1, 22), "Kế hoạch kiểm soát TTHC năm 2026"),
    22: ("245/SKHCN-VP", date(2026, 3, 25), "Rà soát danh mục TTHC áp dụng cơ chế luồng xanh"),
}

# (task number, login, status, percent, done on, narrative, recorded on)
PROGRESS = [
    (
        1,
        "vanphong",
        Status.DONE,
        100,
        date(2026, 1, 20),
        "Đã ban hành Kế hoạch số 15/KH-SKHCN ngày 20/01/2026 về CCHC năm 2026.",
        date(2026, 1, 20),
    ),
    (
        2,
        "vanphong",
        Status.DONE,
        100,
        date(2026, 1, 28),
        "Đã ban hành Kế hoạch số 22/KH-SKHCN ngày 28/01/2026 về thông tin tuyên truyền CCHC.",
        date(2026, 1, 28),
    ),
    (
        3,
        "vanphong",
        Status.DONE,
        100,
        date(2026, 4, 15),
        "Kế hoạch giai đoạn 2026 - 2030 ban hành ngày 15/4/2026, chậm do chờ hướng dẫn của tỉnh.",
        date(2026, 4, 15),
    ),
    (
        4,
        "vanphong",
        Status.DONE,
        100,
        date(2026, 6, 20),
        "Đã ban hành Kế hoạch kiểm tra CCHC, công vụ số 98/KH-SKHCN.",
        date(2026, 6, 20),
    ),
    (
        12,
        "vanphong",
        Status.IN_PROGRESS,
        60,
        None,
        "Đã rà soát 14 văn bản QPPL; đề xuất sửa đổi 2 quyết định của UBND tỉnh.",
        date(2026, 9, 5),
    ),
    (
        13,
        "vanphong",
        Status.DONE,
        100,
        date(2026, 1, 26),
        "Đã ban hành Kế hoạch kiểm tra, rà soát văn bản QPPL.",
        date(2026, 1, 26),
    ),
    (
        17,
        "vanphong",
        Status.DONE,
        100,
        date(2026, 1, 22),
        "Đã ban hành Kế hoạch kiểm soát TTHC năm 2026.",
        date(2026, 1, 22),
    ),
    (
        19,
        "vanphong",
        Status.IN_PROGRESS,
        80,
        None,
        "Dự thảo kế hoạch truyền thông đang xin ý kiến các phòng.",
        date(2026, 2, 10),
    ),
    (
        22,
        "vanphong",
        Status.DONE,
        100,
        date(2026, 3, 25),
        "Đã rà soát 12 TTHC đề xuất áp dụng cơ chế luồng xanh.",
        date(2026, 3, 25),
    ),
    (
        30,
        "vanphong",
        Status.IN_PROGRESS,
        50,
        None,
        "Kế hoạch đào tạo năm 2026 đã ban hành; kế hoạch giai đoạn đang xây dựng.",
        date(2026, 3, 30),
    ),
    (
        31,
        "phongkhtc",
        Status.IN_PROGRESS,
        70,
        None,
        "Đã tổng hợp dự toán của các đơn vị, đang thẩm định trước khi trình.",
        date(2026, 8, 15),
    ),
    (
        33,
        "phongcds",
        Status.IN_PROGRESS,
        70,
        None,
        "Đã gửi dự thảo Nghị quyết lấy ý kiến các sở, ngành.",
        date(2026, 3, 20),
    ),
    (
        35,
        "phongcds",
        Status.IN_PROGRESS,
        50,
        None,
        "Đã nâng cấp phần mềm quản lý văn bản; đang triển khai chữ ký số cho 100% công chức.",
        date(2026, 6, 30),
    ),
]

SECOND_AGENCY_PLAN = PlanData(
    head=PlanHead(
        title="Kế hoạch cải cách hành chính năm 2026 của Sở Tư pháp",
        year=2026,
        symbol="08/KH-STP",
    ),
    sections=[
        SectionData(
            numeral="I",
            title="Công tác chỉ đạo, điều hành",
            tasks=[
                TaskData(
                    number=1,
                    content="Ban hành Kế hoạch CCHC năm 2026 của Sở Tư pháp",
                    deliverable="Kế hoạch",
                    lead=["Văn phòng Sở"],
                    deadline_text="Quý I/2026",
                ),
                TaskData(
                    number=2,
                    content="Báo cáo CCHC định kỳ",
                    deliverable="Báo cáo",
                    lead=["Văn phòng Sở"],
                    deadline_text="Năm 2026",
                ),
            ],
        ),
        SectionData(
            numeral="II",
            title="Cải cách thể chế",
            tasks=[
                TaskData(
                    number=3,
                    content="Thẩm định dự thảo văn bản quy phạm pháp luật của tỉnh",
                    deliverable="Báo cáo thẩm định",
                    lead=["Phòng Xây dựng và Kiểm tra văn bản"],
                    deadline_text="Thường xuyên",
                ),
            ],
        ),
    ],
)


def aware(day):
    return datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))


@transaction.atomic
def load_demo(*, office_work=False, extensions=False):
    """Create the demo; returns the logins made. Refuses to run twice.

    Without options: the seed's 36 tasks as imported, with their progress, which most tests are
    written against. `office_work` adds issue 14's added task, sub-items, extension and
    confirmation setting; `extensions` what other apps register (the 2026 inspection, whose
    follow-up tasks grow the plan). `partrack demo` loads both.
    """
    if Agency.objects.filter(short_name="SKHCN").exists():
        raise RuntimeError("The demo is already loaded.")
    province = Agency.objects.create(
        name="Ủy ban nhân dân tỉnh Phú Thọ",
        short_name="UBND",
        place_name="Phú Thọ",
        kind=Agency.Kind.PROVINCE,
    )
    agency = Agency.objects.create(
        parent=province,
        name="Sở Khoa học và Công nghệ tỉnh Phú Thọ",
        short_name="SKHCN",
        parent_body="UBND TỈNH PHÚ THỌ",
        place_name="Phú Thọ",
        signer_on_behalf="KT. GIÁM ĐỐC",
        signer_title="PHÓ GIÁM ĐỐC",
        signer_name="Nguyễn Duy Anh",
        report_recipients=["Sở Nội vụ (b/c)", "GĐ, các PGĐ Sở", "Các phòng, đơn vị thuộc Sở"],
    )
    units = {}
    for order, (name, short, kind, aliases, office) in enumerate(UNITS, start=1):
        units[short] = Unit.objects.create(
            agency=agency,
            name=name,
            short_name=short,
            kind=kind,
            aliases=aliases,
            is_coordinator=office,
            order=order,
        )
    people = {}
    for login, first, last, role, unit, title in PEOPLE:
        people[login] = make_person(login, first, last, agency, units.get(unit), role, title)
    people["admin"].is_staff = people["admin"].is_superuser = True
    people["admin"].save()

    plan, _unmatched = services.create_plan(
        agency=agency, data=PlanData.from_dict(json.loads(SEED_PLAN.read_text(encoding="utf-8")))
    )
    tasks = {task.number: task for task in plan.tasks.all()}
    for number, login, status, percent, done_on, narrative, day in PROGRESS:
        task = tasks[number]
        evidence = []
        if number in EVIDENCE:
            symbol, issued_on, summary = EVIDENCE[number]
            evidence.append(
                services.NewEvidence(number_symbol=symbol, issued_on=issued_on, summary=summary)
            )
        services.record_progress(
            task=task,
            by=people[login],
            unit=people[login].membership.unit,
            status=status,
            percent=percent,
            narrative=narrative,
            done_on=done_on,
            expected_version=task.version,
            evidence=evidence,
            now=aware(day),
        )
    services.add_contribution(
        task=tasks[33],
        by=people["phongkhtc"],
        unit=units["KHTC"],
        now=aware(date(2026, 3, 12)),
        narrative="Phòng Kế hoạch Tài chính đã góp ý phần kinh phí thực hiện dự thảo Nghị quyết.",
    )

    if office_work:
        offices_at_work(plan, tasks, people, units)

    # A second agency with its own plan, to show that agencies do not see each other.
    justice = Agency.objects.create(
        parent=province,
        name="Sở Tư pháp tỉnh Phú Thọ",
        short_name="STP",
        parent_body="UBND TỈNH PHÚ THỌ",
        place_name="Phú Thọ",
    )
    justice_office = Unit.objects.create(
        agency=justice,
        name="Văn phòng Sở",
        short_name="VP",
        kind=Unit.Kind.OFFICE,
        is_coordinator=True,
    )
    Unit.objects.create(agency=justice, name="Phòng Xây dựng và Kiểm tra văn bản", order=2)
    people["sotuphap"] = make_person(
        "sotuphap",
        "Bình",
        "Phạm Văn",
        justice,
        justice_office,
        Role.COORDINATOR,
        "Chuyên viên Văn phòng Sở Tư pháp",
    )
    services.create_plan(agency=justice, data=SECOND_AGENCY_PLAN)
    load_province(province, people)
    # Apps above plans add their share of the demo without plans importing them; `extensions`
    # asks also for the parts that add tasks to the plan (the inspection's follow-ups).
    for config in apps.get_app_configs():
        if hasattr(config, "extend_demo"):
            config.extend_demo(plan=plan, people=people, units=units, extensions=extensions)
    return list(people)


# Task 32 bundles five duties under one status: its sub-items, and what KHTC did on them.
SUB_ITEMS_32 = [
    "Giao dự toán kinh phí chi thường xuyên từ nguồn ngân sách nhà nước",
    "Giao tự chủ đối với các đơn vị sự nghiệp công lập trực thuộc",
    "Quản lý tài sản công",
    "Báo cáo giải ngân vốn đầu tư công",
    "Báo cáo tài sản công theo quy định",
]
SUB_ITEMS_32_DONE = {
    1: ("05/QĐ-SKHCN", date(2026, 1, 9), "Quyết định giao dự toán ngân sách năm 2026"),
    2: ("12/QĐ-SKHCN", date(2026, 1, 30), "Quyết định giao quyền tự chủ tài chính năm 2026"),
}


def offices_at_work(plan, tasks, people, units):
    """Issue 14 in the demo: a task the office added, a task split into sub-items, an extension
    granted, and a completion waiting for the office's confirmation."""
    office, khtc, cds = people["vanphong"], people["phongkhtc"], people["phongcds"]
    services.add_task(
        plan=plan,
        by=office,
        area=plan.areas.get(order=1),
        content=(
            "Tuyên truyền CCHC trên Trang thông tin điện tử của Sở và trong sinh hoạt chi bộ, "
            "đoàn thể"
        ),
        deliverable="Bài viết, tin đăng; báo cáo kết quả",
        lead_units=[units["VP"]],
        deadline_text="Quý III/2026",
        reason="Nhiệm vụ nêu tại Mục III (Công tác tuyên truyền) của Kế hoạch, phụ lục chưa có.",
        now=aware(date(2026, 2, 5)),
    )
    for content in SUB_ITEMS_32:
        services.add_sub_item(task=tasks[32], by=khtc, content=content, now=aware(date(2026, 1, 6)))
    for order, (symbol, issued_on, summary) in SUB_ITEMS_32_DONE.items():
        services.record_sub_item(
            item=tasks[32].sub_items.get(order=order),
            by=khtc,
            unit=units["KHTC"],
            status=Status.DONE,
            done_on=issued_on,
            note=summary,
            evidence=[
                services.NewEvidence(number_symbol=symbol, issued_on=issued_on, summary=summary)
            ],
            now=aware(issued_on),
        )
    services.record_sub_item(
        item=tasks[32].sub_items.get(order=3),
        by=khtc,
        unit=units["KHTC"],
        status=Status.IN_PROGRESS,
        done_on=None,
        note="Đang kiểm kê tài sản công năm 2026.",
        now=aware(date(2026, 3, 2)),
    )
    # Task 33 (due 31/03): the Party committee moved its meeting; the office agreed.
    request = services.request_extension(
        task=tasks[33],
        by=cds,
        unit=units["CĐS"],
        to_date=date(2026, 6, 30),
        reason="Ban Thường vụ Tỉnh ủy lùi phiên họp cho ý kiến dự thảo sang quý II.",
        now=aware(date(2026, 3, 20)),
    )
    services.decide_extension(
        request=request,
        by=office,
        grant=True,
        comment="Đồng ý; hoàn thành trước 30/6.",
        now=aware(date(2026, 3, 23)),
    )
    # From April the office confirms completions; task 35 waits for it.
    services.set_done_confirmation(plan=plan, by=office, required=True, now=aware(date(2026, 4, 1)))
    task = tasks[35]
    task.refresh_from_db()
    services.record_progress(
        task=task,
        by=cds,
        unit=units["CĐS"],
        status=Status.DONE,
        percent=100,
        narrative="Đã đưa vào vận hành nền tảng tích hợp, chia sẻ dữ liệu của Sở.",
        done_on=date(2026, 6, 10),
        expected_version=task.version,
        evidence=[
            services.NewEvidence(
                number_symbol="301/SKHCN-CĐS",
                issued_on=date(2026, 6, 10),
                summary="Thông báo đưa nền tảng tích hợp, chia sẻ dữ liệu vào vận hành",
            )
        ],
        now=aware(date(2026, 6, 11)),
    )


# The province (issue 16): Sở Nội vụ acts for UBND tỉnh, whose administrator manages the
# agency tree; two communes (after the 2025 merger) carry small plans of their own.
PROVINCE_PEOPLE = [
    ("sonoivu", "Lan", "Đỗ Thị", Role.COORDINATOR, True, "Chuyên viên Sở Nội vụ"),
    ("quantritinh", "Quản trị", "Tỉnh", Role.ADMINISTRATOR, False, "Quản trị hệ thống của tỉnh"),
]
COMMUNES = [
    ("Ủy ban nhân dân xã Hy Cương", "XHYCUONG", "xahycuong", "Hà", "Nguyễn Thị"),
    ("Ủy ban nhân dân xã Lâm Thao", "XLAMTHAO", "xalamthao", "Tuấn", "Phan Văn"),
]
COMMUNE_UNITS = [
    ("Văn phòng HĐND và UBND xã", Unit.Kind.OFFICE, True),
    ("Phòng Kinh tế", Unit.Kind.DIVISION, False),
    ("Phòng Văn hóa - Xã hội", Unit.Kind.DIVISION, False),
]


def commune_plan(name, short):
    office, economy, society = (unit[0] for unit in COMMUNE_UNITS)
    return PlanData(
        head=PlanHead(
            title=f"Kế hoạch cải cách hành chính năm 2026 của {name}",
            year=2026,
            symbol="15/KH-UBND",
        ),
        sections=[
            SectionData(
                numeral="I",
                title="Công tác chỉ đạo, điều hành",
                tasks=[
                    TaskData(
                        number=1,
                        content="Ban hành Kế hoạch CCHC năm 2026 của xã",
                        deliverable="Kế hoạch",
                        lead=[office],
                        deadline_text="Trước ngày 31/01/2026",
                    ),
                    TaskData(
                        number=2,
                        content="Báo cáo CCHC định kỳ gửi Sở Nội vụ",
                        deliverable="Báo cáo",
                        lead=[office],
                        deadline_text="Năm 2026",
                    ),
                ],
            ),
            SectionData(
                numeral="III",
                title="Cải cách thủ tục hành chính",
                tasks=[
                    TaskData(
                        number=3,
                        content="Rà soát thủ tục hành chính thuộc thẩm quyền giải quyết của xã",
                        deliverable="Báo cáo rà soát",
                        lead=[economy],
                        coordinators=[society],
                        deadline_text="Quý I/2026",
                    ),
                ],
            ),
        ],
    )


def load_province(province, people):
    """Sở Nội vụ at the province (its unit and its desk), the province's administrator, and
    two communes with their plans."""
    office = Unit.objects.create(
        agency=province,
        name="Sở Nội vụ",
        short_name="SNV",
        kind=Unit.Kind.OFFICE,
        is_coordinator=True,
    )
    for login, first, last, role, in_office, title in PROVINCE_PEOPLE:
        unit = office if in_office else None
        people[login] = make_person(login, first, last, province, unit, role, title)
    for name, short, login, first, last in COMMUNES:
        commune = Agency.objects.create(
            parent=province,
            kind=Agency.Kind.COMMUNE,
            name=name,
            short_name=short,
            parent_body="UBND TỈNH PHÚ THỌ",
            place_name="Phú Thọ",
        )
        units = [
            Unit.objects.create(
                agency=commune, name=unit, kind=kind, is_coordinator=coordinator, order=order
            )
            for order, (unit, kind, coordinator) in enumerate(COMMUNE_UNITS, start=1)
        ]
        people[login] = make_person(
            login, first, last, commune, units[0], Role.COORDINATOR, "Công chức Văn phòng"
        )
        services.create_plan(agency=commune, data=commune_plan(name, short))


def make_person(login, first, last, agency, unit, role, title):
    user = get_user_model().objects.create_user(
        login,
        email=f"{login}@example.invalid",
        password=DEMO_PASSWORD,
        first_name=first,
        last_name=last,
    )
    Membership.objects.create(user=user, agency=agency, unit=unit, role=role, title=title)
    return user
