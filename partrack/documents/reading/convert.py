"""Formats read through other programs, when the machine has them: old Word (.doc) and
OpenDocument (.odt) files through LibreOffice, and scanned PDFs through Tesseract's OCR.

Both are Debian packages (libreoffice-writer-nogui; tesseract-ocr, tesseract-ocr-vie and
poppler-utils for pdftoppm); without them the reader says, in Vietnamese, what to upload instead.
Each run works in a private temporary directory (LibreOffice's profile too), removed after.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from partrack.documents.errors import CORRUPT, DocumentError

NEEDS_LIBREOFFICE = (
    "Tệp Word cũ (.doc) hoặc OpenDocument (.odt) cần LibreOffice để đọc, nhưng máy chủ chưa cài: "
    "hãy mở tệp bằng Word hoặc LibreOffice, lưu lại thành .docx rồi tải lên."
)
_CONVERT_SECONDS = 120


def libreoffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(data, suffix):
    """``data`` (a .doc or .odt file) as DOCX bytes, through LibreOffice."""
    program = libreoffice()
    if not program:
        raise DocumentError(NEEDS_LIBREOFFICE)
    with tempfile.TemporaryDirectory(prefix="partrack-convert-") as work:
        source = Path(work) / f"upload{suffix}"
        source.write_bytes(data)
        try:
            subprocess.run(
                [
                    program,
                    f"-env:UserInstallation=file://{work}/profile",
                    "--headless",
                    "--convert-to",
                    "docx:MS Word 2007 XML",
                    "--outdir",
                    work,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=_CONVERT_SECONDS,
            )
        except (subprocess.SubprocessError, OSError) as error:
            raise DocumentError(CORRUPT) from error
        converted = Path(work) / "upload.docx"
        if not converted.exists():
            raise DocumentError(CORRUPT)
        return converted.read_bytes()
