"""The consolidated Quý I report of the seed plan, written from the demo data, read back as Word.

Every figure the report prints is recounted here with plain Python over the tasks, each judged
with `task.state(as_of)` on what had been recorded by the report's day.
"""

import io
import re
from collections import Counter
from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook

from partrack.documents.report_docx import consolidated_report_docx, consolidated_report_xlsx
from partrack.org.models import Unit
from partrack.plans.models import Area, ReportingPeriod, State, Task
from partrack.reporting import assembly, prose, services
from partrack.reporting.models import UnitReport

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 3, 14)  # the end of Quý I's data window (581/BNV-CCHC)
DRAFTED_AT = "2026-03-18 10:00 +07:00"  # after the units' deadline, before Sở Nội vụ's
TASK_33_WORDS = "Đã trình Ban Thường vụ Tỉnh ủy dự thảo Nghị quyết ngày 05/3/2026."
CDS_PROPOSAL = "Đề nghị bổ sung 01 biên chế chuyên trách chuyển đổi số."
KHTC_DIFFICULTY = "Dự toán của các đơn vị gửi chậm."


def person(login):
    return get_user_model().objects.get(username=login)


def unit(short):
    return Unit.objects.get(agency__short_name="SKHCN", short_name=short)


def send_unit_report(period, short, by, *, when, texts=None, **general):
    with time_machine.travel(when):
        report = services.start_unit_report(period=period, unit=unit(short))
        entries = {e.task.number: e.pk for e in report.entries.select_related("task")}
        services.save_unit_report(
            report=report,
            results=general.get("results", ""),
            difficulties=general.get("difficulties", ""),
            proposals=general.get("proposals", ""),
            entry_texts={entries[number]: text for number, text in (texts or {}).items()},
            expected_version=report.lock_version,
        )
        return services.submit_unit_report(report=report, by=by)


@pytest.fixture
def period(demo):
    """Quý I of the seed plan: CĐS reported on time, KHTC 2 days late; the office accepted both."""
    period = ReportingPeriod.objects.select_related("plan__agency").get(plan=demo, kind="q1")
    cds = send_unit_report(
        period,
        "CĐS",
        person("phongcds"),
        when="2026-03-09 09:00 +07:00",
        texts={33: TASK_33_WORDS},
        results="Hoàn thành dự thảo Nghị quyết về chuyển đổi số.",
        proposals=CDS_PROPOSAL,
    )
    khtc = send_unit_report(
        period,
        "KHTC",
        person("phongkhtc"),
        when="2026-03-12 15:00 +07:00",
        difficulties=KHTC_DIFFICULTY,
    )
    with time_machine.travel("2026-03-16 08:00 +07:00"):
        for report in (cds, khtc):
            services.accept_unit_report(report=report, by=person("vanphong"))
    return period


@pytest.fixture
def document(period):
    with time_machine.travel(DRAFTED_AT):
        data = assembly.assemble(period)
        content = consolidated_report_docx(data)
    return Document(io.BytesIO(content))


# What the test knows on its own, from the tasks and their history.


def tasks_as_of(plan, day):
    """[(task, state)]: each task with what its unit had recorded by `day`, judged on `day`."""
    judged = []
    tasks = Task.objects.filter(plan=plan).prefetch_related("updates", "lead_units")
    for task in tasks.order_by("area__order", "order"):
        done_by_then = task.status == "done" and task.done_on and task.done_on <= day
        if not done_by_then:
            recorded = [
                u
                for u in task.updates.all()
                if u.status and timezone.localdate(u.created_at) <= day
            ]
            if recorded:
                latest = max(recorded, key=lambda u: u.created_at)
                task.status, task.percent, task.done_on = (
                    latest.status,
                    latest.percent,
                    latest.done_on,
                )
            else:
                task.status, task.percent, task.done_on = "not_started", 0, None
        judged.append((task, task.state(day)))
    return judged


