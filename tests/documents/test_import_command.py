"""`partrack import_plan`: the seed plan read from each format equals expected.json."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from partrack.plans.models import Plan, Task
from tests.documents.reading_support import expected_plan, fold_spaces, seed_path


def dry_run_json(extension):
    out = StringIO()
    call_command("import_plan", str(seed_path(extension)), "--dry-run", "--json", stdout=out)
    return fold_spaces(json.loads(out.getvalue()))


@pytest.mark.parametrize("extension", ["docx", "pdf"])
def test_dry_run_json_equals_expected_json_field_for_field(extension):
    assert dry_run_json(extension) == fold_spaces(expected_plan())


def test_the_workbook_gives_every_task_field_for_field_and_only_what_it_holds_of_the_plan():
    # The seed workbook is the appendix alone: no masthead, signature or recipients to read.
    data, expected = dry_run_json("xlsx"), fold_spaces(expected_plan())
    assert data["sections"] == expected["sections"]
    assert data["plan"]["year"] == expected["plan"]["year"]


@pytest.mark.django_db
def test_dry_run_saves_nothing(demo):
    before = Plan.objects.count()
    call_command("import_plan", str(seed_path("docx")), "--dry-run", stdout=StringIO())
    assert Plan.objects.count() == before


@pytest.mark.django_db
def test_importing_the_year_the_agency_already_follows_is_refused_with_the_offer_to_revise(demo):
    with pytest.raises(CommandError) as error:
        call_command("import_plan", str(seed_path("docx")), "--agency", "SKHCN", stdout=StringIO())
    message = str(error.value)
    assert f"already follows plan {demo.pk} for 2026" in message
    assert f"/ke-hoach/{demo.pk}/nhap-dieu-chinh/" in message
    assert "--second-plan-reason" in message
    assert Plan.objects.filter(agency__short_name="SKHCN").count() == 1


@pytest.mark.django_db
def test_import_saves_the_plan_for_the_agency_with_its_units_matched(demo):
    out = StringIO()
    call_command(
        "import_plan",
        str(seed_path("xlsx")),
        "--agency",
        "SKHCN",
        "--second-plan-reason",
        "Kế hoạch riêng của khối đơn vị sự nghiệp",
        stdout=out,
    )
    plan = Plan.objects.exclude(pk=demo.pk).get(agency__short_name="SKHCN")
    assert "Kế hoạch riêng của khối đơn vị sự nghiệp" in plan.events.get().narrative
    assert "36 tasks in 7 areas" in out.getvalue()
    assert "not matched" not in out.getvalue()
    assert Task.objects.filter(plan=plan, lead_units__isnull=True).count() == 0
    assert plan.periods.count() == 4


@pytest.mark.django_db
def test_a_bad_file_is_a_clear_error_and_saves_nothing(demo, tmp_path):
    bad = tmp_path / "ke-hoach.docx"
    bad.write_bytes(b"this is not a document")
    with pytest.raises(CommandError) as error:
        call_command("import_plan", str(bad), "--agency", "SKHCN", stdout=StringIO())
    assert "DOCX" in str(error.value)
    assert Plan.objects.filter(agency__short_name="SKHCN").count() == 1


@pytest.mark.django_db
def test_an_unknown_agency_is_named(demo):
    with pytest.raises(CommandError, match="XYZ"):
        call_command("import_plan", str(seed_path("docx")), "--agency", "XYZ", stdout=StringIO())
