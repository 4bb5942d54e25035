"""Period figures: the XLSX template round trip, refusals naming the cell, attainment, and what
"Cần làm" and the reminders ask of a unit that has not entered its figures."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from partrack.activities import services
from partrack.activities.duties import reminders
from partrack.activities.models import Change, Figure, FigureImport, Indicator
from partrack.reporting.todo import todo_for
from tests.conftest import post_form

pytestmark = pytest.mark.django_db
TODAY = "2026-03-05 10:00 +07:00"  # Q1's units are due on 10/03/2026


@pytest.fixture
def setup(world):
    own = Indicator.objects.create(
        plan=world.plan, code="HS-01", name="Hồ sơ tiếp nhận", measure="hồ sơ",
        unit=world.lead_unit, order=1,
    )  # fmt: skip
    share = Indicator.objects.create(
        plan=world.plan, code="HS-02", name="Tỷ lệ trực tuyến", measure="%",
        target=Decimal("80"), unit=world.lead_unit, order=2,
    )  # fmt: skip
    other = Indicator.objects.create(
        plan=world.plan, code="TC-01", name="Giải ngân", measure="%", target=Decimal("100"),
        unit=world.helping_unit, order=3,
    )  # fmt: skip
    return world, world.plan.periods.get(kind="q1"), own, share, other


def template(client, period):
    response = client.get(f"/ky-bao-cao/{period.pk}/so-lieu/mau.xlsx")
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content))


def upload(client, period, workbook, name="so-lieu.xlsx"):
    buffer = BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile(name, buffer.getvalue())
    return post_form(client, f"/ky-bao-cao/{period.pk}/so-lieu/nhap/", {"file": file})


def errors(client, response):
    page = client.get(response["Location"])
    return [str(m) for m in page.context["messages"]]


@time_machine.travel(TODAY)
def test_a_template_filled_and_uploaded_is_shown_for_review_and_written_on_confirmation(setup):
    world, period, own, share, _other = setup
    client = world.client(world.lead_member)
    workbook = template(client, period)
    sheet = workbook.active
    # A unit's template holds its own indicators only.
    assert [sheet.cell(row, 1).value for row in (7, 8, 9)] == ["HS-01", "HS-02", None]
    sheet["D7"], sheet["D8"], sheet["F8"] = 318, "76,5", "Tính đến 14/3"

    response = upload(client, period, workbook)

    staged = FigureImport.objects.get()
    assert response["Location"] == f"/so-lieu/nhap/{staged.pk}/"
    assert not Figure.objects.exists()  # nothing is written before confirmation
    review = client.get(response["Location"]).content.decode()
    assert "76,5" in review and "318" in review
    post_form(client, response["Location"], {})
    values = dict(Figure.objects.values_list("indicator__code", "value"))
    assert values == {"HS-01": Decimal("318.00"), "HS-02": Decimal("76.50")}
    assert Figure.objects.get(indicator=share).note == "Tính đến 14/3"
    assert Change.objects.filter(action="imported").count() == 2
    # Confirming twice writes nothing more.
    post_form(client, response["Location"], {})
    assert Change.objects.filter(action="imported").count() == 2


@time_machine.travel(TODAY)
def test_a_text_in_a_number_cell_is_refused_with_the_cell_named(setup):
    world, period, *_ = setup
    client = world.client(world.lead_member)
    workbook = template(client, period)
    workbook.active["D7"] = "khoảng ba trăm"

    response = upload(client, period, workbook)

    assert errors(client, response) == ['Ô D7: "khoảng ba trăm" không phải là số.']
    assert not FigureImport.objects.exists() and not Figure.objects.exists()


@time_machine.travel(TODAY)
def test_a_sheet_of_another_layout_is_refused_with_the_cell_named(setup):
    world, period, *_ = setup
    client = world.client(world.lead_member)
    workbook = Workbook()
    workbook.active.append(["Mã", "Tên", "Số liệu"])

    response = upload(client, period, workbook)

    messages = errors(client, response)
    assert messages[0].startswith('Ô A6: cần tiêu đề "Mã chỉ tiêu"')
    assert "tệp không đúng mẫu" in messages[0]
    assert not FigureImport.objects.exists()


@time_machine.travel(TODAY)
def test_a_moved_column_is_refused_with_the_cell_named(setup):
    world, period, *_ = setup
    client = world.client(world.lead_member)
    workbook = template(client, period)
    workbook.active["D6"] = "Chỉ tiêu"

    messages = errors(client, upload(client, period, workbook))

    assert messages == [
        'Ô D6: cần tiêu đề "Số liệu kỳ này" (tệp ghi "Chỉ tiêu") — tệp không đúng mẫu.'
    ]


@time_machine.travel(TODAY)
def test_another_periods_template_and_another_units_indicator_are_refused(setup):
    world, period, *_ = setup
    client = world.client(world.lead_member)
    h1 = world.plan.periods.get(kind="h1")
    workbook = template(client, h1)
    workbook.active["D7"] = 3
    assert errors(client, upload(client, period, workbook)) == [
        "Ô B4: tệp mẫu này không phải của kỳ Quý I 2026; hãy tải mẫu của kỳ này."
    ]

    workbook = template(client, period)
    workbook.active["A9"], workbook.active["D9"] = "TC-01", 50
    assert errors(client, upload(client, period, workbook)) == [
        "Ô A9: chỉ tiêu TC-01 do Phòng Kế hoạch Tài chính nhập, không phải đơn vị của bạn."
    ]


@time_machine.travel(TODAY)
def test_a_file_that_is_not_a_workbook_is_refused(setup):
    world, period, *_ = setup
    client = world.client(world.lead_member)
    file = SimpleUploadedFile("so-lieu.xlsx", b"%PDF-1.4 a pdf renamed")

    response = post_form(client, f"/ky-bao-cao/{period.pk}/so-lieu/nhap/", {"file": file})

    assert errors(client, response) == ["Tệp không phải bảng tính Excel (.xlsx)."]


@time_machine.travel(TODAY)
def test_a_title_typed_as_a_formula_is_written_as_text_in_the_template(setup):
    world, period, own, *_ = setup
    own.name = '=HYPERLINK("http://x.invalid","bấm")'
    own.save()

    sheet = template(world.client(world.coordinator), period).active

    assert sheet["B7"].data_type == "s"
    assert sheet["B7"].value == own.name


@time_machine.travel(TODAY)
def test_the_period_page_shows_target_and_attainment_as_a_table_and_a_chart(setup):
    world, period, own, share, other = setup
    services.set_figures(
        period=period,
        values={share: (Decimal("76.5"), ""), other: (Decimal("100"), "")},
        by=world.coordinator,
    )

    response = world.client(world.leader).get(f"/ky-bao-cao/{period.pk}/so-lieu/")

    html = response.content.decode()
    assert "95,6% (chưa đạt)" in html  # 76,5 of 80
    assert "100% (đạt)" in html
    assert response.context["chart"] == {"labels": ["HS-02", "TC-01"], "percent": [95.6, 100.0]}
    assert 'id="figures-data"' in html and "activities/figures.js" in html


def test_figures_due_appear_in_cần_làm_and_leave_it_once_entered(setup):
    world, period, own, share, _other = setup
    today = date(2026, 3, 5)
    membership = world.lead_member.membership

    titles = [item.title for item in todo_for(membership, today)]
    assert "Nhập số liệu chỉ tiêu kỳ Quý I 2026" in titles

    services.set_figures(
        period=period,
        values={own: (Decimal("1"), ""), share: (Decimal("2"), "")},
        by=world.lead_member,
    )
    titles = [item.title for item in todo_for(membership, today)]
    assert "Nhập số liệu chỉ tiêu kỳ Quý I 2026" not in titles


def test_reminders_go_before_the_deadline_and_chase_a_unit_late_with_its_figures(setup):
    world, period, own, share, _other = setup

    before = reminders(date(2026, 3, 4))  # 6 days left: the 7-day reminder
    late = reminders(date(2026, 3, 12))  # two days after the deadline

    assert {(r.user_id, r.key) for r in before} == {
        (world.lead_member.pk, f"figures-due:{period.pk}:{world.lead_unit.pk}:7d"),
        (world.helping_member.pk, f"figures-due:{period.pk}:{world.helping_unit.pk}:7d"),
    }
    assert f"figures-overdue:{period.pk}:{world.lead_unit.pk}:1" in {r.key for r in late}
    services.set_figures(
        period=period,
        values={own: (Decimal("1"), ""), share: (Decimal("2"), "")},
        by=world.lead_member,
        now=timezone.now(),
    )
    assert world.lead_member.pk not in {r.user_id for r in reminders(date(2026, 3, 12))}


@time_machine.travel("2026-03-20 10:00 +07:00")
def test_a_unit_whose_figures_came_after_the_deadline_is_shown_late(setup):
    world, period, own, share, other = setup
    services.set_figures(period=period, values={other: (Decimal("3"), "")}, by=world.coordinator)

    response = world.client(world.coordinator).get(f"/ky-bao-cao/{period.pk}/so-lieu/")

    standings = {unit.name: standing.label for unit, standing, _r in response.context["standings"]}
    assert standings == {
        "Phòng Chuyển đổi số": "Chưa gửi — quá hạn 10 ngày",
        "Phòng Kế hoạch Tài chính": "Đã gửi chậm 10 ngày",
    }


@time_machine.travel(TODAY)
def test_a_database_failure_while_confirming_writes_no_figure_and_keeps_the_sheet(
    setup, monkeypatch
):
    world, period, own, share, _other = setup
    staged = services.stage_import(
        period=period,
        unit=world.lead_unit,
        rows=[
            {"indicator": own.pk, "value": "1", "note": ""},
            {"indicator": share.pk, "value": "2", "note": ""},
        ],
        file_name="so-lieu.xlsx",
        by=world.lead_member,
    )
    original, calls = Figure.save, []

    def failing_second_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise DatabaseError("connection lost")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "save", failing_second_save)
    with pytest.raises(DatabaseError):
        services.confirm_import(
            staged=staged, by=world.lead_member, membership=world.lead_member.membership
        )

    assert not Figure.objects.exists() and not Change.objects.exists()
    staged.refresh_from_db()
    assert staged.confirmed_at is None  # the uploader can confirm again
    monkeypatch.setattr(Figure, "save", original)
    services.confirm_import(
        staged=staged, by=world.lead_member, membership=world.lead_member.membership
    )
    assert Figure.objects.count() == 2
