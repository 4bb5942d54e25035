"""The demo's 2026 inspection: two units inspected in Q3, minutes, a conclusion with two
recommendations turned into tasks, and self-inspections from the rest (one still missing)."""

from datetime import date

from partrack.inspections import documents, services
from partrack.inspections.models import InspectionFile, Rating
from partrack.inspections.summary import summarise
from partrack.org.models import Role
from partrack.plans import services as plan_services
from partrack.plans.demo import aware, make_person
from partrack.plans.models import Status

# People of the units that inspect themselves: (login, first, last, unit, title).
SELF_INSPECTORS = [
    ("chicuctdc", "Hà", "Đỗ Thu", "TĐC", "Chuyên viên Chi cục TĐC"),
    ("phongshtt", "Nam", "Vũ Hoàng", "SHTT&ATBX", "Chuyên viên Phòng SHTT&ATBX"),
]

MINUTES = {
    # unit: [(checked, found, rating)] in the order of the six contents
    "KHTC": [
        ("Kế hoạch CCHC của phòng, báo cáo quý", "Có kế hoạch, báo cáo đúng hạn", Rating.PASSED),
        ("Hồ sơ tuyên truyền", "Chưa có bài viết tuyên truyền CCHC trong năm", Rating.FAILED),
        ("Văn bản tham mưu", "Không phát sinh", Rating.NOT_APPLICABLE),
        ("Hồ sơ TTHC về tài chính", "Giải quyết đúng hạn 100%", Rating.PASSED),
        ("Phần mềm kế toán, chữ ký số", "Chưa dùng chữ ký số cho chứng từ", Rating.FAILED),
        ("Quy chế phân cấp", "Thực hiện đúng", Rating.PASSED),
    ],
    "CĐS": [
        ("Kế hoạch CCHC của phòng", "Đầy đủ", Rating.PASSED),
        ("Tin bài trên cổng thông tin", "Đăng 6 tin bài", Rating.PASSED),
        ("Dự thảo Nghị quyết chuyển đổi số", "Đúng quy trình", Rating.PASSED),
        ("Dịch vụ công trực tuyến", "Không phát sinh", Rating.NOT_APPLICABLE),
        ("Hệ thống quản lý văn bản", "Vận hành ổn định", Rating.PASSED),
        ("Phân cấp quản lý hạ tầng số", "Thực hiện đúng", Rating.PASSED),
    ],
}


