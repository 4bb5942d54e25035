"""What an evidence file really is, and the names and content type it is stored and served under.

The uploader's name and content type are never trusted: the first bytes say which type a file
claims to be, and it is accepted only when it opens as that type with the library made for it
(pdfplumber for a PDF, python-docx and openpyxl for an OOXML package, Pillow for an image). A
file that claims one type and holds another (a "polyglot": %PDF followed by a web page, a
program renamed .pdf) is refused. The stored name and the served content type then come from
the type found, and the name as uploaded is kept only to show people and name the download.
"""

import re
import uuid
import warnings
import zipfile
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class FileType(NamedTuple):
    extension: str
    content_type: str
    label: str


FILE_TYPES = {
    "pdf": FileType("pdf", "application/pdf", "PDF"),
    "docx": FileType(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "DOCX",
    ),
    "xlsx": FileType(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"
    ),
    "png": FileType("png", "image/png", "PNG"),
    "jpeg": FileType("jpg", "image/jpeg", "JPEG"),
}
ALLOWED_TYPES = set(FILE_TYPES)

# The main part of each OOXML package, and the content type [Content_Types].xml must give it.
# Macro-enabled packages (.docm, .xlsm) name another content type and are refused.
OOXML_MAIN_PARTS = {
    "docx": (
        "/word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}document",
    ),
    "xlsx": (
        "/xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}workbook",
    ),
}
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
# A zip holding more than this, unpacked, is refused before anything reads it (a "zip bomb").
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PACKAGE_PARTS = 5000
# What a browser would take for a web page if it ever sniffed the file despite nosniff.
HTML_MARKERS = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|script|iframe|object|embed|svg|meta)[\s>/]",
    re.IGNORECASE,
)
SNIFFED_BYTES = 1024


def claimed_type(upload):
    """The type the file's first bytes claim: 'pdf', 'docx', 'xlsx', 'png', 'jpeg' or None."""
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


def sniff_file_type(upload):
    """The claim only (kept for callers of the old name): accept a file with detect_file_type."""
    return claimed_type(upload)


def detect_file_type(upload):
    """The file's type once it opens as the type it claims; ValidationError (Vietnamese) if not."""
    file_type = claimed_type(upload)
    if file_type is None:
        raise ValidationError(_not_a_document_message(upload))
    opens = {"pdf": _opens_as_pdf, "png": _opens_as_image, "jpeg": _opens_as_image}.get(
        file_type, _opens_as_ooxml
    )
    try:
        opens(upload, file_type)
        # A file may both open as what it claims and hold a web page a browser would render.
        upload.seek(0)
        if HTML_MARKERS.search(upload.read(SNIFFED_BYTES)):
            raise ValidationError(
                _("Tệp có chứa mã trang web (HTML) nên không được nhận làm minh chứng.")
            )
    finally:
        upload.seek(0)
    return file_type


def storage_name(file_type):
    """A random file name with the extension of the type found: nothing of the uploader's."""
    return f"{uuid.uuid4().hex}.{FILE_TYPES[file_type].extension}"


def content_type(file_type):
    return FILE_TYPES[file_type].content_type if file_type in FILE_TYPES else ""


def download_name(original_name, file_type):
    """The name as uploaded, for people to recognise, ending in the extension of the type found.

    "cong-van.PDF.exe" holding a PDF downloads as "cong-van.PDF.pdf"; "bao-cao" as "bao-cao.pdf".
    """
    stem = Path(original_name or "").stem.strip() or "minh-chung"
    return f"{stem}.{FILE_TYPES[file_type].extension}"


def _not_a_document_message(upload):
    extension = Path(getattr(upload, "name", "") or "").suffix.lower().lstrip(".")
    named = {"jpg": "jpeg", "jpeg": "jpeg"}.get(extension, extension)
    if named in FILE_TYPES:
        return _("Tệp mang đuôi .%(ext)s nhưng nội dung không phải tệp %(label)s. %(only)s") % {
            "ext": extension,
            "label": FILE_TYPES[named].label,
            "only": _only_these(),
        }
    return _only_these()


