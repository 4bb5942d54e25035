"""DEMO AND TESTS ONLY: a made-up certificate authority that signs PDFs as an office's token does.

A real office signs its report outside PARtrack with the agency's token (a certificate issued
under the government CA); PARtrack only checks signatures (partrack/signatures.py). The demo
needs one issued report that is signed, so `demo_sign_pdf(data)` signs with a CA made once
under the instance's var/ folder (var/signatures-demo/: root.pem, signer.pem, signer.key).
While var/signatures-demo/root.pem exists, that root is trusted like an installed one, and
`partrack signature_roots` lists it marked "demo": delete the folder to stop trusting it. The
key is kept unencrypted on disk, which is why this is never for real documents.

The tests build their CAs with the same `make_ca` (tests/signing.py).
"""

import functools
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings

from partrack.signatures import outside_event_loop

DEMO_ORGANISATION = "Sở Khoa học và Công nghệ tỉnh Phú Thọ (chứng thư thử nghiệm)"
DEMO_SIGNER = "Giám đốc Sở (chứng thư thử nghiệm PARtrack)"


@dataclass(frozen=True)
class TestCA:
    """A root, and a signer certificate it issued with that signer's private key."""

    root_certificate: object  # cryptography.x509.Certificate
    root_key: object
    signer_certificate: object
    signer_key: object

    __test__ = False  # not a pytest test class, despite its name

    @property
    def root_pem(self):
        from cryptography.hazmat.primitives.serialization import Encoding

        return self.root_certificate.public_bytes(Encoding.PEM)

    def signer(self):
        """pyHanko's signer for this CA's signer certificate, embedding the root in the CMS."""
        from asn1crypto import keys
        from asn1crypto import x509 as asn1_x509
        from cryptography.hazmat.primitives.serialization import (
            Encoding,
            NoEncryption,
            PrivateFormat,
        )
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        root = asn1_x509.Certificate.load(self.root_certificate.public_bytes(Encoding.DER))
        return _held_key_signer_class()(
            self.signer_key,
            signing_cert=asn1_x509.Certificate.load(
                self.signer_certificate.public_bytes(Encoding.DER)
            ),
            signing_key=keys.PrivateKeyInfo.load(
                self.signer_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
            ),
            cert_registry=SimpleCertificateStore.from_certs([root]),
        )


@functools.cache
def _held_key_signer_class():
    # Made on first use: importing pyHanko takes seconds, and the demo's module is imported early.
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class HeldKeySigner(signers.SimpleSigner):
        """pyHanko's SimpleSigner, signing with the key already loaded: pyHanko would reload
        (and re-check) the RSA key for every signature, most of the time a signature takes."""

        def __init__(self, private_key, **kwargs):
            super().__init__(**kwargs)
            self.private_key = private_key

        def sign_raw(self, data, digest_algorithm):
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if mechanism.signature_algo == "rsassa_pkcs1v15":
                hash_algo = get_pyca_cryptography_hash(digest_algorithm)
                return self.private_key.sign(data, PKCS1v15(), hash_algo)
            return super().sign_raw(data, digest_algorithm)

    return HeldKeySigner


def _name(common_name, organisation, unit=""):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def make_ca(
    *,
    root_name="PARtrack Test Root CA",
    signer_name="Nguyễn Văn An",
    organisation="Sở Khoa học và Công nghệ tỉnh Phú Thọ",
    signer_not_before=None,
    signer_not_after=None,
    key_size=2048,
    revocation_url=None,
    signer_unit="",
):
    """A root CA and one signer certificate (RSA, SHA-256), as a token's certificate is made."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa

    now = datetime.now(UTC)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    root_subject = _name(root_name, "PARtrack")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_subject)
        .issuer_name(root_subject)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime(2000, 1, 1, tzinfo=UTC))
        .not_valid_after(now + timedelta(days=365 * 30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), False)
        .sign(root_key, hashes.SHA256())
    )
    signer, signer_key = issue_certificate(
        root,
        root_key,
        common_name=signer_name,
        organisation=organisation,
        unit=signer_unit,
        not_before=signer_not_before,
        not_after=signer_not_after,
        key_size=key_size,
        revocation_url=revocation_url,
    )
    return TestCA(root, root_key, signer, signer_key)


def issue_certificate(
    root,
    root_key,
    *,
    common_name,
    organisation="",
    unit="",
    not_before=None,
    not_after=None,
    key_size=2048,
    time_stamping=False,
    revocation_url=None,
):
    """(certificate, key): an end-entity certificate issued by `root`, for signing documents
    (digitalSignature + nonRepudiation) or, with `time_stamping`, for a timestamp authority."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation, unit))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or datetime(2000, 1, 1, tzinfo=UTC))
        .not_valid_after(not_after or datetime.now(UTC) + timedelta(days=365 * 20))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                # nonRepudiation, as the tokens for documents carry
                content_commitment=not time_stamping,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
    )
    if revocation_url:
        # Where a validator that goes online would ask: PARtrack never does (tests check it).
        builder = builder.add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(f"{revocation_url}/ocsp"),
                    )
                ]
            ),
            critical=False,
        ).add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(f"{revocation_url}/root.crl")],
                        None,
                        None,
                        None,
                    )
                ]
            ),
            critical=False,
        )
    if time_stamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return builder.sign(root_key, hashes.SHA256()), key


