"""One plan per agency and year: a second import of the year is offered as a revision, a second
plan needs an explicit choice with a reason, and the web and the command save the same plan."""

import io
from io import StringIO

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from partrack.documents.models import ImportDraft
from partrack.plans import services
from partrack.plans.models import Plan, PlanEvent, ProgressUpdate
from tests.conftest import demo_client, post_form
from tests.documents.reading_support import seed_bytes
from tests.documents.test_import_web import (
    SEED_NAME,
    review_fields,
    seed_file,
    submit_review,
    upload,
)

pytestmark = pytest.mark.django_db

OFFER = "Sở đã có kế hoạch năm 2026 đang theo dõi"
REFUSAL = "Sở đã có kế hoạch năm này đang theo dõi."


@pytest.fixture
def office(demo):
    return demo_client("vanphong")


@pytest.fixture
def draft(office):
    upload(office, seed_file())
    return ImportDraft.objects.get()


def dated_seed():
    """The seed DOCX as issued: dated 15/01/2026 in its masthead."""
    document = docx.Document(io.BytesIO(seed_bytes("docx")))
    place_date = document.tables[0].rows[1].cells[1].paragraphs[0]
    for run in place_date.runs[1:]:
        run.text = ""
    place_date.runs[0].text = "Phú Thọ, ngày 15 tháng 01 năm 2026"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_importing_the_seed_docx_again_as_a_new_plan_is_refused_with_the_offer_to_revise(
    demo, office, draft
):
    page = office.get(draft.get_absolute_url()).content.decode()
    assert OFFER in page
    assert f'action="/nhap-ke-hoach/{draft.pk}/dieu-chinh/"' in page
    assert "Vẫn tạo kế hoạch thứ hai cho năm này" in page
    fields = review_fields(office, draft)
    fields["t-0-content"] = "Nội dung sửa trước khi xác nhận"

    response = submit_review(office, draft, fields, confirm=True, second_plan=False)

    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    assert Plan.objects.filter(agency=demo.agency).count() == 1
    draft.refresh_from_db()
    assert draft.plan is None
    # What was typed is kept in the draft, and the page says what to do.
    assert draft.rows()[0]["content"] == "Nội dung sửa trước khi xác nhận"
    assert REFUSAL in office.get(response["Location"]).content.decode()


