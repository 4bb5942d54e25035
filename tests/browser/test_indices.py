"""The demo's 2026 self-assessment in a browser: a unit and the office fill it with evidence, the
office locks it, Sở Nội vụ appraises it in two rounds, and the office exports it."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from partrack.indices import services
from partrack.indices.models import SelfAssessment
from tests.browser.conftest import serious_violations

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def open_criterion(page, code):
    page.locator(f"#row-{code.lower().replace('.', '')} a").click()
    page.wait_for_load_state()


def test_the_2026_self_assessment_is_filled_locked_appraised_and_exported(sign_in, demo_site):
    sa = SelfAssessment.objects.get(agency__short_name="SKHCN", year=2026)
    table_url = f"{demo_site}/chi-so/tu-danh-gia/{sa.pk}/"

    # A unit fills a criterion the office gave it, and sees no other.
    unit = sign_in("phongcds")
    unit.goto(f"{demo_site}/chi-so/")
    unit.get_by_role("link", name="Sở Khoa học và Công nghệ tỉnh Phú Thọ — 2026").click()
    assert unit.locator("#score-table tbody tr").count() == 3
    open_criterion(unit, "VII.1")
    unit.fill("#id_rate", "90")
    unit.fill("#id_explanation", "90% văn bản đi được ký số.")
    unit.get_by_role("button", name="Lưu điểm tự chấm").click()
    assert unit.inner_text("#self-score") == "3,6"

    # The office picks a suggested document and uploads another.
    office = sign_in("vanphong")
    office.goto(table_url)
    assert serious_violations(office) == []
    open_criterion(office, "I.1.a")
    assert serious_violations(office) == []
    assert "15/KH-SKHCN" in office.inner_text("#suggestions")
    office.locator("#suggestions li", has_text="15/KH-SKHCN").get_by_role(
        "button", name="Chọn"
    ).click()
    office.set_input_files(
        "#id_file", files=[{"name": "ke-hoach.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    office.fill("#id_label", "Kế hoạch CCHC năm 2026 (bản ký số)")
    office.get_by_role("button", name="Tải lên").click()
    assert office.locator("#evidence-list li").count() == 2
    office.select_option("#id_score", label="Ban hành trước ngày 31/01 — 1.5 điểm")
    office.get_by_role("button", name="Lưu điểm tự chấm").click()
    assert office.inner_text("#self-score") == "1,5"

    # The rest is filled as the office would, then locked in the browser.
    for score in sa.scores.select_related("criterion").filter(self_score=None):
        criterion = score.criterion
        if criterion.kind != "normal":
            continue
        value = (
            max(criterion.option_points()) if criterion.rule == "options" else criterion.max_points
        )
        services.save_self_score(
            score=score,
            by=score.self_assessment.agency.memberships.get(user__username="vanphong").user,
            value=value,
            explanation="",
        )
    office.goto(table_url)
    assert "chưa có tài liệu kiểm chứng" in office.inner_text("#missing-evidence")
    office.get_by_role("button", name="Khóa và gửi Sở Nội vụ").click()
    assert "chưa có tài liệu kiểm chứng" in office.inner_text("main .alert-danger")
    office.check("#id_accept_missing_evidence")
    office.get_by_role("button", name="Khóa và gửi Sở Nội vụ").click()
    assert office.inner_text("#sa-status") == "Đã khóa, chờ thẩm định"

    # Sở Nội vụ: round 1 lowers a score and asks why; the survey item is entered.
    appraiser = sign_in("sonoivu")
    appraiser.goto(table_url)
    open_criterion(appraiser, "I.4")
    appraiser.fill("#id_score", "1")
    appraiser.fill("#id_note", "Chưa thấy tin bài tuyên truyền; đề nghị giải trình.")
    appraiser.get_by_role("button", name="Lưu").click()
    assert appraiser.inner_text("#round1").startswith("1 — Chưa thấy tin bài")
    appraiser.goto(table_url)
    open_criterion(appraiser, "KS.2")
    appraiser.fill("#id_score", "16")
    appraiser.get_by_role("button", name="Lưu").click()
    appraiser.goto(table_url)
    appraiser.get_by_role("button", name="Gửi kết quả vòng 1, đề nghị giải trình").click()
    assert appraiser.inner_text("#sa-status") == "Thẩm định vòng 1: đề nghị giải trình"

    # The office reads the council's note and answers.
    office.goto(table_url)
    open_criterion(office, "I.4")
    assert "Chưa thấy tin bài" in office.inner_text("#appraisal")
    office.fill("#id_answer", "Đã đăng 12 tin bài trên cổng thông tin của Sở.")
    office.get_by_role("button", name="Lưu giải trình").click()
    office.goto(table_url)
    office.get_by_role("button", name="Gửi giải trình").click()

    # Round 2: the final score with its reason, then the result.
    appraiser.goto(table_url)
    open_criterion(appraiser, "I.4")
    assert "12 tin bài" in appraiser.inner_text("#answer")
    appraiser.fill("#id_score", "1,5")
    appraiser.fill("#id_note", "Đã bổ sung một phần tài liệu.")
    appraiser.get_by_role("button", name="Lưu").click()
    appraiser.goto(table_url)
    appraiser.get_by_role("button", name="Kết thúc thẩm định (vòng 2)").click()
    assert appraiser.inner_text("#sa-status") == "Đã có kết quả thẩm định"

    # The office sees the appraised result and exports the table and the bundle.
    office.goto(f"{table_url}ket-qua/")
    scores = {s.criterion.code: s for s in sa.scores.select_related("criterion")}
    assert scores["I.4"].final_score == Decimal("1.5")
    # Counted by hand: 70 points less 0,4 (VII.1 at 3,6) and 0,5 (I.4 at 1,5), plus 16 survey.
    assert office.inner_text("#appraised-total") == "85,1"
    assert "Hạng" in office.inner_text("#my-rank")
    office.goto(table_url)
    with office.expect_download() as table_download:
        office.click("text=Bảng tự đánh giá XLSX")
    data = table_download.value.path().read_bytes()
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    by_code = {row[0]: row for row in rows if row[0]}
    assert by_code["I.4"][6] == 1.5
    with office.expect_download() as bundle_download:
        office.click("text=Gói tài liệu kiểm chứng (ZIP)")
    archive = zipfile.ZipFile(io.BytesIO(bundle_download.value.path().read_bytes()))
    assert any(name.endswith("ke-hoach.pdf") for name in archive.namelist())
    assert "SHA256SUMS.txt" in archive.namelist()