def sign_pdf(data, ca, *, reason="Phê duyệt báo cáo", field_name=None, timestamper=None):
    """`data` (PDF bytes) with one more signature by `ca`'s signer, as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import enumerate_sig_fields

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    if field_name is None:
        taken = {name for name, *_ in enumerate_sig_fields(writer.prev, filled_status=None)}
        field_name = next(f"Signature{n}" for n in range(1, 1000) if f"Signature{n}" not in taken)
    out = outside_event_loop(
        lambda: signers.sign_pdf(
            writer,
            signers.PdfSignatureMetadata(field_name=field_name, reason=reason),
            signer=ca.signer(),
            timestamper=timestamper,
        )
    )
    return out.getvalue()


# --- The demo's CA, kept under var/ -----------------------------------------------------------


def demo_dir():
    return Path(settings.VAR_DIR) / "signatures-demo"


def demo_ca():
    """The demo's CA: made on first use under var/signatures-demo/, then read back (idempotent)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        load_pem_private_key,
    )

    folder = demo_dir()
    paths = {name: folder / name for name in ("root.pem", "signer.pem", "signer.key")}
    if all(path.is_file() for path in paths.values()):
        return TestCA(
            root_certificate=x509.load_pem_x509_certificate(paths["root.pem"].read_bytes()),
            root_key=None,  # not kept: the demo never issues another certificate
            signer_certificate=x509.load_pem_x509_certificate(paths["signer.pem"].read_bytes()),
            signer_key=load_pem_private_key(paths["signer.key"].read_bytes(), password=None),
        )
    ca = make_ca(
        root_name="PARtrack Demo Root CA (chỉ dùng thử)",
        signer_name=DEMO_SIGNER,
        organisation=DEMO_ORGANISATION,
    )
    folder.mkdir(parents=True, exist_ok=True)
    # The root last: it is what makes the demo trusted, and only a whole set is read back.
    for name, content in (
        (
            "signer.key",
            ca.signer_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()),
        ),
        ("signer.pem", ca.signer_certificate.public_bytes(Encoding.PEM)),
        ("root.pem", ca.root_certificate.public_bytes(Encoding.PEM)),
    ):
        partial = folder / f"{name}.partial"
        partial.write_bytes(content)
        if name == "signer.key":
            partial.chmod(0o600)
        partial.replace(paths[name])
    return ca


def demo_sign_pdf(data, *, reason="Ký ban hành báo cáo (chứng thư thử nghiệm)"):
    """DEMO ONLY: `data` signed with the demo's test certificate (made once under var/)."""
    return sign_pdf(data, demo_ca(), reason=reason)


def demo_pdf(lines):
    """DEMO ONLY: a one-page A4 PDF showing `lines`, for the demo's signed report.

    PARtrack writes reports as DOCX; an office turns them into PDF with its word processor
    before signing. The demo has no word processor, so it writes this stand-in: the standard
    Helvetica font has no Vietnamese letters, so accents are dropped ("Báo cáo" → "Bao cao").
    """
    import unicodedata

    def plain(text):
        text = text.replace("đ", "d").replace("Đ", "D")
        folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return folded.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = (
        "BT /F1 12 Tf 16 TL 72 770 Td " + " ".join(f"({plain(line)}) '" for line in lines) + " ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content.encode()),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
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