def body(document):
    """The main text's paragraphs and tables, in order, up to the appendix's section break."""
    items = []
    for item in document.iter_inner_content():
        items.append(item)
        if (
            isinstance(item, Paragraph)
            and item._p.pPr is not None
            and item._p.pPr.sectPr is not None
        ):
            break
    return items


def body_texts(document):
    return [item.text for item in body(document) if isinstance(item, Paragraph)]


def section_text(document, start, end):
    texts = body_texts(document)
    first = next(i for i, t in enumerate(texts) if t.startswith(start))
    last = next(i for i, t in enumerate(texts) if t.startswith(end) and i > first)
    return texts[first + 1 : last]


def appendix_table(document):
    return document.tables[-1]


def figures_table(document):
    return next(t for t in document.tables if t.cell(0, 0).text == "Tình trạng / Lĩnh vực")


# The tests.


def test_the_header_names_the_province_the_agency_the_number_place_and_date(document):
    header = document.tables[0]
    assert [p.text for p in header.cell(0, 0).paragraphs] == [
        "UBND TỈNH PHÚ THỌ",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    ]
    assert [p.text for p in header.cell(0, 1).paragraphs] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    number = header.cell(1, 0).text
    assert number.startswith("Số:") and number.endswith("/BC-SKHCN")
    date_line = header.cell(1, 1).paragraphs[0]
    assert re.fullmatch(r"Phú Thọ, ngày\s+tháng\s+năm 2026", date_line.text)
    assert date_line.runs[0].italic
    agency_run = header.cell(0, 0).paragraphs[1].runs[0]
    assert agency_run.bold and agency_run.font.size == Pt(13)
    motto = header.cell(0, 1).paragraphs[1].runs[0]
    assert motto.bold and motto.font.size == Pt(14)

    title, summary = [p for p in document.paragraphs if p.text][:2]
    assert title.text == "BÁO CÁO" and title.runs[0].bold
    assert summary.text == "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026"
    assert summary.runs[0].bold


def test_the_report_is_times_new_roman_black_in_the_decree_sizes(document):
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    assert str(normal.font.color.rgb) == "000000"
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(f"{{{fonts.nsmap['w']}}}{slot}") for slot in ("eastAsia", "cs")} == {
        "Times New Roman"
    }
    for paragraph in body_texts_paragraphs(document):
        for run in paragraph.runs:
            assert run.font.name in (None, "Times New Roman")
            if paragraph.text.startswith("(I: "):
                # The legend under the figures table is a table note, in 12 pt italics.
                assert run.font.size == Pt(12) and run.italic
            else:
                # Body text inherits 14 pt; nothing outside a table is smaller than 13.
                assert run.font.size is None or run.font.size >= Pt(13), paragraph.text
    for table in document.tables[1:]:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        assert run.font.name in (None, "Times New Roman")
                        assert run.font.size is None or Pt(11) <= run.font.size <= Pt(14)


def body_texts_paragraphs(document):
    return [item for item in document.iter_inner_content() if isinstance(item, Paragraph)]


def test_the_pages_are_a4_with_the_decree_margins_and_the_appendix_is_landscape(document):
    main, appendix = document.sections

    def mm(length):
        return round(length.mm, 1)  # Word stores twentieths of a point

    assert (mm(main.page_width), mm(main.page_height)) == (210, 297)
    assert (mm(appendix.page_width), mm(appendix.page_height)) == (297, 210)
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    for section in (main, appendix):
        assert 20 <= mm(section.top_margin) <= 25
        assert 20 <= mm(section.bottom_margin) <= 25
        assert 30 <= mm(section.left_margin) <= 35
        assert 15 <= mm(section.right_margin) <= 20
    # Page numbers at the top from the second page.
    assert main.different_first_page_header_footer
    assert "PAGE" in main.header._element.xml


