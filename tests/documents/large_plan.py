"""A plan of thousands of tasks, written with python-docx as an agency's Word file would be."""

import io

import docx

ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII"]
AREAS = [
    "Công tác chỉ đạo, điều hành",
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
]
LEADS = ["Văn phòng Sở", "Phòng Kế hoạch - Tài chính", "Phòng Chuyển đổi số"]
DEADLINES = ["Quý I/2027", "Quý II/2027", "30/9/2027", "Tháng 11/2027", "Năm 2027"]


def large_plan_docx(tasks, *, year=2027):
    """A DOCX plan of `tasks` tasks spread over the seven areas, for the year `year`."""
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph(f"Thực hiện công tác Cải cách hành chính năm {year}")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(
        table.rows[0].cells,
        ["STT", "Nội dung", "Sản phẩm", "Cơ quan chủ trì", "Thời gian hoàn thành"],
        strict=True,
    ):
        cell.text = text
    per_area = -(-tasks // len(AREAS))
    number = 0
    for roman, title in zip(ROMANS, AREAS, strict=True):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = roman, title.upper()
        for _ in range(min(per_area, tasks - number)):
            number += 1
            cells = table.add_row().cells
            cells[0].text = str(number)
            cells[1].text = f"Nhiệm vụ số {number}: rà soát hồ sơ nhóm {number * 7919 % 1000}"
            cells[2].text = f"Báo cáo kết quả {number}"
            cells[3].text = LEADS[number % len(LEADS)]
            cells[4].text = DEADLINES[number % len(DEADLINES)].replace("2027", str(year))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
