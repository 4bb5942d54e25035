"""Failures a clerk can read: the database away, the disk full, a file gone — in Vietnamese,
and never at the cost of the text the person typed."""

import errno
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import RequestFactory

from partrack import failures, files
from partrack.documents import libreoffice
from partrack.plans import services as plan_services
from partrack.plans.models import Evidence, ProgressUpdate
from partrack.reporting import services as report_services
from partrack.reporting.models import ReportFile
from tests.conftest import post_form
from tests.files import PDF

pytestmark = pytest.mark.django_db

TYPED = "Đã trình dự thảo Nghị quyết lên Ban Thường vụ ngày 04/3"
DATABASE_MESSAGE = "máy chủ tạm thời không kết nối được cơ sở dữ liệu"
DISK_MESSAGE = "ổ đĩa của máy chủ đã đầy"


def progress(world, **fields):
    return {
        "status": "in_progress",
        "percent": "40",
        "narrative": TYPED,
        "done_on": "",
        "version": str(world.task.version),
        **fields,
    }


def with_evidence(world):
    return progress(
        world,
        evidence_number="112/TTr-SKHCN",
        evidence_date="04/03/2026",
        evidence_summary="Tờ trình dự thảo Nghị quyết",
        evidence_file=SimpleUploadedFile("to-trinh.pdf", PDF),
    )


def fails_with(code):
    """An os.fsync that fails as a full or read-only disk does, once the file was written."""

    def fsync(descriptor):
        raise OSError(code, "simulated")

    return fsync


def test_a_progress_save_that_loses_the_database_shows_the_form_again_with_the_typed_text(world):
    client = world.client(world.lead_member)
    url = f"/nhiem-vu/{world.task.pk}/tien-do/"
    with mock.patch.object(
        plan_services, "record_progress", side_effect=OperationalError("server closed")
    ):
        response = post_form(client, url, progress(world))
    page = response.content.decode()
    assert response.status_code == 503
    assert DATABASE_MESSAGE in page
    assert TYPED in page
    assert 'value="40"' in page
    assert not ProgressUpdate.objects.exists()


def test_an_evidence_upload_on_a_full_disk_saves_nothing_and_keeps_the_typed_text(world):
    client = world.client(world.lead_member)
    url = f"/nhiem-vu/{world.task.pk}/tien-do/"
    with mock.patch.object(files.os, "fsync", fails_with(errno.ENOSPC)):
        response = post_form(client, url, with_evidence(world))
    page = response.content.decode()
    assert response.status_code == 503
    assert DISK_MESSAGE in page
    assert "Tệp đính kèm cần chọn lại." in page
    assert TYPED in page
    assert "112/TTr-SKHCN" in page
    assert not ProgressUpdate.objects.exists()
    assert not Evidence.objects.exists()
    world.task.refresh_from_db()
    assert world.task.percent == 0


def test_an_evidence_upload_to_a_read_only_media_folder_says_so(world):
    client = world.client(world.lead_member)
    url = f"/nhiem-vu/{world.task.pk}/tien-do/"
    with mock.patch.object(files.os, "fsync", fails_with(errno.EROFS)):
        response = post_form(client, url, with_evidence(world))
    assert response.status_code == 503
    assert "không ghi được tệp vào thư mục lưu trữ" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_unit_report_save_that_loses_the_database_keeps_every_typed_text(world):
    period = world.plan.periods.get(kind="q1")
    report = report_services.start_unit_report(period=period, unit=world.lead_unit)
    entry = report.entries.get()
    client = world.client(world.lead_member)
    url = f"/ky-bao-cao/{period.pk}/don-vi/{world.lead_unit.pk}/luu/"
    data = {
        "results": "Kết quả nổi bật của quý I",
        "difficulties": "Thiếu cán bộ chuyên trách",
        "proposals": "",
        "lock_version": str(report.lock_version),
        f"entry-{entry.pk}": "Đã ban hành kế hoạch chuyển đổi số",
    }
    failure = OSError(errno.ENOSPC, "No space left on device")
    with mock.patch.object(report_services, "save_unit_report", side_effect=failure):
        response = post_form(client, url, data)
    page = response.content.decode()
    assert response.status_code == 503
    assert DISK_MESSAGE in page
    for typed in ("Kết quả nổi bật của quý I", "Thiếu cán bộ chuyên trách", "Đã ban hành kế hoạch"):
        assert typed in page
    report.refresh_from_db()
    assert report.results == ""


