"""Importing a plan from the document the agency issued: upload, review in place, confirm."""

import html
import io
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partrack.documents import errors
from partrack.documents.models import ImportDraft
from partrack.documents.structure import plan_from_json
from partrack.documents.writing import appendix_xlsx
from partrack.plans.models import Plan, ProgressUpdate, Status, Task
from tests.conftest import demo_client, post_form
from tests.documents.reading_support import make_pdf

pytestmark = pytest.mark.django_db

SEED_NAME = "ke-hoach-cchc-2026-skhcn-phu-tho"
SEED_DIR = Path(__file__).resolve().parents[1] / "data" / "seed-plan"
UNMATCHED_LEAD = "Cơ quan chủ trì không khớp đơn vị nào"


def seed_file(extension="docx"):
    path = SEED_DIR / f"{SEED_NAME}.{extension}"
    return SimpleUploadedFile(path.name, path.read_bytes())


def upload(client, file, url="/nhap-ke-hoach/"):
    return post_form(client, url, {"document": file})


class FormReader(HTMLParser):
    """The fields a browser would send from the page's POST form (not its buttons)."""

    def __init__(self):
        super().__init__()
        self.fields, self._textarea, self._in_post_form = {}, None, False
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_post_form = attrs.get("method") == "post" and "action" not in attrs
        if not self._in_post_form:
            return
        if tag == "input" and attrs.get("name"):
            if attrs.get("type") == "checkbox" and "checked" not in attrs:
                return
            default = "on" if attrs.get("type") == "checkbox" else ""
            self.fields[attrs["name"]] = attrs.get("value", default)
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
        elif (
            tag == "option"
            and self._select
            and ("selected" in attrs or self._select not in self.fields)
        ):
            self.fields[self._select] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # A browser drops the line break that follows <textarea>.
            value = self.fields[self._textarea]
            self.fields[self._textarea] = html.unescape(value.removeprefix("\n"))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_post_form = False


def review_fields(client, draft):
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    reader = FormReader()
    reader.feed(response.content.decode())
    fields = reader.fields
    fields.pop("csrfmiddlewaretoken", None)
    return fields


# The demo already follows a 2026 plan: confirming the seed as a new plan says why.
SECOND_PLAN = {"plan-second_plan": "on", "plan-second_plan_reason": "Bản thử nghiệm nhập lại"}


def submit_review(client, draft, fields, *, confirm=False, second_plan=True, page=1):
    button = {"confirm": "1"} if confirm else {"recheck": "1"}
    if confirm and second_plan:
        button.update(SECOND_PLAN)
    url = draft.get_absolute_url() + (f"?page={page}" if page > 1 else "")
    return post_form(client, url, {**fields, **button})


def row_field(fields, index, name):
    return f"t-{index}-{name}"


@pytest.fixture
def office(demo):
    return demo_client("vanphong")


@pytest.fixture
def draft(office):
    response = upload(office, seed_file())
    assert response.status_code == 302
    return ImportDraft.objects.get()


# --- Upload and review --------------------------------------------------------------------


def test_coordinator_uploads_the_seed_docx_and_reviews_its_36_rows_without_unmatched_units(
    demo, office
):
    plans = Plan.objects.count()
    response = upload(office, seed_file())
    draft = ImportDraft.objects.get()
    assert response["Location"] == f"/nhap-ke-hoach/{draft.pk}/"
    assert draft.filename == f"{SEED_NAME}.docx"
    assert len(draft.sha256) == 64
    assert draft.agency == demo.agency

    page = office.get(response["Location"]).content.decode()
    assert page.count('class="import-row') == 36
    assert UNMATCHED_LEAD not in page
    assert "Đọc được 36 nhiệm vụ trong 7 lĩnh vực." in page
    assert "Kế hoạch thực hiện công tác Cải cách hành chính năm 2026" in page
    # Nothing touches the plans before confirmation.
    assert Plan.objects.count() == plans


