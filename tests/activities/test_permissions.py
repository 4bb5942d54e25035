"""Who may read and write the registers and the figures: units their own, the office all,
leaders and viewers read, other agencies nothing, the province nothing of what is not reviewed."""

from decimal import Decimal

import pytest
import time_machine

from partrack.activities import services
from partrack.activities.models import Activity, Figure, Indicator
from tests.conftest import post_form

pytestmark = pytest.mark.django_db
TODAY = "2026-04-20 10:00 +07:00"


def activity(world, unit):
    return Activity.objects.create(
        plan=world.plan,
        unit=unit,
        date="2026-03-01",
        form="web_post",
        topic="other",
        title="Bài đăng",
        created_by=world.coordinator,
    )


def new_activity(world, unit):
    return {
        "date": "01/03/2026",
        "form": "conference",
        "topic": "other",
        "title": "Hội nghị",
        "unit": unit.pk,
        "task": "",
        "url": "",
    }


@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("who", "unit", "status"),
    [
        ("lead_member", "lead_unit", 302),  # a unit records its own
        ("coordinator", "bystander_unit", 302),  # the office records for any unit
        ("lead_member", "bystander_unit", 400),  # not for another unit: the choice is refused
    ],
)
def test_units_record_their_own_activities_and_the_office_any(world, who, unit, status):
    client = world.client(getattr(world, who))
    url = f"/ke-hoach/{world.plan.pk}/tuyen-truyen/them/"

    response = post_form(client, url, new_activity(world, getattr(world, unit)))

    assert response.status_code == status
    assert Activity.objects.count() == (1 if status == 302 else 0)


@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("who", "status"),
    [("leader", 403), ("viewer", 403), ("province_viewer", 403), ("outsider", 404)],
)
def test_people_who_only_read_or_see_nothing_cannot_record(world, who, status):
    client = world.client(getattr(world, who))
    url = f"/ke-hoach/{world.plan.pk}/tuyen-truyen/them/"

    assert post_form(client, url, new_activity(world, world.lead_unit)).status_code == status
    assert not Activity.objects.exists()


@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("who", "status"),
    [("leader", 200), ("viewer", 200), ("province_viewer", 200), ("outsider", 404)],
)
def test_the_agency_and_the_province_read_the_registers_other_agencies_do_not(world, who, status):
    activity(world, world.lead_unit)
    for word in ["tuyen-truyen", "sang-kien", "van-ban", "chi-tieu"]:
        response = world.client(getattr(world, who)).get(f"/ke-hoach/{world.plan.pk}/{word}/")
        assert response.status_code == status


def test_anonymous_people_are_sent_to_sign_in(world):
    response = world.client().get(f"/ke-hoach/{world.plan.pk}/tuyen-truyen/")

    assert response.status_code == 302
    assert "/dang-nhap/" in response["Location"]


@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lead_member", 302),
        ("coordinator", 302),
        ("bystander", 403),
        ("leader", 403),
        ("outsider", 404),
    ],
)
def test_only_the_recording_unit_and_the_office_change_or_delete_an_entry(world, who, status):
    record = activity(world, world.lead_unit)
    client = world.client(getattr(world, who))

    response = post_form(client, f"/tuyen-truyen/{record.pk}/xoa/", {})

    assert response.status_code == status
    assert Activity.objects.filter(pk=record.pk).exists() == (status != 302)


@pytest.fixture
def figures(world):
    indicator = Indicator.objects.create(
        plan=world.plan, code="HS-01", name="Hồ sơ tiếp nhận", measure="hồ sơ", unit=world.lead_unit
    )
    period = world.plan.periods.get(kind="q1")
    return indicator, period


@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("who", "status", "written"),
    [("lead_member", 302, True), ("coordinator", 302, True), ("bystander", 403, False)],
)
def test_figures_are_entered_by_the_responsible_unit_or_the_office(
    world, figures, who, status, written
):
    indicator, period = figures
    client = world.client(getattr(world, who))

    response = post_form(
        client,
        f"/ky-bao-cao/{period.pk}/so-lieu/",
        {f"v{indicator.pk}": "12", f"n{indicator.pk}": ""},
    )

    assert response.status_code == status
    assert Figure.objects.filter(indicator=indicator).exists() == written


@time_machine.travel(TODAY)
def test_the_province_sees_a_figure_only_once_the_office_has_reviewed_it(world, figures):
    indicator, period = figures
    services.set_figures(
        period=period, values={indicator: (Decimal("318"), "")}, by=world.lead_member
    )
    url = f"/ky-bao-cao/{period.pk}/so-lieu/"

    def shown(user):
        lines = world.client(user).get(url).context["lines"]
        return [line["value"] for line in lines]

    assert shown(world.leader) == ["318"]
    assert shown(world.province_viewer) == [""]
    post_form(
        world.client(world.coordinator),
        f"/ky-bao-cao/{period.pk}/so-lieu/xem-xet/{world.lead_unit.pk}/",
        {},
    )
    assert shown(world.province_viewer) == ["318"]
    assert world.client(world.outsider).get(url).status_code == 404


@time_machine.travel(TODAY)
def test_only_the_office_reviews_figures_and_a_new_value_needs_a_new_review(world, figures):
    indicator, period = figures
    services.set_figures(
        period=period, values={indicator: (Decimal("5"), "")}, by=world.lead_member
    )
    review = f"/ky-bao-cao/{period.pk}/so-lieu/xem-xet/{world.lead_unit.pk}/"

    assert post_form(world.client(world.lead_member), review, {}).status_code == 403
    assert post_form(world.client(world.coordinator), review, {}).status_code == 302
    assert Figure.objects.get().reviewed_by == world.coordinator
    services.set_figures(
        period=period, values={indicator: (Decimal("6"), "")}, by=world.lead_member
    )
    assert Figure.objects.get().reviewed_at is None


@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("who", "status"), [("coordinator", 302), ("lead_member", 403), ("leader", 403)]
)
def test_only_the_office_defines_indicators(world, who, status):
    client = world.client(getattr(world, who))

    response = post_form(client, f"/ke-hoach/{world.plan.pk}/chi-tieu/", {"defaults": "1"})

    assert response.status_code == status
    assert Indicator.objects.exists() == (status == 302)
