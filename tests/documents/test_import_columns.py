"""When the reader cannot tell the task table: the office sees the tables found with their
header cells, says what each column holds, and the file is read again; the choice is kept for
the agency's next upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from partrack.documents.models import ColumnMapping, ImportDraft
from partrack.plans.models import Plan
from tests.conftest import demo_client, post_form
from tests.documents.reading_support import make_docx

pytestmark = pytest.mark.django_db

UNKNOWN = ["TT", "Việc cần làm", "Người lo", "Hạn chót"]


def unknown_table_docx():
    return make_docx(
        [
            UNKNOWN,
            ["1", "Rà soát thủ tục hành chính", "Văn phòng Sở", "Quý II/2026"],
            ["2", "Số hóa hồ sơ", "Phòng Chuyển đổi số", "30/9/2026"],
        ],
        before=["KẾ HOẠCH", "Cải cách hành chính năm 2026"],
    )


def upload(client, content=None, name="ke-hoach-la.docx"):
    file = SimpleUploadedFile(name, content or unknown_table_docx())
    return post_form(client, "/nhap-ke-hoach/", {"document": file})


MAPPING = {"table_number": "0", "c0-1": "content", "c0-2": "lead", "c0-3": "deadline"}


@pytest.fixture
def office(demo):
    return demo_client("vanphong")


@pytest.fixture
def unread(office):
    response = upload(office)
    draft = ImportDraft.objects.get()
    assert response["Location"] == f"/nhap-ke-hoach/{draft.pk}/cot/"
    return draft


def test_an_unknown_table_sends_the_office_to_map_its_columns_naming_what_was_seen(
    demo, office, unread
):
    plans = Plan.objects.count()
    page = office.get(f"/nhap-ke-hoach/{unread.pk}/cot/").content.decode()
    assert "Không tìm thấy bảng nhiệm vụ" in page
    assert "Việc cần làm | Người lo | Hạn chót" in page  # the headers seen…
    assert "Bảng nhiệm vụ cần một cột nội dung" in page  # …and those needed
    for header in UNKNOWN[1:]:
        assert f">{header}</label>" in page
    # The review is not shown before the columns are known.
    assert office.get(unread.get_absolute_url())["Location"] == f"/nhap-ke-hoach/{unread.pk}/cot/"
    assert Plan.objects.count() == plans


def test_mapping_the_columns_reads_the_file_again_and_remembers_the_choice(demo, office, unread):
    response = post_form(office, f"/nhap-ke-hoach/{unread.pk}/cot/", MAPPING)

    assert response.status_code == 302 and response["Location"] == unread.get_absolute_url()
    unread.refresh_from_db()
    first, second = unread.rows()
    assert (first["content"], first["lead"], first["deadline_text"]) == (
        "Rà soát thủ tục hành chính",
        ["Văn phòng Sở"],
        "Quý II/2026",
    )
    assert (second["due_date"], second["no"]) == ("2026-09-30", 2)
    assert ColumnMapping.of(demo.agency) == {
        "viec can lam": "content",
        "nguoi lo": "lead",
        "han chot": "deadline",
    }
    review = office.get(unread.get_absolute_url()).content.decode()
    assert "Đọc được 2 nhiệm vụ trong 1 lĩnh vực." in review


def test_the_agencys_next_upload_is_read_with_the_remembered_columns(demo, office, unread):
    post_form(office, f"/nhap-ke-hoach/{unread.pk}/cot/", MAPPING)

    response = upload(office, name="ke-hoach-la-2.docx")

    draft = ImportDraft.objects.exclude(pk=unread.pk).get()
    assert response["Location"] == draft.get_absolute_url()
    assert [row["lead"] for row in draft.rows()] == [["Văn phòng Sở"], ["Phòng Chuyển đổi số"]]


def test_a_mapping_without_the_content_column_is_refused_and_nothing_is_kept(demo, office, unread):
    response = post_form(
        office, f"/nhap-ke-hoach/{unread.pk}/cot/", {**MAPPING, "c0-1": "note", "c0-2": "lead"}
    )
    assert response.status_code == 400
    assert "Hãy chọn cột nào là nội dung nhiệm vụ." in response.content.decode()
    assert ColumnMapping.of(demo.agency) == {}
    unread.refresh_from_db()
    assert unread.needs_columns


def test_one_field_for_two_columns_is_refused(office, unread):
    response = post_form(office, f"/nhap-ke-hoach/{unread.pk}/cot/", {**MAPPING, "c0-2": "content"})
    assert response.status_code == 400
    assert "Mỗi trường chỉ chọn cho một cột" in response.content.decode()


def test_a_table_number_that_is_not_in_the_file_is_refused(office, unread):
    response = post_form(
        office, f"/nhap-ke-hoach/{unread.pk}/cot/", {**MAPPING, "table_number": "7"}
    )
    assert response.status_code == 400
    assert "Hãy chọn một bảng trong danh sách." in response.content.decode()


def test_a_plan_read_well_can_still_be_mapped_again_from_its_review(office):
    response = post_form(
        office,
        "/nhap-ke-hoach/",
        {
            "document": SimpleUploadedFile(
                "ke-hoach.docx",
                make_docx(
                    [
                        ["STT", "Nội dung", "Cơ quan chủ trì", "Thời hạn", "Ghi chú"],
                        ["1", "Rà soát", "Văn phòng Sở", "Quý I/2026", "Phòng Pháp chế"],
                    ]
                ),
            )
        },
    )
    draft = ImportDraft.objects.get()
    review = office.get(response["Location"]).content.decode()
    assert f'href="/nhap-ke-hoach/{draft.pk}/cot/"' in review
    # The office says the "Ghi chú" column is the coordinating body.
    columns = {"table_number": "0", "c0-1": "content", "c0-2": "lead", "c0-4": "coordinators"}
    post_form(office, f"/nhap-ke-hoach/{draft.pk}/cot/", columns)
    draft.refresh_from_db()
    (row,) = draft.rows()
    assert (row["coordinators"], row["note"]) == (["Phòng Pháp chế"], "")


def test_mapping_columns_is_for_the_agencys_office_only(world):
    post_form(
        world.client(world.coordinator),
        "/nhap-ke-hoach/",
        {"document": SimpleUploadedFile("la.docx", unknown_table_docx())},
    )
    draft = ImportDraft.objects.get()
    url = f"/nhap-ke-hoach/{draft.pk}/cot/"
    assert world.client(world.outsider).get(url).status_code == 404
    assert post_form(world.client(world.outsider), url, MAPPING).status_code == 404
    for persona in ("leader", "lead_member", "viewer"):
        assert world.client(getattr(world, persona)).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # anonymous: sent to sign in
    assert not ColumnMapping.objects.exists()