@pytest.mark.parametrize("extension", ["pdf", "xlsx"])
def test_the_pdf_and_the_xlsx_of_the_seed_read_into_the_same_36_rows(office, extension):
    response = upload(office, seed_file(extension))
    assert response.status_code == 302
    assert len(ImportDraft.objects.get().rows()) == 36


def test_review_flags_a_lead_that_matches_no_unit_and_a_deadline_it_cannot_date(office, draft):
    fields = review_fields(office, draft)
    fields[row_field(fields, 0, "lead")] = "Phòng Không Có Thật"
    fields[row_field(fields, 1, "deadline_text")] = "Khi nào xong"
    fields[row_field(fields, 2, "deadline_text")] = "Theo chỉ đạo của UBND tỉnh"

    response = submit_review(office, draft, fields)
    assert response.status_code == 302
    page = office.get(draft.get_absolute_url()).content.decode()
    assert f"{UNMATCHED_LEAD} của Sở (sẽ giữ nguyên như văn bản): Phòng Không Có Thật" in page
    assert "Chưa hiểu thời hạn “Khi nào xong”" in page
    # A task done when asked has no date yet, and that is fine.
    assert "Chưa hiểu thời hạn “Theo chỉ đạo" not in page
    assert "2 dòng cần kiểm tra:" in page
    assert 'href="#row-t-0"' in page and 'href="#row-t-1"' in page


def test_recheck_stores_the_edits_in_the_draft_and_leaves_the_plans_alone(office, draft):
    plans, tasks = Plan.objects.count(), Task.objects.count()
    fields = review_fields(office, draft)
    fields[row_field(fields, 3, "content")] = "Nội dung đã sửa khi kiểm tra"

    response = submit_review(office, draft, fields)

    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.rows()[3]["content"] == "Nội dung đã sửa khi kiểm tra"
    assert draft.version == 2
    assert (Plan.objects.count(), Task.objects.count()) == (plans, tasks)
    assert "Nội dung đã sửa khi kiểm tra" in office.get(draft.get_absolute_url()).content.decode()


def test_an_edited_deadline_is_dated_again_from_its_new_words(office, draft):
    assert draft.rows()[0]["due_date"] == "2026-01-31"
    fields = review_fields(office, draft)
    fields[row_field(fields, 0, "deadline_text")] = "Quý III/2026"
    fields[row_field(fields, 1, "deadline_text")] = "Khi có kinh phí"
    submit_review(office, draft, fields)
    draft.refresh_from_db()
    assert (draft.rows()[0]["deadline_kind"], draft.rows()[0]["due_date"]) == (
        "quarter",
        "2026-09-30",
    )

    response = submit_review(office, draft, review_fields(office, draft), confirm=True)

    assert response.status_code == 302
    plan = Plan.objects.get(pk=ImportDraft.objects.get().plan_id)
    first, second = plan.tasks.order_by("order")[:2]
    assert (first.deadline_text, str(first.due_date)) == ("Quý III/2026", "2026-09-30")
    # The stale "Tháng 01/2026" date is not kept under words that no longer say it.
    assert (second.deadline_kind, second.due_date) == ("unknown", None)


def test_coordinator_edits_a_row_in_place_and_confirms_a_plan_of_36_tasks(demo, office, draft):
    fields = review_fields(office, draft)
    fields[row_field(fields, 4, "content")] = "Ban hành Kế hoạch kiểm tra CCHC (đã sửa)"
    fields[row_field(fields, 4, "lead")] = "Văn phòng Sở\r\nPhòng Chuyển đổi số"
    fields["plan-symbol"] = "15/KH-SKHCN"

    response = submit_review(office, draft, fields, confirm=True)

    plan = Plan.objects.exclude(pk=demo.pk).get(agency=demo.agency)
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    assert plan.tasks.count() == 36
    assert plan.areas.count() == 7
    assert (plan.year, plan.symbol) == (2026, "15/KH-SKHCN")
    task = plan.tasks.get(number=5)
    assert task.content == "Ban hành Kế hoạch kiểm tra CCHC (đã sửa)"
    assert task.lead_names == ["Văn phòng Sở", "Phòng Chuyển đổi số"]
    assert {unit.short_name for unit in task.lead_units.all()} == {"VP", "CĐS"}
    draft.refresh_from_db()
    assert draft.plan == plan
    assert draft.confirmed_at is not None
    page = office.get(response["Location"]).content.decode()
    assert "Đã nhập kế hoạch với 36 nhiệm vụ." in page


