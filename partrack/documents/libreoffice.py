"""LibreOffice, when the machine has it (Debian's libreoffice-writer-nogui): Word to PDF for the
reports PARtrack writes, and old Word (.doc) or OpenDocument (.odt) to DOCX for the plan reader.

Each run works in a private temporary directory with a profile of its own, so that a running
LibreOffice (or a parallel conversion) is no bar, and is killed with its children when too slow.
"""

import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

PDF_SECONDS = 60
DOCX_SECONDS = 120


def program():
    """The LibreOffice program, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data, *, suffix, target, timeout):
    """`data` (a file ending in `suffix`) converted to `target` ("pdf", or a filter such as
    "docx:MS Word 2007 XML"), as bytes; None when LibreOffice is missing, fails or is too slow."""
    found = program()
    if found is None:
        return None
    with tempfile.TemporaryDirectory(prefix="partrack-convert-") as folder:
        source = Path(folder) / f"document{suffix}"
        source.write_bytes(data)
        command = [
            found,
            f"-env:UserInstallation={Path(folder, 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            folder,
            str(source),
        ]
        try:
            process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
                env={**os.environ, "HOME": folder},
            )
        except OSError as error:
            logger.warning("LibreOffice could not start: %s", error)
            return None
        try:
            _out, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            # soffice starts a child of its own: end the whole group we started.
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            logger.warning("LibreOffice took over %s s to convert a document", timeout)
            return None
        result = source.with_suffix("." + target.split(":")[0])
        if process.returncode != 0 or not result.exists():
            logger.warning("LibreOffice could not convert a document: %s", errors[-500:])
            return None
        return result.read_bytes()


def docx_to_pdf(docx):
    """The PDF of a Word file PARtrack wrote, or None (not installed, failed or too slow)."""
    return convert(docx, suffix=".docx", target="pdf", timeout=PDF_SECONDS)


def to_docx(data, suffix):
    """A .doc or .odt file as DOCX bytes, or None (not installed, failed or too slow)."""
    return convert(data, suffix=suffix, target="docx:MS Word 2007 XML", timeout=DOCX_SECONDS)
