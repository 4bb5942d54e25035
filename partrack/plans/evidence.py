"""What an evidence file really is, read from its first bytes rather than its name."""

import zipfile

ALLOWED_TYPES = {"pdf", "docx", "xlsx", "png", "jpeg"}


def sniff_file_type(upload):
    """'pdf', 'docx', 'xlsx', 'png', 'jpeg', or None for anything else (a renamed file too)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    return None
