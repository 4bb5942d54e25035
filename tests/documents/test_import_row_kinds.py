"""The review shows what the reader took each row for, and the office may change it."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partrack.documents.models import ImportDraft
from partrack.plans.models import Plan
from tests.conftest import demo_client, post_form
from tests.documents.test_import_web import REVIEW_QUERIES, review_fields, submit_review, upload

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


def test_the_office_splits_a_row_holding_two_tasks_then_edits_and_confirms_each(
    demo, office, draft, django_assert_max_num_queries
):
    # The reader took two tasks for one row: two numbered items and two leads in its cells.
    rows = draft.rows()
    index = next(i for i, row in enumerate(rows) if row.get("kind", "task") == "task")
    rows[index].update(
        content="1. Rà soát quy trình nội bộ.\n2. Công bố quy trình mới.",
        lead=["Phòng Tổ chức", "Phòng Công chức"],
        coordinators=["Văn phòng Sở"],
    )
    draft.save(update_fields=["data"])
    tasks_before = draft.task_count()
    fields = review_fields(office, draft)
    fields[f"t-{index}-note"] = "Đã xem"  # an edit made on the page before splitting is kept

    response = post_form(office, draft.get_absolute_url(), {**fields, "split": f"t-{index}"})

    assert response.status_code == 302 and response.url.endswith(f"#row-t-{index}")
    draft.refresh_from_db()
    first, second = draft.rows()[index : index + 2]
    assert (first["content"], first["lead"]) == ("1. Rà soát quy trình nội bộ.", ["Phòng Tổ chức"])
    assert (second["content"], second["lead"]) == ("2. Công bố quy trình mới.", ["Phòng Công chức"])
    assert first["coordinators"] == second["coordinators"] == ["Văn phòng Sở"]
    assert first["note"] == second["note"] == "Đã xem"
    assert draft.task_count() == tasks_before + 1
    with django_assert_max_num_queries(REVIEW_QUERIES):
        page = office.get(draft.get_absolute_url()).content.decode()
    assert "Đã tách thành hai dòng" in page
    assert page.count('row-reading">tách từ một dòng') == 2

    # Each row is then edited on its own, and the plan gets both tasks.
    fields = review_fields(office, draft)
    fields[f"t-{index + 1}-content"] = "Công bố quy trình mới trên cổng thông tin"
    fields[f"t-{index + 1}-deadline_text"] = "Quý III/2026"
    submit_review(office, draft, fields, confirm=True)
    plan = Plan.objects.order_by("-pk").first()
    contents = list(plan.tasks.values_list("content", flat=True))
    assert "1. Rà soát quy trình nội bộ." in contents
    assert "Công bố quy trình mới trên cổng thông tin" in contents


def test_splitting_a_row_the_office_also_drops_splits_nothing(office, draft):
    fields = review_fields(office, draft)
    before = draft.rows()
    fields["t-0-DELETE"] = "on"
    post_form(office, draft.get_absolute_url(), {**fields, "split": "t-0"})
    draft.refresh_from_db()
    assert draft.rows() == before[1:]  # dropped, as asked, and nothing split
