"""No size cliff: the web import confirms a plan of 2,000 tasks whatever Django's field limit,
a page of rows at a time, and saves it in a fixed number of queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partrack.documents.models import ImportDraft
from partrack.plans.models import Plan
from tests.conftest import demo_client
from tests.documents.large_plan import large_plan_docx
from tests.documents.test_import_web import review_fields, submit_review, upload

pytestmark = pytest.mark.django_db

TASKS = 2000


@pytest.fixture(scope="module")
def large_docx():
    return large_plan_docx(TASKS)


@pytest.fixture
def office(demo):
    return demo_client("vanphong")


@pytest.fixture
def draft(office, large_docx):
    response = upload(office, SimpleUploadedFile("ke-hoach-lon.docx", large_docx))
    assert response.status_code == 302
    return ImportDraft.objects.get()


def page_fields(client, draft, page):
    draft.refresh_from_db()
    url = draft.get_absolute_url() + (f"?page={page}" if page > 1 else "")
    return review_fields_at(client, url)


def review_fields_at(client, url):
    class AtUrl:
        def get_absolute_url(self):
            return url

    return review_fields(client, AtUrl())


def test_a_plan_of_2000_tasks_confirms_on_the_web_under_djangos_default_field_limit(
    demo, office, draft, settings
):
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000
    first = page_fields(office, draft, 1)
    assert len(first) < 1000
    assert "t-99-content" in first and "t-100-content" not in first

    # Moving to page 2 saves page 1's edit; page 2's edit goes with the confirmation.
    first["t-5-content"] = "Nội dung dòng 6 đã sửa"
    response = submit_review(office, draft, {**first, "goto": "2"})
    assert response["Location"] == f"{draft.get_absolute_url()}?page=2"
    second = page_fields(office, draft, 2)
    assert second["t-0-content"].startswith("Nhiệm vụ số 101:")
    second["t-0-content"] = "Nội dung dòng 101 đã sửa"
    with CaptureQueriesContext(connection) as queries:
        response = submit_review(office, draft, second, confirm=True, second_plan=False, page=2)

    plan = Plan.objects.get(agency=demo.agency, year=2027)
    assert response["Location"] == plan.get_absolute_url()
    assert plan.tasks.count() == TASKS
    assert plan.tasks.get(number=6).content == "Nội dung dòng 6 đã sửa"
    assert plan.tasks.get(number=101).content == "Nội dung dòng 101 đã sửa"
    assert plan.tasks.get(number=2000).content.startswith("Nhiệm vụ số 2000:")
    assert plan.tasks.filter(lead_units__isnull=True).count() == 0
    # Tasks and their units are written in bulk: the write lock is held for moments only.
    # (SQLite bulk-inserts ~999 values per query: each field of Task makes batches smaller.)
    assert len(queries) < 100


def test_a_lower_field_limit_gives_shorter_pages_and_still_confirms(demo, office, draft, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
    fields = page_fields(office, draft, 1)
    assert len(fields) < 200
    # (200 - 24 fields beside the rows) // 9 fields a row (its kind among them) = 19 rows a page
    assert "t-18-content" in fields and "t-19-content" not in fields
    page = office.get(f"{draft.get_absolute_url()}?page=106").content.decode()
    assert "Dòng 1996–2000 trong 2000." in page

    response = submit_review(office, draft, fields, confirm=True, second_plan=False)

    assert response.status_code == 302
    assert Plan.objects.get(agency=demo.agency, year=2027).tasks.count() == TASKS


def test_rows_needing_a_check_on_other_pages_are_linked_with_their_page(office, draft):
    draft.data["sections"][3]["tasks"][10]["lead"] = ["Phòng Không Có Thật"]
    draft.save()
    index = sum(len(s["tasks"]) for s in draft.data["sections"][:3]) + 10
    page, row = index // 100 + 1, index % 100

    first = office.get(draft.get_absolute_url()).content.decode()
    assert f'href="{draft.get_absolute_url()}?page={page}#row-t-{row}"' in first
    on_its_page = office.get(f"{draft.get_absolute_url()}?page={page}").content.decode()
    assert f'href="#row-t-{row}"' in on_its_page
    assert "Cơ quan chủ trì không khớp đơn vị nào của Sở" in on_its_page


def test_the_review_of_2000_rows_runs_as_many_queries_as_a_short_one(
    office, draft, django_assert_max_num_queries
):
    from tests.documents.test_import_web import REVIEW_QUERIES

    with django_assert_max_num_queries(REVIEW_QUERIES):
        assert office.get(f"{draft.get_absolute_url()}?page=7").status_code == 200


def test_a_page_posted_after_rows_were_dropped_elsewhere_is_refused_and_loses_nothing(
    office, draft
):
    first = page_fields(office, draft, 1)
    dropped = {**first, "t-0-DELETE": "on"}
    submit_review(office, draft, dropped)
    # The same page, opened before the drop, posts rows that no longer line up.
    stale = {**first, "t-3-content": "Sửa ở cửa sổ cũ"}
    response = submit_review(office, draft, stale)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert len(draft.rows()) == TASKS - 1
    assert all(row["content"] != "Sửa ở cửa sổ cũ" for row in draft.rows())
