"""The consolidated report's page: who may read, edit and produce; versions kept byte for byte."""

import csv
import hashlib
import io
import re
import stat

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from partrack.documents import libreoffice
from partrack.plans.models import Plan, ReportingPeriod, Task
from partrack.reporting import assembly
from partrack.reporting.models import ConsolidatedReport, ReportFile
from tests.conftest import client_as, demo_client, post_form
from tests.plans.test_query_counts import grow_to

pytestmark = pytest.mark.django_db

DRAFTED_AT = "2026-03-18 10:00 +07:00"
# 5 of them for the sections partrack.activities registers (reporting.sections); 1 for the
# extensions granted by the report's day (issue 14).
SECTION_QUERIES = 5
# 2 for the report's way up the chain: its history, and the leaders the office may ask.
MAX_QUERIES = 17 + SECTION_QUERIES + 2


@pytest.fixture
def no_libreoffice(monkeypatch):
    monkeypatch.setattr(libreoffice, "program", lambda: None)


@pytest.fixture
def q1(demo):
    return ReportingPeriod.objects.get(plan=demo, kind="q1")


@pytest.fixture
def world_q1(world):
    return ReportingPeriod.objects.select_related("plan__agency").get(plan=world.plan, kind="q1")


def page(period, action=""):
    url = f"/ky-bao-cao/{period.pk}/bao-cao-tong-hop/"
    return url + (f"{action}/" if action else "")