def test_confirming_twice_makes_one_plan_and_the_second_goes_to_it(demo, office, draft):
    fields = review_fields(office, draft)
    plans = Plan.objects.count()

    first = submit_review(office, draft, fields, confirm=True)
    second = submit_review(office, draft, fields, confirm=True)

    assert Plan.objects.count() == plans + 1
    plan = Plan.objects.latest("pk")
    assert first["Location"] == second["Location"] == plan.get_absolute_url()
    assert "Kế hoạch này đã được nhập." in office.get(second["Location"]).content.decode()
    assert plan.tasks.count() == 36


def test_a_confirmation_from_a_page_older_than_the_last_recheck_is_refused(office, draft):
    old_fields = review_fields(office, draft)
    edited = {**old_fields, row_field(old_fields, 0, "content"): "Sửa ở tab thứ nhất"}
    submit_review(office, draft, edited)
    plans = Plan.objects.count()

    response = submit_review(office, draft, old_fields, confirm=True)

    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    assert Plan.objects.count() == plans
    assert (
        "Bản nháp vừa được sửa ở một cửa sổ khác"
        in office.get(draft.get_absolute_url()).content.decode()
    )


def test_a_row_marked_to_drop_is_left_out_of_the_plan(demo, office, draft):
    fields = review_fields(office, draft)
    dropped = fields[row_field(fields, 35, "content")]
    fields[row_field(fields, 35, "DELETE")] = "on"

    submit_review(office, draft, fields, confirm=True)

    plan = Plan.objects.exclude(pk=demo.pk).get(agency=demo.agency)
    assert plan.tasks.count() == 35
    assert not plan.tasks.filter(content=dropped).exists()


def test_a_row_without_content_is_refused_with_a_message_and_nothing_is_saved(office, draft):
    fields = review_fields(office, draft)
    fields[row_field(fields, 0, "content")] = "  "
    plans = Plan.objects.count()

    response = submit_review(office, draft, fields, confirm=True)

    assert response.status_code == 400
    assert "Hãy ghi nội dung nhiệm vụ, hoặc bỏ dòng này." in response.content.decode()
    assert Plan.objects.count() == plans
    draft.refresh_from_db()
    assert draft.plan is None and draft.version == 1