def _only_these():
    return _("Chỉ nhận tệp PDF, DOCX, XLSX hoặc ảnh PNG, JPEG.")


def _broken(file_type):
    return ValidationError(
        _(
            "Tệp bắt đầu như một tệp %(label)s nhưng không mở được như %(label)s: tệp hỏng "
            "hoặc giả dạng. Hãy lưu lại tệp từ phần mềm đã tạo ra nó rồi tải lên lần nữa."
        )
        % {"label": FILE_TYPES[file_type].label}
    )


def _opens_as_pdf(upload, file_type):
    import pdfplumber

    try:
        with pdfplumber.open(upload) as pdf:
            pages = len(pdf.pages)
            active = _has_active_content(pdf.doc.catalog)
    except Exception as error:  # pdfminer raises many kinds on a broken file
        raise _broken(file_type) from error
    if pages == 0:
        raise _broken(file_type)
    if active:
        raise ValidationError(
            _(
                "Tệp PDF có mã tự chạy (JavaScript, lệnh mở chương trình) hoặc tệp đính kèm "
                "bên trong nên không được nhận. Hãy in hoặc xuất lại thành tệp PDF thường."
            )
        )


def _has_active_content(catalog):
    """Whether the document runs something when opened, or carries files (its catalog only:
    document-level JavaScript, embedded files, open and additional actions)."""
    from pdfminer.pdftypes import resolve1

    names = resolve1(catalog.get("Names"))
    if isinstance(names, dict) and {"JavaScript", "EmbeddedFiles"} & set(names):
        return True
    if "AA" in catalog:
        return True
    action = resolve1(catalog.get("OpenAction"))
    if isinstance(action, dict):
        kind = resolve1(action.get("S"))
        return getattr(kind, "name", kind) in ("JavaScript", "Launch")
    return False


def _opens_as_image(upload, file_type):
    from PIL import Image

    wanted = {"png": "PNG", "jpeg": "JPEG"}[file_type]
    try:
        with warnings.catch_warnings():
            # A picture too large to decode safely is refused, not half-read.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image.verify()  # checksums and structure
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()  # every pixel decodes
                found = image.format
    except Exception as error:  # Pillow raises many kinds on a broken file
        raise _broken(file_type) from error
    if found != wanted:
        raise _broken(file_type)


def _opens_as_ooxml(upload, file_type):
    main_part, main_type, main_root = OOXML_MAIN_PARTS[file_type]
    try:
        with zipfile.ZipFile(upload) as package:
            infos = package.infolist()
            if (
                len(infos) > MAX_PACKAGE_PARTS
                or sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES
            ):
                raise _broken(file_type)
            if any(info.filename.lower().endswith("vbaproject.bin") for info in infos):
                raise ValidationError(
                    _("Tệp có macro không được nhận; hãy lưu thành tệp DOCX hoặc XLSX thường.")
                )
            types = ElementTree.fromstring(package.read("[Content_Types].xml"))
            overrides = {
                element.get("PartName"): element.get("ContentType")
                for element in types
                if element.tag.endswith("Override")
            }
            if overrides.get(main_part) != main_type:
                raise _broken(file_type)
            relationships = ElementTree.fromstring(package.read("_rels/.rels"))
            targets = {
                "/" + element.get("Target", "").lstrip("/")
                for element in relationships
                if element.get("Type") == OFFICE_DOCUMENT
            }
            if targets != {main_part}:
                raise _broken(file_type)
            if ElementTree.fromstring(package.read(main_part.lstrip("/"))).tag != main_root:
                raise _broken(file_type)
        upload.seek(0)
        _open_with_its_library(upload, file_type)
    except ValidationError:
        raise
    except Exception as error:  # zipfile, XML and the libraries raise many kinds
        raise _broken(file_type) from error


def _open_with_its_library(upload, file_type):
    if file_type == "docx":
        from docx import Document

        Document(upload)
    else:
        from openpyxl import load_workbook

        workbook = load_workbook(upload, read_only=True)
        workbook.close()
