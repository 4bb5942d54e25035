"""Downloading a plan's appendix as Word and Excel, for everyone who may read the plan."""

import io

import docx
import openpyxl
import pytest

from partrack.documents.reading import read_plan
from tests.conftest import demo_client

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Session, user, membership, plan with its agency, its areas, its tasks.
EXPORT_QUERIES = 6


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, b"".join(response.streaming_content)


def task_rows_of_docx(content):
    table = docx.Document(io.BytesIO(content)).tables[-1]
    return [row for row in table.rows if row.cells[0].text.strip().isdigit()]


def task_rows_of_xlsx(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return [row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]


def test_the_appendix_downloads_as_a_word_file_named_after_the_plan(demo):
    response, content = download(demo_client("lanhdao"), f"/ke-hoach/{demo.pk}/xuat.docx")
    assert response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="ke-hoach-cchc-2026-SKHCN.docx"'
    )
    rows = task_rows_of_docx(content)
    assert len(rows) == 36
    first = demo.tasks.get(number=1)
    assert rows[0].cells[1].text == first.content


def test_the_appendix_downloads_as_an_excel_file_named_after_the_plan(demo):
    response, content = download(demo_client("phongcds"), f"/ke-hoach/{demo.pk}/xuat.xlsx")
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="ke-hoach-cchc-2026-SKHCN.xlsx"'
    )
    rows = task_rows_of_xlsx(content)
    assert len(rows) == 36
    assert [row[0] for row in rows] == list(range(1, 37))


@pytest.mark.parametrize("extension", ["docx", "xlsx"])
def test_a_downloaded_appendix_reads_back_into_the_same_tasks(demo, extension):
    _response, content = download(demo_client("vanphong"), f"/ke-hoach/{demo.pk}/xuat.{extension}")
    parsed = read_plan(content, filename=f"phu-luc.{extension}")
    saved = demo.as_data()
    assert [area.numeral for area in parsed.areas] == [s["roman"] for s in saved["sections"]]
    assert [task.content for task in parsed.tasks] == [
        row["content"] for section in saved["sections"] for row in section["tasks"]
    ]
    assert [task.lead for task in parsed.tasks] == [
        row["lead"] for section in saved["sections"] for row in section["tasks"]
    ]


def test_the_word_appendix_carries_the_agency_as_its_masthead_writes_it(demo):
    _response, content = download(demo_client("vanphong"), f"/ke-hoach/{demo.pk}/xuat.docx")
    document = docx.Document(io.BytesIO(content))
    cells = [
        cell.text for table in document.tables[:-1] for row in table.rows for cell in row.cells
    ]
    masthead = "\n".join(cells)
    assert "UBND TỈNH PHÚ THỌ" in masthead
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in masthead
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH PHÚ THỌ" not in masthead


@pytest.mark.parametrize(
    "persona",
    ["coordinator", "leader", "viewer", "lead_member", "helping_member", "province_viewer"],
)
@pytest.mark.parametrize("extension", ["docx", "xlsx"])
def test_everyone_who_reads_the_plan_may_download_it(world, persona, extension):
    client = world.client(getattr(world, persona))
    _response, content = download(client, f"/ke-hoach/{world.plan.pk}/xuat.{extension}")
    rows = task_rows_of_docx(content) if extension == "docx" else task_rows_of_xlsx(content)
    assert len(rows) == 1


@pytest.mark.parametrize("extension", ["docx", "xlsx"])
def test_a_person_of_another_agency_gets_404_on_the_download(world, extension):
    client = world.client(world.outsider)
    assert client.get(f"/ke-hoach/{world.plan.pk}/xuat.{extension}").status_code == 404
    assert client.get(f"/ke-hoach/{world.other_plan.pk}/xuat.{extension}").status_code == 200


@pytest.mark.parametrize("extension", ["docx", "xlsx"])
def test_anonymous_visitor_is_sent_to_sign_in_from_the_download(world, extension):
    response = world.client().get(f"/ke-hoach/{world.plan.pk}/xuat.{extension}")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")


def test_plan_pages_link_to_both_downloads(world):
    page = world.client(world.lead_member).get(world.plan.get_absolute_url()).content.decode()
    assert f'href="/ke-hoach/{world.plan.pk}/xuat.docx"' in page
    assert f'href="/ke-hoach/{world.plan.pk}/xuat.xlsx"' in page


@pytest.mark.parametrize("extension", ["docx", "xlsx"])
def test_a_download_runs_a_fixed_number_of_queries(demo, extension, django_assert_max_num_queries):
    client = demo_client("lanhdao")
    with django_assert_max_num_queries(EXPORT_QUERIES):
        download(client, f"/ke-hoach/{demo.pk}/xuat.{extension}")