def test_a_confirmed_draft_sends_its_reviewer_to_the_plan(office, draft):
    submit_review(office, draft, review_fields(office, draft), confirm=True)
    draft.refresh_from_db()
    response = office.get(draft.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == draft.plan.get_absolute_url()


def test_uploading_a_file_imported_before_says_so_on_the_review(office, draft):
    submit_review(office, draft, review_fields(office, draft), confirm=True)
    upload(office, seed_file())
    again = ImportDraft.objects.latest("pk")
    page = office.get(again.get_absolute_url()).content.decode()
    assert "Tệp này đã được nhập ngày" in page


# --- Bad files ----------------------------------------------------------------------------


def docx_without_a_table():
    document = docx.Document()
    document.add_paragraph("Kế hoạch không có phụ lục")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("ghi-chu.txt", "Không phải văn bản".encode(), errors.NOT_A_DOCUMENT),
        ("rong.docx", b"", errors.EMPTY_FILE),
        ("hong.docx", b"PK\x03\x04 not really a zip", errors.CORRUPT),
        ("ban-quet.pdf", make_pdf([[]], [100]), errors.SCANNED_PDF),
        ("khong-bang.docx", docx_without_a_table(), errors.NO_TASK_TABLE),
        ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, errors.OLE_FILE),
    ],
)
def test_a_bad_file_shows_the_readers_message_and_saves_nothing(office, name, content, message):
    drafts, plans = ImportDraft.objects.count(), Plan.objects.count()

    response = upload(office, SimpleUploadedFile(name, content))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert (ImportDraft.objects.count(), Plan.objects.count()) == (drafts, plans)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(office, settings):
    settings.PARTRACK_MAX_UPLOAD_MB = 1
    response = upload(office, SimpleUploadedFile("lon.docx", b"PK" + b"\0" * 1024 * 1024))
    assert response.status_code == 400
    assert "Tệp vượt quá giới hạn 1 MB." in response.content.decode()
    assert not ImportDraft.objects.exists()


def test_an_upload_without_a_file_asks_for_one(office):
    response = post_form(office, "/nhap-ke-hoach/", {})
    assert response.status_code == 400
    assert "Hãy chọn tệp kế hoạch để tải lên." in response.content.decode()


def test_the_upload_page_offers_the_document_types_it_reads(office):
    page = office.get("/nhap-ke-hoach/").content.decode()
    assert 'accept=".docx,.pdf,.xlsx,.doc,.odt"' in page
    assert 'enctype="multipart/form-data"' in page


# --- Who may import -----------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in_from_every_import_page(world):
    client = world.client()
    for url in [
        "/nhap-ke-hoach/",
        "/nhap-ke-hoach/1/",
        f"/ke-hoach/{world.plan.pk}/nhap-dieu-chinh/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/dang-nhap/?next="), url
    response = upload(client, seed_file())
    assert response.status_code == 302
    assert not ImportDraft.objects.exists()


@pytest.mark.parametrize(
    "persona", ["leader", "viewer", "administrator", "lead_member", "province_viewer"]
)
def test_only_the_office_may_upload_a_plan(world, persona):
    client = world.client(getattr(world, persona))
    assert client.get("/nhap-ke-hoach/").status_code == 403
    assert upload(client, seed_file()).status_code == 403
    assert not ImportDraft.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "lead_member", "viewer"])
def test_people_of_the_agency_who_do_not_coordinate_are_refused_the_draft_and_the_revision(
    world, persona
):
    upload(world.client(world.coordinator), seed_file())
    draft = ImportDraft.objects.get()
    client = world.client(getattr(world, persona))
    assert client.get(draft.get_absolute_url()).status_code == 403
    assert submit_review(client, draft, {}, confirm=True).status_code == 403
    assert client.get(f"/ke-hoach/{world.plan.pk}/nhap-dieu-chinh/").status_code == 403
    draft.refresh_from_db()
    assert draft.plan is None


def test_the_office_of_another_agency_gets_404_on_the_draft_and_the_revision(world):
    upload(world.client(world.coordinator), seed_file())
    draft = ImportDraft.objects.get()
    client = world.client(world.outsider)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert submit_review(client, draft, {}, confirm=True).status_code == 404
    assert client.get(f"/ke-hoach/{world.plan.pk}/nhap-dieu-chinh/").status_code == 404
    assert (
        upload(client, seed_file(), f"/ke-hoach/{world.plan.pk}/nhap-dieu-chinh/").status_code
        == 404
    )
    assert ImportDraft.objects.count() == 1


def test_a_draft_belongs_to_the_agency_of_the_office_that_uploaded_it(world):
    upload(world.client(world.outsider), seed_file())
    assert ImportDraft.objects.get().agency == world.other_agency