def test_the_parts_and_the_reform_areas_come_in_the_outline_order(document):
    bold = [
        p.text
        for p in body(document)
        if isinstance(p, Paragraph) and p.runs and p.runs[0].bold and p.text
    ]
    parts = [text for text in bold if re.match(r"^[IV]+\. ", text)]
    assert parts == [
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
        "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2026",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    areas = list(Area.objects.filter(plan__agency__short_name="SKHCN").order_by("order"))
    results = section_text(document, "II. ", "III. ")
    area_headings = [text for text in results if re.match(r"^\d\. ", text)]
    assert area_headings == [f"{n}. {area.title}" for n, area in enumerate(areas[1:], start=1)]
    direction = [
        text for text in section_text(document, "I. ", "II. ") if re.match(r"^\d\. ", text)
    ]
    assert direction == [
        "1. Về kế hoạch cải cách hành chính",
        "2. Về kiểm tra cải cách hành chính",
        "3. Về thông tin, tuyên truyền",
        "4. Về sáng kiến, giải pháp mới",
        "5. Về các chỉ số",
        "6. Các nhiệm vụ khác",
    ]
    assessment = [
        text for text in section_text(document, "III. ", "IV. ") if re.match(r"^\d\. ", text)
    ]
    assert assessment == [
        "1. Kết quả thực hiện các nhiệm vụ của Kế hoạch",
        "2. Ưu điểm",
        "3. Tồn tại, hạn chế",
        "4. Nguyên nhân",
    ]


def test_the_appendix_lists_every_task_with_its_state_on_the_report_day(document, period):
    judged = tasks_as_of(period.plan, AS_OF)
    table = appendix_table(document)
    assert [cell.text for cell in table.rows[0].cells] == [
        "Số TT",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Thời hạn",
        "Tình trạng",
        "Minh chứng",
    ]
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1  # repeated on every page
    task_rows = [row for row in table.rows if row.cells[0].text.isdigit()]
    assert len(task_rows) == len(judged) == 36
    for row, (task, state) in zip(task_rows, judged, strict=True):
        cells = row.cells
        assert cells[0].text == str(task.number)
        assert cells[1].text == task.content
        assert cells[2].text.split("\n") == task.lead_names
        assert cells[3].text == task.deadline_text
        assert cells[4].paragraphs[0].text == state.label, task.number
    task_1 = task_rows[0].cells
    assert (
        task_1[5].text
        == "Văn bản số 15/KH-SKHCN ngày 20/01/2026: Kế hoạch cải cách hành chính năm 2026"
    )
    # Task 22 was done on 25/3, after the report's day: neither done nor cited in Quý I.
    task_22 = next(row for row in task_rows if row.cells[0].text == "22").cells
    assert task_22[4].text == "Chưa thực hiện" and task_22[5].text == ""


def test_every_figure_of_the_assessment_is_a_count_of_the_tasks(document, period):
    judged = tasks_as_of(period.plan, AS_OF)
    overall = Counter(state for _task, state in judged)
    # Anchors, so that the report and this test cannot agree on a wrong rule.
    assert overall[State.DONE_ON_TIME] == 4  # tasks 1, 2, 13, 17
    assert overall[State.OVERDUE] == 4  # tasks 14, 18, 19, 20 (due in January)
    assert overall[State.ON_REQUEST] == 2  # tasks 6, 34

    sentence = next(t for t in body_texts(document) if t.startswith("Tính đến ngày 14/03/2026"))
    assert f"Kế hoạch có {len(judged)} nhiệm vụ" in sentence
    for state in prose.STATE_ORDER:
        label = str(state.label)
        wanted = f"{label[0].lower()}{label[1:]} {overall[state]} nhiệm vụ"
        assert wanted in sentence, (wanted, sentence)

    areas = list(Area.objects.filter(plan=period.plan).order_by("order"))
    by_area = {area.pk: Counter() for area in areas}
    for task, state in judged:
        by_area[task.area_id][state] += 1
    table = figures_table(document)
    assert [cell.text for cell in table.rows[0].cells] == [
        "Tình trạng / Lĩnh vực",
        *(area.numeral for area in areas),
        "Tổng số",
    ]
    columns = [by_area[area.pk] for area in areas] + [overall]
    assert table.rows[1].cells[0].text == "Tổng số nhiệm vụ"
    assert [int(c.text) for c in table.rows[1].cells[1:]] == [sum(c.values()) for c in columns]
    rows = {row.cells[0].text: [int(c.text) for c in row.cells[1:]] for row in table.rows[2:]}
    assert list(rows) == [str(state.label) for state in prose.STATE_ORDER]
    for state in prose.STATE_ORDER:
        assert rows[str(state.label)] == [counts[state] for counts in columns], state


def independent_standings(period, on_day):
    """{unit name: ("on_time"|"late"|"missing"|"not_due", days)} counted from the raw reports.

    The plan asks units to report "trước ngày 10"; by default the 10th itself is on time.
    """
    reports = {
        r.unit_id: r for r in UnitReport.objects.filter(period=period).select_related("unit")
    }
    units = {u.pk: u for t in Task.objects.filter(plan=period.plan) for u in t.lead_units.all()}
    units.update({r.unit_id: r.unit for r in reports.values() if r.first_submitted_at})
    standings = {}
    for unit in units.values():
        report = reports.get(unit.pk)
        if report is not None and report.first_submitted_at:
            late = (timezone.localdate(report.first_submitted_at) - period.unit_due).days
            standings[unit.name] = ("late", late) if late > 0 else ("on_time", 0)
        elif on_day > period.unit_due:
            standings[unit.name] = ("missing", (on_day - period.unit_due).days)
        else:
            standings[unit.name] = ("not_due", (period.unit_due - on_day).days)
    return standings


def test_the_assessment_counts_a_unit_that_sent_nothing_as_missing_never_as_on_time(
    document, period
):
    drafted_on = date(2026, 3, 18)
    standings = independent_standings(period, drafted_on)
    late = {name: days for name, (code, days) in standings.items() if code == "late"}
    missing = [name for name, (code, _days) in standings.items() if code == "missing"]
    on_time = [name for name, (code, _days) in standings.items() if code == "on_time"]
    # Anchors: CĐS on time, KHTC two days late, every other lead unit sent nothing.
    assert late == {"Phòng Kế hoạch Tài chính": 2}
    assert on_time == ["Phòng Chuyển đổi số"]
    assert len(missing) == 4

    texts = body_texts(document)
    summary = next(t for t in texts if t.startswith("Tình hình gửi báo cáo"))
    assert summary == (
        f"Tình hình gửi báo cáo của {len(standings)} đơn vị (hạn gửi Văn phòng Sở trước ngày "
        f"10/03/2026): {len(on_time)} đơn vị gửi đúng hạn, {len(late)} đơn vị gửi chậm, "
        f"{len(missing)} đơn vị chưa gửi và đã quá hạn."
    )
    line = next(t for t in texts if t.startswith("Đơn vị gửi báo cáo chậm"))
    assert line == (
        "Đơn vị gửi báo cáo chậm so với thời hạn 10/03/2026: "
        "Phòng Kế hoạch Tài chính (chậm 2 ngày)."
    )
    line = next(t for t in texts if t.startswith("Đơn vị chưa gửi báo cáo"))
    ordered = sorted(
        (u for u in Unit.objects.filter(name__in=missing, agency=period.plan.agency)),
        key=lambda u: (u.order, u.name),
    )
    listed = ", ".join(f"{u.name} (quá hạn {standings[u.name][1]} ngày)" for u in ordered)
    assert line == f"Đơn vị chưa gửi báo cáo, đã quá hạn: {listed}."
    assert "(quá hạn 8 ngày)" in line  # 18/03 is eight days after 10/03
    assert "Phòng Chuyển đổi số" not in line
    assert not any(t.startswith("Không có đơn vị gửi báo cáo chậm") for t in texts)


def test_when_nobody_sent_a_report_the_report_never_says_no_unit_was_late(demo):
    period = ReportingPeriod.objects.select_related("plan__agency").get(plan=demo, kind="h1")
    with time_machine.travel("2026-06-16 09:00 +07:00"):
        data = assembly.assemble(period)
        content = consolidated_report_docx(data)
    texts = body_texts(Document(io.BytesIO(content)))
    standings = independent_standings(period, date(2026, 6, 16))
    assert {code for code, _days in standings.values()} == {"missing"}
    assert [line.unit for line in data.missing_units] and not data.on_time_units
    assert len(data.missing_units) == len(standings)
    assert not any("chậm" in t and t.startswith("Không có") for t in texts)
    assert any(t.startswith("Đơn vị chưa gửi báo cáo, đã quá hạn:") for t in texts)


def test_the_period_figures_count_the_tasks_due_in_quarter_ones_window(document, period):
    judged = tasks_as_of(period.plan, AS_OF)
    # Quý I is the first period: it judges every dated task due by the end of its window.
    mine = [(t, state) for t, state in judged if t.due_date and t.due_date <= AS_OF]
    assert sorted(t.number for t, _state in mine) == [1, 2, 13, 14, 17, 18, 19, 20]
    counts = Counter(state for _t, state in mine)
    sentence = next(t for t in body_texts(document) if t.startswith("Các nhiệm vụ đến hạn"))
    expected = "; ".join(
        f"{str(state.label)[0].lower()}{str(state.label)[1:]} {counts[state]}"
        for state in prose.STATE_ORDER
        if counts[state]
    )
    assert sentence == (
        "Các nhiệm vụ đến hạn trong kỳ (có thời hạn đến ngày 14/03/2026): "
        f"{len(mine)} nhiệm vụ, trong đó: {expected}."
    )
    # The appendix marks the same tasks, and only them.
    marked = [
        int(row.cells[0].text)
        for row in appendix_table(document).rows
        if row.cells[0].text.isdigit() and "Đến hạn trong kỳ này" in row.cells[4].text
    ]
    assert sorted(marked) == sorted(t.number for t, _state in mine)


def test_each_outcome_comes_from_the_accepted_report_or_the_progress_and_cites_its_evidence(
    document,
):
    results = section_text(document, "II. ", "III. ")
    task_33 = next(t for t in results if t.startswith("- Nhiệm vụ số 33:"))
    assert TASK_33_WORDS in task_33
    task_13 = next(t for t in results if t.startswith("- Nhiệm vụ số 13:"))
    assert "Đã ban hành Kế hoạch kiểm tra, rà soát văn bản QPPL." in task_13
    assert "Minh chứng: (1) Văn bản số 18/KH-SKHCN ngày 26/01/2026" in task_13
    # Recorded on 5/9, long after Quý I: not in this report.
    task_12 = next(t for t in results if t.startswith("- Nhiệm vụ số 12:"))
    assert "14 văn bản QPPL" not in task_12 and "Chưa có báo cáo kết quả." in task_12


def test_next_period_lists_the_open_tasks_due_after_the_window_up_to_quarter_twos_end(
    document, period
):
    judged = tasks_as_of(period.plan, AS_OF)
    due = [
        task
        for task, state in judged
        if state not in (State.DONE_ON_TIME, State.DONE_LATE, State.CANNOT_DO)
        and task.deadline_kind != "continuous"
        and task.due_date
        and date(2026, 3, 15) <= task.due_date <= date(2026, 6, 30)
    ]
    due = [t.number for t in sorted(due, key=lambda t: t.due_date)]
    # The four tasks due "Quý I/2026" fall after the window's 14/03: this report lists them.
    assert due == [3, 22, 30, 33, 4, 5]
    lines = section_text(document, "IV. ", "V. ")
    listed = [int(m.group(1)) for t in lines if (m := re.match(r"- Nhiệm vụ số (\d+):", t))]
    assert listed == due


def test_proposals_and_difficulties_say_which_unit_they_come_from(document):
    proposals = section_text(document, "V. ", "Trên đây là báo cáo")
    assert proposals == [f"- Phòng Chuyển đổi số: {CDS_PROPOSAL}"]
    causes = section_text(document, "4. Nguyên nhân", "IV. ")
    assert causes == [f"- Phòng Kế hoạch Tài chính: {KHTC_DIFFICULTY}"]


def test_the_report_closes_with_recipients_and_the_agencys_signature(document):
    closing = next(t for t in document.tables if t.cell(0, 0).text.startswith("Nơi nhận:"))
    recipients = closing.cell(0, 0).paragraphs
    heading = recipients[0].runs[0]
    assert heading.bold and heading.italic and heading.font.size == Pt(12)
    assert [p.text for p in recipients[1:]] == [
        "- Sở Nội vụ (b/c);",
        "- GĐ, các PGĐ Sở;",
        "- Các phòng, đơn vị thuộc Sở;",
        "- Lưu: VT, VP.",
    ]
    assert all(p.runs[0].font.size == Pt(11) for p in recipients[1:])
    signature = [p.text for p in closing.cell(0, 1).paragraphs if p.text]
    assert signature == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Duy Anh"]


def test_the_appendix_starts_on_its_own_page_with_its_reference_line(document):
    texts = [p.text for p in document.iter_inner_content() if isinstance(p, Paragraph)]
    start = texts.index("Phụ lục")
    assert texts[start + 1] == "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ I NĂM 2026"
    assert re.fullmatch(
        r"\(Kèm theo Báo cáo số\s+/BC-SKHCN ngày\s+/\s+/2026 của Sở Khoa học và Công nghệ\)",
        texts[start + 2],
    )


def test_figures_agree_with_the_sql_state_counts_when_nothing_was_recorded_later(world):
    """With no history after the report's day, the counts are TaskQuerySet.state_counts'."""
    period = ReportingPeriod.objects.select_related("plan__agency").get(plan=world.plan, kind="h1")
    second = Area.objects.create(plan=world.plan, order=2, numeral="II", title="Cải cách thể chế")
    world.add_task(number=2, content="Rà soát văn bản", deadline_text="Tháng 02/2026", area=second)
    world.add_task(number=3, content="Theo chỉ đạo", deadline_text="Theo chỉ đạo của UBND tỉnh")
    world.add_task(
        number=4,
        content="Ban hành kế hoạch",
        deadline_text="Quý II/2026",
        status="done",
        done_on=date(2026, 5, 2),
        percent=100,
    )
    with time_machine.travel("2026-05-20 10:00 +07:00"):
        data = assembly.assemble(period)
    day = date(2026, 5, 20)  # before the window closes, the report is as of today
    assert data.as_of == day
    tasks = Task.objects.filter(plan=world.plan)
    assert data.figures.counts == {s.value: n for s, n in tasks.state_counts(day).items()}
    by_area = {row["area_id"]: row for row in tasks.state_counts_by_area(day)}
    for area in data.areas:
        row = by_area[int(area.key.removeprefix("area-"))]
        assert area.figures.total == row["total"]
        assert area.figures.counts == {s.value: row[s.value] for s in prose.STATE_ORDER}


def test_the_spreadsheet_lists_every_unit_by_where_its_report_stands(period):
    with time_machine.travel(DRAFTED_AT):
        data = assembly.assemble(period)
    sheet = load_workbook(io.BytesIO(consolidated_report_xlsx(data)))["Tổng hợp"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    start = rows.index(["Đơn vị", "Báo cáo", "Số ngày"] + [None] * (len(rows[4]) - 3))
    listed = {r[0]: (r[1], r[2]) for r in rows[start + 1 :] if r[0]}
    expected = {
        name: {"on_time": ("Gửi đúng hạn", 0), "late": ("Gửi chậm", days)}.get(
            code, ("Chưa gửi, quá hạn", days)
        )
        for name, (code, days) in independent_standings(period, date(2026, 3, 18)).items()
    }
    assert listed == expected
