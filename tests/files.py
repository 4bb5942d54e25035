"""Small real files for upload tests: each opens as what it claims to be."""

import io

from docx import Document
from openpyxl import Workbook
from PIL import Image


def pdf_bytes(comment=b"", catalog=b""):
    """A one-page PDF, written object by object with its cross-reference table.

    `comment` goes right after the header; `catalog` adds entries to the document catalog.
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n" + comment)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


PDF = pdf_bytes()


def docx_bytes(text="Quyết định số 12/QĐ-SKHCN"):
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph(text)
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes():
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["Số liệu", 12])
    workbook.save(buffer)
    return buffer.getvalue()


def image_bytes(kind="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()
