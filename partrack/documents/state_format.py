"""Building blocks for Word files in the state document format (Decree 30/2020/NĐ-CP).

Every Word file PARtrack writes (plan appendices, reports) is built from these, so that all of
them look like documents a Vietnamese agency issues: A4, Times New Roman, the two-column
national header, the recipients list and the signature block.
"""

from datetime import UTC, date, datetime

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
LEFT = WD_ALIGN_PARAGRAPH.LEFT

_A4_SHORT, _A4_LONG = Mm(210), Mm(297)
# Blank room a clerk fills in by hand when the document is numbered and dated on issue.
BLANK = " " * 5


def new_document():
    """An empty A4 portrait document with the decree's margins and default font."""
    doc = Document()
    # The template's properties would show "python-docx" as author and 2013 as creation date;
    # an official document names no software either.
    properties = doc.core_properties
    properties.author = properties.last_modified_by = ""
    properties.comments = ""
    properties.created = properties.modified = datetime.now(UTC)
    section = doc.sections[0]
    section.page_width, section.page_height = _A4_SHORT, _A4_LONG
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    # Word draws some characters (quotes, dashes, text it takes for East-Asian or complex
    # script) from other font slots; without these the template's theme font shows through.
    fonts = normal.element.rPr.rFonts
    fonts.set(qn("w:eastAsia"), FONT)
    fonts.set(qn("w:cs"), FONT)
    # The template adds 10 pt after every paragraph, which bloats table cells; body
    # paragraphs ask for their own spacing.
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    # Proof the text as Vietnamese, not as misspelt English.
    default_language = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    default_language.set(qn("w:val"), "vi-VN")
    return doc


def vietnamese_date_line(place, day, *, year=None):
    """'Phú Thọ, ngày 05 tháng 01 năm 2026'; blanks for day and month when `day` is None."""
    if day is None:
        when = f"ngày{BLANK}tháng{BLANK}năm {year or date.today().year}"
    else:
        # The decree writes days below 10 and the months 1 and 2 with a leading zero.
        month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
        when = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {when}" if place else when


def fillable_symbol(symbol):
    """The number and symbol, with room to write the number in when it is not given yet."""
    # An unissued document's symbol has no number yet ("/KH-SKHCN").
    if not symbol or symbol.startswith("/"):
        return f"{BLANK * 2}{symbol}"
    return symbol


def add_national_header(doc, *, parent_body, agency, symbol, place, issued_on, year=None):
    """The borderless two-column header: issuer and number left, national motto and date right."""
    table = doc.add_table(rows=2, cols=2)
    _fit_national_header(table, doc.sections[-1])

    issuer, nation = table.rows[0].cells
    if parent_body:
        set_cell_text(issuer, parent_body.upper(), size=Pt(13), align=CENTER)
        _fill(issuer.add_paragraph(), agency.upper(), size=Pt(13), bold=True, align=CENTER)
    else:
        set_cell_text(issuer, agency.upper(), size=Pt(13), bold=True, align=CENTER)
    set_cell_text(
        nation, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=Pt(13), bold=True, align=CENTER
    )
    _fill(
        nation.add_paragraph(), "Độc lập - Tự do - Hạnh phúc", size=Pt(14), bold=True, align=CENTER
    )

    number, dated = table.rows[1].cells
    set_cell_text(number, f"Số: {fillable_symbol(symbol)}", size=Pt(13), align=CENTER)
    date_line = vietnamese_date_line(place, issued_on, year=year)
    set_cell_text(dated, date_line, size=Pt(14), italic=True, align=CENTER)
    return table


def add_title(doc, kind, summary):
    """The document type in bold capitals ('BÁO CÁO') with the bold summary line under it."""
    heading = doc.add_paragraph()
    heading.paragraph_format.space_before = Pt(12)
    _fill(heading, kind.upper(), bold=True, align=CENTER)
    summary_line = doc.add_paragraph()
    summary_line.paragraph_format.space_after = Pt(6)
    _fill(summary_line, summary, bold=True, align=CENTER)
    return heading, summary_line


