"""The province administrator manages the agency tree; nobody else does."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partrack.org.models import Agency, Membership, Role, Unit
from tests.conftest import client_as, make_person, post_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(world):
    w = world
    w.province_admin = make_person("quantritinh", w.province, Role.ADMINISTRATOR)
    w.province_coordinator = make_person("snv", w.province, Role.COORDINATOR)
    w.second_province = Agency.objects.create(
        name="UBND tỉnh Tuyên Quang", short_name="UBNDTQ", kind=Agency.Kind.PROVINCE
    )
    w.second_agency = Agency.objects.create(
        name="Sở Tài chính Tuyên Quang", short_name="STCTQ", parent=w.second_province
    )
    w.second_admin = make_person("qttq", w.second_province, Role.ADMINISTRATOR)
    return w


def pages(w):
    member = Membership.objects.get(user=w.lead_member)
    return [
        "/quan-tri-tinh/co-quan/",
        "/quan-tri-tinh/co-quan/them/",
        f"/quan-tri-tinh/co-quan/{w.agency.pk}/",
        f"/quan-tri-tinh/co-quan/{w.province.pk}/",
        f"/quan-tri-tinh/co-quan/{w.agency.pk}/don-vi/them/",
        f"/quan-tri-tinh/don-vi/{w.lead_unit.pk}/",
        f"/quan-tri-tinh/co-quan/{w.agency.pk}/nguoi/them/",
        f"/quan-tri-tinh/thanh-vien/{member.pk}/",
    ]


def test_the_province_administrator_opens_every_page_at_a_fixed_query_count(tree):
    client = client_as(tree.province_admin)
    counts = {}
    for url in pages(tree):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    html = client.get("/quan-tri-tinh/co-quan/").content.decode()
    assert "Sở KH&amp;CN" in html and "Sở Tư pháp" in html and "Tuyên Quang" not in html
    # More agencies, units and people: the same number of queries on every page.
    for i in range(5):
        agency = Agency.objects.create(name=f"Xã {i}", short_name=f"X{i}", parent=tree.province)
        unit = Unit.objects.create(agency=agency, name="Văn phòng")
        make_person(f"p{i}", agency, Role.MEMBER, unit)
        Unit.objects.create(agency=tree.agency, name=f"Phòng {i}")
        make_person(f"q{i}", tree.agency, Role.MEMBER)
    for url in pages(tree):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) == counts[url], url
    assert max(counts.values()) <= 9, counts


@pytest.mark.parametrize(
    "persona", ["province_coordinator", "province_viewer", "administrator", "coordinator"]
)
def test_anyone_but_the_province_administrator_is_refused(tree, persona):
    client = client_as(getattr(tree, persona))
    for url in pages(tree):
        assert client.get(url).status_code == 403, url
    response = post_form(client, "/quan-tri-tinh/co-quan/them/", {"name": "X", "short_name": "X"})
    assert response.status_code == 403
    assert not Agency.objects.filter(short_name="X").exists()


def test_another_provinces_administrator_finds_nothing_of_this_one(tree):
    client = client_as(tree.second_admin)
    for url in pages(tree)[2:]:
        assert client.get(url).status_code == 404, url
    response = post_form(client, f"/quan-tri-tinh/co-quan/{tree.agency.pk}/", {"name": "Hacked"})
    assert response.status_code == 404
    html = client.get("/quan-tri-tinh/co-quan/").content.decode()
    assert "Sở Tài chính Tuyên Quang" in html and "Sở KH&amp;CN" not in html


def test_anonymous_is_sent_to_sign_in(tree):
    for url in pages(tree):
        assert client_as().get(url)["Location"].startswith("/dang-nhap/"), url


def test_the_administrator_adds_a_commune_its_unit_and_a_person(tree):
    client = client_as(tree.province_admin)
    response = post_form(
        client,
        "/quan-tri-tinh/co-quan/them/",
        {"name": "Ủy ban nhân dân xã Hy Cương", "short_name": "XHC", "kind": "commune"},
    )
    commune = Agency.objects.get(short_name="XHC")
    assert response["Location"] == f"/quan-tri-tinh/co-quan/{commune.pk}/"
    assert (commune.parent, commune.kind) == (tree.province, Agency.Kind.COMMUNE)
    post_form(
        client,
        f"/quan-tri-tinh/co-quan/{commune.pk}/don-vi/them/",
        {"name": "Văn phòng HĐND và UBND", "kind": "office", "is_coordinator": "on", "order": 1},
    )
    office = commune.units.get()
    assert office.is_coordinator
    response = post_form(
        client,
        f"/quan-tri-tinh/co-quan/{commune.pk}/nguoi/them/",
        {
            "full_name": "Hà Thị Lan",
            "username": "xahycuong",
            "email": "lan@example.vn",
            "unit": office.pk,
            "role": "coordinator",
            "title": "Công chức Văn phòng",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="xahycuong")
    assert (user.first_name, user.last_name, user.has_usable_password()) == ("Lan", "Hà Thị", False)
    assert (user.membership.agency, user.membership.unit) == (commune, office)
    html = client.get(f"/quan-tri-tinh/co-quan/{commune.pk}/").content.decode()
    assert "Hà Thị Lan" in html and "Văn phòng HĐND và UBND" in html


def test_the_administrator_moves_a_person_and_locks_them(tree):
    client = client_as(tree.province_admin)
    member = Membership.objects.get(user=tree.lead_member)
    response = post_form(
        client,
        f"/quan-tri-tinh/thanh-vien/{member.pk}/",
        {"unit": tree.helping_unit.pk, "role": "member", "title": "Chuyên viên"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert (member.unit, member.title, member.user.is_active) == (
        tree.helping_unit,
        "Chuyên viên",
        False,
    )


def test_a_unit_of_another_agency_cannot_be_chosen(tree):
    client = client_as(tree.province_admin)
    member = Membership.objects.get(user=tree.lead_member)
    other_unit = Unit.objects.filter(agency=tree.other_agency).first()
    response = post_form(
        client,
        f"/quan-tri-tinh/thanh-vien/{member.pk}/",
        {"unit": other_unit.pk, "role": "member", "is_active": "on"},
    )
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.unit == tree.lead_unit


def test_the_province_stays_a_province_and_names_stay_unique(tree):
    client = client_as(tree.province_admin)
    response = post_form(
        client,
        f"/quan-tri-tinh/co-quan/{tree.province.pk}/",
        {"name": "UBND tỉnh Phú Thọ", "short_name": "UBND", "kind": "commune"},
    )
    assert response.status_code == 302
    tree.province.refresh_from_db()
    assert tree.province.kind == Agency.Kind.PROVINCE
    response = post_form(
        client, "/quan-tri-tinh/co-quan/them/", {"name": "Trùng", "short_name": "STP"}
    )
    assert response.status_code == 400
