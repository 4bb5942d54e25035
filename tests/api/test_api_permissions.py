"""Every endpoint under the pages' rules: a token reaches what its owner may, and no more."""

import pytest

from partrack.reporting.consolidation import store_report_files
from partrack.reporting.models import ConsolidatedReport
from partrack.reporting.services import submit_unit_report
from tests.api.support import call, persona_secret, reporting_world

pytestmark = pytest.mark.django_db

READERS = ["office", "leader", "lead_member", "other_unit"]


def read_paths(world):
    period, _unit_report, _consolidated = reporting_world(world)
    plan, task = world.plan.pk, world.task.pk
    return [
        f"/api/v1/plans/{plan}",
        f"/api/v1/plans/{plan}/areas",
        f"/api/v1/plans/{plan}/tasks",
        f"/api/v1/tasks/{task}",
        f"/api/v1/tasks/{task}/progress",
        f"/api/v1/tasks/{task}/evidence",
        f"/api/v1/plans/{plan}/periods",
        f"/api/v1/periods/{period.pk}/unit-reports",
        f"/api/v1/periods/{period.pk}/unit-reports/{world.lead_unit.pk}",
        f"/api/v1/periods/{period.pk}/consolidated-report",
    ]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        *[(p, 200) for p in READERS],
        ("read_only", 200),
        ("other_agency", 404),
        ("anonymous", 401),
        ("revoked", 401),
    ],
)
def test_every_read_endpoint_answers_as_the_pages_do_for_each_persona(world, persona, status):
    secret = persona_secret(world, persona)
    for path in read_paths(world):
        got, body = call("get", path, secret)
        assert (path, got) == (path, status)
        if status != 200:
            assert set(body) == {"error"} and body["error"]["code"] and body["error"]["message"]


def test_the_province_reads_every_endpoint_but_a_draft_unit_report_or_unissued_report(world):
    secret = persona_secret(world, "province")
    paths = read_paths(world)
    period = world.plan.periods.get(kind="q1")
    unit_report = period.unit_reports.get()
    consolidated = period.consolidated_reports.get()
    drafts = {
        f"/api/v1/periods/{period.pk}/unit-reports/{world.lead_unit.pk}": "not_submitted",
        f"/api/v1/periods/{period.pk}/consolidated-report": "not_started",
    }
    for path in paths:
        got, body = call("get", path, secret)
        if path in drafts:
            assert (path, got, body["error"]["code"]) == (path, 404, drafts[path])
            assert "results" not in body
        else:
            assert (path, got) == (path, 200)
    # Its status is in the list all along; the content comes once the unit sends it.
    _got, listing = call("get", f"/api/v1/periods/{period.pk}/unit-reports", secret)
    assert [r["status"] for r in listing["results"]] == ["draft"]
    unit_report.results = "Đã hoàn thành"
    unit_report.save()
    submit_unit_report(report=unit_report, by=world.lead_member)
    got, body = call("get", list(drafts)[0], secret)
    assert (got, body["results"]) == (200, "Đã hoàn thành")
    # The consolidated report: only its issued version's files.
    store_report_files(report=consolidated, by=world.coordinator, contents={"csv": b"c;d\n"})
    consolidated.files.filter(version=1).update(issued=True)
    # Still a draft for the province until the agency's leaders approved it and it is issued.
    assert call("get", list(drafts)[1], secret)[0] == 404
    consolidated.status = ConsolidatedReport.Status.ISSUED
    consolidated.save(update_fields=["status"])
    got, body = call("get", list(drafts)[1], secret)
    assert got == 200
    assert [f["version"] for f in body["files"]] == [1]


@pytest.mark.parametrize(
    ("persona", "count"),
    [("office", 1), ("province", 1), ("other_agency", 0)],
)
def test_plan_list_holds_only_the_plans_the_owner_may_read(world, persona, count):
    _status, body = call("get", "/api/v1/plans", persona_secret(world, persona))
    ids = {plan["id"] for plan in body["results"]}
    assert world.plan.pk in ids if count else world.plan.pk not in ids
    if persona == "other_agency":
        assert ids == {world.other_plan.pk}


def test_a_province_viewer_reads_every_agency_of_its_province(world):
    _status, body = call("get", "/api/v1/plans", persona_secret(world, "province"))
    assert {plan["id"] for plan in body["results"]} == {world.plan.pk, world.other_plan.pk}


def progress(world):
    return {"status": "in_progress", "percent": 40, "narrative": "Đang soạn", "version": 1}


@pytest.mark.parametrize(
    ("persona", "status", "code"),
    [
        ("office", 201, None),
        ("lead_member", 201, None),
        ("leader", 403, "forbidden"),
        ("other_unit", 403, "forbidden"),
        ("province", 403, "forbidden"),
        ("other_agency", 404, "not_found"),
        ("anonymous", 401, "unauthorized"),
        ("revoked", 401, "unauthorized"),
        ("read_only", 403, "read_only_token"),
    ],
)
def test_only_the_lead_unit_and_the_office_record_progress(world, persona, status, code):
    got, body = call(
        "post",
        f"/api/v1/tasks/{world.task.pk}/progress",
        persona_secret(world, persona),
        progress(world),
    )
    assert got == status
    world.task.refresh_from_db()
    if code is None:
        assert world.task.status == "in_progress" and world.task.version == 2
    else:
        assert body["error"]["code"] == code
        assert world.task.status == "not_started" and world.task.version == 1


def test_a_coordinating_unit_cannot_record_progress_through_the_api(world):
    from tests.api.support import token_for

    got, body = call(
        "post",
        f"/api/v1/tasks/{world.task.pk}/progress",
        token_for(world.helping_member),
        progress(world),
    )
    assert got == 403 and body["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("persona", "status", "code"),
    [
        ("lead_member", 200, None),
        ("office", 403, "forbidden"),
        ("leader", 403, "forbidden"),
        ("other_unit", 403, "forbidden"),
        ("province", 403, "forbidden"),
        ("other_agency", 404, "not_found"),
        ("anonymous", 401, "unauthorized"),
        ("revoked", 401, "unauthorized"),
        ("read_only", 403, "read_only_token"),
    ],
)
def test_only_the_units_own_people_submit_its_report(world, persona, status, code):
    period, unit_report, _consolidated = reporting_world(world)
    got, body = call(
        "post",
        f"/api/v1/periods/{period.pk}/unit-reports/{world.lead_unit.pk}/submit",
        persona_secret(world, persona),
    )
    assert got == status
    unit_report.refresh_from_db()
    if code is None:
        assert body["status"] == "submitted" and unit_report.status == "submitted"
        assert [s["number"] for s in body["submissions"]] == [1]
    else:
        assert body["error"]["code"] == code
        assert unit_report.status == "draft"
