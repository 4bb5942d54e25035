"""The task list across agencies: who sees what, and what each filter keeps."""

import pytest
import time_machine

from partrack.org.models import Agency, Role, Unit
from partrack.plans.models import Area, Plan, State, Task
from partrack.province import views
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

URL = "/nhiem-vu-cac-co-quan/"


def shown(response):
    """The task ids the page links to, in order."""
    html = response.content.decode()
    return [
        int(part.split("/")[0]) for part in html.split('class="task-link" href="/nhiem-vu/')[1:]
    ]


@pytest.fixture
def province(world):
    """The world's two agencies, plus a draft and an archived plan and a second province."""
    draft = Plan.objects.create(
        agency=world.other_agency, year=2026, title="Dự thảo", status="draft"
    )
    area = Area.objects.create(plan=draft, order=1, numeral="I", title="Chỉ đạo")
    world.draft_task = Task.objects.create(plan=draft, area=area, content="Việc trong dự thảo")
    archived = Plan.objects.create(
        agency=world.agency,
        year=2025,
        title="Lưu trữ",
        status="active",
        archived_at="2026-01-01T00:00+07:00",
    )
    area = Area.objects.create(plan=archived, order=1, numeral="I", title="Chỉ đạo")
    world.archived_task = Task.objects.create(plan=archived, area=area, content="Việc lưu trữ")
    elsewhere = Agency.objects.create(name="UBND tỉnh khác", short_name="KHAC")
    world.elsewhere_viewer = make_person("elsewhere", elsewhere, Role.VIEWER)
    return world


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_the_province_sees_every_agencys_issued_tasks_and_no_draft_or_archived_one(province):
    response = province.client(province.province_viewer).get(URL)
    assert response.status_code == 200
    assert sorted(shown(response)) == sorted([province.task.pk, province.other_task.pk])


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_an_agency_member_sees_only_their_own_agency(province):
    for person in (province.coordinator, province.lead_member, province.viewer):
        response = province.client(person).get(URL)
        assert shown(response) == [province.task.pk]
    response = province.client(province.outsider).get(URL)
    assert shown(response) == [province.other_task.pk]


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_another_province_sees_nothing_and_cannot_pick_an_agency_it_does_not_read(province):
    client = province.client(province.elsewhere_viewer)
    assert shown(client.get(URL)) == []
    assert shown(client.get(URL, {"agency": province.agency.pk})) == []
    assert "Sở KH&amp;CN" not in client.get(URL).content.decode()


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_a_superuser_reads_every_agency(province):
    province.administrator.is_superuser = True
    province.administrator.save()
    response = province.client(province.administrator).get(URL)
    assert sorted(shown(response)) == sorted([province.task.pk, province.other_task.pk])


def test_an_anonymous_visitor_is_sent_to_sign_in(province):
    for url in (URL, URL + "xuat.csv", URL + "xuat.xlsx"):
        response = province.client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/dang-nhap/")


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_each_row_links_to_a_task_page_the_person_may_open(province):
    client = province.client(province.province_viewer)
    for pk in shown(client.get(URL)):
        assert client.get(f"/nhiem-vu/{pk}/").status_code == 200


@pytest.fixture
def spread(province):
    """Tasks of both agencies across areas, states, units and due dates."""
    w = province
    area_three = Area.objects.create(plan=w.plan, order=3, numeral="III", title="Cải cách TTHC")
    w.overdue = w.add_task(number=2, content="Triển khai luồng xanh", deadline_text="Quý I/2026")
    w.done_late = w.add_task(
        number=3,
        content="Rà soát thủ tục",
        deadline_text="Trước ngày 15/3/2026",
        area=area_three,
        lead=w.helping_unit,
        status="done",
        done_on="2026-03-20",
    )
    w.due_soon = w.add_task(number=4, content="Báo cáo quý", deadline_text="Trước ngày 20/4/2026")
    w.next_year = Plan.objects.create(agency=w.agency, year=2027, title="KH 2027", status="active")
    area = Area.objects.create(plan=w.next_year, order=1, numeral="I", title="Chỉ đạo")
    w.later = Task.objects.create(plan=w.next_year, area=area, content="Việc năm sau")
    return w


