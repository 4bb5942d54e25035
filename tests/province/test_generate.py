"""`partrack generate`: made-up agencies for demos and load tests, never mixed with real ones."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import F

from partrack.org.models import Agency, Membership
from partrack.plans.models import Area, Plan, ProgressUpdate, Task
from tests.conftest import client_as

pytestmark = pytest.mark.django_db


def generate(*args):
    call_command("generate", *args)


def test_generate_makes_the_sizes_asked_for_and_marks_every_agency(db, capsys):
    generate(
        "--agencies", "3", "--tasks-per-plan", "14", "--updates-per-task", "2", "--year", "2026"
    )
    assert Agency.objects.filter(parent__isnull=False).count() == 3
    assert not Agency.objects.filter(is_generated=False).exists()
    assert Plan.objects.filter(year=2026, status="active").count() == 3
    assert Task.objects.count() == 3 * 14
    assert ProgressUpdate.objects.count() == 3 * 14 * 2
    # Every plan has the 7 standard areas, and every task a lead unit of its own agency.
    assert set(Area.objects.values_list("numeral", flat=True)) == {
        "I", "II", "III", "IV", "V", "VI", "VII"
    }  # fmt: skip
    assert not Task.objects.filter(lead_units__isnull=True).exists()
    assert not Task.objects.exclude(lead_units__agency=F("plan__agency")).exists()
    assert "3 agencies, " in capsys.readouterr().out


def test_generated_people_sign_in_and_the_search_finds_generated_tasks(db):
    generate(
        "--agencies", "2", "--tasks-per-plan", "12", "--updates-per-task", "0", "--year", "2026"
    )
    province = get_user_model().objects.get(username="gen-tinh-001")
    assert Membership.reads_several_agencies(province)
    response = client_as(province).get("/nhiem-vu-cac-co-quan/", {"q": "luong xanh", "year": 2026})
    assert response.status_code == 200
    assert "luồng xanh" in response.content.decode()


def test_generate_twice_adds_beside_what_it_made(db):
    generate("--agencies", "2", "--tasks-per-plan", "7", "--updates-per-task", "0")
    generate("--agencies", "2", "--tasks-per-plan", "7", "--updates-per-task", "0")
    assert Agency.objects.filter(parent__isnull=False, is_generated=True).count() == 4


def test_generate_refuses_a_database_holding_real_agencies(world):
    with pytest.raises(CommandError) as refused:
        generate("--agencies", "2")
    assert refused.value.returncode == 2
    assert "3 real agencies" in str(refused.value) and "--force" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert not Agency.objects.filter(is_generated=True).exists()
    generate("--agencies", "1", "--tasks-per-plan", "7", "--updates-per-task", "0", "--force")
    assert Agency.objects.filter(is_generated=True, parent__isnull=False).count() == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--agencies", "0"],
        ["--agencies", "2", "--tasks-per-plan", "0"],
        ["--agencies", "2", "--updates-per-task", "-1"],
        ["--agencies", "2", "--year", "9999"],
    ],
)
def test_a_mistaken_argument_is_one_line_and_exit_status_2(db, args):
    with pytest.raises(CommandError) as refused:
        generate(*args)
    assert refused.value.returncode == 2
    assert "\n" not in str(refused.value)
    assert not Agency.objects.exists()
