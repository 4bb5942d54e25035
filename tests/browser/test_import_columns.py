"""A table the reader cannot tell, mapped by hand in a real browser."""

import pytest

from partrack.documents.models import ColumnMapping
from tests.documents.test_import_columns import unknown_table_docx

pytestmark = pytest.mark.browser


def test_the_office_maps_an_unknown_table_by_hand_and_reviews_its_tasks(
    sign_in, demo_site, tmp_path
):
    plan_file = tmp_path / "ke-hoach-la.docx"
    plan_file.write_bytes(unknown_table_docx())
    page = sign_in("vanphong")
    page.goto(f"{demo_site}/nhap-ke-hoach/")
    page.set_input_files("input[type=file]", str(plan_file))
    page.get_by_role("button", name="Tải lên và đọc").click()
    page.wait_for_url("**/cot/")
    assert "Việc cần làm | Người lo | Hạn chót" in page.inner_text("#reader-message")

    page.get_by_label("Việc cần làm").select_option("content")
    page.get_by_label("Người lo").select_option("lead")
    page.get_by_label("Hạn chót").select_option("deadline")
    page.get_by_role("button", name="Đọc lại bảng này").click()

    page.wait_for_url("**/nhap-ke-hoach/*/")
    assert "Đọc được 2 nhiệm vụ trong 1 lĩnh vực." in page.inner_text("#summary")
    assert page.locator("textarea[name='t-0-lead']").input_value() == "Văn phòng Sở"
    assert page.locator("input[name='t-1-deadline_text']").input_value() == "30/9/2026"
    assert ColumnMapping.objects.get().fields["nguoi lo"] == "lead"
