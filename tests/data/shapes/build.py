# ruff: noqa: E501  (the shapes are tables of data, kept one row a line)
"""Build the synthetic plan documents of tests/data/shapes: one DOCX per shape of table and
header block that real plans take, and its PDF through LibreOffice when it is installed.

Run from the project root after changing a shape: .venv/bin/python tests/data/shapes/build.py
The expected JSON beside each document is written by hand, not by this script.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = Path(__file__).resolve().parent


def masthead(document, left, right):
    """The state-format masthead: a borderless two-column table (issuer | motto)."""
    table = document.add_table(rows=max(len(left), len(right)), cols=2)
    for column, lines in enumerate((left, right)):
        for row, text in enumerate(lines):
            paragraph = table.cell(row, column).paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold = text.isupper()


def centred(document, text, bold=True):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text).bold = bold


def body(document, text):
    document.add_paragraph(text)


def task_table(document, rows, merges=(), bold_rows=()):
    """A ruled table; ``None`` marks a cell a merge covers; rows in ``bold_rows`` are bold."""
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if not text:
                continue
            lines = text.split("\n")
            cell = table.cell(r, c)
            for number, line in enumerate(lines):
                paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                run = paragraph.add_run(line)
                run.bold = r == 0 or r in bold_rows
    for first, last in merges:
        table.cell(*first).merge(table.cell(*last))
    return table


def signature(document, left, right):
    table = document.add_table(rows=max(len(left), len(right)), cols=2)
    for column, lines in enumerate((left, right)):
        for row, text in enumerate(lines):
            paragraph = table.cell(row, column).paragraphs[0]
            if column:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(text).bold = column == 1 and text.isupper()


def new_document():
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    return document


# --- The shapes -------------------------------------------------------------------------------


def parts_and_groups():
    """Parts A/B over sections, group rows, a repeated header, sub-rows under one number."""
    d = new_document()
    masthead(
        d,
        ["UBND TỈNH PHÚ THỌ", "SỞ NỘI VỤ", "Số: 15/KH-SNV"],
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Phú Thọ, ngày 10 tháng 01 năm 2026",
        ],
    )
    centred(d, "KẾ HOẠCH")
    centred(d, "CẢI CÁCH HÀNH CHÍNH NĂM 2026 CỦA SỞ NỘI VỤ TỈNH PHÚ THỌ")
    body(d, "Căn cứ Kế hoạch số 01/KH-UBND của UBND tỉnh, Sở Nội vụ ban hành kế hoạch như sau:")
    head = [
        "STT",
        "Nội dung nhiệm vụ",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời gian hoàn thành",
    ]
    rows = [
        head,
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["A", "NHIỆM VỤ CHUNG", None, None, None],
        ["I", "CẢI CÁCH THỂ CHẾ", None, None, None],
        ["1", "Rà soát văn bản quy phạm pháp luật", "Văn phòng Sở", "Sở Tư pháp", "Quý I/2026"],
        ["I.1", "Nhóm nhiệm vụ về kiểm soát thủ tục", "", "", ""],
        [
            "2",
            "Công bố thủ tục hành chính",
            "Văn phòng Sở",
            "Sở Khoa học và Công nghệ",
            "Tháng 12 hằng năm",
        ],
        ["II", "CẢI CÁCH TỔ CHỨC BỘ MÁY", None, None, None],
        [
            "3",
            "Sắp xếp các phòng chuyên môn",
            "Phòng Tổ chức",
            "Sở Nội vụ và các cơ quan liên quan",
            "Quý III/2026 - Quý I/2027",
        ],
        head,
        ["4", "Đánh giá viên chức theo vị trí việc làm", "Phòng Tổ chức", "", "Quý II/2026"],
        [None, "Xây dựng đề án vị trí việc làm", "Phòng Công chức", "", "Quý IV/2026"],
        ["B", "NHIỆM VỤ RIÊNG", None, None, None],
        ["III", "CHUYỂN ĐỔI SỐ", None, None, None],
        ["", "Nhóm nhiệm vụ về dữ liệu", "", "", ""],
        [
            "5",
            "Số hóa hồ sơ công chức",
            "Phòng Chuyển đổi số",
            "Sở Văn hóa, Thể thao và Du lịch; Sở Tư pháp",
            "Trước năm 2030",
        ],
    ]
    merges = [
        ((2, 1), (2, 4)),
        ((3, 1), (3, 4)),
        ((7, 1), (7, 4)),
        ((10, 0), (11, 0)),
        ((12, 1), (12, 4)),
        ((13, 1), (13, 4)),
    ]
    task_table(d, rows, merges, bold_rows=(14,))
    signature(
        d,
        ["Nơi nhận:", "- UBND tỉnh;", "- Lưu: VT."],
        ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "Lê Văn Hùng"],
    )
    return d


def split_tables():
    """A table continued in a second table without header and a third with one; the lead
    before the content; extra columns; a status column beside the deadline; many deadlines."""
    d = new_document()
    masthead(
        d,
        ["ỦY BAN NHÂN DÂN", "TỈNH PHÚ THỌ", "Số: 210/KH-UBND"],
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Phú Thọ, ngày 20 tháng 12 năm 2025",
        ],
    )
    centred(d, "KẾ HOẠCH")
    centred(d, "Chuyển đổi số giai đoạn 2026 - 2030, tầm nhìn đến năm 2035")
    body(d, "Ủy ban nhân dân tỉnh Phú Thọ ban hành kế hoạch như sau:")
    head = [
        "TT",
        "Đơn vị chủ trì",
        "Tên nhiệm vụ",
        "Sản phẩm đầu ra",
        "Thời hạn",
        "Tiến độ",
        "Lãnh đạo phụ trách",
        "Nguồn kinh phí",
    ]
    first = [
        head,
        [
            "1",
            "Sở Khoa học và Công nghệ",
            "Xây dựng kho dữ liệu dùng chung",
            "Kho dữ liệu",
            "Giai đoạn 2026 - 2030",
            "Đang thực hiện",
            "Giám đốc Sở Khoa học và Công nghệ",
            "Ngân sách tỉnh",
        ],
        [
            "2",
            "Văn phòng UBND tỉnh",
            "Vận hành hệ thống e-Cabinet",
            "Hệ thống",
            "Thường xuyên, định kỳ 6 tháng báo cáo UBND tỉnh",
            "Chưa thực hiện",
            "Chánh Văn phòng",
            "",
        ],
    ]
    second = [
        [
            "3",
            "Sở Nội vụ",
            "Chuẩn hóa dữ liệu cán bộ, công chức",
            "Cơ sở dữ liệu",
            "Ban hành trong quý I năm 2026. Thực hiện cập nhật hằng năm",
            "",
            "",
            "Ngân sách tỉnh",
        ],
        [
            "4",
            "Sở Tài chính",
            "Bố trí kinh phí chuyển đổi số",
            "Dự toán",
            "Khi có phát sinh",
            "",
            "",
            "",
        ],
    ]
    third = [
        head,
        [
            "5",
            "Sở Tư pháp",
            "Số hóa sổ hộ tịch",
            "Dữ liệu hộ tịch",
            "Sau khi có hướng dẫn của Bộ Tư pháp",
            "",
            "",
            "",
        ],
        [
            "6",
            "Sở Y tế",
            "Triển khai bệnh án điện tử",
            "Bệnh án điện tử",
            "Theo kế hoạch",
            "",
            "",
            "",
        ],
        [
            "7",
            "Sở Xây dựng",
            "Cập nhật dữ liệu quy hoạch",
            "Dữ liệu quy hoạch",
            "Hằng năm",
            "",
            "",
            "",
        ],
    ]
    task_table(d, first)
    body(d, "")
    task_table(d, second)
    body(d, "")
    task_table(d, third)
    signature(
        d,
        ["Nơi nhận:", "- Bộ Khoa học và Công nghệ;", "- Lưu: VT."],
        ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Trần Duy Đông"],
    )
    return d


def target_letter():
    """A letter (Công văn) whose appendix is a table of targets with no deadline column; the
    body sets one deadline for the whole appendix."""
    d = new_document()
    masthead(
        d,
        ["BỘ NỘI VỤ", "Số: 120/BNV-CCHC", "V/v triển khai chỉ tiêu cải cách hành chính năm 2026"],
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Hà Nội, ngày 05 tháng 12 năm 2025",
        ],
    )
    body(d, "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương.")
    body(
        d,
        "Bộ Nội vụ đề nghị các cơ quan thực hiện các chỉ tiêu tại Phụ lục kèm theo, "
        "hoàn thành trước ngày 15/12/2025 và báo cáo kết quả về Bộ Nội vụ.",
    )
    signature(
        d,
        ["Nơi nhận:", "- Như trên;", "- Lưu: VT, CCHC."],
        ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "", "Nguyễn Văn Minh"],
    )
    centred(d, "PHỤ LỤC")
    centred(d, "CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH NĂM 2026")
    rows = [
        ["TT", "Chỉ tiêu", "Chủ trì"],
        ["1", "100% thủ tục hành chính được công khai", "Văn phòng Chính phủ"],
        ["2", "80% hồ sơ được giải quyết trực tuyến", "Bộ Công an, các địa phương"],
        [
            "3",
            "Số hóa 100% kết quả giải quyết thủ tục",
            "Bộ Văn hóa, Thể thao và Du lịch và Bộ Tư pháp",
        ],
    ]
    task_table(d, rows)
    return d


def decision_with_plan():
    """A decision issuing a plan, the plan and its appendix in one file; a signer's title
    wrapped in a narrow column; the lead column before the content."""
    d = new_document()
    masthead(
        d,
        ["ỦY BAN NHÂN DÂN", "TỈNH PHÚ THỌ", "Số: 25/QĐ-UBND"],
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Phú Thọ, ngày 08 tháng 01 năm 2026",
        ],
    )
    centred(d, "QUYẾT ĐỊNH")
    centred(d, "Ban hành Kế hoạch cải cách hành chính năm 2026 của tỉnh Phú Thọ")
    centred(d, "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ")
    body(d, "Căn cứ Luật Tổ chức chính quyền địa phương;")
    centred(d, "QUYẾT ĐỊNH:")
    body(d, "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính năm 2026.")
    signature(
        d,
        ["Nơi nhận:", "- Như Điều 3;", "- Lưu: VT."],
        ["KT. CHỦ", "TỊCH", "PHÓ CHỦ TỊCH", "", "Phạm Thị Lan"],
    )
    centred(d, "KẾ HOẠCH")
    centred(d, "Cải cách hành chính năm 2026 của tỉnh Phú Thọ")
    centred(d, "(Ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 08/01/2026)", bold=False)
    rows = [
        ["TT", "Cơ quan chủ trì", "Nhiệm vụ", "Sản phẩm", "Tiến độ hoàn thành", "Ghi chú"],
        ["I", "CÔNG TÁC CHỈ ĐẠO", None, None, None, None],
        ["1", "Sở Nội vụ", "Tuyên truyền cải cách hành chính", "Kế hoạch", "Tháng 02/2026", ""],
        [
            "2",
            "Sở Nội vụ chủ trì, phối hợp với các sở",
            "Kiểm tra công tác cải cách hành chính",
            "Báo cáo",
            "Quý III/2026",
            "",
        ],
        ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", None, None, None, None],
        [
            "3",
            "Văn phòng UBND tỉnh",
            "Rà soát, đơn giản hóa thủ tục",
            "Quyết định",
            "Năm 2026",
            "Trọng tâm",
        ],
    ]
    task_table(d, rows, merges=[((1, 1), (1, 5)), ((4, 1), (4, 5))])
    return d


SHAPES = {
    "phan-nhom-dong-con": parts_and_groups,
    "bang-tach-cot-khac": split_tables,
    "cong-van-chi-tieu": target_letter,
    "quyet-dinh-ke-hoach": decision_with_plan,
}


def to_pdf(paths, outdir):
    """PDF copies through LibreOffice; False when it is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return False
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, paths),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return True


def main():
    paths = []
    for name, build in SHAPES.items():
        path = HERE / f"{name}.docx"
        build().save(path)
        paths.append(path)
    if not to_pdf(paths, HERE):
        print("LibreOffice is not installed: DOCX only.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