def load_inspection_demo(*, plan, people, units):
    office, leader = people["vanphong"], people["lanhdao"]
    for login, first, last, unit, title in SELF_INSPECTORS:
        people[login] = make_person(
            login, first, last, plan.agency, units[unit], Role.MEMBER, title
        )
    task_4 = plan.tasks.get(number=4)
    inspection = services.start_inspection(plan=plan, by=office, now=aware(date(2026, 6, 10)))
    services.update_inspection(
        inspection=inspection,
        by=office,
        task=task_4,
        self_inspection_due=date(2026, 10, 31),
        decision_symbol="102/QĐ-SKHCN",
        decision_issued_on=date(2026, 6, 25),
        now=aware(date(2026, 6, 12)),
    )
    chosen = [units["KHTC"], units["CĐS"]]
    services.select_units(
        inspection=inspection, by=office, units=chosen, now=aware(date(2026, 6, 12))
    )
    services.set_team(
        inspection=inspection,
        by=office,
        members=[leader, office],
        leader=leader,
        now=aware(date(2026, 6, 12)),
    )
    visits = {"KHTC": date(2026, 8, 12), "CĐS": date(2026, 8, 19)}
    inspected = {}
    for short, day in visits.items():
        item = inspection.inspected_units.get(unit=units[short])
        services.schedule_unit(
            inspected=item,
            by=office,
            visit_on=day,
            place=f"Trụ sở {units[short].name}",
            assignees=[office],
            now=aware(date(2026, 6, 15)),
        )
        inspected[short] = item
    issued = aware(date(2026, 6, 20))
    services.issue_plan(
        inspection=inspection,
        by=office,
        symbol="98/KH-SKHCN",
        issued_on=date(2026, 6, 20),
        document=documents.plan_docx(summarise(inspection)),
        now=issued,
    )
    services.store_file(
        inspection=inspection,
        kind=InspectionFile.Kind.DECISION,
        content=documents.decision_docx(summarise(inspection)),
        by=office,
        now=aware(date(2026, 6, 25)),
    )

    # The inspected units' written reports, sent and accepted before the visits.
    for short, login in (("KHTC", "phongkhtc"), ("CĐS", "phongcds")):
        report = services.start_unit_submission(
            inspection=inspection, unit=units[short], by=people[login], now=aware(date(2026, 8, 1))
        )
        services.submit_unit_submission(
            submission=report, by=people[login], now=aware(date(2026, 8, 5))
        )
        services.review_unit_submission(
            submission=report, by=office, accept=True, now=aware(date(2026, 8, 6))
        )

    for short, rows in MINUTES.items():
        item = inspected[short]
        services.save_minutes(
            inspected=item, by=office, rows=dict(enumerate(rows)), now=aware(visits[short])
        )
        services.sign_minutes(inspected=item, by=leader, now=aware(visits[short]))

    khtc = inspected["KHTC"]
    khtc.refresh_from_db()
    concluded = aware(date(2026, 8, 20))
    services.conclude(
        inspected=khtc,
        by=office,
        findings="Phòng Kế hoạch Tài chính thực hiện cơ bản đầy đủ nhiệm vụ CCHC; còn hạn chế "
        "về tuyên truyền CCHC và ứng dụng chữ ký số.",
        symbol="110/TB-SKHCN",
        issued_on=date(2026, 8, 20),
        now=concluded,
    )
    first = services.add_recommendation(
        inspected=khtc,
        by=office,
        finding="Chưa có bài viết tuyên truyền CCHC trong năm",
        text="Xây dựng và đăng tải ít nhất 02 tin, bài tuyên truyền CCHC về lĩnh vực tài chính",
        lead_unit=units["KHTC"],
        due_date=date(2026, 10, 15),
        now=concluded,
    )
    services.add_recommendation(
        inspected=khtc,
        by=office,
        finding="Chưa dùng chữ ký số cho chứng từ",
        text="Triển khai ký số chứng từ kế toán trên phần mềm kế toán",
        lead_unit=units["KHTC"],
        due_date=date(2026, 12, 15),
        now=concluded,
    )
    task = first.task
    plan_services.record_progress(
        task=task,
        by=people["phongkhtc"],
        unit=units["KHTC"],
        status=Status.DONE,
        percent=100,
        narrative="Đã đăng 02 tin bài tuyên truyền CCHC trên trang thông tin của Sở.",
        done_on=date(2026, 10, 5),
        expected_version=task.version,
        evidence=[plan_services.NewEvidence(url="https://example.invalid/tin-bai-cchc")],
        now=aware(date(2026, 10, 5)),
    )
    services.store_file(
        inspection=inspection,
        kind=InspectionFile.Kind.MINUTES,
        inspected=khtc,
        content=documents.minutes_docx(summarise(inspection), khtc),
        by=office,
        now=concluded,
    )

    # Self-inspections: the Chi cục's accepted, the Phòng SHTT's awaiting review, the one-stop
    # shop's missing.
    for login, status in (("chicuctdc", "accepted"), ("phongshtt", "submitted")):
        person = people[login]
        unit = person.membership.unit
        own = services.start_unit_submission(
            inspection=inspection, unit=unit, by=person, now=aware(date(2026, 10, 1))
        )
        services.save_unit_submission(
            submission=own,
            by=person,
            texts={0: "Đơn vị đã tự kiểm tra toàn bộ nội dung theo kế hoạch."},
            ratings={n: Rating.PASSED for n in range(len(own.answers))},
            expected_version=own.lock_version,
            now=aware(date(2026, 10, 20)),
        )
        services.submit_unit_submission(submission=own, by=person, now=aware(date(2026, 10, 25)))
        if status == "accepted":
            services.review_unit_submission(
                submission=own, by=office, accept=True, now=aware(date(2026, 10, 27))
            )
    return inspection
