"""Grading the units: computable points with their sources, self-score → proposal → approval,
the grade with its conditions, and the result table as DOCX and XLSX."""

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from docx import Document
from openpyxl import load_workbook

from partrack.indices import criteria_io, grading, services
from partrack.indices.demo import DEMO_GRADING, DEMO_RATINGS
from partrack.indices.models import UnitGrading
from partrack.plans import services as plan_services
from partrack.plans.models import Status
from tests.conftest import client_as, post_form
from tests.indices.conftest import parse_file

D = Decimal


@pytest.fixture
def regime(world):
    grades, errors = criteria_io.parse_ratings(
        *criteria_io.read_table(DEMO_RATINGS.read_bytes(), DEMO_RATINGS.name)
    )
    assert errors == []
    return services.import_set(
        owner=world.agency,
        by=world.coordinator,
        name="Xếp loại đơn vị 2026",
        decision="",
        year=2026,
        scale=D(100),
        parsed=parse_file(DEMO_GRADING),
        grades=grades,
        purpose="grading",
    )


def sheet_of(world, regime, unit):
    record = UnitGrading.objects.get(regime=regime, unit=unit)
    return record, {s.criterion.code: s for s in record.scores.select_related("criterion")}


def test_points_partrack_can_count_are_filled_with_their_source(world, regime):
    second = world.add_task(number=2, content="Báo cáo", deadline_text="Tháng 01/2026")
    world.add_task(number=3, content="Đề án", deadline_text="Tháng 12/2026")
    plan_services.record_progress(
        task=world.task,
        by=world.lead_member,
        unit=world.lead_unit,
        status=Status.DONE,
        percent=100,
        narrative="Xong",
        done_on=date(2026, 3, 1),
        expected_version=1,
        evidence=[],
        no_evidence_reason="Văn bản nội bộ",
    )
    del second

    with time_machine.travel(date(2026, 6, 1)):
        grading.start_gradings(regime=regime, agency=world.agency, today=date(2026, 6, 1))

    _record, scores = sheet_of(world, regime, world.lead_unit)
    # Two tasks were due by 01/06 (Quý I and Tháng 01), one done on time: 40 × 1/2.
    assert scores["1.1"].computed_score == D("20.00")
    assert scores["1.1"].computed_source.startswith(
        "1/2 nhiệm vụ chủ trì đã đến hạn hoàn thành đúng hạn "
        "(Kế hoạch CCHC năm 2026, đến ngày 01/06/2026)"
    )
    # One of its three tasks is overdue: 10 × 2/3.
    assert scores["1.3"].computed_score == D("6.67")
    # No unit report was sent for Quý I, the one period due by then (10/3).
    assert scores["1.2"].computed_score == D("0.00")
    assert scores["1.2"].computed_source.startswith("0/1 kỳ báo cáo")
    assert scores["2.1"].computed_score is None


def test_the_unit_self_scores_the_office_proposes_and_the_director_approves(world, regime):
    grading.start_gradings(regime=regime, agency=world.agency, today=date(2026, 12, 31))
    record, scores = sheet_of(world, regime, world.lead_unit)
    url = f"/xep-loai/don-vi/{record.pk}/"
    values = {
        f"score-{s.pk}": str(s.criterion.max_points) if s.criterion.kind == "normal" else ""
        for s in scores.values()
    }

    assert (
        post_form(client_as(world.helping_member), url, {**values, "action": "self"}).status_code
        == 404
    )
    assert (
        post_form(client_as(world.lead_member), url, {**values, "action": "self"}).status_code
        == 302
    )
    assert post_form(client_as(world.leader), url, {"action": "approve"}).status_code == 403
    proposal = {**values, f"score-{scores['2.1'].pk}": "0", "action": "propose"}
    assert post_form(client_as(world.coordinator), url, proposal).status_code == 302
    assert (
        post_form(client_as(world.lead_member), url, {**values, "action": "self"}).status_code
        == 403
    )
    assert post_form(client_as(world.leader), url, {"action": "approve"}).status_code == 302

    record.refresh_from_db()
    assert record.status == UnitGrading.Status.APPROVED
    result = grading.results(regime, [record])[0]
    assert result.self_total == D(100)
    # 85 points, but criterion 2.1 at 0 blocks "Hoàn thành tốt": Hoàn thành.
    assert result.proposed_total == D(85)
    assert result.outcome.grade.code == "HT"
    history = list(
        record.changes.order_by("at", "pk").values_list("step", "criterion__code", "after")
    )
    assert ("self", "2.1", "15") in history
    assert ("proposal", "2.1", "0") in history
    assert history[-2:] == [
        ("status", None, "Văn phòng đã đề xuất"),
        ("status", None, "Giám đốc đã phê duyệt"),
    ]


