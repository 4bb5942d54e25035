"""A request from Sở Nội vụ in a real browser: sent to every agency, answered by Sở Tư pháp with
a file from its "Cần làm", seen on Sở Nội vụ's board and exported; pages pass axe-core and fit
a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partrack.province.models import ReportRequest
from tests.browser.conftest import PHONE, serious_violations, sideways_scroll
from tests.files import PDF

pytestmark = pytest.mark.browser


def test_sở_nội_vụ_asks_an_agency_answers_and_the_board_shows_it(sign_in, demo_site, tmp_path):
    due = timezone.localdate() + timedelta(days=7)
    desk = sign_in("sonoivu", viewport=PHONE)
    desk.goto(f"{demo_site}/yeu-cau/moi/")
    assert serious_violations(desk) == [] and sideways_scroll(desk) <= 0
    desk.fill("#id_topic", "Báo cáo kết quả một cửa quý IV")
    desk.fill("#id_outline", "1. Số hồ sơ tiếp nhận\n2. Khó khăn")
    desk.fill("#id_due_date", f"{due:%d/%m/%Y}")
    desk.check("#id_to_all")
    desk.click("#request-form button")
    desk.wait_for_load_state()
    request = ReportRequest.objects.get()
    assert desk.url.endswith(f"/yeu-cau/{request.pk}/")

    office = sign_in("sotuphap", viewport=PHONE)
    office.goto(f"{demo_site}/can-lam/")
    office.click("text=Trả lời yêu cầu của Sở Nội vụ")
    assert "Chưa trả lời, chưa đến hạn" in office.inner_text("#own-standing")
    assert serious_violations(office) == [] and sideways_scroll(office) <= 0
    upload = tmp_path / "tra-loi-stp.pdf"
    upload.write_bytes(PDF)
    office.set_input_files("#id_file", str(upload))
    office.fill("#id_number_symbol", "88/STP-VP")
    office.click("#answer-form button")
    office.wait_for_load_state()
    assert "Trả lời đúng hạn" in office.inner_text("#own-standing")
    assert "Văn bản số 88/STP-VP" in office.inner_text("#own-answers")

    desk.reload()
    board = desk.inner_text("#board")
    assert "Văn bản số 88/STP-VP" in board and "Chưa trả lời, chưa đến hạn" in board
    assert serious_violations(desk) == [] and sideways_scroll(desk) <= 0
    with desk.expect_download() as download:
        desk.click("#board-xlsx")
    assert download.value.suggested_filename == f"yeu-cau-{request.pk}-tinh-hinh-tra-loi.xlsx"
