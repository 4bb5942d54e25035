"""The inspection's five documents in the state format (Decree 30/2020/NĐ-CP), as DOCX bytes.

Each writer prints a `Summary` (or one inspected unit of it) and runs no query of its own.
"""

import io

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt

from partrack.documents import state_format
from partrack.inspections.models import Rating

TABLE_FONT_SIZE = Pt(12)
RATING_LABELS = {rating.value: str(rating.label) for rating in Rating}


def person_name(user):
    return f"{user.last_name} {user.first_name}".strip() or user.username


def person_title(user):
    membership = getattr(user, "membership", None)
    return getattr(membership, "title", "") or ""


def _start(summary, kind, title, symbol, issued_on):
    agency = summary.inspection.plan.agency
    doc = state_format.new_document()
    doc.core_properties.title = f"{kind.capitalize()} {title}"
    state_format.page_numbers_from_second_page(doc.sections[0])
    state_format.add_national_header(
        doc,
        parent_body=agency.parent_body,
        agency=agency.masthead_name,
        symbol=symbol,
        place=agency.place_name,
        issued_on=issued_on,
        year=summary.inspection.plan.year,
    )
    state_format.add_title(doc, kind, title)
    return doc


def _finish(doc, summary, recipients):
    agency = summary.inspection.plan.agency
    doc.add_paragraph().paragraph_format.space_after = Pt(6)
    state_format.add_recipients_and_signature(
        doc, recipients, agency.signer_on_behalf, agency.signer_title, agency.signer_name
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _table(doc, headers, rows, widths_mm):
    table = doc.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    width = state_format.usable_width(doc.sections[-1])
    total = sum(widths_mm)
    widths = [int(width * mm / total) for mm in widths_mm]
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width
    header = table.add_row()
    state_format.repeat_table_header(header)
    for cell, text in zip(header.cells, headers, strict=True):
        state_format.set_cell_text(
            cell, text, bold=True, size=TABLE_FONT_SIZE, align=state_format.CENTER
        )
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            align = state_format.CENTER if index == 0 else state_format.LEFT
            state_format.set_cell_text(cell, str(value), size=TABLE_FONT_SIZE, align=align)
    return table


def _numbered(doc, lines):
    for number, line in enumerate(lines, start=1):
        state_format.body_paragraph(doc, f"{number}. {line}")


def plan_reference(inspection):
    if inspection.symbol and inspection.issued_on:
        return f"Kế hoạch số {inspection.symbol} ngày {inspection.issued_on:%d/%m/%Y}"
    return "Kế hoạch kiểm tra công tác cải cách hành chính"


def team_lines(summary):
    return [
        f"Ông (bà) {person_name(seat.user)}"
        + (f", {person_title(seat.user)}" if person_title(seat.user) else "")
        + f" — {seat.team_role}"
        for seat in summary.team
    ]


def plan_docx(summary):
    """Kế hoạch kiểm tra: purpose, whom (with the share and its rounding), when, what, who."""
    inspection = summary.inspection
    year = inspection.plan.year
    short = inspection.plan.agency.short_name
    agency = inspection.plan.agency.masthead_name
    doc = _start(
        summary,
        "KẾ HOẠCH",
        f"Kiểm tra công tác cải cách hành chính năm {year}",
        inspection.symbol or f"/KH-{short}",
        inspection.issued_on,
    )
    state_format.body_paragraph(
        doc,
        f"Căn cứ {inspection.plan.title}, {agency} ban hành Kế hoạch kiểm tra công tác cải "
        f"cách hành chính năm {year} như sau:",
    )
    state_format.add_heading_part(doc, "I. Mục đích, yêu cầu")
    state_format.body_paragraph(
        doc,
        "- Đánh giá kết quả thực hiện nhiệm vụ cải cách hành chính của các phòng, đơn vị; "
        "phát hiện tồn tại, hạn chế để kiến nghị khắc phục.",
    )
    state_format.body_paragraph(
        doc, "- Việc kiểm tra bảo đảm đúng kế hoạch, khách quan, không gây phiền hà."
    )
    state_format.add_heading_part(doc, "II. Đối tượng, thời gian, nội dung kiểm tra")
    state_format.body_paragraph(doc, "1. Đối tượng kiểm tra", bold=True)
    state_format.body_paragraph(
        doc,
        f"Kiểm tra {len(summary.inspected)}/{len(summary.eligible)} phòng chuyên môn, đơn vị "
        f"thuộc Sở; yêu cầu: {summary.rule}:",
    )
    _table(
        doc,
        ["STT", "Đơn vị được kiểm tra", "Thời gian", "Địa điểm"],
        [
            (n, unit.unit.name, f"{unit.visit_on:%d/%m/%Y}" if unit.visit_on else "", unit.place)
            for n, unit in enumerate(summary.inspected, start=1)
        ],
        (12, 80, 30, 50),
    )
    due = inspection.self_inspection_due
    state_format.body_paragraph(
        doc,
        "Các đơn vị còn lại tự tổ chức kiểm tra trong nội bộ và báo cáo kết quả với Giám đốc "
        "Sở (qua Văn phòng Sở để tổng hợp)" + (f" trước ngày {due:%d/%m/%Y}." if due else "."),
    )
    state_format.body_paragraph(doc, "2. Thời gian kiểm tra", bold=True)
    state_format.body_paragraph(doc, f"{inspection.period_text}.")
    state_format.body_paragraph(doc, "3. Nội dung kiểm tra", bold=True)
    _numbered(doc, [f"Về {content[:1].lower()}{content[1:]}." for content in inspection.contents])
    state_format.add_heading_part(doc, "III. Thành phần Đoàn kiểm tra")
    _numbered(doc, team_lines(summary))
    state_format.add_heading_part(doc, "IV. Tổ chức thực hiện")
    state_format.body_paragraph(
        doc,
        "Các đơn vị được kiểm tra chuẩn bị báo cáo bằng văn bản theo nội dung kiểm tra, gửi "
        "Đoàn kiểm tra trước ngày kiểm tra. Văn phòng Sở là đầu mối tổng hợp, báo cáo Giám đốc "
        "Sở kết quả kiểm tra./.",
    )
    return _finish(doc, summary, ["Giám đốc, các Phó Giám đốc Sở", "Các phòng, đơn vị thuộc Sở"])


def decision_docx(summary):
    """Quyết định thành lập Đoàn kiểm tra: the team, its task and who carries it out."""
    inspection = summary.inspection
    year = inspection.plan.year
    agency = inspection.plan.agency
    doc = _start(
        summary,
        "QUYẾT ĐỊNH",
        f"Về việc thành lập Đoàn kiểm tra công tác cải cách hành chính năm {year}",
        inspection.decision_symbol or f"/QĐ-{agency.short_name}",
        inspection.decision_issued_on,
    )
    heading = doc.add_paragraph()
    heading.alignment = state_format.CENTER
    heading.paragraph_format.space_after = Pt(6)
    heading.add_run(f"GIÁM ĐỐC {agency.masthead_name.upper()}").bold = True
    state_format.body_paragraph(doc, f"Căn cứ {plan_reference(inspection)};", italic=True)
    state_format.body_paragraph(doc, "Theo đề nghị của Chánh Văn phòng Sở.", italic=True)
    decide = doc.add_paragraph()
    decide.alignment = state_format.CENTER
    decide.paragraph_format.space_after = Pt(6)
    decide.add_run("QUYẾT ĐỊNH:").bold = True
    state_format.body_paragraph(
        doc,
        f"Điều 1. Thành lập Đoàn kiểm tra công tác cải cách hành chính năm {year} gồm các "
        "ông (bà) có tên sau:",
    )
    _numbered(doc, team_lines(summary))
    units = ", ".join(unit.unit.name for unit in summary.inspected)
    state_format.body_paragraph(
        doc,
        f"Điều 2. Đoàn kiểm tra có nhiệm vụ kiểm tra {len(summary.inspected)} đơn vị ({units}) "
        f"theo nội dung của {plan_reference(inspection)}; lập biên bản kiểm tra và báo cáo "
        "kết quả với Giám đốc Sở. Đoàn tự giải thể sau khi hoàn thành nhiệm vụ.",
    )
    state_format.body_paragraph(
        doc,
        "Điều 3. Quyết định có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Thủ trưởng các "
        "đơn vị liên quan và các ông (bà) có tên tại Điều 1 chịu trách nhiệm thi hành "
        "Quyết định này./.",
    )
    return _finish(doc, summary, ["Như Điều 3", "Giám đốc, các Phó Giám đốc Sở"])


def minutes_docx(summary, inspected):
    """Biên bản kiểm tra of one unit: who, when, where, and per content checked/found/rating."""
    inspection = summary.inspection
    year = inspection.plan.year
    doc = _start(
        summary,
        "BIÊN BẢN",
        f"Kiểm tra công tác cải cách hành chính năm {year} tại {inspected.unit.name}",
        "/BB-ĐKT",
        inspected.visit_on,
    )
    when = f"ngày {inspected.visit_on:%d/%m/%Y}" if inspected.visit_on else "ngày"
    state_format.body_paragraph(
        doc,
        f"Hôm nay, {when}, tại {inspected.place or inspected.unit.name}, Đoàn kiểm tra công "
        f"tác cải cách hành chính theo {plan_reference(inspection)} tiến hành kiểm tra tại "
        f"{inspected.unit.name}.",
    )
    state_format.body_paragraph(doc, "1. Đoàn kiểm tra", bold=True)
    _numbered(doc, team_lines(summary))
    state_format.body_paragraph(doc, "2. Kết quả kiểm tra", bold=True)
    items = list(inspected.minutes.all())
    _table(
        doc,
        ["STT", "Nội dung kiểm tra", "Nội dung đã kiểm tra", "Kết quả, phát hiện", "Đánh giá"],
        [
            (n, item.content, item.checked, item.found, RATING_LABELS.get(item.rating, ""))
            for n, item in enumerate(items, start=1)
        ],
        (10, 45, 45, 45, 22),
    )
    counts = inspected.rating_counts()
    state_format.body_paragraph(
        doc,
        f"Tổng hợp: {len(items)} nội dung, trong đó đạt {counts['passed']}, chưa đạt "
        f"{counts['failed']}, không áp dụng {counts['not_applicable']}.",
    )
    state_format.body_paragraph(
        doc,
        "Biên bản được lập thành 02 bản có giá trị như nhau, đơn vị được kiểm tra giữ 01 bản, "
        "Đoàn kiểm tra giữ 01 bản./.",
    )
    leader = summary.leader
    table = doc.add_table(rows=1, cols=2)
    unit_cell, team_cell = table.rows[0].cells
    state_format.set_cell_text(
        unit_cell, "ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA\n\n\n\n", bold=True, align=state_format.CENTER
    )
    signed = ""
    if inspected.minutes_signed_at:
        signed = f"(Đã ký trên PARtrack ngày {inspected.minutes_signed_at:%d/%m/%Y})"
    state_format.set_cell_text(
        team_cell,
        f"TRƯỞNG ĐOÀN KIỂM TRA\n{signed}\n\n\n{person_name(leader.user) if leader else ''}",
        bold=True,
        align=state_format.CENTER,
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def conclusion_docx(summary, inspected):
    """Thông báo kết luận kiểm tra of one unit: ratings, conclusion, recommendations."""
    inspection = summary.inspection
    year = inspection.plan.year
    short = inspection.plan.agency.short_name
    doc = _start(
        summary,
        "THÔNG BÁO",
        f"Kết luận kiểm tra công tác cải cách hành chính năm {year} tại {inspected.unit.name}",
        inspected.conclusion_symbol or f"/TB-{short}",
        inspected.conclusion_issued_on,
    )
    when = f" ngày {inspected.visit_on:%d/%m/%Y}" if inspected.visit_on else ""
    state_format.body_paragraph(
        doc,
        f"Thực hiện {plan_reference(inspection)}, Đoàn kiểm tra đã kiểm tra công tác cải cách "
        f"hành chính tại {inspected.unit.name}{when}. Kết luận kiểm tra như sau:",
    )
    state_format.body_paragraph(doc, "1. Kết quả kiểm tra theo từng nội dung", bold=True)
    for n, item in enumerate(inspected.minutes.all(), start=1):
        rating = RATING_LABELS.get(item.rating, "chưa đánh giá")
        found = " ".join(item.found.split())
        found = f" {found}" + ("" if found[-1:] in ".!?" else ".") if found else ""
        state_format.body_paragraph(doc, f"1.{n}. {item.content}: {rating}.{found}")
    state_format.body_paragraph(doc, "2. Kết luận", bold=True)
    for line in inspected.findings.splitlines():
        if line.strip():
            state_format.body_paragraph(doc, line.strip())
    state_format.body_paragraph(doc, "3. Kiến nghị", bold=True)
    recommendations = list(inspected.recommendations.all())
    if not recommendations:
        state_format.body_paragraph(doc, "Không có kiến nghị.")
    for n, item in enumerate(recommendations, start=1):
        state_format.body_paragraph(
            doc,
            f"3.{n}. {item.text} (đơn vị thực hiện: {item.lead_unit.name}; hạn khắc phục: "
            f"{item.due_date:%d/%m/%Y}).",
        )
    state_format.body_paragraph(
        doc,
        f"Đề nghị {inspected.unit.name} thực hiện các kiến nghị và báo cáo kết quả khắc phục "
        "về Văn phòng Sở đúng thời hạn./.",
    )
    return _finish(doc, summary, [inspected.unit.name, "Giám đốc, các Phó Giám đốc Sở"])


def results_docx(summary):
    """Báo cáo kết quả kiểm tra CCHC to the Director, with the self-inspections summarised."""
    inspection = summary.inspection
    year = inspection.plan.year
    short = inspection.plan.agency.short_name
    doc = _start(
        summary,
        "BÁO CÁO",
        f"Kết quả kiểm tra công tác cải cách hành chính năm {year}",
        f"/BC-{short}",
        None,
    )
    state_format.body_paragraph(
        doc,
        f"Thực hiện {plan_reference(inspection)}, Văn phòng Sở báo cáo Giám đốc Sở kết quả "
        f"kiểm tra công tác cải cách hành chính năm {year} như sau:",
    )
    state_format.add_heading_part(doc, "I. Kết quả kiểm tra trực tiếp")
    state_format.body_paragraph(
        doc,
        f"Đoàn kiểm tra đã kiểm tra {len(summary.inspected)}/{len(summary.eligible)} phòng, "
        f"đơn vị; yêu cầu: {summary.rule}. Đã ký biên bản tại {len(summary.signed)} đơn vị, "
        f"kết luận tại {len(summary.concluded)} đơn vị.",
    )
    rows = []
    for n, unit in enumerate(summary.inspected, start=1):
        counts = unit.rating_counts()
        recommendations = list(unit.recommendations.all())
        rows.append(
            (
                n,
                unit.unit.name,
                f"{unit.visit_on:%d/%m/%Y}" if unit.visit_on else "",
                counts["passed"],
                counts["failed"],
                counts["not_applicable"],
                len(recommendations),
                unit.fixed_count(),
            )
        )
    _table(
        doc,
        [
            "STT",
            "Đơn vị",
            "Ngày kiểm tra",
            "Đạt",
            "Chưa đạt",
            "Không áp dụng",
            "Kiến nghị",
            "Đã khắc phục",
        ],
        rows,
        (10, 50, 24, 14, 16, 18, 18, 20),
    )
    for unit in summary.concluded:
        state_format.body_paragraph(doc, f"- {unit.unit.name}: {' '.join(unit.findings.split())}")
    state_format.add_heading_part(doc, "II. Kết quả tự kiểm tra của các đơn vị")
    state_format.body_paragraph(
        doc,
        f"{len(summary.self_sent)}/{len(summary.self_lines)} đơn vị đã gửi báo cáo tự kiểm tra "
        f"({len(summary.self_accepted)} báo cáo đã được Văn phòng Sở chấp nhận).",
    )
    _table(
        doc,
        ["STT", "Đơn vị", "Tình trạng", "Ngày gửi"],
        [
            (
                n,
                line.unit.name,
                line.status_label,
                f"{line.submission.first_submitted_at:%d/%m/%Y}" if line.sent else "",
            )
            for n, line in enumerate(summary.self_lines, start=1)
        ],
        (12, 80, 40, 30),
    )
    state_format.add_heading_part(doc, "III. Kiến nghị và kết quả khắc phục")
    recommendations = summary.recommendations
    state_format.body_paragraph(
        doc,
        f"Có {len(recommendations)} kiến nghị sau kiểm tra, đã khắc phục {summary.fixed}, còn "
        f"{len(recommendations) - summary.fixed}.",
    )
    for item in recommendations:
        state = "đã khắc phục" if item.is_fixed else f"hạn {item.due_date:%d/%m/%Y}"
        state_format.body_paragraph(doc, f"- {item.text} ({item.lead_unit.name}; {state}).")
    return _finish(doc, summary, ["Giám đốc Sở (b/c)", "Các Phó Giám đốc Sở"])


WRITERS = {
    "plan": plan_docx,
    "decision": decision_docx,
    "results": results_docx,
    "minutes": minutes_docx,
    "conclusion": conclusion_docx,
}


def write(kind, summary, inspected=None):
    writer = WRITERS[kind]
    return writer(summary, inspected) if inspected is not None else writer(summary)