@time_machine.travel("2026-04-10 09:00 +07:00")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "overdue"}, {"task", "overdue"}),
        ({"state": "done_late"}, {"done_late"}),
        ({"state": "due_soon"}, {"due_soon"}),
        ({"area": "III"}, {"done_late"}),
        ({"q": "LUONG xanh"}, {"overdue"}),
        ({"q": "luồng"}, {"overdue"}),
        ({"due_from": "01/04/2026", "due_to": "30/04/2026"}, {"due_soon"}),
        ({"due_to": "31/03/2026", "state": "overdue"}, {"task", "overdue"}),
        ({"year": "2027"}, {"later"}),
        ({"agency": "other"}, {"other_task"}),
    ],
)
def test_each_filter_keeps_the_tasks_a_person_would_expect(spread, query, expected):
    if query.get("agency") == "other":
        query = {"agency": spread.other_agency.pk}
    response = spread.client(spread.province_viewer).get(URL, query)
    assert set(shown(response)) == {getattr(spread, name).pk for name in expected}


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_the_unit_filter_works_once_an_agency_is_chosen(spread):
    client = spread.client(spread.province_viewer)
    query = {"agency": spread.agency.pk, "unit": spread.helping_unit.pk}
    assert shown(client.get(URL, query)) == [spread.done_late.pk]
    # A unit of another agency than the chosen one is ignored, not trusted.
    foreign = Unit.objects.get(agency=spread.other_agency)
    assert len(shown(client.get(URL, {"agency": spread.agency.pk, "unit": foreign.pk}))) == 4


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_tasks_sort_by_due_date_either_way_with_the_undated_last(spread):
    client = spread.client(spread.province_viewer)
    rows = shown(client.get(URL))
    due = {t.pk: t.due_date for t in Task.objects.filter(pk__in=rows)}
    dated = [due[pk] for pk in rows if due[pk]]
    assert dated == sorted(dated) and due[rows[-1]] is None
    rows = shown(client.get(URL, {"sort": "-due"}))
    dated = [due[pk] for pk in rows if due[pk]]
    assert dated == sorted(dated, reverse=True) and due[rows[-1]] is None


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_bad_filter_values_are_ignored_not_fatal(spread):
    query = {"state": "nope", "area": "IX", "due_from": "31/02/2026", "year": "abc", "agency": "x"}
    response = spread.client(spread.province_viewer).get(URL, query)
    assert response.status_code == 200
    assert len(shown(response)) == 5  # this year's tasks of both agencies


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_the_list_is_paginated_and_keeps_the_filters_on_the_next_page(spread, settings):
    settings.PARTRACK_PAGE_SIZE = 2
    client = spread.client(spread.province_viewer)
    first = client.get(URL, {"q": "a"})
    assert len(shown(first)) == 2
    assert "?q=a&amp;page=2" in first.content.decode()
    seen = shown(first) + shown(client.get(URL, {"q": "a", "page": 2}))
    assert len(set(seen)) == 4
    # The state shown is the task's own computed state.
    page = client.get(URL, {"state": "overdue"}).content.decode()
    assert page.count(f"state-{State.OVERDUE.value}") == 2


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_past_the_cap_the_list_says_more_than_and_its_pages_stop_there(spread, settings):
    """A country's list is counted only up to a cap; below it the count stays exact."""
    settings.PARTRACK_PAGE_SIZE = 2
    client = spread.client(spread.province_viewer)
    page = client.get(URL).content.decode()
    assert "5 nhiệm vụ" in page and "Hơn" not in page and "Trang 1/3" in page
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(views, "COUNT_CAP", 3)
        patch.setattr(views, "SEARCH_COUNT_CAP", 1)
        page = client.get(URL).content.decode()
        assert "Hơn 3 nhiệm vụ" in page and "Trang 1/2" in page
        # A search is counted to its own, lower cap; a list within the cap stays exact.
        assert "Hơn 1 nhiệm vụ" in client.get(URL, {"q": "a"}).content.decode()
        assert "1 nhiệm vụ" in client.get(URL, {"q": "luồng"}).content.decode()
        assert "Hơn" not in client.get(URL, {"q": "luồng"}).content.decode()
        # The last counted page still shows its rows; what lies past it is reached by sorting.
        last = client.get(URL, {"page": 2})
        assert len(shown(last)) == 1
        assert set(shown(client.get(URL, {"sort": "-due"}))) - set(shown(client.get(URL)))
