"""Sở Nội vụ's consolidated province report: every figure against an independent count."""

import errno
import io
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from docx import Document

from partrack.cascade import views
from partrack.cascade.report import province_report
from partrack.plans.models import State, Status
from partrack.reporting.models import ConsolidatedReport
from tests.cascade.conftest import day, set_state
from tests.full_disk import files_under, full_disk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def october():
    with time_machine.travel("2026-10-20 10:00 +07:00"):
        yield


TODAY = date(2026, 10, 20)
COLUMNS = {
    State.DONE_ON_TIME: "done_on_time",
    State.DONE_LATE: "done_late",
    State.OVERDUE: "overdue",
    State.IN_PROGRESS: "in_progress",
    State.NOT_STARTED: "in_progress",
    State.DUE_SOON: "in_progress",
    State.CANNOT_DO: "cannot_do",
}
ORDER = ["total", "done_on_time", "done_late", "overdue", "in_progress", "cannot_do"]


@pytest.fixture
def reporting(province):
    plans = {
        "SKHCN": province.agency_plan("SKHCN"),
        "STP": province.agency_plan("STP"),
        "XHC": province.agency_plan("XHC", status="draft"),  # a draft: not read
    }
    tasks = {(s, t.number): t for s, p in plans.items() for t in p.tasks.all()}
    # Quý I tasks (due 31/03) are judged in "6 tháng"; Quý II (30/06) in "Quý III".
    set_state(tasks["SKHCN", 1], Status.DONE, day(3, 30), 100)  # on time
    set_state(tasks["SKHCN", 4], Status.DONE, day(4, 2), 100)  # late
    set_state(tasks["SKHCN", 2], Status.IN_PROGRESS, None, 60)  # overdue at Quý III
    set_state(tasks["SKHCN", 5], Status.DONE, day(6, 1), 100)
    set_state(tasks["STP", 1], Status.CANNOT_DO)
    set_state(tasks["STP", 2], Status.DONE, day(7, 1), 100)
    set_state(tasks["STP", 6], Status.IN_PROGRESS, None, 30)
    set_state(tasks["XHC", 1], Status.DONE, day(1, 5), 100)
    for short, symbol in (("SKHCN", "05/BC-SKHCN"), ("STP", "/BC-STP")):
        for kind in ("h1", "q3"):
            # Only SKHCN's numbered h1 report went out; STP's and the Quý III ones are drafts.
            sent = kind == "h1" and not symbol.startswith("/")
            ConsolidatedReport.objects.create(
                period=plans[short].periods.get(kind=kind),
                symbol=symbol if kind == "h1" else "",
                issued_on=day(6, 20),
                created_by=province.offices[short],
                status=ConsolidatedReport.Status.SENT if sent else ConsolidatedReport.Status.DRAFT,
                sent_at=timezone.now() if sent else None,
            )
    province.plans = plans
    return province


def independent(world, kind):
    """{short name: {area numeral: [total, on time, late, overdue, in progress, cannot]}} from
    each task's Python state on the period's day, and the period's own `judges`."""
    counts = {}
    for short, plan in world.plans.items():
        if plan.status == "draft":
            continue
        periods = list(plan.periods.all())
        period = next(p for p in periods if p.kind == kind)
        when = period.state_day(TODAY, periods)
        for task in plan.tasks.select_related("area"):
            if not period.judges(task.due_date, periods):
                continue
            row = counts.setdefault(short, {}).setdefault(
                task.area.numeral, dict.fromkeys(ORDER, 0)
            )
            row["total"] += 1
            row[COLUMNS[task.state(when)]] += 1
    return counts


@pytest.mark.parametrize("kind", ["h1", "q3", "year"])
def test_every_figure_matches_an_independent_count(reporting, kind):
    report = province_report(reporting.province, year=2026, kind=kind, today=TODAY)
    expected = independent(reporting, kind)
    assert sum(r["total"] for areas in expected.values() for r in areas.values()) > 0
    rows = {row.agency.short_name: row for row in report.rows}
    assert sorted(rows) == ["PTM", "SKHCN", "STP", "XHC"]
    for short, row in rows.items():
        for numeral, _n, _title in report.areas:
            want = expected.get(short, {}).get(numeral, dict.fromkeys(ORDER, 0))
            assert row.areas.get(numeral) is None or row.areas[numeral].values() == [
                want[c] for c in ORDER
            ], (short, numeral)
            if numeral in row.areas:
                continue
            assert all(v == 0 for v in want.values()), (short, numeral)
    grand = dict.fromkeys(ORDER, 0)
    for areas in expected.values():
        for figures in areas.values():
            for c in ORDER:
                grand[c] += figures[c]
    assert report.total.values() == [grand[c] for c in ORDER]


def test_known_figures_of_the_half_year(reporting):
    report = province_report(reporting.province, year=2026, kind="h1", today=TODAY)
    rows = {row.agency.short_name: row for row in report.rows}
    # SKHCN: task 1 on time (I), task 4 late (VII); STP: task 1 cannot be done, task 4 overdue.
    assert rows["SKHCN"].areas["I"].values() == [1, 1, 0, 0, 0, 0]
    assert rows["SKHCN"].areas["VII"].values() == [1, 0, 1, 0, 0, 0]
    assert rows["STP"].total.values() == [2, 0, 0, 1, 0, 1]
    assert not rows["XHC"].total.total  # its plan is a draft
    assert report.total.values() == [4, 1, 1, 1, 0, 1]
    # SKHCN sent its report; STP's is a draft; XHC and PTM have no issued plan.
    assert [row.agency.short_name for row in report.not_reported] == ["STP", "PTM", "XHC"]


