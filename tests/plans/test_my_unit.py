"""Where each person lands, and "Việc của đơn vị tôi" following the agency as it is today."""

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partrack.org.models import Role, Unit
from partrack.plans.models import ReportingPeriod, Status, Task
from partrack.reporting import services as reporting
from tests.conftest import client_as, demo_client, make_person, post_form

pytestmark = pytest.mark.django_db


def listed(html, list_id):
    block = html.split(f'id="{list_id}"')[1].split("</ul>")[0]
    return [int(n) for n in re.findall(r'<span class="fw-semibold">(\d+)\.</span>', block)]


@pytest.fixture
def new_unit(demo):
    """A unit created after the plan was imported, with one member."""
    unit = Unit.objects.create(agency=demo.agency, name="Phòng Quản lý chuyên ngành", order=20)
    make_person("phongmoi", demo.agency, Role.MEMBER, unit)
    return unit


def test_every_unit_of_the_agency_includes_a_unit_added_after_the_plan_was_imported(demo, new_unit):
    tasks = Task.objects.filter(plan=demo).order_by("area__order", "order")
    every = [t for t in tasks if "Các phòng, đơn vị thuộc Sở" in t.coordinating_names]
    assert len(every) == 36
    assert Task.objects.filter(plan=demo).coordinated_by(new_unit).count() == 36
    client = client_as(new_unit.memberships.get().user)
    with time_machine.travel("2026-03-02 09:00 +07:00"):
        html = client.get("/don-vi-cua-toi/?da_xong=1").content.decode()
    count = int(re.search(r'id="coordinated-title">[^<]*<span[^>]*>(\d+)<', html)[1])
    assert count == 36
    assert set(listed(html, "coordinated-list")) <= {t.number for t in every}
    # It may add its share to such a task, and not to one it has nothing to do with.
    task = every[0]
    response = post_form(client, f"/nhiem-vu/{task.pk}/phoi-hop/", {"narrative": "Đã góp ý"})
    assert response.status_code == 302
    alone = Task.objects.create(
        plan=demo,
        area=task.area,
        number=99,
        order=99,
        content="Việc riêng của hai phòng",
        coordinating_names=["Phòng Kế hoạch Tài chính"],
    )
    assert not alone.every_unit_coordinates
    response = post_form(client, f"/nhiem-vu/{alone.pk}/phoi-hop/", {"narrative": "Chen vào"})
    assert response.status_code == 403
    # Its report for the period lists those tasks as coordinated.
    period = ReportingPeriod.objects.get(plan=demo, kind="q1")
    report = reporting.start_unit_report(period=period, unit=new_unit)
    assert report.entries.filter(role="coordinating").count() == 36
    # A unit of another agency is never "every unit" of this one.
    outside = Unit.objects.get(agency__short_name="STP", is_coordinator=True)
    assert not Task.objects.filter(plan=demo).coordinated_by(outside).exists()


@time_machine.travel("2026-11-26 09:00 +07:00")
def test_my_unit_hides_finished_coordinated_tasks_unless_asked(demo):
    client = demo_client("phongkhtc")
    khtc = Unit.objects.get(short_name="KHTC")
    coordinated = Task.objects.filter(plan=demo).coordinated_by(khtc)
    finished = set(coordinated.finished().values_list("number", flat=True))
    assert finished  # the demo has done tasks that KHTC coordinates
    html = client.get("/don-vi-cua-toi/").content.decode()
    count = int(re.search(r'id="coordinated-title">[^<]*<span[^>]*>(\d+)<', html)[1])
    assert count == coordinated.count() - len(finished)
    assert not finished & set(listed(html, "coordinated-list"))
    assert f"Đã ẩn {len(finished)} nhiệm vụ đã xong." in html
    shown = client.get("/don-vi-cua-toi/?da_xong=1").content.decode()
    count = int(re.search(r'id="coordinated-title">[^<]*<span[^>]*>(\d+)<', shown)[1])
    assert count == coordinated.count()
    assert "Ẩn nhiệm vụ đã xong" in shown


def test_my_unit_runs_a_fixed_number_of_queries_with_or_without_finished_tasks(world):
    from tests.plans.test_query_counts import grow_to

    def count(url):
        client = world.client(world.helping_member)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    with time_machine.travel("2026-11-26 10:00 +07:00"):
        grow_to(world, 36)
        small = (count("/don-vi-cua-toi/"), count("/don-vi-cua-toi/?da_xong=1"))
        grow_to(world, 1200)
        Task.objects.filter(plan=world.plan, number__lt=600).update(status=Status.DONE)
        large = (count("/don-vi-cua-toi/"), count("/don-vi-cua-toi/?da_xong=1"))
    assert small == large
    assert max(large) <= 16


@time_machine.travel("2026-03-15 09:00 +07:00")
def test_each_person_lands_where_their_work_is(demo):
    overview = f"/ke-hoach/{demo.pk}/tong-quan/"
    for login, where in [
        ("phongcds", "/can-lam/"),
        ("phongkhtc", "/can-lam/"),
        ("vanphong", "/can-lam/"),
        ("lanhdao", overview),
        ("sotuphap", "/can-lam/"),
    ]:
        response = demo_client(login).get("/")
        assert (response.status_code, response["Location"]) == (302, where), login
    # Signing in goes the same way.
    client = client_as()
    client.get("/dang-nhap/")
    response = client.post(
        "/dang-nhap/",
        {
            "username": "lanhdao",
            "password": "partrack-demo",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == overview
    # The plan list stays one click away for everyone.
    page = demo_client("phongcds").get("/ke-hoach/").content.decode()
    assert demo.title in page and 'href="/ke-hoach/"' in page
    assert client_as().get("/ke-hoach/").status_code == 302