def form_data(client, period):
    """What the edit form holds when the office opens the page: every field's current value."""
    form = client.get(page(period)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["issued_on"] = ""
    return {k: "" if v is None else v for k, v in data.items()}


def produce(client, period):
    response = post_form(client, page(period, "xuat-tep"), {})
    assert response.status_code == 302
    return ConsolidatedReport.objects.get(period=period)


def docx_texts(content):
    document = Document(io.BytesIO(content))
    return [p.text for p in document.paragraphs]


# Who may do what.


def test_anonymous_visitors_are_sent_to_sign_in(world, world_q1):
    client = client_as(None)
    for url in (page(world_q1), f"{page(world_q1)}tep/1/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    for action in ("luu", "soan-lai", "xuat-tep"):
        response = post_form(client, page(world_q1, action), {})
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert not ConsolidatedReport.objects.exists()


def test_another_agency_sees_no_such_report(world, world_q1, no_libreoffice):
    office = world.client(world.coordinator)
    report = produce(office, world_q1)
    record = report.files.get(kind="docx")
    outsider = world.client(world.outsider)
    assert outsider.get(page(world_q1)).status_code == 404
    assert outsider.get(record.get_absolute_url()).status_code == 404
    for action in ("luu", "soan-lai", "xuat-tep"):
        assert post_form(outsider, page(world_q1, action), {}).status_code == 404
    assert report.files.count() == 3


def test_leaders_viewers_and_members_read_and_download_but_cannot_write(
    world, world_q1, no_libreoffice
):
    report = produce(world.client(world.coordinator), world_q1)
    record = report.files.get(kind="docx")
    for reader in (world.leader, world.viewer, world.lead_member):
        client = world.client(reader)
        response = client.get(page(world_q1))
        assert response.status_code == 200, reader
        assert response.context["form"] is None
        assert 'id="narrative-form"' not in response.content.decode()
        assert client.get(record.get_absolute_url()).status_code == 200
        for action in ("luu", "soan-lai", "xuat-tep"):
            status = post_form(client, page(world_q1, action), {"version": 1}).status_code
            assert status == 403, (reader, action)
    assert report.files.count() == 3
    assert ConsolidatedReport.objects.get().version == 1


def test_the_province_reads_only_the_issued_version_never_the_draft(
    world, world_q1, no_libreoffice
):
    report = produce(world.client(world.coordinator), world_q1)
    draft_file = report.files.get(kind="docx")
    client = world.client(world.province_viewer)
    html = client.get(page(world_q1)).content.decode()
    assert "chưa ban hành báo cáo tổng hợp" in html
    assert 'id="narrative-form"' not in html and "Số liệu đánh giá" not in html
    assert client.get(draft_file.get_absolute_url()).status_code == 404
    report.files.filter(version=1, kind="docx").update(issued=True)
    # A version kept by the office is not yet the issued report: the leaders approve it first.
    assert "chưa ban hành báo cáo tổng hợp" in client.get(page(world_q1)).content.decode()
    ConsolidatedReport.objects.filter(pk=report.pk).update(status=ConsolidatedReport.Status.ISSUED)
    html = client.get(page(world_q1)).content.decode()
    assert draft_file.get_absolute_url() in html
    assert "Số liệu đánh giá" not in html  # the office's working page stays its own
    assert client.get(draft_file.get_absolute_url()).status_code == 200
    other = report.files.exclude(kind="docx").first()
    assert client.get(other.get_absolute_url()).status_code == 404
    for action in ("luu", "soan-lai", "xuat-tep"):
        assert post_form(client, page(world_q1, action), {"version": 1}).status_code == 403


def test_a_file_of_another_period_is_not_found_under_this_one(world, world_q1, no_libreoffice):
    report = produce(world.client(world.coordinator), world_q1)
    record = report.files.get(kind="docx")
    h1 = ReportingPeriod.objects.get(plan=world.plan, kind="h1")
    client = world.client(world.leader)
    assert client.get(f"{page(h1)}tep/{record.pk}/").status_code == 404


def test_the_period_board_links_to_the_consolidated_report(world, world_q1):
    html = world.client(world.leader).get(f"/ky-bao-cao/{world_q1.pk}/").content.decode()
    assert f'href="{page(world_q1)}"' in html and "Báo cáo tổng hợp" in html


# Editing the narrative.


@time_machine.travel(DRAFTED_AT)
def test_the_office_sees_the_draft_edits_it_and_the_word_file_carries_the_edit(q1, no_libreoffice):
    office = demo_client("vanphong")
    response = office.get(page(q1))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Văn phòng chưa lưu nội dung" in html
    assert "Nhiệm vụ số 1: Ban hành Kế hoạch CCHC năm 2026" in html
    assert not ConsolidatedReport.objects.exists()  # opening the page writes nothing
    total = html.split('data-area="total"')[1].split("</tr>")[0]
    assert re.findall(r'class="text-end">(\d+)<', total)[:3] == ["36", "4", "0"]

    data = form_data(office, q1)
    assert data["version"] == 0
    data["text_proposals"] = "Đề nghị Sở Nội vụ tổ chức tập huấn về chấm điểm Chỉ số CCHC."
    data["symbol"] = "25/BC-SKHCN"
    data["issued_on"] = "18/03/2026"
    response = post_form(office, page(q1, "luu"), data)
    assert response.status_code == 302
    report = ConsolidatedReport.objects.get(period=q1)
    assert report.version == 2 and report.symbol == "25/BC-SKHCN"
    assert report.narrative["proposals"] == data["text_proposals"]

    report = produce(office, q1)
    content = report.files.get(kind="docx").file.read()
    texts = docx_texts(content)
    assert data["text_proposals"] in texts
    document = Document(io.BytesIO(content))
    assert document.tables[0].cell(1, 0).text == "Số: 25/BC-SKHCN"
    assert document.tables[0].cell(1, 1).text == "Phú Thọ, ngày 18 tháng 3 năm 2026"


@time_machine.travel(DRAFTED_AT)
def test_save_and_produce_keeps_the_text_and_makes_a_version_from_it(q1, no_libreoffice):
    office = demo_client("vanphong")
    data = dict(form_data(office, q1), produce="", text_closing="Kết thúc đã sửa./.")
    response = post_form(office, page(q1, "luu"), data)
    assert response.status_code == 302
    report = ConsolidatedReport.objects.get(period=q1)
    docx = report.files.get(version=1, kind="docx").file.read()
    assert "Kết thúc đã sửa./." in docx_texts(docx)
    assert "Đã tạo phiên bản 1 của báo cáo." in office.get(page(q1)).content.decode()


@time_machine.travel(DRAFTED_AT)
def test_a_save_over_someone_elses_is_refused_and_keeps_what_was_typed(q1):
    office = demo_client("vanphong")
    mine = form_data(office, q1)
    theirs = dict(mine, text_causes="Nguyên nhân do người khác viết.")
    assert post_form(demo_client("vanphong"), page(q1, "luu"), theirs).status_code == 302

    mine["text_causes"] = "Nguyên nhân tôi viết."
    response = post_form(office, page(q1, "luu"), mine)
    assert response.status_code == 409
    html = response.content.decode()
    assert "vừa được người khác lưu" in html
    assert "Nguyên nhân tôi viết." in html
    report = ConsolidatedReport.objects.get(period=q1)
    assert report.narrative["causes"] == "Nguyên nhân do người khác viết."
    # The form now carries the current version: saving again goes through.
    assert response.context["form"]["version"].value() == report.version
    mine["version"] = report.version
    assert post_form(office, page(q1, "luu"), mine).status_code == 302
    report.refresh_from_db()
    assert report.narrative["causes"] == "Nguyên nhân tôi viết."


@time_machine.travel(DRAFTED_AT)
def test_redrafting_replaces_the_text_with_a_fresh_draft_unless_it_is_stale(q1):
    office = demo_client("vanphong")
    data = form_data(office, q1)
    data["text_intro"] = "Lời mở đầu đã sửa."
    post_form(office, page(q1, "luu"), data)
    report = ConsolidatedReport.objects.get(period=q1)

    assert post_form(office, page(q1, "soan-lai"), {"version": 1}).status_code == 302
    report.refresh_from_db()
    assert report.narrative["intro"] == "Lời mở đầu đã sửa."  # stale: nothing replaced

    assert post_form(office, page(q1, "soan-lai"), {"version": report.version}).status_code == 302
    report.refresh_from_db()
    assert report.narrative["intro"].startswith("Căn cứ Kế hoạch thực hiện công tác")


@time_machine.travel(DRAFTED_AT)
def test_an_invalid_date_is_shown_back_with_the_form(q1):
    office = demo_client("vanphong")
    data = form_data(office, q1)
    data["issued_on"] = "31/02/2026"
    response = post_form(office, page(q1, "luu"), data)
    assert response.status_code == 400
    assert "Ngày không hợp lệ" in response.content.decode()


# Files: versions, the same bytes on every download, their content.


@time_machine.travel(DRAFTED_AT)
def test_each_production_is_a_new_version_and_downloads_return_the_stored_bytes(q1, no_libreoffice):
    office = demo_client("vanphong")
    report = produce(office, q1)
    first = {f.kind: f for f in report.files.filter(version=1)}
    assert set(first) == {"docx", "xlsx", "csv"}
    leader = demo_client("lanhdao")
    for record in first.values():
        once = b"".join(leader.get(record.get_absolute_url()).streaming_content)
        twice = b"".join(leader.get(record.get_absolute_url()).streaming_content)
        assert once == twice
        assert hashlib.sha256(once).hexdigest() == record.sha256 and len(once) == record.size

    response = leader.get(first["docx"].get_absolute_url())
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = 'attachment; filename="bao-cao-cchc-q1-2026-SKHCN-v1.docx"'
    assert response["Content-Disposition"] == disposition
    assert response["ETag"] == f'"{first["docx"].sha256}"'

    produce(office, q1)
    assert set(report.files.values_list("version", flat=True)) == {1, 2}
    again = b"".join(leader.get(first["docx"].get_absolute_url()).streaming_content)
    assert hashlib.sha256(again).hexdigest() == first["docx"].sha256
    html = leader.get(page(q1)).content.decode()
    assert 'data-version="2"' in html and 'data-version="1"' in html


@time_machine.travel(DRAFTED_AT)
def test_the_csv_and_the_workbook_hold_every_task_and_the_figures(q1, no_libreoffice):
    report = produce(demo_client("vanphong"), q1)
    data = assembly.report_data(report)
    raw = report.files.get(kind="csv").file.read()
    assert raw.startswith(b"\xef\xbb\xbf")  # so that Excel reads Vietnamese as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Số TT", "Lĩnh vực", "Nhiệm vụ"]
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 37)]
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number["1"][6] == "Hoàn thành đúng hạn" and by_number["1"][8] == "20/01/2026"
    assert by_number["14"][6] == "Quá hạn"
    assert "15/KH-SKHCN" in by_number["1"][10]

    workbook = load_workbook(io.BytesIO(report.files.get(kind="xlsx").file.read()))
    # Then one sheet per section another app registers (reporting.sections).
    assert workbook.sheetnames[:2] == ["Tổng hợp", "Nhiệm vụ"]
    summary = list(workbook["Tổng hợp"].iter_rows(values_only=True))
    header = next(row for row in summary if row and row[0] == "Lĩnh vực")
    total = next(row for row in summary if row and row[0] == "Toàn Kế hoạch")
    assert header[1] == "Tổng số" and total[1] == 36
    counts = dict(zip(header[2:], total[2:], strict=False))
    assert counts["Hoàn thành đúng hạn"] == data.figures.counts["done_on_time"] == 4
    assert counts["Quá hạn"] == data.figures.counts["overdue"] == 4
    tasks = list(workbook["Nhiệm vụ"].iter_rows(values_only=True))
    assert len(tasks) == 37 and tasks[1][0] == 1
    assert tasks[1][5].date().isoformat() == "2026-01-31"  # a real date, shown dd/mm/yyyy