def test_an_unrelated_os_error_is_not_dressed_up_as_a_disk_failure(world):
    client = world.client(world.lead_member)
    client.raise_request_exception = False
    with mock.patch.object(
        plan_services, "record_progress", side_effect=OSError(errno.EBADF, "bad descriptor")
    ):
        response = post_form(client, f"/nhiem-vu/{world.task.pk}/tien-do/", progress(world))
    assert response.status_code == 500
    assert "Đã có lỗi trên máy chủ" in response.content.decode()


def database_down():
    """Every new query fails the way a stopped server or a wrong port makes it fail."""
    refused = OperationalError('connection to server at "127.0.0.1", port 1 failed: refused')
    return mock.patch.object(connection, "ensure_connection", side_effect=refused)


def test_with_the_database_down_a_page_answers_a_vietnamese_503(world):
    client = world.client(world.lead_member)
    with database_down():
        response = client.get(f"/ke-hoach/{world.plan.pk}/")
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert "Tạm thời không kết nối được cơ sở dữ liệu" in page
    assert "thử lại sau vài phút" in page
    assert 'lang="vi"' in page


def test_a_form_posted_while_the_database_is_down_shows_its_text_to_copy(world):
    client = world.client(world.lead_member)
    client.get("/dang-nhap/")
    token = client.cookies["csrftoken"].value
    with database_down():
        response = client.post(
            f"/nhiem-vu/{world.task.pk}/tien-do/",
            {**progress(world), "csrfmiddlewaretoken": token},
        )
    page = response.content.decode()
    assert response.status_code == 503
    assert "Nội dung bạn vừa nhập (chưa được lưu)" in page
    assert "Kết quả thực hiện" in page
    assert TYPED in page
    assert token not in page


def test_a_missing_evidence_file_answers_a_vietnamese_410_not_a_500(world):
    client = world.client(world.lead_member)
    response = post_form(client, f"/nhiem-vu/{world.task.pk}/tien-do/", with_evidence(world))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    evidence.file.storage.delete(evidence.file.name)
    response = client.get(f"/minh-chung/{evidence.pk}/")
    assert response.status_code == 410
    assert "Tệp này không còn trên máy chủ" in response.content.decode()


def test_a_missing_evidence_file_stays_hidden_from_people_who_may_not_read_the_task(world):
    client = world.client(world.lead_member)
    post_form(client, f"/nhiem-vu/{world.task.pk}/tien-do/", with_evidence(world))
    evidence = Evidence.objects.get()
    evidence.file.storage.delete(evidence.file.name)
    assert world.client(world.outsider).get(f"/minh-chung/{evidence.pk}/").status_code == 404


def test_a_bug_answers_the_vietnamese_500_page(world):
    client = world.client(world.lead_member)
    client.raise_request_exception = False
    with mock.patch("partrack.plans.views.paginate", side_effect=RuntimeError("bug")):
        response = client.get(f"/ke-hoach/{world.plan.pk}/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Đã có lỗi trên máy chủ" in page
    assert "Server Error" not in page


def test_a_database_failure_outside_any_view_still_gets_the_503_page():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("the server closed the connection")
    except OperationalError:
        response = failures.server_error(request)
    assert response.status_code == 503
    assert "Tạm thời không kết nối được cơ sở dữ liệu" in response.content.decode()


def test_a_missing_report_file_answers_the_410_page(world, monkeypatch):
    monkeypatch.setattr(libreoffice, "program", lambda: None)  # no PDF preview
    period = world.plan.periods.get(kind="q1")
    client = world.client(world.coordinator)
    url = f"/ky-bao-cao/{period.pk}/bao-cao-tong-hop/"
    assert post_form(client, url + "xuat-tep/", {}).status_code == 302
    record = ReportFile.objects.filter(kind="docx").get()
    assert client.get(f"{url}tep/{record.pk}/").status_code == 200
    record.file.storage.delete(record.file.name)
    response = client.get(f"{url}tep/{record.pk}/")
    assert response.status_code == 410
    assert "khôi phục từ bản sao lưu" in response.content.decode()
