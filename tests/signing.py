"""Signed PDFs for tests: a test CA made once per session, and the files a person might upload.

    from tests import signing
    signing.trust_test_root(settings)           # the test root becomes an installed root
    data = signing.signed_pdf()                  # the seed plan's PDF, signed by the test CA
    signing.tampered(data)                       # a byte of the signed content changed
    signing.signed_by_unknown_root()             # a chain to a root nobody installed
    signing.unsigned_pdf()

Key generation is the slow part (RSA 2048): every CA here is made once and cached.
"""

import functools
import tempfile
from pathlib import Path

from partrack.signatures_demo import make_ca, sign_pdf
from tests.files import pdf_bytes

DATA = Path(__file__).parent / "data"
# A real PDF as offices produce them (PDF 1.6, exported from a word processor).
REPORT_PDF = DATA / "seed-plan" / "ke-hoach-cchc-2026-skhcn-phu-tho.pdf"

SIGNER_NAME = "Nguyễn Văn An"
ORGANISATION = "Sở Khoa học và Công nghệ tỉnh Phú Thọ"


@functools.cache
def test_ca():
    """The CA whose root the tests install (`trust_test_root`)."""
    return make_ca(signer_name=SIGNER_NAME, organisation=ORGANISATION)


@functools.cache
def unknown_ca():
    """A CA nobody installed: its signatures are intact but not trusted."""
    return make_ca(
        root_name="Unknown Root CA", signer_name="Trần Thị Bình", organisation="Công ty Lạ"
    )


test_ca.__test__ = False


@functools.cache
def _test_root_file():
    folder = Path(tempfile.mkdtemp(prefix="partrack-test-roots-"))
    path = folder / "test-root.pem"
    path.write_bytes(test_ca().root_pem)
    return path


def trust_test_root(settings):
    """Install the test CA's root (pytest-django's `settings` fixture undoes it after the test)."""
    settings.PARTRACK_SIGNATURE_TRUST_ROOTS = str(_test_root_file())
    return _test_root_file()


def report_pdf():
    return REPORT_PDF.read_bytes()


def unsigned_pdf():
    return report_pdf()


@functools.cache
def signed_pdf(reason="Phê duyệt báo cáo"):
    """The report PDF signed once by the test CA's signer."""
    return sign_pdf(report_pdf(), test_ca(), reason=reason)


@functools.cache
def small_signed_pdf():
    """A one-page PDF (tests/files.py) signed by the test CA: small, for upload tests."""
    return sign_pdf(pdf_bytes(), test_ca())


@functools.cache
def signed_by_unknown_root():
    return sign_pdf(report_pdf(), unknown_ca())


def sign(data, ca=None, **kwargs):
    """`data` with one more signature (by the test CA unless `ca` is given)."""
    return sign_pdf(data, ca or test_ca(), **kwargs)


def signed_range(data):
    """The first signature's /ByteRange: (start1, length1, start2, length2)."""
    at = data.index(b"/ByteRange")
    inside = data[data.index(b"[", at) + 1 : data.index(b"]", at)]
    return tuple(int(number) for number in inside.split())


def tampered(data):
    """`data` with one byte of the signed content changed (the page's size), same length."""
    start1, length1, start2, length2 = signed_range(data)
    at = data.index(b"/MediaBox")
    assert start1 <= at < start1 + length1, "the page must lie inside the signed range"
    end = data.index(b"]", at)
    digit = end - 1
    while not data[digit : digit + 1].isdigit():
        digit -= 1
    changed = b"1" if data[digit : digit + 1] != b"1" else b"2"
    return data[:digit] + changed + data[digit + 1 :]


def modified_after_signing(data):
    """`data` with an incremental update that changes the first page's size: a change of
    content after signing, which pyHanko's modification analysis does not allow."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    page_ref, _ = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    page["/MediaBox"] = generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 300, 300)])
    writer.mark_update(page_ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
