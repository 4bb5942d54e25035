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

from partrack.signatures import outside_event_loop
from partrack.signatures_demo import issue_certificate, make_ca, sign_pdf
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


@functools.cache
def _tsa():
    ca = test_ca()
    return issue_certificate(
        ca.root_certificate,
        ca.root_key,
        common_name="PARtrack Test Time Stamping Authority",
        organisation="PARtrack",
        time_stamping=True,
    )


def timestamper(at=None):
    """A timestamp authority under the test CA's root (pyHanko's in-process one), stamping `at`
    (an aware datetime) or the current time."""
    from asn1crypto import keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )
    from pyhanko.sign.timestamps import DummyTimeStamper

    certificate, key = _tsa()
    root = asn1_x509.Certificate.load(test_ca().root_certificate.public_bytes(Encoding.DER))
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(
            key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        ),
        certs_to_embed=[root],
        fixed_dt=at,
    )


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


def protected(data, *, user_password="", owner_password="owner-secret"):
    """`data` encrypted as "protected" PDFs are: opening needs `user_password` (often empty)."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(data)))
    writer.encrypt(owner_password, user_password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign_protected(data, ca=None, *, owner_password="owner-secret"):
    """A protected PDF signed by its owner (who knows the owner password), as offices do."""
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    writer.encrypt(owner_password)
    return outside_event_loop(
        lambda: signers.sign_pdf(
            writer,
            signers.PdfSignatureMetadata(field_name="Signature1"),
            signer=(ca or test_ca()).signer(),
        )
    ).getvalue()