def test_the_docx_prints_the_same_figures_and_the_missing_agencies(reporting):
    client = reporting.client(reporting.sonoivu)
    response = client.get("/tinh/bao-cao-tong-hop/?year=2026&kind=h1&tai=docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "cải cách hành chính 6 tháng đầu năm 2026 của các cơ quan" in text
    assert "III. CÁC CƠ QUAN, ĐƠN VỊ CHƯA BÁO CÁO" in text
    missing = [line for line in text.splitlines() if line[:2] in ("1.", "2.", "3.", "4.")]
    assert any("Sở Tư pháp tỉnh Phú Thọ." in line for line in missing)
    assert not any("Sở Khoa học và Công nghệ" in line for line in missing)
    header = doc.tables[0].rows[0].cells[0].text
    assert "UBND TỈNH PHÚ THỌ" in header and "SỞ NỘI VỤ" in header
    # Seven area tables, then the overall one: its total row against the independent count.
    expected = independent(reporting, "h1")
    overall = doc.tables[8]
    grand = [0] * 6
    for areas in expected.values():
        for figures in areas.values():
            grand = [g + figures[c] for g, c in zip(grand, ORDER, strict=True)]
    assert [c.text for c in overall.rows[-1].cells][2:] == [str(v) for v in grand]
    by_name = {r.cells[1].text: [c.text for c in r.cells[2:]] for r in overall.rows[1:-1]}
    skhcn = [sum(f[c] for f in expected["SKHCN"].values()) for c in ORDER]
    assert by_name["Sở Khoa học và Công nghệ tỉnh Phú Thọ"] == [str(v) for v in skhcn]
    area_vii = doc.tables[7]
    # SKHCN task 4 done late, STP task 4 overdue.
    assert [c.text for c in area_vii.rows[-1].cells][2:] == ["2", "0", "1", "1", "0", "0"]


def test_who_may_produce_it(reporting):
    url = "/tinh/bao-cao-tong-hop/?year=2026&kind=h1"
    for person in (reporting.sonoivu, reporting.province_leader):
        page = reporting.client(person).get(url)
        assert page.status_code == 200
        assert "Sở Khoa học và Công nghệ tỉnh Phú Thọ" in page.content.decode()
        assert ">Quý I</option>" in page.content.decode()
    for person in (reporting.province_viewer, reporting.offices["SKHCN"], reporting.members["STP"]):
        assert reporting.client(person).get(url).status_code == 403
    assert reporting.client().get(url).status_code == 302
    # The other province's desk reads its own agencies only.
    other = reporting.client(reporting.other_sonoivu).get(url).content.decode()
    assert "Sở Khoa học và Công nghệ tỉnh Khác" in other and "Phú Thọ" not in other


def test_the_report_page_runs_a_fixed_number_of_queries(reporting, django_assert_num_queries):
    client = reporting.client(reporting.sonoivu)
    url = "/tinh/bao-cao-tong-hop/?year=2026&kind=h1"
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200
    reporting.agency_plan("PTM")
    reporting.plans["XHC"].status = "active"
    reporting.plans["XHC"].save()
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(DOCX_QUERIES):
        assert client.get(url + "&tai=docx").status_code == 200


# The layout and session (6), then agencies, plans, periods, one count per judging window, and
# the issued reports.
QUERIES = 11
# No page layout; one query for Sở Nội vụ's name (the province's office unit) in the masthead.
DOCX_QUERIES = 10


def test_the_docx_is_built_in_memory_so_a_full_disk_does_not_stop_it(reporting, settings):
    client = reporting.client(reporting.sonoivu)
    with full_disk() as writes:
        response = client.get("/tinh/bao-cao-tong-hop/?year=2026&kind=h1&tai=docx")
    assert response.status_code == 200
    assert writes == []  # nothing was even tried on the disk
    assert files_under(Path(settings.MEDIA_ROOT)) == []
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "III. CÁC CƠ QUAN, ĐƠN VỊ CHƯA BÁO CÁO" in text


def test_a_docx_that_hits_a_full_disk_anyway_answers_the_vietnamese_page_not_half_a_file(
    reporting, monkeypatch
):
    def no_room(report):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(views, "province_report_docx", no_room)
    client = reporting.client(reporting.sonoivu)
    response = client.get("/tinh/bao-cao-tong-hop/?year=2026&kind=h1&tai=docx")
    assert response.status_code == 503
    assert "Content-Disposition" not in response
    assert "ổ đĩa của máy chủ đã hết dung lượng" in response.content.decode()


def test_the_menu_links_the_report_for_those_who_may_produce_it_and_no_one_else(reporting):
    link = 'href="/tinh/bao-cao-tong-hop/" id="nav-province-report"'
    for person in (reporting.sonoivu, reporting.province_leader, reporting.other_sonoivu):
        client = reporting.client(person)
        assert link in client.get("/", follow=True).content.decode()
        assert client.get("/tinh/bao-cao-tong-hop/").status_code == 200
    for person in (reporting.province_viewer, reporting.offices["SKHCN"], reporting.members["STP"]):
        client = reporting.client(person)
        assert "nav-province-report" not in client.get("/", follow=True).content.decode()
        assert client.get("/tinh/bao-cao-tong-hop/").status_code == 403
