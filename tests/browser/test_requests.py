"""The demo's request from Sở Nội vụ in a real browser: Sở Tư pháp answers it late with a file,
Sở Nội vụ sees the answer on its board; both pages pass axe-core and fit a phone."""

import pytest

from partrack.province.models import ReportRequest
from tests.browser.conftest import PHONE, serious_violations, sideways_scroll
from tests.files import PDF

pytestmark = pytest.mark.browser


def test_an_agency_answers_and_sở_nội_vụ_sees_it_on_the_board(sign_in, demo_site, tmp_path):
    request = ReportRequest.objects.get()
    office = sign_in("sotuphap", viewport=PHONE)
    office.goto(f"{demo_site}/can-lam/")
    office.click("text=Trả lời yêu cầu của Sở Nội vụ")
    assert "Chưa trả lời — quá hạn" in office.inner_text("#own-standing")
    assert serious_violations(office) == [] and sideways_scroll(office) <= 0
    upload = tmp_path / "tra-loi-stp.pdf"
    upload.write_bytes(PDF)
    office.set_input_files("#id_file", str(upload))
    office.fill("#id_number_symbol", "88/STP-VP")
    office.click("#answer-form button")
    office.wait_for_load_state()
    assert "Trả lời chậm" in office.inner_text("#own-standing")
    assert "Văn bản số 88/STP-VP" in office.inner_text("#own-answers")

    desk = sign_in("sonoivu", viewport=PHONE)
    desk.goto(f"{demo_site}/yeu-cau/{request.pk}/")
    board = desk.inner_text("#board")
    assert "Văn bản số 88/STP-VP" in board and "Văn bản số 125/SKHCN-VP" in board
    assert serious_violations(desk) == [] and sideways_scroll(desk) <= 0
    with desk.expect_download() as download:
        desk.click("#board-xlsx")
    assert download.value.suggested_filename == f"yeu-cau-{request.pk}-tinh-hinh-tra-loi.xlsx"