def body_paragraph(doc, text, *, bold=False, italic=False, size=None):
    """A body paragraph: justified, first line indented 1.27 cm, 6 pt after; 14 pt unless `size`."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Cm(1.27)
    paragraph.paragraph_format.space_after = Pt(6)
    _fill(paragraph, text, size=size, bold=bold, italic=italic, align=JUSTIFY)
    return paragraph


def add_heading_part(doc, text):
    """A part heading such as 'I. KẾT QUẢ THỰC HIỆN', in bold capitals."""
    return body_paragraph(doc, text.upper(), bold=True)


def add_recipients_and_signature(doc, recipients, on_behalf, signer_title, signer_name):
    """The closing table: 'Nơi nhận:' and its list on the left, the signature block on the right."""
    table = doc.add_table(rows=1, cols=2)
    recipients_cell, signature_cell = table.rows[0].cells

    set_cell_text(recipients_cell, "Nơi nhận:", size=Pt(12), bold=True, italic=True, align=LEFT)
    lines = list(recipients)
    # The archive copy always closes the list, whether or not the caller named it.
    if not any(line.startswith("Lưu") for line in lines):
        lines.append("Lưu: VT, VP")
    for index, line in enumerate(lines):
        ending = "." if index == len(lines) - 1 else ";"
        _fill(recipients_cell.add_paragraph(), f"- {line}{ending}", size=Pt(11), align=LEFT)

    # Three empty lines leave room for the hand signature and the seal.
    signature = [on_behalf.upper(), signer_title.upper(), "", "", "", signer_name]
    set_cell_text(signature_cell, "\n".join(signature), bold=True, align=CENTER)
    return table


def page_numbers_from_second_page(section):
    """A centred page number at the top of every page but the section's first."""
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def set_landscape(section):
    """Turn a section's A4 page sideways; the margins keep their place on the sheet."""
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = _A4_LONG, _A4_SHORT


def add_landscape_section(doc):
    """Start a landscape section on a new page, for a wide appendix table."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    set_landscape(section)
    # The new section inherits 'different first page' from the body; its first page is not
    # the document's first page, so it keeps its page number.
    section.different_first_page_header_footer = False
    return section


def usable_width(section):
    """The width between the margins, which a full-width table must fit."""
    return section.page_width - section.left_margin - section.right_margin


def repeat_table_header(row):
    """Mark a table row to be repeated at the top of every page the table runs onto."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def set_cell_text(cell, text, *, bold=False, italic=False, size=None, align=None):
    """Write text into a fresh cell, each line of `text` as its own paragraph."""
    lines = text.split("\n")
    paragraphs = [cell.paragraphs[0]] + [cell.add_paragraph() for _ in lines[1:]]
    for paragraph, line in zip(paragraphs, lines, strict=True):
        _fill(paragraph, line, size=size, bold=bold, italic=italic, align=align)


def _fill(paragraph, text, *, size=None, bold=False, italic=False, align=None):
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size is not None:
        run.font.size = size
    return paragraph


def _fit_national_header(table, section):
    """Give the header's lines room to stay on one line each.

    At 13 pt, "SỞ KHOA HỌC VÀ CÔNG NGHỆ" and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" need about
    175 mm together; the body is 165 mm wide, so the table reaches 12 mm into the left margin
    (which is 30 mm) and its cells lose their inner padding, as agencies' own templates do.
    """
    extra = Mm(12)
    width = usable_width(section) + extra
    properties = table._tbl.tblPr
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), str(-extra.twips))
    indent.set(qn("w:type"), "dxa")
    properties.append(indent)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)
    table.alignment = None
    table.autofit = False
    for column, share in zip(table.columns, (0.43, 0.57), strict=True):
        column.width = int(width * share)
        for cell in column.cells:
            cell.width = column.width
