"""The self-assessment table as XLSX and DOCX, and the evidence bundle with its checksums."""

import csv
import hashlib
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from partrack.indices import services
from tests.conftest import client_as
from tests.full_disk import files_under, full_disk
from tests.indices.test_self_assessment import PDF, add_evidence

D = Decimal
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def filled(iw):
    iw.fill_all(share=D("0.5"))
    task_evidence = add_evidence(iw, iw.task, "15/KH-SKHCN", with_file=True)
    services.link_source(
        score=iw.score("I.1.a"),
        by=iw.coordinator,
        source_key="task_evidence",
        object_id=task_evidence.pk,
    )
    services.upload_evidence(
        score=iw.score("I.1.a"),
        by=iw.coordinator,
        upload=SimpleUploadedFile("anh-niem-yet.png", PNG),
        label="Ảnh niêm yết",
    )
    services.upload_evidence(
        score=iw.score("VII.1"),
        by=iw.coordinator,
        upload=SimpleUploadedFile("bao-cao.pdf", PDF + b"vii"),
        label="",
    )
    no_file = add_evidence(iw, iw.task, "16/KH-SKHCN")
    services.link_source(
        score=iw.score("I.3.a"), by=iw.coordinator, source_key="task_evidence", object_id=no_file.pk
    )
    return iw


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_the_bundle_holds_a_folder_per_criterion_and_checksums_that_match_the_files(filled):
    client = client_as(filled.coordinator)
    data = download(client, f"/chi-so/tu-danh-gia/{filled.sa.pk}/minh-chung.zip")

    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    files = [n for n in names if "/" in n]
    assert sorted(n.split("/")[0] for n in files) == [
        "I-1-a-Ban-hanh-ke-hoach-CCHC-nam-dung-thoi-han",
        "I-1-a-Ban-hanh-ke-hoach-CCHC-nam-dung-thoi-han",
        "VII-1-Quan-ly-van-ban-dien-tu-va-chu-ky-so",
    ]
    sums = dict(
        reversed(line.split("  ", 1))
        for line in archive.read("SHA256SUMS.txt").decode().splitlines()
    )
    assert set(sums) == set(files)
    for name in files:
        assert hashlib.sha256(archive.read(name)).hexdigest() == sums[name]
    # The checksums are those of the stored originals, not only of what the zip holds.
    originals = {
        hashlib.sha256(PDF + b"15/KH-SKHCN").hexdigest(),
        hashlib.sha256(PNG).hexdigest(),
        hashlib.sha256(PDF + b"vii").hexdigest(),
    }
    assert set(sums.values()) == originals
    index = list(csv.reader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    assert index[0] == [
        "Mã tiêu chí",
        "Tiêu chí",
        "Tài liệu",
        "Tệp trong gói",
        "Kích thước",
        "SHA-256",
    ]
    # The evidence without a file is listed, with no file and no checksum.
    no_file_rows = [row for row in index[1:] if row[3] == ""]
    assert [row[0] for row in no_file_rows] == ["I.3.a"]
    assert "16/KH-SKHCN" in no_file_rows[0][2]


def test_the_bundle_is_streamed(filled):
    response = client_as(filled.coordinator).get(
        f"/chi-so/tu-danh-gia/{filled.sa.pk}/minh-chung.zip"
    )

    assert response.streaming
    assert (
        response["Content-Disposition"] == 'attachment; filename="minh-chung-cchc-2026-SKHCN.zip"'
    )


def test_the_xlsx_table_lists_every_criterion_with_its_score_and_evidence(filled):
    data = download(client_as(filled.coordinator), f"/chi-so/tu-danh-gia/{filled.sa.pk}/bang.xlsx")

    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2026"
    by_code = {row[0]: row for row in rows[4:] if row[0]}
    assert len(by_code) == filled.criteria_set.criteria.count()
    assert by_code["I.1.a"][3] == 1.5  # the top option
    assert "15/KH-SKHCN" in by_code["I.1.a"][5]
    assert "[I-1-a-Ban-hanh-ke-hoach-CCHC-nam-dung-thoi-han/01-ke-hoach.pdf]" in by_code["I.1.a"][5]
    # An area's figure is the sum of its criteria, counted here independently.
    leaves_of_vii = [
        s.self_score for s in filled.sa.scores.filter(criterion__code__startswith="VII.")
    ]
    assert D(str(by_code["VII"][3])) == sum(leaves_of_vii)
    total = rows[-1]
    expected = sum(s.self_score for s in filled.sa.scores.filter(criterion__kind="normal"))
    # Without the survey: rescaled from 70 to 100 points.
    assert D(str(total[3])) == (expected * 100 / 70).quantize(D("0.01"))


def test_the_docx_table_is_in_the_state_format_with_the_same_figures(filled):
    data = download(client_as(filled.leader), f"/chi-so/tu-danh-gia/{filled.sa.pk}/bang.docx")

    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM" in text
    assert "Chỉ số cải cách hành chính năm 2026 của Sở KH&CN" in text
    header = document.tables[0]
    assert header.cell(0, 1).text.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    table = document.tables[1]
    cells = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows}
    assert cells["VII.1"][3] == "2"
    assert "Bao-cao" in cells["VII.1"][5] or "bao-cao" in cells["VII.1"][5]
    expected = sum(s.self_score for s in filled.sa.scores.filter(criterion__kind="normal"))
    total = [row for row in table.rows if row.cells[1].text == "TỔNG ĐIỂM"][0]
    assert total.cells[
        3
    ].text == f"{(expected * 100 / 70).quantize(D('0.01')).normalize():f}".replace(".", ",")


