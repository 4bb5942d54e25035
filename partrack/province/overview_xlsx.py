"""The province overview as an .xlsx file: one row per agency, as the page shows it."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from partrack.plans.models import ReportingPeriod
from partrack.spreadsheets import xlsx_cell


def workbook_bytes(rows, *, year, kind, today):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Tổng quan"))
    bold = Font(bold=True)
    period = ReportingPeriod.Kind(kind).label
    title = _("TÌNH HÌNH THỰC HIỆN KẾ HOẠCH CCHC CỦA CÁC CƠ QUAN — %(period)s %(year)s") % {
        "period": str(period).upper(),
        "year": year,
    }
    sheet.append([xlsx_cell(sheet, title, font=bold)])
    sheet.append([xlsx_cell(sheet, _("Số liệu đến ngày %(day)s") % {"day": f"{today:%d/%m/%Y}"})])
    headers = [
        _("Cơ quan"),
        _("Loại"),
        _("Kế hoạch"),
        _("Nhiệm vụ được đánh giá trong kỳ"),
        _("Hoàn thành đúng hạn"),
        _("Tỷ lệ hoàn thành đúng hạn (%)"),
        _("Quá hạn"),
        _("Hạn gửi Sở Nội vụ"),
        _("Ngày gửi báo cáo"),
        _("Báo cáo gửi Sở Nội vụ"),
    ]
    sheet.append([xlsx_cell(sheet, header, font=bold) for header in headers])
    for row in rows:
        values = [
            row.agency.name,
            row.agency.get_kind_display(),
            row.plan_label,
            row.judged,
            row.done_on_time,
            row.share if row.share is not None else "",
            row.overdue,
            row.report.due or "",
            row.report.sent_on or "",
            row.report.label,
        ]
        sheet.append(
            [
                xlsx_cell(sheet, value, number_format="DD/MM/YYYY" if i in (7, 8) else None)
                for i, value in enumerate(values)
            ]
        )
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
