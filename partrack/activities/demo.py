# ruff: noqa: E501 — the demo's tables read best one record a line.
"""The demo's communication activities, initiatives, documents and figures (Q1 and 6 tháng,
one unit late each time), so that no page of this app is empty."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from partrack.activities import services
from partrack.activities.models import Activity, Form, Initiative, LegalDocument, Topic

# (date, form, topic, title, unit short name, participants, task number)
ACTIVITIES = [
    (date(2026, 1, 8), Form.WEB_POST, Topic.PROVINCE_PLAN, "Đăng tải Kế hoạch CCHC năm 2026 của tỉnh", "VP", None, 2),
    (date(2026, 1, 15), Form.CONFERENCE, Topic.PROVINCE_PLAN, "Hội nghị triển khai nhiệm vụ CCHC năm 2026", "VP", 85, 2),
    (date(2026, 1, 22), Form.WEB_POST, Topic.PROCEDURES, "Công khai danh mục TTHC thuộc thẩm quyền của Sở", "VP", None, 19),
    (date(2026, 2, 5), Form.WEB_POST, Topic.SCIENCE_LAW, "Giới thiệu Luật Khoa học, công nghệ và đổi mới sáng tạo", "VP", None, 15),
    (date(2026, 2, 12), Form.MEETING, Topic.CIVIL_SERVICE, "Sinh hoạt chi bộ chuyên đề trách nhiệm công vụ", "VP", 32, 15),
    (date(2026, 2, 26), Form.WEB_POST, Topic.PROCEDURES, "Hướng dẫn nộp hồ sơ TTHC trực tuyến", "BPMC", None, 19),
    (date(2026, 3, 4), Form.TRAINING, Topic.PROCEDURES, "Tập huấn số hóa hồ sơ, kết quả giải quyết TTHC", "CĐS", 40, 19),
    (date(2026, 3, 11), Form.WEB_POST, Topic.PROGRAMME, "Chương trình tổng thể CCHC giai đoạn 2021 - 2030", "VP", None, 2),
    (date(2026, 3, 25), Form.WEB_POST, Topic.SCIENCE_LAW, "Quy định mới về sở hữu trí tuệ", "SHTT&ATBX", None, 15),
    (date(2026, 4, 9), Form.CONFERENCE, Topic.SCIENCE_LAW, "Hội nghị phổ biến pháp luật về tiêu chuẩn, đo lường", "TĐC", 60, 15),
    (date(2026, 4, 16), Form.WEB_POST, Topic.PROCEDURES, "Cơ chế luồng xanh trong giải quyết TTHC", "VP", None, 19),
    (date(2026, 4, 28), Form.DISCUSSION, Topic.CIVIL_SERVICE, "Tọa đàm văn hóa công vụ", "VP", 45, 15),
    (date(2026, 5, 7), Form.WEB_POST, Topic.PROVINCE_PLAN, "Kết quả CCHC quý I năm 2026", "VP", None, 2),
    (date(2026, 5, 14), Form.WEB_POST, Topic.PROCEDURES, "Dịch vụ công trực tuyến toàn trình của Sở", "CĐS", None, 19),
    (date(2026, 5, 21), Form.CONFERENCE, Topic.NATIONAL_PLAN, "Hội nghị quán triệt Kế hoạch CCHC nhà nước", "VP", 70, 2),
    (date(2026, 5, 29), Form.WORKSHOP, Topic.SCIENCE_LAW, "Hội thảo đổi mới sáng tạo trong khu vực công", "SHTT&ATBX", 55, 15),
    (date(2026, 6, 4), Form.WEB_POST, Topic.CIVIL_SERVICE, "Quy định mới về đánh giá, xếp loại CB, CCVC", "VP", None, 15),
    (date(2026, 6, 11), Form.WEB_POST, Topic.PROCEDURES, "Số hóa 100% hồ sơ TTHC: kết quả 5 tháng", "BPMC", None, 19),
    (date(2026, 7, 9), Form.WEB_POST, Topic.PROCEDURES, "Phản ánh, kiến nghị về TTHC: cách gửi", "VP", None, 19),
]  # fmt: skip

# (title, authors, unit, decision number, date, level, applied where, task)
INITIATIVES = [
    ("Số hóa quy trình tiếp nhận hồ sơ sở hữu trí tuệ", "Nguyễn Văn Hải, Trần Thị Lan", "SHTT&ATBX",
     "25/QĐ-SKHCN", date(2026, 2, 27), Initiative.Level.AGENCY, "Bộ phận Một cửa của Sở", 10),
    ("Bảng theo dõi nhiệm vụ CCHC trực tuyến", "Trần Văn Minh", "CĐS",
     "112/QĐ-UBND", date(2026, 5, 19), Initiative.Level.PROVINCE, "Các sở, ngành của tỉnh", 10),
]  # fmt: skip

# (number/symbol, date, action, kind, summary, unit, task)
DOCUMENTS = [
    ("18/KH-SKHCN", date(2026, 1, 26), LegalDocument.Action.ISSUED, LegalDocument.Kind.ADMINISTRATIVE,
     "Kế hoạch kiểm tra, rà soát, hệ thống hóa văn bản QPPL năm 2026", "VP", 13),
    ("05/2025/QĐ-UBND", date(2026, 2, 10), LegalDocument.Action.REVIEWED, LegalDocument.Kind.LEGAL,
     "Quy định quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh", "VP", 12),
    ("12/2024/QĐ-UBND", date(2026, 2, 10), LegalDocument.Action.REVIEWED, LegalDocument.Kind.LEGAL,
     "Quy định về giải thưởng khoa học và công nghệ tỉnh", "VP", 12),
    ("Dự thảo", date(2026, 3, 20), LegalDocument.Action.DRAFTED, LegalDocument.Kind.LEGAL,
     "Dự thảo Nghị quyết về chuyển đổi số tỉnh Phú Thọ", "CĐS", 12),
    ("24/KH-SKHCN", date(2026, 2, 3), LegalDocument.Action.ISSUED, LegalDocument.Kind.ADMINISTRATIVE,
     "Kế hoạch thi hành pháp luật về xử lý vi phạm hành chính năm 2026", "VP", 14),
    ("Luật KH,CN&ĐMST 2025", date(2026, 4, 9), LegalDocument.Action.DISSEMINATED, LegalDocument.Kind.LEGAL,
     "Phổ biến Luật Khoa học, công nghệ và đổi mới sáng tạo", "TĐC", 15),
]  # fmt: skip

# {period kind: {indicator code: value}} and when each unit entered them (one unit late).
FIGURES = {
    "q1": {
        "TTHC-01": 142, "TTHC-02": 318, "TTHC-03": 311, "TTHC-04": 2, "TTHC-05": 76.5,
        "TTHC-06": 100, "TTHC-07": 4, "TTHC-08": 4, "CV-01": 48, "TC-01": 21.4,
    },
    "h1": {
        "TTHC-01": 145, "TTHC-02": 702, "TTHC-03": 699, "TTHC-04": 0, "TTHC-05": 83.2,
        "TTHC-06": 100, "TTHC-07": 9, "TTHC-08": 8, "CV-01": 126, "TC-01": 47.9,
    },
}  # fmt: skip
ENTERED_ON = {
    "q1": {"VP": date(2026, 3, 6), "KHTC": date(2026, 3, 9), "BPMC": date(2026, 3, 18)},
    "h1": {"VP": date(2026, 6, 8), "KHTC": date(2026, 6, 19), "BPMC": date(2026, 6, 9)},
}


def aware(day, hour=9):
    return datetime.combine(day, time(hour, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def load_demo(*, plan, people, units, **_others):
    if plan.agency.short_name != "SKHCN":
        return
    office = people["vanphong"]
    tasks = {task.number: task for task in plan.tasks.all()}
    by_unit = {"CĐS": people["phongcds"], "KHTC": people["phongkhtc"]}
    for day, form, topic, title, unit, participants, number in ACTIVITIES:
        record = Activity(
            plan=plan,
            unit=units[unit],
            date=day,
            form=form,
            topic=topic,
            title=title,
            participants=participants,
            task=tasks.get(number),
        )
        services.save_record(
            record=record,
            by=by_unit.get(unit, office),
            attachment=services.Attachment(url="https://skhcn.phutho.gov.vn/tin-tuc"),
            now=aware(day),
        )
    for title, authors, unit, decision, day, level, where, number in INITIATIVES:
        record = Initiative(
            plan=plan,
            unit=units[unit],
            title=title,
            authors=authors,
            decision_number=decision,
            date=day,
            level=level,
            applied_where=where,
            task=tasks.get(number),
        )
        services.save_record(record=record, by=by_unit.get(unit, office), now=aware(day))
    for symbol, day, action, kind, summary, unit, number in DOCUMENTS:
        record = LegalDocument(
            plan=plan,
            unit=units[unit],
            number_symbol=symbol,
            date=day,
            action=action,
            kind=kind,
            summary=summary,
            task=tasks.get(number),
        )
        services.save_record(record=record, by=by_unit.get(unit, office), now=aware(day))

    indicators = services.add_default_indicators(plan=plan, by=office, now=aware(date(2026, 1, 20)))
    periods = {period.kind: period for period in plan.periods.all()}
    short = {unit.pk: name for name, unit in units.items()}
    for kind, values in FIGURES.items():
        period = periods[kind]
        for unit_name, day in ENTERED_ON[kind].items():
            mine = {
                i: (Decimal(str(values[i.code])), "")
                for i in indicators
                if short[i.unit_id] == unit_name
            }
            services.set_figures(
                period=period, values=mine, by=by_unit.get(unit_name, office), now=aware(day)
            )
        if kind == "q1":
            for unit_name in ENTERED_ON[kind]:
                services.review_figures(
                    period=period, unit=units[unit_name], by=office, now=aware(date(2026, 3, 20))
                )