# The PDF preview.


@time_machine.travel(DRAFTED_AT)
def test_without_libreoffice_the_page_says_so_and_offers_the_docx(q1, no_libreoffice):
    office = demo_client("vanphong")
    html = office.get(page(q1)).content.decode()
    assert "Máy chủ chưa cài LibreOffice nên chưa xem trước được PDF" in html
    report = produce(office, q1)
    assert not report.files.filter(kind="pdf").exists()
    html = office.get(page(q1)).content.decode()
    assert "Máy chủ chưa cài LibreOffice nên chưa xem trước được PDF; hãy tải bản DOCX." in html
    assert 'data-kind="docx"' in html and "<iframe" not in html


FAKE_SOFFICE = """#!/bin/sh
# Stands in for LibreOffice: writes <outdir>/<name>.pdf for the .docx it is given.
while [ $# -gt 0 ]; do
  case "$1" in
    --outdir) out="$2"; shift ;;
    *.docx) src="$1" ;;
  esac
  shift
done
name=$(basename "$src" .docx)
printf '%%PDF-1.4 fake\\n' > "$out/$name.pdf"
"""


@time_machine.travel(DRAFTED_AT)
def test_the_converted_pdf_is_kept_with_its_version_and_shown_in_the_page(
    q1, tmp_path, monkeypatch
):
    program = tmp_path / "soffice"
    program.write_text(FAKE_SOFFICE)
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(libreoffice, "program", lambda: str(program))
    office = demo_client("vanphong")
    report = produce(office, q1)
    record = report.files.get(kind="pdf")
    assert record.file.read() == b"%PDF-1.4 fake\n"
    response = office.get(f"{record.get_absolute_url()}?xem=1")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    html = office.get(page(q1)).content.decode()
    assert f'<iframe src="{record.get_absolute_url()}?xem=1"' in html