def test_plan_pages_offer_the_revision_upload_only_to_the_office(world):
    office_page = world.client(world.coordinator).get(world.plan.get_absolute_url())
    leader_page = world.client(world.leader).get(world.plan.get_absolute_url())
    assert "Nhập bản điều chỉnh" in office_page.content.decode()
    assert "Nhập bản điều chỉnh" not in leader_page.content.decode()
    assert "Tải DOCX" in leader_page.content.decode()


# --- A revision of a plan already tracked -------------------------------------------------


def revised_seed(plan):
    """The demo plan revised: one task re-dated, one reworded, two dropped, one new."""
    data = plan.as_data()
    area_one = data["sections"][0]["tasks"]
    area_one[8]["deadline_text"] = "Quý III/2026"  # task 9: "Quý IV/2026" before
    area_one[9]["content"] = "Tổ chức hội nghị sơ kết CCHC 6 tháng đầu năm 2026"  # task 10
    del area_one[10]  # task 11, no progress recorded
    area_three = data["sections"][2]["tasks"]
    dropped_with_progress = area_three.pop(6)  # task 22, done with a report
    area_seven = data["sections"][6]["tasks"]
    area_seven.append(
        {
            "no": 37,
            "content": "Triển khai trợ lý ảo hỗ trợ giải quyết TTHC",
            "product": "Trợ lý ảo",
            "lead": ["Phòng Chuyển đổi số"],
            "coordinators": ["Văn phòng Sở"],
            "deadline_text": "Quý IV/2026",
            "due_date": None,
            "deadline_kind": None,
            "note": "",
        }
    )
    assert dropped_with_progress["no"] == 22
    return data


def test_a_revision_previews_its_changes_then_keeps_the_progress_of_tasks_that_stay(demo):
    office = demo_client("vanphong")
    kept = demo.tasks.get(number=1)  # done, with its report: unchanged by the revision
    redated = demo.tasks.get(number=9)
    reworded = demo.tasks.get(number=10)
    kept_updates, kept_status = kept.updates.count(), kept.status
    xlsx = appendix_xlsx(plan_from_json(revised_seed(demo)))

    response = upload(
        office, SimpleUploadedFile("dieu-chinh.xlsx", xlsx), f"/ke-hoach/{demo.pk}/nhap-dieu-chinh/"
    )
    draft = ImportDraft.objects.get()
    assert response["Location"] == draft.get_absolute_url()
    assert draft.target_plan == demo

    page = office.get(draft.get_absolute_url()).content.decode()
    assert "Thêm mới (1)" in page
    assert "Triển khai trợ lý ảo hỗ trợ giải quyết TTHC" in page
    assert "Bỏ (2)" in page
    assert "1 nhiệm vụ bị bỏ đã có tiến độ ghi nhận" in page
    assert "1 đổi nội dung, 1 đổi thời hạn" in page
    assert "Quý IV/2026</del> → <ins>Quý III/2026" in page
    assert "Tổ chức hội nghị sơ kết CCHC 6 tháng đầu năm 2026</ins>" in page
    # The preview saves nothing.
    assert demo.tasks.count() == 36

    response = submit_review(office, draft, review_fields(office, draft), confirm=True)

    assert response["Location"] == demo.get_absolute_url()
    assert demo.tasks.count() == 36 - 2 + 1
    kept.refresh_from_db()
    assert (kept.updates.count(), kept.status) == (kept_updates, kept_status)
    assert kept.status == Status.DONE
    redated.refresh_from_db()
    assert (redated.deadline_text, str(redated.due_date)) == ("Quý III/2026", "2026-09-30")
    history = redated.updates.get(kind=ProgressUpdate.Kind.REVISION)
    assert "Quý IV/2026 → Quý III/2026" in history.narrative
    assert reworded.updates.filter(kind=ProgressUpdate.Kind.REVISION).count() == 1
    assert not demo.tasks.filter(number=22).exists()
    added = demo.tasks.get(content="Triển khai trợ lý ảo hỗ trợ giải quyết TTHC")
    assert added.due_date.isoformat() == "2026-12-31"
    assert "Đã điều chỉnh kế hoạch: thêm 1, bỏ 2, sửa 2 nhiệm vụ" in (
        office.get(response["Location"]).content.decode()
    )


