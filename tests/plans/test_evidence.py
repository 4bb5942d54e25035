"""Evidence: what proves a task done, checked by content, served only to its readers."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from partrack.plans.models import Evidence, ProgressUpdate, Status
from partrack.plans.services import add_contribution
from tests.conftest import client_as, post_form

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes():
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("Quyết định số 12/QĐ-SKHCN")
    document.save(buffer)
    return buffer.getvalue()


def post_progress(client, task, **fields):
    data = {
        "status": "done",
        "percent": "100",
        "narrative": "Đã xong",
        "done_on": "01/03/2026",
        "version": str(task.version),
        **fields,
    }
    return post_form(client, f"/nhiem-vu/{task.pk}/tien-do/", data)


def test_done_without_evidence_or_reason_is_refused_with_the_rule(world):
    client = world.client(world.lead_member)
    response = post_progress(client, world.task)
    assert response.status_code == 400
    assert "cần ít nhất một minh chứng" in response.content.decode()
    world.task.refresh_from_db()
    assert world.task.status == Status.NOT_STARTED


def test_done_with_a_written_reason_instead_of_evidence(world):
    response = post_progress(
        world.client(world.lead_member), world.task, no_evidence_reason="Văn bản mật"
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().no_evidence_reason == "Văn bản mật"


def test_evidence_file_is_kept_with_its_document_details_and_cited_by_number_and_date(world):
    upload = SimpleUploadedFile("quyet-dinh.pdf", PDF, content_type="application/pdf")
    response = post_progress(
        world.client(world.lead_member),
        world.task,
        evidence_number="12/QĐ-SKHCN",
        evidence_date="28/02/2026",
        evidence_summary="Quyết định ban hành quy chế",
        evidence_file=upload,
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.file_type, evidence.file_name) == ("pdf", "quyet-dinh.pdf")
    assert evidence.citation() == (
        "Văn bản số 12/QĐ-SKHCN ngày 28/02/2026: Quyết định ban hành quy chế"
    )
    page = world.client(world.leader).get(world.task.get_absolute_url()).content.decode()
    assert "Văn bản số 12/QĐ-SKHCN ngày 28/02/2026" in page


def test_a_docx_is_recognised_by_its_content_whatever_its_name(world):
    upload = SimpleUploadedFile("bao-cao.bin", docx_bytes())
    response = post_progress(
        world.client(world.lead_member),
        world.task,
        evidence_number="5/BC-CĐS",
        evidence_file=upload,
    )
    assert response.status_code == 302
    assert Evidence.objects.get().file_type == "docx"


@pytest.mark.parametrize(
    "content", [b"MZ\x90\x00 not a document", b"just text", b"PK\x03\x04broken"]
)
def test_a_file_that_is_not_a_document_or_image_is_refused_whatever_its_name(world, content):
    upload = SimpleUploadedFile("minh-chung.pdf", content, content_type="application/pdf")
    response = post_progress(
        world.client(world.lead_member), world.task, evidence_number="1/BC", evidence_file=upload
    )
    assert response.status_code == 400
    assert "Chỉ nhận tệp PDF, DOCX, XLSX hoặc ảnh PNG, JPEG." in response.content.decode()
    assert not Evidence.objects.exists() and not ProgressUpdate.objects.exists()


def test_a_file_over_the_size_limit_is_refused(world, settings):
    settings.PARTRACK_MAX_EVIDENCE_MB = 1
    upload = SimpleUploadedFile("lon.pdf", PDF + b"0" * (1024 * 1024))
    response = post_progress(
        world.client(world.lead_member), world.task, evidence_number="1/BC", evidence_file=upload
    )
    assert response.status_code == 400
    assert "Tệp vượt quá 1 MB." in response.content.decode()


def test_evidence_file_is_served_only_to_people_who_may_read_the_task(world):
    post_progress(
        world.client(world.lead_member),
        world.task,
        evidence_number="1/BC",
        evidence_file=SimpleUploadedFile("a.pdf", PDF),
    )
    url = Evidence.objects.get().get_absolute_url()
    response = world.client(world.leader).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="a.pdf"' in response["Content-Disposition"]
    assert world.client(world.outsider).get(url).status_code == 404
    assert client_as().get(url).status_code == 302


def test_a_link_is_evidence_too(world):
    response = post_progress(
        world.client(world.lead_member),
        world.task,
        evidence_url="https://skhcn.phutho.gov.vn/tin/123",
    )
    assert response.status_code == 302
    assert Evidence.objects.get().url == "https://skhcn.phutho.gov.vn/tin/123"


def test_lead_unit_cites_a_contribution_of_a_coordinating_unit(world):
    contribution = add_contribution(
        task=world.task,
        by=world.helping_member,
        unit=world.helping_unit,
        narrative="Đã góp ý kinh phí",
    )
    page = world.client(world.lead_member).get(world.task.get_absolute_url()).content.decode()
    assert "Đã góp ý kinh phí" in page  # the lead unit sees it and may tick it
    response = post_progress(
        world.client(world.lead_member),
        world.task,
        no_evidence_reason="Chưa có văn bản",
        cited=[contribution.pk],
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.filter(kind="update").get()
    assert list(update.cited.all()) == [contribution]
    page = world.client(world.leader).get(world.task.get_absolute_url()).content.decode()
    assert "Trích dẫn đóng góp của Phòng Kế hoạch Tài chính" in page


def test_evidence_dated_in_the_future_is_refused(world):
    response = post_progress(
        world.client(world.lead_member),
        world.task,
        evidence_number="1/BC",
        evidence_date="01/01/2099",
    )
    assert response.status_code == 400
    assert "Ngày văn bản không thể sau hôm nay." in response.content.decode()


def test_work_in_progress_needs_no_evidence(world):
    response = post_form(
        world.client(world.lead_member),
        f"/nhiem-vu/{world.task.pk}/tien-do/",
        {
            "status": "in_progress",
            "percent": "10",
            "narrative": "",
            "done_on": "",
            "version": "1",
        },
    )
    assert response.status_code == 302
    assert not Evidence.objects.exists()
