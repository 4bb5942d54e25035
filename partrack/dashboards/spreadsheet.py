"""The ranking as an .xlsx file: the formula with its weights, then one row per unit."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from partrack.dashboards.ranking import (
    TIE_RULE,
    format_points,
    formula,
    worked_formula,
)
from partrack.spreadsheets import as_text

FONT = "Times New Roman"


def ranking_xlsx(plan, ranking):
    """The ranking as the office files it: title, formula, one row per unit, the ties."""
    bold = Font(name=FONT, bold=True)
    plain = Font(name=FONT)
    wrapped = Alignment(wrap_text=True, vertical="top")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Xếp hạng")
    title = _("XẾP HẠNG ĐƠN VỊ THỰC HIỆN KẾ HOẠCH CCHC — %(scope)s") % {
        "scope": ranking.scope.label.upper()
    }
    sheet.append([title])
    sheet.append([plan.title])
    sheet.append([_("Số liệu đến ngày %(day)s") % {"day": f"{ranking.scope.as_of:%d/%m/%Y}"}])
    sheet.append([_("Công thức"), formula(ranking.weights)])
    sheet.append([])
    headers = [
        _("Hạng"),
        _("Đơn vị"),
        _("Nhiệm vụ được đánh giá"),
        _("Hoàn thành đúng hạn"),
        _("Hoàn thành quá hạn"),
        _("Quá hạn"),
        _("Chưa đến hạn (không tính)"),
        _("Kỳ báo cáo đến hạn"),
        _("Báo cáo đúng hạn"),
        _("Báo cáo chậm"),
        _("Điểm"),
        _("Cách tính"),
        _("Đồng hạng với"),
    ]
    sheet.append(headers)
    header_row = sheet.max_row
    for result in ranking.results + ranking.unranked:
        sheet.append(
            [
                result.rank if result.rank is not None else "—",
                result.unit.name,
                result.judged,
                result.done_on_time,
                result.done_late,
                result.overdue,
                result.not_due,
                result.reports_due,
                result.reports_on_time,
                result.reports_late,
                float(result.score) if result.rank is not None else None,
                worked_formula(result, ranking.weights)
                if result.rank is not None
                else _("không có nhiệm vụ đến hạn"),
                "; ".join(unit.name for unit in result.tied_with),
            ]
        )
    for cell in sheet[1]:
        cell.font = Font(name=FONT, bold=True, size=13)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.font = bold if row[0].row in (4, header_row) else plain
            cell.alignment = wrapped
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    widths = [7, 40, 12, 12, 12, 10, 12, 10, 10, 10, 10, 50, 30]
    for column, width in zip("ABCDEFGHIJKLM", widths, strict=True):
        sheet.column_dimensions[column].width = width
    if ranking.ties:
        sheet.append([])
        for rank, score, members in ranking.ties:
            names = ", ".join(m.unit.name for m in members)
            sheet.append(
                [
                    _("Đồng hạng %(rank)s (%(score)s điểm): %(names)s")
                    % {"rank": rank, "score": format_points(score), "names": names}
                ]
            )
        sheet.append([str(TIE_RULE)])
    # Unit names and the plan's title are typed by people: no cell may become a formula.
    for row in sheet.iter_rows():
        for cell in row:
            as_text(cell)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
