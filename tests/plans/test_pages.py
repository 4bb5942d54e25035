"""What people see on the plan, task, unit and overview pages of the demo."""

import re

import pytest
import time_machine
from django.contrib.auth import get_user_model

from partrack.org.models import Unit
from partrack.plans.models import State, Task
from tests.conftest import demo_client, post_form

pytestmark = pytest.mark.django_db
TODAY = "2026-11-26 10:00 +07:00"


def task_numbers(html):
    return [int(n) for n in re.findall(r'class="fw-semibold">(\d+)\.</span>', html)]


@time_machine.travel(TODAY)
def test_office_sees_all_36_tasks_in_their_7_areas_with_deadlines_and_states(demo):
    html = demo_client("vanphong").get(demo.get_absolute_url()).content.decode()
    assert task_numbers(html) == list(range(1, 37))
    titles = re.findall(r'<h2 class="h5 area-title"[^>]*>([^<]+)</h2>', html)
    assert [t.split(".")[0] for t in titles] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert "Thường xuyên trong năm 2026" in html
    assert "Hạn 31/03/2026" in html
    assert "state-overdue" in html and "state-done_on_time" in html


@time_machine.travel(TODAY)
def test_search_ignores_diacritics_and_case(demo):
    client = demo_client("vanphong")
    html = client.get(demo.get_absolute_url(), {"q": "luong xanh"}).content.decode()
    assert task_numbers(html) == [22]
    html = client.get(demo.get_absolute_url(), {"q": "LUỒNG Xanh"}).content.decode()
    assert task_numbers(html) == [22]
    html = client.get(demo.get_absolute_url(), {"q": "chuyen doi so"}).content.decode()
    assert set(task_numbers(html)) >= {33, 34}


@time_machine.travel(TODAY)
def test_filters_by_unit_area_and_state(demo):
    client = demo_client("lanhdao")
    cds = Unit.objects.get(short_name="CĐS", agency__short_name="SKHCN")
    html = client.get(demo.get_absolute_url(), {"unit": cds.pk}).content.decode()
    assert task_numbers(html) == [33, 34, 35]
    area_vi = demo.areas.get(numeral="VI")
    html = client.get(demo.get_absolute_url(), {"area": area_vi.pk}).content.decode()
    assert task_numbers(html) == [31, 32]
    html = client.get(demo.get_absolute_url(), {"state": "overdue"}).content.decode()
    expected = sorted(
        t.number
        for t in Task.objects.filter(plan=demo).in_state(State.OVERDUE, time_machine_today())
    )
    assert task_numbers(html) == expected and expected


def time_machine_today():
    from django.utils import timezone

    return timezone.localdate()


@time_machine.travel(TODAY)
def test_bad_filter_values_are_ignored_not_fatal(demo):
    response = demo_client("lanhdao").get(
        demo.get_absolute_url(), {"unit": "abc", "state": "nonsense", "area": "999999"}
    )
    assert response.status_code == 200


@time_machine.travel(TODAY)
def test_my_unit_lists_the_tasks_it_leads_overdue_first(demo):
    html = demo_client("phongcds").get("/don-vi-cua-toi/").content.decode()
    led = html.split('id="led-list"')[1].split("</ul>")[0]
    # 33 (Quý I) is overdue; 35 (Năm 2026) is next by date; 34 waits for a request.
    assert task_numbers(led) == [33, 35, 34]
    coordinated = html.split('id="coordinated-list"')[1].split("</ul>")[0]
    assert 33 not in task_numbers(coordinated) and 31 in task_numbers(coordinated)


@time_machine.travel(TODAY)
def test_phongcds_records_progress_on_33_and_gets_403_posting_status_on_31(demo):
    client = demo_client("phongcds")
    task_33 = Task.objects.get(plan=demo, number=33)
    task_31 = Task.objects.get(plan=demo, number=31)
    response = post_form(
        client,
        f"/nhiem-vu/{task_33.pk}/tien-do/",
        {
            "status": "done",
            "percent": "100",
            "narrative": "Nghị quyết đã ban hành",
            "done_on": "20/11/2026",
            "evidence_number": "45-NQ/TU",
            "evidence_date": "20/11/2026",
            "evidence_summary": "Nghị quyết về chuyển đổi số giai đoạn 2026 - 2030",
            "version": task_33.version,
        },
    )
    assert response.status_code == 302
    task_33.refresh_from_db()
    assert task_33.state(time_machine_today()) == State.DONE_LATE
    response = post_form(
        client,
        f"/nhiem-vu/{task_31.pk}/tien-do/",
        {
            "status": "done",
            "percent": "100",
            "narrative": "",
            "done_on": "20/11/2026",
            "version": task_31.version,
        },
    )
    assert response.status_code == 403


@time_machine.travel(TODAY)
def test_person_of_the_second_agency_gets_404_on_the_seed_plan(demo):
    client = demo_client("sotuphap")
    assert client.get(demo.get_absolute_url()).status_code == 404
    assert client.get(Task.objects.filter(plan=demo).first().get_absolute_url()).status_code == 404


@time_machine.travel(TODAY)
def test_overview_counts_match_the_database(demo):
    html = demo_client("lanhdao").get(f"/ke-hoach/{demo.pk}/tong-quan/").content.decode()
    today = time_machine_today()
    counts = Task.objects.filter(plan=demo).state_counts(today)
    for state, count in counts.items():
        card = html.split(f'data-state="{state.value}"')[1]
        assert re.search(r'fs-4 fw-semibold">(\d+)<', card).group(1) == str(count), state
    overdue = html.split('id="overdue-list"')[1].split("</ul>")[0]
    assert len(re.findall("<li", overdue)) == counts[State.OVERDUE]


@time_machine.travel("2026-12-05 10:00 +07:00")
def test_overview_lists_what_falls_due_in_the_next_30_days(demo):
    html = demo_client("lanhdao").get(f"/ke-hoach/{demo.pk}/tong-quan/").content.decode()
    due = html.split('id="due-list"')[1].split("</ul>")[0]
    # Year-end tasks fall due on 31/12; continuous ones (12, 15) are not listed.
    assert "31/12/2026" in due
    numbers = [int(n) for n in re.findall(r">(\d+)\. ", due)]
    assert 12 not in numbers and 15 not in numbers and 35 in numbers


@time_machine.travel(TODAY)
def test_leader_without_a_unit_is_told_so_on_my_unit_page(demo):
    html = demo_client("lanhdao").get("/don-vi-cua-toi/").content.decode()
    assert "không thuộc đơn vị nào" in html


def test_sign_in_with_the_demo_password_and_sign_out(demo, client):
    response = client.post("/dang-nhap/", {"username": "vanphong", "password": "partrack-demo"})
    assert response.status_code == 302
    assert client.get("/", follow=True).status_code == 200
    assert client.post("/dang-xuat/").status_code == 302
    assert client.get("/").status_code == 302
    bad = client.post("/dang-nhap/", {"username": "vanphong", "password": "wrong"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in bad.content.decode()


def test_demo_people_exist_only_after_the_demo(db):
    assert not get_user_model().objects.filter(username="vanphong").exists()
