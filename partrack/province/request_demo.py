"""The requests' part of the demo: Sở Nội vụ asks the province's departments for a report on
one-stop-shop work; Sở Tư pháp answers on time, Sở KH&CN five days late.

Called by plans.demo.load_demo through ProvinceConfig.extend_demo.
"""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from partrack.org.models import Agency, Membership, Role
from partrack.province import requests

DEMO_PASSWORD = "partrack-demo"
TOPIC = "Báo cáo kết quả thực hiện cơ chế một cửa, một cửa liên thông quý I năm 2026"
OUTLINE = (
    "Đề nghị các cơ quan báo cáo theo các nội dung:\n"
    "1. Số thủ tục hành chính tiếp nhận tại Bộ phận Một cửa; số hồ sơ giải quyết đúng hạn, "
    "quá hạn.\n"
    "2. Việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.\n"
    "3. Khó khăn, vướng mắc và đề xuất, kiến nghị."
)


def aware(day):
    return datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def sonoivu(province, people):
    """Sở Nội vụ's login, whichever demo part makes it first (indices makes it too)."""
    user = people.get("sonoivu")
    if user is None:
        user, created = get_user_model().objects.get_or_create(
            username="sonoivu",
            defaults={
                "email": "sonoivu@example.invalid",
                "first_name": "Lan",
                "last_name": "Đỗ Thị",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(
            user=user,
            defaults={
                "agency": province,
                "role": Role.COORDINATOR,
                "title": "Chuyên viên Sở Nội vụ (thẩm định Chỉ số CCHC)",
            },
        )
        people["sonoivu"] = user
    return user


def answer_docx(agency, symbol):
    document = Document()
    document.add_paragraph(f"{agency.masthead_name.upper()} — Số: {symbol}")
    document.add_paragraph(
        "V/v báo cáo kết quả thực hiện cơ chế một cửa, một cửa liên thông quý I năm 2026"
    )
    document.add_paragraph("Kính gửi: Sở Nội vụ tỉnh Phú Thọ.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def load_request_demo(*, plan, people):
    """Addressed to the two demo departments, both answered: nothing is left to remind anyone
    of, so the demo's reminders, "Cần làm" and e-mails stay those of the plans."""
    province = plan.agency.parent
    justice = Agency.objects.get(short_name="STP")
    request = requests.create_request(
        province=province,
        by=sonoivu(province, people),
        topic=TOPIC,
        outline=OUTLINE,
        due_date=date(2026, 4, 10),
        to_all=False,
        agencies=[plan.agency, justice],
        now=aware(date(2026, 3, 25)),
    )
    answers = [
        (justice, people["sotuphap"], "46/STP-VP", date(2026, 4, 8), ""),
        (
            plan.agency,
            people["vanphong"],
            "125/SKHCN-VP",
            date(2026, 4, 15),
            "Gửi chậm do chờ số liệu của Bộ phận Một cửa.",
        ),
    ]
    for agency, by, symbol, day, note in answers:
        requests.answer_request(
            request=request,
            agency=agency,
            by=by,
            kind="document",
            file=SimpleUploadedFile(
                f"{symbol.replace('/', '-')}.docx", answer_docx(agency, symbol)
            ),
            number_symbol=symbol,
            issued_on=day,
            note=note,
            now=aware(day),
            notify=False,
        )
    return request
