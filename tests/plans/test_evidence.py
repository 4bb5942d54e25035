"""Evidence: what proves a task done, checked by content, served only to its readers."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partrack.plans.models import Evidence, ProgressUpdate, Status
from partrack.plans.services import add_contribution
from tests.conftest import client_as, post_form
from tests.files import PDF, docx_bytes, image_bytes, pdf_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


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


# What a file is comes from its content, never from its uploader (issue 10).


def upload_evidence(world, name, content, content_type="application/octet-stream"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return post_progress(
        world.client(world.lead_member), world.task, evidence_number="1/BC", evidence_file=upload
    )


def assert_refused(response, message):
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evidence.objects.exists() and not ProgressUpdate.objects.exists()


def download(world, evidence):
    response = world.client(world.leader).get(evidence.get_absolute_url())
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_a_file_that_starts_like_a_pdf_but_holds_a_web_page_is_refused(world):
    polyglot = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    response = upload_evidence(world, "cong-van.pdf", polyglot, "application/pdf")
    assert_refused(response, "Tệp bắt đầu như một tệp PDF nhưng không mở được như PDF")


def test_a_real_pdf_carrying_a_web_page_near_its_start_is_refused(world):
    polyglot = pdf_bytes(comment=b"%<html><script>fetch('/quan-tri/')</script></html>\n")
    response = upload_evidence(world, "cong-van.pdf", polyglot, "application/pdf")
    assert_refused(response, "Tệp có chứa mã trang web (HTML)")


def test_a_program_named_pdf_is_refused_with_what_is_wrong(world):
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00"
    response = upload_evidence(world, "cong-van.pdf", program, "application/pdf")
    assert_refused(
        response,
        "Tệp mang đuôi .pdf nhưng nội dung không phải tệp PDF. "
        "Chỉ nhận tệp PDF, DOCX, XLSX hoặc ảnh PNG, JPEG.",
    )


def test_a_pdf_that_has_no_page_is_refused(world):
    empty = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert_refused(upload_evidence(world, "a.pdf", empty), "không mở được như PDF")


def test_a_pdf_uploaded_as_a_web_page_is_stored_and_served_as_a_pdf(world):
    response = upload_evidence(world, "evil.html", PDF, "text/html")
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.file_name == "evil.html"  # kept to show people
    assert Path(evidence.file.name).suffix == ".pdf"
    assert "evil" not in evidence.file.name
    response, content = download(world, evidence)
    assert content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="evil.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_pdf_named_like_a_program_downloads_as_a_pdf(world):
    assert upload_evidence(world, "cong-van.PDF.exe", PDF).status_code == 302
    evidence = Evidence.objects.get()
    assert Path(evidence.file.name).suffix == ".pdf"
    response, _content = download(world, evidence)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="cong-van.PDF.pdf"'


@pytest.mark.parametrize(
    ("name", "content", "file_type", "suffix", "content_type"),
    [
        (
            "so-lieu.bin",
            xlsx_bytes(),
            "xlsx",
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "quyet-dinh.xlsx",
            docx_bytes(),
            "docx",
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("anh-hoi-nghi.jpg", image_bytes("PNG"), "png", ".png", "image/png"),
        ("anh-hoi-nghi.png", image_bytes("JPEG"), "jpeg", ".jpg", "image/jpeg"),
    ],
)
def test_documents_and_pictures_are_stored_and_served_as_what_they_are(
    world, name, content, file_type, suffix, content_type
):
    assert upload_evidence(world, name, content).status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.file_type, Path(evidence.file.name).suffix) == (file_type, suffix)
    response, served = download(world, evidence)
    assert served == content
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].endswith(f'{suffix}"')
    assert response["X-Content-Type-Options"] == "nosniff"


def ooxml_with(replace):
    """A real .docx with some of its parts replaced (name → bytes, or None to drop it)."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = replace.get(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content)
        for name, content in replace.items():
            if name not in source.namelist() and content is not None:
                target.writestr(name, content)
    return buffer.getvalue()


def test_a_word_package_whose_main_part_is_not_a_document_is_refused(world):
    broken = ooxml_with({"word/document.xml": b"<html><body>not a document</body></html>"})
    assert_refused(upload_evidence(world, "bc.docx", broken), "không mở được như DOCX")


def test_a_word_package_that_declares_no_word_document_is_refused(world):
    types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
    )
    broken = ooxml_with({"[Content_Types].xml": types})
    assert_refused(upload_evidence(world, "bc.docx", broken), "không mở được như DOCX")


def test_a_package_with_macros_is_refused(world):
    with_macros = ooxml_with({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"})
    assert_refused(upload_evidence(world, "bc.docx", with_macros), "Tệp có macro không được nhận")


def test_a_package_that_unpacks_too_large_is_refused_before_it_is_read(world, monkeypatch):
    from partrack.plans import evidence

    monkeypatch.setattr(evidence, "MAX_UNPACKED_BYTES", 1000)
    assert_refused(upload_evidence(world, "bc.docx", docx_bytes()), "không mở được như DOCX")


def test_a_picture_that_does_not_decode_is_refused(world):
    truncated = image_bytes("PNG")[:40]
    assert_refused(upload_evidence(world, "anh.png", truncated), "không mở được như PNG")


@pytest.mark.parametrize(
    "catalog",
    [
        b"/OpenAction << /S /JavaScript /JS (app.launchURL('http://attacker.example/')) >> ",
        b"/OpenAction << /S /Launch /F (cmd.exe) >> ",
        b"/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (1) >>] >> >> ",
        b"/Names << /EmbeddedFiles << /Names [] >> >> ",
        b"/AA << /WC << /S /JavaScript /JS (1) >> >> ",
    ],
)
def test_a_pdf_that_runs_code_when_opened_or_carries_files_is_refused(world, catalog):
    response = upload_evidence(world, "bc.pdf", pdf_bytes(catalog=catalog))
    assert_refused(response, "Tệp PDF có mã tự chạy (JavaScript, lệnh mở chương trình)")


def test_a_pdf_that_opens_at_its_first_page_is_a_plain_pdf(world):
    opens_at_page_one = pdf_bytes(catalog=b"/OpenAction [3 0 R /XYZ null null 0] ")
    assert upload_evidence(world, "bc.pdf", opens_at_page_one).status_code == 302
