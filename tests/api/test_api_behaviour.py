"""The API writes through the pages' services, pages its lists, limits its rate, explains errors."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partrack.api.models import ApiToken
from partrack.plans.models import Evidence, ProgressUpdate
from tests.api.support import call, reporting_world, token_for
from tests.conftest import client_as

pytestmark = pytest.mark.django_db


def test_progress_recorded_through_the_api_is_in_the_task_history_like_the_pages(world):
    secret = token_for(world.lead_member)
    status, body = call(
        "post",
        f"/api/v1/tasks/{world.task.pk}/progress",
        secret,
        {
            "status": "in_progress",
            "percent": 30,
            "narrative": "Đã trình dự thảo",
            "version": 1,
            "evidence": [{"number_symbol": "15/TTr-CĐS", "summary": "Tờ trình dự thảo"}],
        },
    )
    assert status == 201
    assert body["task"]["version"] == 2 and body["task"]["percent"] == 30
    update = ProgressUpdate.objects.get(task=world.task)
    assert (update.author, update.unit, update.previous_status) == (
        world.lead_member,
        world.lead_unit,
        "not_started",
    )
    _status, history = call("get", f"/api/v1/tasks/{world.task.pk}/progress", secret)
    assert [(u["narrative"], u["author"]) for u in history["results"]] == [
        ("Đã trình dự thảo", "lead")
    ]
    _status, evidence = call("get", f"/api/v1/tasks/{world.task.pk}/evidence", secret)
    assert [e["number_symbol"] for e in evidence["results"]] == ["15/TTr-CĐS"]
    assert Evidence.objects.get().update == update


def test_a_stale_version_is_refused_with_409_and_the_first_write_is_kept(world):
    secret = token_for(world.lead_member)
    first = {"status": "in_progress", "percent": 30, "version": 1}
    second = {"status": "in_progress", "percent": 90, "version": 1}
    assert call("post", f"/api/v1/tasks/{world.task.pk}/progress", secret, first)[0] == 201
    status, body = call("post", f"/api/v1/tasks/{world.task.pk}/progress", secret, second)
    assert status == 409 and body["error"]["code"] == "stale_version"
    assert "version" in body["error"]["message"]
    world.task.refresh_from_db()
    assert (world.task.percent, ProgressUpdate.objects.count()) == (30, 1)


@time_machine.travel("2026-03-03 09:00 +0700", tick=False)
def test_done_without_evidence_is_refused_with_the_pages_vietnamese_message(world):
    status, body = call(
        "post",
        f"/api/v1/tasks/{world.task.pk}/progress",
        token_for(world.lead_member),
        {"status": "done", "done_on": "2026-03-02", "version": 1},
    )
    assert status == 400 and body["error"]["code"] == "invalid"
    assert "minh chứng" in body["error"]["fields"]["no_evidence_reason"][0]
    assert not ProgressUpdate.objects.exists()


def test_evidence_given_through_the_api_must_be_a_web_address_and_fit(world):
    status, body = call(
        "post",
        f"/api/v1/tasks/{world.task.pk}/progress",
        token_for(world.lead_member),
        {
            "status": "in_progress",
            "version": 1,
            "evidence": [{"url": "javascript:alert(1)", "summary": "x" * 501}],
        },
    )
    assert status == 422
    assert body["error"]["fields"] == {
        "evidence.0.url": ["Đường dẫn phải bắt đầu bằng http:// hoặc https://."],
        "evidence.0.summary": ["Dài quá 500 ký tự."],
    }
    assert not Evidence.objects.exists()


def test_a_malformed_body_is_answered_422_field_by_field(world):
    status, body = call(
        "post",
        f"/api/v1/tasks/{world.task.pk}/progress",
        token_for(world.lead_member),
        {"status": "finished", "percent": 150},
    )
    assert status == 422 and body["error"]["code"] == "invalid_request"
    fields = body["error"]["fields"]
    assert fields["percent"] == ["Không được lớn hơn 100."]
    assert fields["version"] == ["Thiếu trường này."]
    assert fields["status"][0].startswith("Giá trị không hợp lệ; chỉ nhận:")
    assert body["error"]["message"] == "Dữ liệu gửi lên không đúng định dạng."


@time_machine.travel("2026-04-05 09:00 +0700", tick=False)
def test_tasks_carry_the_state_computed_from_their_dates(world):
    later = world.add_task(number=2, content="Việc cuối năm", deadline_text="Năm 2026")
    secret = token_for(world.leader)
    _status, body = call("get", f"/api/v1/plans/{world.plan.pk}/tasks", secret)
    states = {task["id"]: task["state"] for task in body["results"]}
    assert states == {world.task.pk: "overdue", later.pk: "not_started"}
    _status, overdue = call("get", f"/api/v1/plans/{world.plan.pk}/tasks?state=overdue", secret)
    assert [t["id"] for t in overdue["results"]] == [world.task.pk]
    assert overdue["results"][0]["state_label"] == "Quá hạn"


def test_lists_come_in_pages_and_a_page_past_the_end_is_an_error(world, settings):
    settings.PARTRACK_API_PAGE_SIZE = 2
    for n in range(2, 6):
        world.add_task(number=n, content=f"Việc {n}")
    secret = token_for(world.leader)
    _status, first = call("get", f"/api/v1/plans/{world.plan.pk}/tasks", secret)
    assert (first["count"], first["pages"], len(first["results"])) == (5, 3, 2)
    _status, last = call("get", f"/api/v1/plans/{world.plan.pk}/tasks?page=3", secret)
    assert [t["number"] for t in last["results"]] == [5]
    status, body = call("get", f"/api/v1/plans/{world.plan.pk}/tasks?page=4", secret)
    assert status == 404 and body["error"]["code"] == "page_out_of_range"


def test_each_token_is_limited_per_minute_and_told_when_to_come_back(world, settings):
    settings.PARTRACK_API_RATE_LIMIT = 3
    secret, other = token_for(world.leader), token_for(world.leader)
    with time_machine.travel("2026-03-03 09:00 +0700", tick=False) as clock:
        statuses = [call("get", "/api/v1/plans", secret)[0] for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        from django.test import Client

        response = Client().get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response["Retry-After"] == "61"
        assert response.json()["error"]["code"] == "rate_limited"
        assert call("get", "/api/v1/plans", other)[0] == 200  # another token has its own count
        clock.shift(timedelta(seconds=61))
        assert call("get", "/api/v1/plans", secret)[0] == 200


def test_a_token_records_when_it_was_last_used(world):
    secret = token_for(world.leader)
    assert ApiToken.objects.get().last_used_at is None
    with time_machine.travel("2026-03-03 09:00 +0700", tick=False):
        call("get", "/api/v1/plans", secret)
        assert ApiToken.objects.get().last_used_at == timezone.now()
    page = client_as(world.leader).get("/tai-khoan/ma-truy-cap/").content.decode()
    assert "03/03/2026 09:00" in page


def test_an_unknown_address_under_the_api_answers_in_the_error_shape(world):
    status, body = call("get", "/api/v1/khong-co", token_for(world.leader))
    assert status == 404 and body["error"]["code"] == "not_found"


def queries_of(path, secret):
    with CaptureQueriesContext(connection) as queries:
        status, _body = call("get", path, secret)
    assert status == 200
    return len(queries)


def grow(world, period, tasks):
    """Add tasks, each with two updates and an evidence item, and unit reports for every unit."""
    from partrack.org.models import Unit
    from partrack.reporting.services import start_unit_report

    for n in range(tasks):
        task = world.add_task(number=100 + n, content=f"Việc {n}")
        for percent in (10, 20):
            update = ProgressUpdate.objects.create(
                task=task, unit=world.lead_unit, author=world.lead_member, percent=percent
            )
        Evidence.objects.create(task=task, update=update, added_by=world.lead_member, summary="x")
    for n in range(tasks):
        unit = Unit.objects.create(agency=world.agency, name=f"Phòng {n}-{tasks}")
        start_unit_report(period=period, unit=unit)


# Each read's queries: the token with its owner, the rate limit's UPDATE, the access helper's
# reads, then the page's count, the page and its prefetches.
LIST_PATHS = {
    "/api/v1/plans": 4,
    "/api/v1/plans/{plan}/areas": 5,
    "/api/v1/plans/{plan}/tasks": 6,
    "/api/v1/plans/{plan}/periods": 5,
    "/api/v1/tasks/{task}": 5,
    "/api/v1/tasks/{task}/progress": 7,
    "/api/v1/tasks/{task}/evidence": 7,
    "/api/v1/periods/{period}/unit-reports": 5,
    "/api/v1/periods/{period}/unit-reports/{unit}": 8,
    "/api/v1/periods/{period}/consolidated-report": 5,
}


def test_every_read_runs_the_same_few_queries_whatever_the_data_size(world, settings):
    settings.PARTRACK_API_PAGE_SIZE = 5
    period, _report, _consolidated = reporting_world(world)
    secret = token_for(world.leader)
    ids = {"plan": world.plan.pk, "task": world.task.pk, "period": period.pk}
    ids["unit"] = world.lead_unit.pk
    for n in range(2):
        ProgressUpdate.objects.create(task=world.task, author=world.lead_member, percent=n)
        Evidence.objects.create(task=world.task, added_by=world.lead_member, summary=str(n))
    small = {path: queries_of(path.format(**ids), secret) for path in LIST_PATHS}
    grow(world, period, 12)
    for n in range(12):
        ProgressUpdate.objects.create(task=world.task, author=world.lead_member, percent=n)
        Evidence.objects.create(task=world.task, added_by=world.lead_member, summary=str(n))
    large = {path: queries_of(path.format(**ids), secret) for path in LIST_PATHS}
    assert small == LIST_PATHS
    assert large == LIST_PATHS