def test_a_score_beyond_its_maximum_is_refused(world, regime):
    grading.start_gradings(regime=regime, agency=world.agency, today=date(2026, 12, 31))
    record, scores = sheet_of(world, regime, world.lead_unit)

    with pytest.raises(ValidationError, match="phải từ 0 đến 15"):
        grading.save_scores(
            grading=record,
            values={scores["2.1"].pk: D(16)},
            field="self_score",
            by=world.lead_member,
        )


def test_the_result_table_exports_as_docx_and_xlsx_with_the_same_figures(world, regime):
    grading.start_gradings(regime=regime, agency=world.agency, today=date(2026, 12, 31))
    record, scores = sheet_of(world, regime, world.lead_unit)
    grading.save_scores(
        grading=record,
        values={
            s.pk: s.criterion.max_points for s in scores.values() if s.criterion.kind == "normal"
        },
        field="self_score",
        by=world.lead_member,
    )
    client = client_as(world.leader)

    xlsx = client.get(f"/xep-loai/{regime.pk}/bang.xlsx")
    docx = client.get(f"/xep-loai/{regime.pk}/bang.docx")

    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "KẾT QUẢ XẾP LOẠI CÁC ĐƠN VỊ NĂM 2026"
    by_unit = {row[1]: row for row in rows[4:]}
    assert set(by_unit) == {u.name for u in world.agency.units.all()}
    assert by_unit["Phòng Chuyển đổi số"][2] == 100
    assert by_unit["Phòng Chuyển đổi số"][4] == "Hoàn thành xuất sắc"
    document = Document(io.BytesIO(docx.content))
    table = document.tables[1]
    cells = {row.cells[1].text: [c.text for c in row.cells] for row in table.rows}
    assert cells["Phòng Chuyển đổi số"][2] == "100"
    assert cells["Phòng Chuyển đổi số"][4] == "Hoàn thành xuất sắc"
    assert "KẾT QUẢ XẾP LOẠI" in "\n".join(p.text for p in document.paragraphs)


def test_another_agency_sees_nothing_of_the_grading(world, regime):
    grading.start_gradings(regime=regime, agency=world.agency, today=date(2026, 12, 31))
    record, _scores = sheet_of(world, regime, world.lead_unit)
    outsider = client_as(world.outsider)

    assert outsider.get(f"/xep-loai/{regime.pk}/").status_code == 404
    assert outsider.get(f"/xep-loai/don-vi/{record.pk}/").status_code == 404
    assert client_as(world.province_viewer).get(f"/xep-loai/{regime.pk}/").status_code == 404
    assert client_as(world.bystander).get(f"/xep-loai/don-vi/{record.pk}/").status_code == 404
    assert client_as(world.lead_member).get(f"/xep-loai/{regime.pk}/bang.xlsx").status_code == 403


def test_saving_the_sheet_as_it_is_shown_keeps_the_blanks_blank(world, regime):
    import re

    grading.start_gradings(regime=regime, agency=world.agency, today=date(2026, 12, 31))
    record, scores = sheet_of(world, regime, world.lead_unit)
    client = client_as(world.lead_member)
    url = f"/xep-loai/don-vi/{record.pk}/"
    page = client.get(url).content.decode()
    shown = dict(re.findall(r'name="(score-\d+)" value="([^"]*)"', page))
    shown[f"score-{scores['2.1'].pk}"] = "12,5"

    response = post_form(client, url, {**shown, "action": "self"})

    assert response.status_code == 302
    record, scores = sheet_of(world, regime, world.lead_unit)
    assert scores["2.1"].self_score == D("12.5")
    assert scores["2.2"].self_score is None