def test_a_revision_of_the_same_plan_says_nothing_changes(demo):
    office = demo_client("vanphong")
    xlsx = appendix_xlsx(plan_from_json(demo.as_data()))
    upload(
        office, SimpleUploadedFile("y-nguyen.xlsx", xlsx), f"/ke-hoach/{demo.pk}/nhap-dieu-chinh/"
    )
    page = office.get(ImportDraft.objects.get().get_absolute_url()).content.decode()
    assert "Bản điều chỉnh không thay đổi nhiệm vụ nào." in page


# --- Query counts -------------------------------------------------------------------------

# What every page's layout reads: session, user, membership, the navigation's unit and its
# unread notifications.
LAYOUT_QUERIES = 5
# The draft, the agency's units (one query for every row), an earlier import of the same file,
# the plan of the same year; a revision adds the plan's tasks and the count of removed tasks
# with progress, and has no plan of the same year to look for.
REVIEW_QUERIES = LAYOUT_QUERIES + 4
REVISION_REVIEW_QUERIES = REVIEW_QUERIES + 1
# The agency and the drafts waiting for confirmation.
UPLOAD_QUERIES = LAYOUT_QUERIES + 2


def grown(draft, times):
    """The draft with its rows repeated `times` over (each section `times` as long)."""
    for section in draft.data["sections"]:
        section["tasks"] = section["tasks"] * times
    draft.save()
    return draft


def test_the_review_runs_a_fixed_number_of_queries_however_many_rows(
    office, draft, django_assert_max_num_queries
):
    with django_assert_max_num_queries(REVIEW_QUERIES):
        assert office.get(draft.get_absolute_url()).status_code == 200
    with CaptureQueriesContext(connection) as small:
        office.get(draft.get_absolute_url())
    grown(draft, 10)
    with CaptureQueriesContext(connection) as large:
        page = office.get(draft.get_absolute_url()).content.decode()
    # 360 rows: shown a hundred at a time, and every row needing a check listed on each page.
    assert page.count('class="import-row') == 100
    assert len(large) == len(small)
    with CaptureQueriesContext(connection) as last:
        page = office.get(f"{draft.get_absolute_url()}?page=4").content.decode()
    assert page.count('class="import-row') == 60
    assert len(last) == len(small)


def test_the_revision_review_runs_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    office = demo_client("vanphong")
    xlsx = appendix_xlsx(plan_from_json(revised_seed(demo)))
    upload(
        office, SimpleUploadedFile("dieu-chinh.xlsx", xlsx), f"/ke-hoach/{demo.pk}/nhap-dieu-chinh/"
    )
    draft = ImportDraft.objects.get()
    with django_assert_max_num_queries(REVISION_REVIEW_QUERIES):
        assert office.get(draft.get_absolute_url()).status_code == 200


def test_the_upload_page_runs_a_fixed_number_of_queries(
    office, draft, django_assert_max_num_queries
):
    with django_assert_max_num_queries(UPLOAD_QUERIES):
        assert office.get("/nhap-ke-hoach/").status_code == 200


def test_the_plan_heading_is_edited_with_its_date_written_dd_mm_yyyy(demo, office, draft):
    fields = review_fields(office, draft)
    fields["plan-issued_on"] = "05/01/2026"
    fields["plan-title"] = "Kế hoạch CCHC năm 2026 (bản nhập)"

    submit_review(office, draft, fields, confirm=True)

    plan = Plan.objects.get(title="Kế hoạch CCHC năm 2026 (bản nhập)")
    assert plan.issued_on.isoformat() == "2026-01-05"