def test_the_offer_turns_the_draft_into_a_revision_that_keeps_the_progress(demo, office, draft):
    progress = ProgressUpdate.objects.filter(task__plan=demo).count()

    response = post_form(office, f"/nhap-ke-hoach/{draft.pk}/dieu-chinh/", {"version": "1"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.target_plan == demo
    page = office.get(draft.get_absolute_url()).content.decode()
    assert "Thay đổi so với kế hoạch đang theo dõi" in page
    assert OFFER not in page
    submit_review(office, draft, review_fields(office, draft), confirm=True, second_plan=False)
    assert Plan.objects.filter(agency=demo.agency).count() == 1
    draft.refresh_from_db()
    assert draft.plan == demo
    assert ProgressUpdate.objects.filter(task__plan=demo).count() >= progress


def test_a_second_plan_without_a_reason_is_refused_with_a_message(demo, office, draft):
    fields = {**review_fields(office, draft), "plan-second_plan": "on", "confirm": "1"}
    response = post_form(office, draft.get_absolute_url(), fields)
    assert response.status_code == 400
    assert "Hãy ghi lý do cần thêm một kế hoạch cho cùng năm." in response.content.decode()
    assert Plan.objects.filter(agency=demo.agency).count() == 1


def test_a_second_plan_with_a_reason_is_made_and_the_reason_kept_in_its_history(
    demo, office, draft
):
    fields = {
        **review_fields(office, draft),
        "plan-second_plan": "on",
        "plan-second_plan_reason": "Kế hoạch riêng của Trung tâm",
        "confirm": "1",
    }
    response = post_form(office, draft.get_absolute_url(), fields)
    plan = Plan.objects.exclude(pk=demo.pk).get(agency=demo.agency)
    assert response["Location"] == plan.get_absolute_url()
    event = plan.events.get(kind=PlanEvent.Kind.CREATED)
    assert event.author.username == "vanphong"
    assert "Lý do: Kế hoạch riêng của Trung tâm" in event.narrative
    assert f"{SEED_NAME}.docx" in event.narrative
    assert (
        "Kế hoạch riêng của Trung tâm"
        in office.get(f"/ke-hoach/{plan.pk}/thong-tin/").content.decode()
    )


def test_once_the_years_plan_is_archived_a_new_import_needs_no_reason(demo, office, draft):
    services.archive_plan(plan=demo, by=draft.uploaded_by, reason="Tạo nhầm")
    page = office.get(draft.get_absolute_url()).content.decode()
    assert OFFER not in page
    submit_review(office, draft, review_fields(office, draft), confirm=True, second_plan=False)
    assert Plan.objects.current().filter(agency=demo.agency).count() == 1


def snapshot(plan):
    """Everything saved of a plan, its tasks and their units, without ids and times."""
    fields = [
        "year",
        "title",
        "symbol",
        "issued_on",
        "legal_basis",
        "signer_on_behalf",
        "signer_title",
        "signer_name",
        "recipients",
        "rules",
        "status",
    ]
    return {
        "plan": {name: getattr(plan, name) for name in fields},
        "areas": list(plan.areas.values_list("order", "numeral", "title")),
        "tasks": [
            (
                task.area.order,
                task.order,
                task.number,
                task.content,
                task.deliverable,
                task.lead_names,
                task.coordinating_names,
                task.outside_bodies,
                task.deadline_text,
                task.deadline_kind,
                task.due_date,
                task.condition,
                task.note,
                task.extra,
                task.search_text,
                sorted(u.name for u in task.lead_units.all()),
                sorted(u.name for u in task.coordinating_units.all()),
            )
            for task in plan.tasks.select_related("area").prefetch_related(
                "lead_units", "coordinating_units"
            )
        ],
        "periods": list(
            plan.periods.values_list("kind", "starts_on", "ends_on", "unit_due", "agency_due")
        ),
    }


def test_the_web_and_the_command_save_the_same_plan_from_the_seed_docx(demo, office, tmp_path):
    services.archive_plan(plan=demo, by=None, reason="Nhường chỗ cho bản nhập thử")
    content = dated_seed()
    upload(office, SimpleUploadedFile(f"{SEED_NAME}.docx", content))
    draft = ImportDraft.objects.get()
    submit_review(office, draft, review_fields(office, draft), confirm=True, second_plan=False)
    from_web = Plan.objects.current().get(agency=demo.agency)
    services.archive_plan(plan=from_web, by=None, reason="Nhường chỗ cho dòng lệnh")
    path = tmp_path / f"{SEED_NAME}.docx"
    path.write_bytes(content)

    call_command("import_plan", str(path), "--agency", "SKHCN", stdout=StringIO())

    from_command = Plan.objects.current().get(agency=demo.agency)
    web, command = snapshot(from_web), snapshot(from_command)
    assert web["plan"]["issued_on"].isoformat() == "2026-01-15"
    assert web["plan"]["legal_basis"].startswith("Thực hiện Nghị quyết số 76/NQ-CP")
    assert web["plan"]["rules"]["inspection"]["share_of_units"] == 0.25
    assert web["plan"]["recipients"][-1] == "Lưu: VT, VP (Ngh)"
    assert (web["plan"]["signer_on_behalf"], web["plan"]["signer_name"]) == (
        "KT. GIÁM ĐỐC",
        "Nguyễn Duy Anh",
    )
    assert len(web["tasks"]) == 36
    assert web == command
    # Each says where it came from; the command has no person behind it.
    assert from_command.events.get(kind=PlanEvent.Kind.CREATED).author is None
