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

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings

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
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        root = asn1_x509.Certificate.load(self.root_certificate.public_bytes(Encoding.DER))
        return signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(
                self.signer_certificate.public_bytes(Encoding.DER)
            ),
            signing_key=keys.PrivateKeyInfo.load(
                self.signer_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
            ),
            cert_registry=SimpleCertificateStore.from_certs([root]),
        )


def _name(common_name, organisation):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
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
    signer_key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    signer = (
        x509.CertificateBuilder()
        .subject_name(_name(signer_name, organisation))
        .issuer_name(root_subject)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(signer_not_before or datetime(2000, 1, 1, tzinfo=UTC))
        .not_valid_after(signer_not_after or now + timedelta(days=365 * 20))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation, as tokens for documents carry
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
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(signer_key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .sign(root_key, hashes.SHA256())
    )
    return TestCA(root, root_key, signer, signer_key)


def sign_pdf(data, ca, *, reason="Phê duyệt báo cáo", field_name=None):
    """`data` (PDF bytes) with one more signature by `ca`'s signer, as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import enumerate_sig_fields

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    if field_name is None:
        taken = {name for name, *_ in enumerate_sig_fields(writer.prev, filled_status=None)}
        field_name = next(f"Signature{n}" for n in range(1, 1000) if f"Signature{n}" not in taken)
    out = signers.sign_pdf(
        writer,
        signers.PdfSignatureMetadata(field_name=field_name, reason=reason),
        signer=ca.signer(),
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
