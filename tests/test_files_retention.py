"""Produced report versions: the latest N per period and every issued one are kept, no more."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from partrack.plans.models import ReportingPeriod
from partrack.reporting import consolidation
from partrack.reporting.models import ReportFile
from partrack.reporting.retention import prunable_versions
from tests.conftest import client_as, post_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def periods(world):
    return {p.kind: p for p in ReportingPeriod.objects.filter(plan=world.plan)}


def produce(world, period, times):
    report = consolidation.start_consolidated_report(period=period, by=world.coordinator)
    for _ in range(times):
        consolidation.store_report_files(
            report=report, by=world.coordinator, contents={"docx": b"word", "csv": b"csv"}
        )
    return report


def versions(report):
    return sorted(set(report.files.values_list("version", flat=True)))


def prune(*args):
    out = StringIO()
    call_command("prune_reports", *args, stdout=out)
    return out.getvalue()


def media_names(settings):
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_the_versions_past_the_latest_n_are_prunable_unless_issued():
    seven = [(v, v == 2) for v in range(1, 8) for _kind in ("docx", "csv")]
    assert prunable_versions(seven, keep=5) == [1]
    assert prunable_versions(seven, keep=3) == [4, 3, 1]
    assert prunable_versions(seven, keep=7) == []


def test_pruning_keeps_the_latest_versions_of_each_period_and_the_issued_one_with_their_files(
    world, periods, settings, django_capture_on_commit_callbacks
):
    settings.PARTRACK_KEEP_REPORT_VERSIONS = 3
    q1 = produce(world, periods["q1"], 6)
    h1 = produce(world, periods["h1"], 2)
    ReportFile.objects.filter(report=q1, version=2).update(issued=True)
    kept_names = set(
        q1.files.filter(version__in=[2, 4, 5, 6]).values_list("file", flat=True)
    ) | set(h1.files.values_list("file", flat=True))
    assert len(media_names(settings)) == 16

    with django_capture_on_commit_callbacks(execute=True):
        output = prune()
    assert output == "pruned 2 report versions (keeping 3 per period)\n"
    assert versions(q1) == [2, 4, 5, 6]
    assert versions(h1) == [1, 2]
    assert media_names(settings) == kept_names

    with django_capture_on_commit_callbacks(execute=True):
        assert prune() == "pruned 0 report versions (keeping 3 per period)\n"
    # The next version still follows the last one ever made.
    produce(world, periods["q1"], 1)
    assert versions(q1) == [2, 4, 5, 6, 7]


def test_the_keep_option_must_be_sensible(world):
    with pytest.raises(CommandError, match="--keep must be 1 or more"):
        prune("--keep", "0")
    with pytest.raises(CommandError, match="--interval must be 1 second or more"):
        prune("--loop", "--interval", "0")


def issue_url(period, version):
    return f"/ky-bao-cao/{period.pk}/bao-cao-tong-hop/phien-ban/{version}/ban-hanh/"


def test_the_office_marks_a_version_issued_and_the_page_says_what_is_kept(world, periods, settings):
    settings.PARTRACK_KEEP_REPORT_VERSIONS = 4
    q1 = produce(world, periods["q1"], 2)
    office = world.client(world.coordinator)
    response = post_form(office, issue_url(periods["q1"], 1), {"issued": "1"})
    assert response.status_code == 302
    assert set(q1.files.values_list("version", "issued")) == {(1, True), (2, False)}

    page = office.get(f"/ky-bao-cao/{periods['q1'].pk}/bao-cao-tong-hop/").content.decode()
    assert "Giữ 4 phiên bản gần nhất và mọi phiên bản đã ban hành" in page
    assert page.count("data-issued") == 1
    assert "Bỏ đánh dấu ban hành" in page

    post_form(office, issue_url(periods["q1"], 1), {"issued": "0"})
    assert not q1.files.filter(issued=True).exists()
    assert post_form(office, issue_url(periods["q1"], 9), {"issued": "1"}).status_code == 404


@pytest.mark.parametrize("who", ["leader", "viewer", "lead_member", "outsider", "province_viewer"])
def test_only_the_office_marks_a_version_issued(world, periods, who):
    produce(world, periods["q1"], 1)
    response = post_form(
        world.client(getattr(world, who)), issue_url(periods["q1"], 1), {"issued": "1"}
    )
    assert response.status_code in (403, 404)
    assert not ReportFile.objects.filter(issued=True).exists()


def test_anonymous_visitors_cannot_mark_a_version_issued(world, periods):
    produce(world, periods["q1"], 1)
    response = post_form(client_as(None), issue_url(periods["q1"], 1), {"issued": "1"})
    assert response.status_code == 302
    assert "/dang-nhap/" in response["Location"]
    assert not ReportFile.objects.filter(issued=True).exists()


def test_the_page_runs_as_many_queries_with_issued_versions_as_without(
    world, periods, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = world.client(world.coordinator)
    url = f"/ky-bao-cao/{periods['q1'].pk}/bao-cao-tong-hop/"
    q1 = produce(world, periods["q1"], 1)
    office.get(url)
    with CaptureQueriesContext(connection) as few:
        office.get(url)
    produce(world, periods["q1"], 4)
    ReportFile.objects.filter(report=q1, version__in=[1, 3]).update(issued=True)
    with django_assert_num_queries(len(few)):
        office.get(url)


def test_the_loop_prunes_again_after_a_failed_run(world, periods, settings, monkeypatch):
    from django.core.management.base import OutputWrapper

    from partrack.reporting.management.commands import prune_reports

    settings.PARTRACK_KEEP_REPORT_VERSIONS = 1
    q1 = produce(world, periods["q1"], 3)
    runs = []
    real_prune = prune_reports.prune_report_versions

    def failing_first(**kwargs):
        runs.append(kwargs)
        if len(runs) == 1:
            raise OSError("the database went away")
        return real_prune(**kwargs)

    def sleep(seconds):
        if len(runs) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(prune_reports, "prune_report_versions", failing_first)
    monkeypatch.setattr(prune_reports.time, "sleep", sleep)
    # It would end the test's own transaction on PostgreSQL (a real loop gets a new connection).
    monkeypatch.setattr(prune_reports, "close_old_connections", lambda: None)
    out = StringIO()
    command = prune_reports.Command(stdout=OutputWrapper(out))
    command.handle(keep=None, loop=True, interval=60)
    assert out.getvalue() == "pruned 2 report versions (keeping 1 per period)\nstopped\n"
    assert versions(q1) == [3]
