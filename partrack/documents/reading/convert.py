"""Formats read through other programs, when the machine has them: old Word (.doc) and
OpenDocument (.odt) files through LibreOffice, and scanned PDFs through Tesseract's OCR.

Both are Debian packages (libreoffice-writer-nogui; tesseract-ocr, tesseract-ocr-vie and
poppler-utils for pdftoppm); without them the reader says, in Vietnamese, what to upload instead.
Each run works in a private temporary directory (LibreOffice's profile too), removed after.
"""

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from partrack.documents import libreoffice
from partrack.documents.errors import CORRUPT, DocumentError

NEEDS_LIBREOFFICE = (
    "Tệp Word cũ (.doc) hoặc OpenDocument (.odt) cần LibreOffice để đọc, nhưng máy chủ chưa cài: "
    "hãy mở tệp bằng Word hoặc LibreOffice, lưu lại thành .docx rồi tải lên."
)

_CONVERT_SECONDS = 120  # pdftoppm's limit for a whole scan


def to_docx(data, suffix):
    """``data`` (a .doc or .odt file) as DOCX bytes, through LibreOffice."""
    if not libreoffice.program():
        raise DocumentError(NEEDS_LIBREOFFICE)
    converted = libreoffice.to_docx(data, suffix)
    if converted is None:
        raise DocumentError(CORRUPT)
    return converted


# --- Scanned PDFs ---------------------------------------------------------------------------

NEEDS_OCR = (
    "Tệp PDF này là bản quét, không có lớp chữ, và máy chủ chưa cài chương trình nhận dạng chữ "
    "(Tesseract): hãy tải lên bản DOCX hoặc PDF xuất từ Word."
)
_OCR_DPI = 200
_OCR_SECONDS_PER_PAGE = 180
# A ruling line of a table: a run of dark pixels at least this long (in pixels at _OCR_DPI).
_SHORTEST_RULE = 40
_SHRINK = 8  # pixels averaged along a line when looking for rules


def can_ocr():
    return bool(shutil.which("tesseract") and shutil.which("pdftoppm"))


def ocr_pages(data, work):
    """The scanned PDF ``data`` as one text-layer PDF per page (Tesseract, Vietnamese), with
    the table rules seen in each page's image: [(pdf path, horizontal rules, vertical rules)].

    The rules are segments in PDF points, for the PDF reader to find the tables by, since a
    scan's tables are pixels, not the vector lines a word processor draws."""
    if not can_ocr():
        raise DocumentError(NEEDS_OCR)
    work = Path(work)
    source = work / "scan.pdf"
    source.write_bytes(data)
    images = [work / f"page-{number:04d}.png" for number in range(1, page_count(source) + 1)]
    # One page rendered and read per processor at a time, each Tesseract single-threaded: its
    # own threads only contend with the other pages'.
    workers = max(1, min(len(images), os.cpu_count() or 1))
    try:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(partial(_ocr_page, source), images))
    except (subprocess.SubprocessError, OSError) as error:
        raise DocumentError(CORRUPT) from error
    pages = []
    for image in images:
        pdf = image.with_suffix(".pdf")
        if not pdf.exists() or not pdf.stat().st_size:
            raise DocumentError(CORRUPT)
        horizontal, vertical = rules(image)
        pages.append((pdf, horizontal, vertical))
    return pages


def page_count(path):
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    except Exception as error:  # pdfminer raises several kinds on a broken file
        raise DocumentError(CORRUPT) from error


def _ocr_page(source, image):
    """Page ``image`` (named page-<number>.png) of ``source`` rendered, and read by Tesseract
    into a PDF with a text layer beside it."""
    number = str(int(image.stem.split("-")[1]))
    subprocess.run(
        ["pdftoppm", "-r", str(_OCR_DPI), "-gray", "-png", "-singlefile", "-f", number, "-l",
         number, str(source), str(image.with_suffix(""))],
        check=True,
        capture_output=True,
        timeout=_CONVERT_SECONDS,
    )  # fmt: skip
    subprocess.run(
        ["tesseract", str(image), str(image.with_suffix("")), "-l", "vie", "--dpi",
         str(_OCR_DPI), "pdf"],
        check=True,
        capture_output=True,
        timeout=_OCR_SECONDS_PER_PAGE,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )  # fmt: skip


def rules(image_path):
    """(horizontal, vertical) ruling lines of a page image, as line objects in PDF points."""
    from PIL import Image

    scale = 72 / _OCR_DPI
    with Image.open(image_path) as image:
        dark = image.convert("L").point(lambda value: 255 if value < 140 else 0)
    width, height = dark.size
    across = dark.resize((max(1, width // _SHRINK), height), Image.Resampling.BOX)
    down = dark.resize((width, max(1, height // _SHRINK)), Image.Resampling.BOX)
    horizontal = [
        _line(x0 * _SHRINK * scale, y * scale, x1 * _SHRINK * scale, y * scale)
        for y, x0, x1 in _runs(across, _SHORTEST_RULE // _SHRINK)
    ]
    vertical = [
        _line(x * scale, y0 * _SHRINK * scale, x * scale, y1 * _SHRINK * scale)
        for x, y0, y1 in _runs(down.transpose(Image.Transpose.TRANSPOSE), _SHORTEST_RULE // _SHRINK)
    ]
    return horizontal, vertical


def _runs(image, shortest):
    """(row, start, end) of the long runs of dark pixels in each row; a rule a few pixels thick
    is given once, by its first row."""
    width, height = image.size
    pixels = image.load()
    found, previous = [], set()
    for y in range(height):
        runs, start = set(), None
        for x in range(width + 1):
            dark = x < width and pixels[x, y] > 160
            if dark and start is None:
                start = x
            elif not dark and start is not None:
                if x - start >= shortest:
                    runs.add((start, x))
                start = None
        for run in runs:
            if not any(abs(run[0] - a) <= 1 and abs(run[1] - b) <= 1 for a, b in previous):
                found.append((y, *run))
        previous = runs
    return found


def _line(x0, top, x1, bottom):
    return {
        "object_type": "line",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
    }
