"""Import drafts never confirmed are listed for the office, which can discard them."""

import pytest

from partrack.documents.models import ImportDraft
from partrack.plans.models import Plan

pytestmark = pytest.mark.django_db

DATA = {"plan": {"title": "Kế hoạch", "year": 2026}, "sections": []}


def make_draft(world, name="ke-hoach.docx", **fields):
    return ImportDraft.objects.create(
        agency=fields.pop("agency", world.agency),
        uploaded_by=fields.pop("by", world.coordinator),
        filename=name,
        sha256="0" * 64,
        data=DATA,
        **fields,
    )


def post(client, url):
    client.get("/dang-nhap/")
    return client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_the_office_sees_every_unconfirmed_draft_and_not_the_confirmed_ones(world):
    waiting = [make_draft(world, f"ban-{n}.docx") for n in range(3)]
    make_draft(world, "da-nhap.docx", plan=world.plan)
    make_draft(world, "cua-so-khac.docx", agency=world.other_agency, by=world.outsider)

    page = world.client(world.coordinator).get("/nhap-ke-hoach/ban-nhap/").content.decode()

    for draft in waiting:
        assert draft.filename in page
        assert f'action="/nhap-ke-hoach/{draft.pk}/bo/"' in page
    assert "da-nhap.docx" not in page and "cua-so-khac.docx" not in page


def test_discarding_a_draft_removes_it_and_touches_no_plan(world):
    keep, drop = make_draft(world, "giu.docx"), make_draft(world, "bo.docx")
    plans = Plan.objects.count()
    client = world.client(world.coordinator)

    response = post(client, f"/nhap-ke-hoach/{drop.pk}/bo/")

    assert response.status_code == 302 and response["Location"] == "/nhap-ke-hoach/ban-nhap/"
    assert list(ImportDraft.objects.all()) == [keep]
    assert Plan.objects.count() == plans
    page = client.get(response["Location"]).content.decode()
    assert "Đã bỏ bản nhập “bo.docx”." in page and "giu.docx" in page


def test_a_confirmed_draft_cannot_be_discarded(world):
    confirmed = make_draft(world, plan=world.plan)
    response = post(world.client(world.coordinator), f"/nhap-ke-hoach/{confirmed.pk}/bo/")
    assert response.status_code == 302
    assert ImportDraft.objects.filter(pk=confirmed.pk).exists()


@pytest.mark.parametrize("persona", ["leader", "lead_member", "viewer", "administrator"])
def test_people_who_do_not_coordinate_may_neither_list_nor_discard_drafts(world, persona):
    draft = make_draft(world)
    client = world.client(getattr(world, persona))
    assert client.get("/nhap-ke-hoach/ban-nhap/").status_code == 403
    assert post(client, f"/nhap-ke-hoach/{draft.pk}/bo/").status_code == 403
    assert ImportDraft.objects.filter(pk=draft.pk).exists()


def test_the_office_of_another_agency_gets_404_and_anonymous_is_sent_to_sign_in(world):
    draft = make_draft(world)
    assert post(world.client(world.outsider), f"/nhap-ke-hoach/{draft.pk}/bo/").status_code == 404
    assert (
        post(world.client(world.province_viewer), f"/nhap-ke-hoach/{draft.pk}/bo/").status_code
        == 404
    )
    for url in ("/nhap-ke-hoach/ban-nhap/", f"/nhap-ke-hoach/{draft.pk}/bo/"):
        response = world.client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert ImportDraft.objects.filter(pk=draft.pk).exists()


def test_a_discard_must_be_posted(world):
    draft = make_draft(world)
    assert world.client(world.coordinator).get(f"/nhap-ke-hoach/{draft.pk}/bo/").status_code == 405
    assert ImportDraft.objects.filter(pk=draft.pk).exists()


def test_the_drafts_page_runs_a_fixed_number_of_queries(world, settings, django_assert_num_queries):
    settings.PARTRACK_PAGE_SIZE = 20
    client = world.client(world.coordinator)
    make_draft(world)
    # The layout (5), the membership's agency, then the page of drafts (count, rows).
    with django_assert_num_queries(8):
        assert client.get("/nhap-ke-hoach/ban-nhap/").status_code == 200
    for n in range(40):
        make_draft(world, f"ban-{n}.docx")
    with django_assert_num_queries(8):
        page = client.get("/nhap-ke-hoach/ban-nhap/").content.decode()
    assert "Trang 1/3" in page and page.count('action="/nhap-ke-hoach/') == 20
