"""The permission matrix's province rows (docs/domain.md, "Roles"): every role at the province
reads an agency's issued and submitted work, never its drafts, and writes none of it; a
second province reaches nothing of the first."""

import pytest

from partrack.org.models import Agency, Membership, Role
from partrack.plans.models import Plan, ProgressUpdate
from partrack.reporting.models import UnitReport
from partrack.reporting.services import start_unit_report, submit_unit_report
from tests.conftest import client_as, make_person, make_province_desk, post_form

pytestmark = pytest.mark.django_db

PROVINCE_ROLES = ["province_admin", "province_coordinator", "province_leader", "province_viewer"]
PROGRESS = {"status": "in_progress", "percent": "40", "narrative": "x", "done_on": "", "version": 1}


@pytest.fixture
def w(world):
    _desk, world.province_coordinator, world.province_leader = make_province_desk(
        world.province, coordinator="snv", leader="snv-lead"
    )
    world.province_admin = make_person("quantritinh", world.province, Role.ADMINISTRATOR)
    world.second_province = Agency.objects.create(
        name="UBND tỉnh Tuyên Quang", short_name="UBNDTQ", kind=Agency.Kind.PROVINCE
    )
    world.second_viewer = make_person("tq", world.second_province, Role.COORDINATOR)
    world.draft_plan = Plan.objects.create(
        agency=world.other_agency, year=2027, title="Dự thảo kế hoạch 2027 của Sở Tư pháp"
    )
    world.draft_plan.ensure_periods()
    world.q1 = world.plan.periods.get(kind="q1")
    world.report = start_unit_report(period=world.q1, unit=world.lead_unit)
    world.report.results = "Nội dung nháp chưa gửi"
    world.report.save()
    return world


def read_urls(w):
    return [
        "/ke-hoach/",
        w.plan.get_absolute_url(),
        f"/ke-hoach/{w.plan.pk}/tong-quan/",
        f"/ke-hoach/{w.plan.pk}/xep-hang/",
        w.task.get_absolute_url(),
        f"/ke-hoach/{w.plan.pk}/ky-bao-cao/",
        f"/ky-bao-cao/{w.q1.pk}/",
        f"/ky-bao-cao/{w.q1.pk}/don-vi/{w.lead_unit.pk}/",
        f"/ky-bao-cao/{w.q1.pk}/bao-cao-tong-hop/",
        "/nhiem-vu-cac-co-quan/",
        "/tong-quan-tinh/",
    ]


def write_attempts(w):
    unit_report = f"/ky-bao-cao/{w.q1.pk}/don-vi/{w.lead_unit.pk}"
    return [
        (f"/nhiem-vu/{w.task.pk}/tien-do/", PROGRESS),
        (f"/nhiem-vu/{w.task.pk}/phoi-hop/", {"narrative": "x"}),
        (f"{unit_report}/bat-dau/", {}),
        (f"{unit_report}/luu/", {"results": "x", "lock_version": 1}),
        (f"{unit_report}/gui/", {}),
        (f"{unit_report}/xem-xet/", {"decision": "accept", "comment": ""}),
        (f"/ky-bao-cao/{w.q1.pk}/sua/", {}),
        (f"/ky-bao-cao/{w.q1.pk}/bao-cao-tong-hop/luu/", {"version": 0}),
        (f"/ke-hoach/{w.plan.pk}/bo-sung-nhiem-vu/", {}),
        (f"/ke-hoach/{w.plan.pk}/cong-khai/", {}),
    ]


@pytest.mark.parametrize("persona", PROVINCE_ROLES)
def test_every_province_role_reads_every_agency_page(w, persona):
    client = client_as(getattr(w, persona))
    for url in read_urls(w):
        assert client.get(url).status_code == 200, url
    home = client.get("/ke-hoach/").content.decode()
    assert w.plan.title in home and w.other_plan.title in home


