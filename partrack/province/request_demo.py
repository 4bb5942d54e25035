"""The requests' part of the demo: Sở Nội vụ asks the province's agencies for a report on
one-stop-shop work; Sở KH&CN answers five days late, the others have not answered.

Called by plans.demo.load_demo through ProvinceConfig.extend_demo.
"""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from partrack.org.models import Membership, Role
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


def answer_docx():
    document = Document()
    document.add_paragraph("SỞ KHOA HỌC VÀ CÔNG NGHỆ — Số: 125/SKHCN-VP")
    document.add_paragraph(
        "V/v báo cáo kết quả thực hiện cơ chế một cửa, một cửa liên thông quý I năm 2026"
    )
    document.add_paragraph("Kính gửi: Sở Nội vụ tỉnh Phú Thọ.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def load_request_demo(*, plan, people):
    province = plan.agency.parent
    sender = sonoivu(province, people)
    request = requests.create_request(
        province=province,
        by=sender,
        topic=TOPIC,
        outline=OUTLINE,
        due_date=date(2026, 4, 10),
        to_all=True,
        now=aware(date(2026, 3, 25)),
    )
    requests.answer_request(
        request=request,
        agency=plan.agency,
        by=people["vanphong"],
        kind="document",
        file=SimpleUploadedFile("125-SKHCN-VP.docx", answer_docx()),
        number_symbol="125/SKHCN-VP",
        issued_on=date(2026, 4, 15),
        note="Gửi chậm do chờ số liệu của Bộ phận Một cửa.",
        now=aware(date(2026, 4, 15)),
    )
    return request
