"""The review shows what the reader took each row for, and the office may change it."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partrack.documents.models import ImportDraft
from partrack.plans.models import Plan
from tests.conftest import demo_client
from tests.documents.test_import_web import review_fields, submit_review, upload

pytestmark = pytest.mark.django_db

SHAPE = Path(__file__).resolve().parent.parent / "data" / "shapes" / "phan-nhom-dong-con.docx"


@pytest.fixture
def office(demo):
    return demo_client("vanphong")


@pytest.fixture
def draft(office):
    upload(office, SimpleUploadedFile(SHAPE.name, SHAPE.read_bytes()))
    return ImportDraft.objects.get()


def kinds(draft):
    return [(row.get("kind"), row.get("label", ""), row["content"][:24]) for row in draft.rows()]


def test_group_rows_repeated_headers_and_sub_rows_are_shown_as_read(office, draft):
    page = office.get(draft.get_absolute_url()).content.decode()
    assert "Đọc được 6 nhiệm vụ trong 3 lĩnh vực." in page
    assert page.count('<option value="group" selected>') == 2
    assert page.count('<option value="header" selected>') == 1
    assert page.count('class="badge text-bg-info text-dark row-reading">dòng con dưới số gộp') == 2
    assert "Phần A. NHIỆM VỤ CHUNG" in page
    assert "năm kế hoạch ghi trong tên văn bản" in page  # the year undated deadlines take


def test_the_office_turns_a_group_row_into_a_task_and_joins_a_sub_row_to_the_task_above(
    demo, office, draft
):
    fields = review_fields(office, draft)
    rows = kinds(draft)
    group = rows.index(("group", "", "Nhóm nhiệm vụ về dữ liệu"))
    sub_row = next(i for i, row in enumerate(rows) if row[1] == "4b")
    fields[f"t-{group}-kind"] = "task"
    fields[f"t-{group}-lead"] = "Phòng Chuyển đổi số"
    fields[f"t-{group}-deadline_text"] = "Năm 2026"
    fields[f"t-{sub_row}-kind"] = "join"

    submit_review(office, draft, fields, confirm=True)

    plan = Plan.objects.order_by("-pk").first()
    tasks = list(plan.tasks.order_by("area__order", "order"))
    assert [task.content for task in tasks].count("Nhóm nhiệm vụ về dữ liệu") == 1
    four = next(task for task in tasks if task.content.startswith("Đánh giá viên chức"))
    assert four.content.endswith("Xây dựng đề án vị trí việc làm")  # joined to 4a
    assert four.lead_names == ["Phòng Tổ chức", "Phòng Công chức"]
    assert len(tasks) == 6  # 6 read, one group row made a task, 4b joined to 4a
    second = next(task for task in tasks if task.content == "Công bố thủ tục hành chính")
    assert second.extra["Nhóm nhiệm vụ"] == "I.1 Nhóm nhiệm vụ về kiểm soát thủ tục"
    assert four.extra["Số thứ tự trong văn bản"] == "4a"