@pytest.mark.parametrize("persona", PROVINCE_ROLES)
def test_no_province_role_writes_anything_of_an_agency(w, persona):
    client = client_as(getattr(w, persona))
    for url, data in write_attempts(w):
        assert post_form(client, url, data).status_code == 403, url
    assert not ProgressUpdate.objects.exists()
    w.report.refresh_from_db()
    assert (w.report.status, w.report.results) == ("draft", "Nội dung nháp chưa gửi")


@pytest.mark.parametrize("persona", PROVINCE_ROLES)
def test_no_province_role_reads_a_draft(w, persona):
    client = client_as(getattr(w, persona))
    # A draft plan: not listed, not found, nor its tasks' periods.
    assert w.draft_plan.title not in client.get("/ke-hoach/?nam=all").content.decode()
    assert client.get(w.draft_plan.get_absolute_url()).status_code == 404
    draft_period = w.draft_plan.periods.first()
    assert client.get(f"/ky-bao-cao/{draft_period.pk}/").status_code == 404
    # A unit report not sent: its status shows, its words do not.
    page = client.get(f"/ky-bao-cao/{w.q1.pk}/don-vi/{w.lead_unit.pk}/").content.decode()
    assert "Nội dung nháp chưa gửi" not in page and 'id="content-not-sent"' in page


def test_a_unit_report_reaches_the_province_once_sent_and_leaves_when_returned(w):
    client = client_as(w.province_viewer)
    url = f"/ky-bao-cao/{w.q1.pk}/don-vi/{w.lead_unit.pk}/"
    submit_unit_report(report=w.report, by=w.lead_member)
    assert "Nội dung nháp chưa gửi" in client.get(url).content.decode()
    UnitReport.objects.filter(pk=w.report.pk).update(status=UnitReport.Status.RETURNED)
    assert "Nội dung nháp chưa gửi" not in client.get(url).content.decode()
    # The agency's own people read the draft all along.
    assert "Nội dung nháp chưa gửi" in client_as(w.coordinator).get(url).content.decode()


def test_the_agency_reads_its_own_draft_plan(w):
    client = client_as(w.outsider)  # Sở Tư pháp's office
    assert client.get(w.draft_plan.get_absolute_url()).status_code == 200


def test_a_second_province_reaches_nothing_of_the_first(w):
    client = client_as(w.second_viewer)
    for url in read_urls(w)[1:9]:
        assert client.get(url).status_code == 404, url
    for url in ("/ke-hoach/", "/nhiem-vu-cac-co-quan/", "/tong-quan-tinh/"):
        html = client.get(url).content.decode()
        assert "Sở KH&amp;CN" not in html and w.plan.title not in html, url
    for url, data in write_attempts(w)[:6]:
        assert post_form(client, url, data).status_code == 404, url


def membership(user):
    return Membership.objects.select_related("agency").get(user=user)


def test_the_membership_methods_state_the_province_roles(w):
    admin, desk = membership(w.province_admin), membership(w.province_coordinator)
    leader, viewer = membership(w.province_leader), membership(w.province_viewer)
    office = membership(w.coordinator)
    for m in (admin, desk, leader, viewer):
        assert m.reads_for_province(w.agency) and not m.reads_drafts_of(w.agency.pk)
        assert not m.writes_agency_work(w.agency.pk)
        assert not m.reads_for_province(w.second_province)
    assert admin.administers_province()
    assert admin.administers_agency(w.agency) and admin.administers_agency(w.province)
    assert not admin.administers_agency(w.second_province)
    assert not any(m.administers_province() for m in (desk, leader, viewer, office))
    assert membership(w.administrator).administers_province() is False  # a Sở's administrator
    assert desk.acts_for_province(w.province) and leader.acts_for_province(w.province)
    assert not viewer.acts_for_province(w.province) and not admin.acts_for_province(w.province)
    assert not office.acts_for_province(w.province) and not office.acts_for_province(w.agency)
    assert office.writes_agency_work(w.agency.pk) and office.reads_drafts_of(w.agency.pk)
    assert not membership(w.viewer).writes_agency_work(w.agency.pk)