def test_a_failing_converter_leaves_the_docx_and_no_pdf(q1, tmp_path, monkeypatch):
    program = tmp_path / "soffice"
    program.write_text("#!/bin/sh\nexit 3\n")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(libreoffice, "program", lambda: str(program))
    report = produce(demo_client("vanphong"), q1)
    assert set(report.files.values_list("kind", flat=True)) == {"docx", "xlsx", "csv"}
    html = demo_client("vanphong").get(page(q1)).content.decode()
    assert "chưa có bản PDF để xem trước; hãy tải bản DOCX" in html


@pytest.mark.skipif(
    libreoffice.program() is None,
    reason="LibreOffice (soffice) is not installed here; the real PDF conversion is not tried",
)
@time_machine.travel(DRAFTED_AT)
def test_libreoffice_converts_the_report_to_pdf(q1):
    report = produce(demo_client("vanphong"), q1)
    pdf = report.files.get(kind="pdf").file.read()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


# Query counts.


def queries_per_page(world, period):
    report = ConsolidatedReport.objects.get(period=period)
    record = report.files.filter(kind="docx").first()  # the latest version's
    pages = {
        "report (office)": (page(period), world.coordinator),
        "report (leader)": (page(period), world.leader),
        "download": (record.get_absolute_url(), world.viewer),
    }
    counts = {}
    for name, (url, user) in pages.items():
        client = world.client(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


@time_machine.travel(DRAFTED_AT)
def test_the_report_pages_run_a_fixed_number_of_queries(
    world, world_q1, no_libreoffice, django_assert_max_num_queries
):
    grow_to(world, 36)
    office = world.client(world.coordinator)
    produce(office, world_q1)
    small = queries_per_page(world, world_q1)
    grow_to(world, 400)
    produce(office, world_q1)
    assert Task.objects.filter(plan=world.plan).count() == 400
    large = queries_per_page(world, world_q1)
    assert large == small
    office, viewer = world.client(world.coordinator), world.client(world.viewer)
    download = ConsolidatedReport.objects.get().files.first().get_absolute_url()
    with django_assert_max_num_queries(MAX_QUERIES):
        office.get(page(world_q1))
    with django_assert_max_num_queries(6):
        viewer.get(download)


def test_assembling_runs_a_fixed_number_of_queries(world, world_q1, django_assert_max_num_queries):
    grow_to(world, 36)
    with CaptureQueriesContext(connection) as small:
        assembly.assemble(world_q1)
    grow_to(world, 400)
    with CaptureQueriesContext(connection) as large:
        assembly.assemble(world_q1)
    assert len(small) == len(large)
    # One of them reads the plan's periods: which tasks the period judges depends on them;
    # one the extensions granted by the report's day.
    with django_assert_max_num_queries(9 + SECTION_QUERIES):
        assembly.assemble(world_q1)


def test_the_page_of_a_plan_without_areas_still_renders(world, world_q1):
    Plan.objects.filter(pk=world.plan.pk).update(title="Kế hoạch trống")
    Task.objects.filter(plan=world.plan).delete()
    world.plan.areas.all().delete()
    response = world.client(world.coordinator).get(page(world_q1))
    assert response.status_code == 200
    assert "Chưa có số liệu." in response.content.decode()


def test_the_kinds_of_files_have_their_content_types(world):
    assert ReportFile.CONTENT_TYPES.keys() == {kind.value for kind in ReportFile.Kind}