def test_a_unit_member_gets_no_table_nor_bundle(filled):
    client = client_as(filled.lead_member)

    assert client.get(f"/chi-so/tu-danh-gia/{filled.sa.pk}/bang.xlsx").status_code == 403
    assert client.get(f"/chi-so/tu-danh-gia/{filled.sa.pk}/minh-chung.zip").status_code == 403


def test_a_full_disk_during_an_upload_keeps_nothing_and_says_so_in_vietnamese(iw, settings):
    score = iw.score("I.4")
    upload = SimpleUploadedFile("a.pdf", PDF)
    with full_disk() as writes, pytest.raises(ValidationError) as error:
        services.upload_evidence(score=score, by=iw.coordinator, upload=upload, label="")
    assert writes  # the file was tried, and refused
    [message] = error.value.messages
    assert "ổ đĩa của máy chủ đã đầy" in message and "No space" not in message
    assert not score.evidence_links.exists()
    assert not score.changes.filter(step="evidence").exists()
    assert files_under(Path(settings.MEDIA_ROOT)) == []


def test_the_bundle_is_streamed_from_memory_so_a_full_disk_does_not_stop_it(filled, settings):
    kept = files_under(Path(settings.MEDIA_ROOT))
    client = client_as(filled.coordinator)
    with full_disk() as writes:
        data = download(client, f"/chi-so/tu-danh-gia/{filled.sa.pk}/minh-chung.zip")
    assert writes == []  # nothing was even tried on the disk
    assert files_under(Path(settings.MEDIA_ROOT)) == kept
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert len([n for n in archive.namelist() if "/" in n]) == 3
    sums = archive.read("SHA256SUMS.txt").decode().splitlines()
    assert hashlib.sha256(PNG).hexdigest() in "\n".join(sums)


def test_a_file_gone_from_the_disk_is_reported_in_the_bundle_and_the_rest_delivered(filled):
    link = filled.score("VII.1").evidence_links.get()
    link.file.storage.delete(link.file.name)

    data = download(
        client_as(filled.coordinator), f"/chi-so/tu-danh-gia/{filled.sa.pk}/minh-chung.zip"
    )

    archive = zipfile.ZipFile(io.BytesIO(data))
    assert len([n for n in archive.namelist() if "/" in n]) == 2
    index = archive.read("index.csv").decode("utf-8-sig")
    assert "VII.1" in index and "không đọc được tệp: FileNotFoundError" in index


def test_unit_reports_and_saved_report_versions_are_evidence_too(iw):
    from django.core.files.base import ContentFile

    from partrack.reporting.models import ConsolidatedReport, ReportFile, UnitReport

    period = iw.plan.periods.get(kind="q1")
    draft_report = UnitReport.objects.create(period=period, unit=iw.helping_unit)
    sent_report = UnitReport.objects.create(
        period=period, unit=iw.lead_unit, status=UnitReport.Status.SUBMITTED
    )
    consolidated = ConsolidatedReport.objects.create(period=period, created_by=iw.coordinator)
    version = ReportFile(
        report=consolidated, version=2, kind="docx", sha256="x", created_by=iw.coordinator
    )
    version.file.save("r.docx", ContentFile(b"PK\x03\x04 report v2"), save=False)
    version.save()
    score = iw.score("I.2")

    with pytest.raises(ValidationError, match="Không tìm thấy"):
        services.link_source(
            score=score, by=iw.coordinator, source_key="unit_report", object_id=draft_report.pk
        )  # a draft is not evidence
    services.link_source(
        score=score, by=iw.coordinator, source_key="unit_report", object_id=sent_report.pk
    )
    services.link_source(
        score=score, by=iw.coordinator, source_key="report_file", object_id=version.pk
    )

    assert [link.label for link in score.evidence_links.all()] == [
        "Báo cáo Quý I 2026 của Phòng Chuyển đổi số",
        "Báo cáo tổng hợp Quý I 2026, phiên bản 2 (Word (DOCX))",
    ]
    data = download(client_as(iw.coordinator), f"/chi-so/tu-danh-gia/{iw.sa.pk}/minh-chung.zip")
    archive = zipfile.ZipFile(io.BytesIO(data))
    name = next(n for n in archive.namelist() if n.startswith("I-2-"))
    assert name.endswith("/01-bao-cao-tong-hop-v2.docx")
    assert archive.read(name) == b"PK\x03\x04 report v2"


def test_a_label_that_looks_like_a_formula_is_text_in_the_bundle_index(iw):
    services.upload_evidence(
        score=iw.score("I.4"),
        by=iw.coordinator,
        upload=SimpleUploadedFile("a.pdf", PDF),
        label='=HYPERLINK("http://x.invalid","Bấm")',
    )

    data = download(client_as(iw.coordinator), f"/chi-so/tu-danh-gia/{iw.sa.pk}/minh-chung.zip")

    index = zipfile.ZipFile(io.BytesIO(data)).read("index.csv").decode("utf-8-sig")
    row = next(csv.reader(io.StringIO(line)) for line in index.splitlines() if "HYPERLINK" in line)
    assert next(row)[2].startswith("'=HYPERLINK")
