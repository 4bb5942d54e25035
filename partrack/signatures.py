"""Check the digital signatures of a signed PDF (the issued report the office uploads).

Offices sign outside PARtrack with the agency's token (a certificate issued under Vietnam's
government CA, Ban Cơ yếu Chính phủ, or a licensed public CA under NEAC). PARtrack checks with
pyHanko, offline: every signature's integrity, what it covers (pyHanko's modification analysis
allows the incremental updates a later signature or form filling adds, nothing else), the
certificate chain up to a root the administrator installed (setting
PARTRACK_SIGNATURE_TRUST_ROOTS), and the certificate's validity at the signing time. Nothing is
fetched from the network (government networks are often closed), so revocation (OCSP/CRL) is
not checked and the summary says so.

`verify_pdf(data)` never raises on what a person uploads: garbage gives a result that says so.
"""

import asyncio
import concurrent.futures
import io
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import checks

logger = logging.getLogger(__name__)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# Files read from a trust-roots folder; anything else there (a README, a .txt) is skipped.
CERTIFICATE_SUFFIXES = (".pem", ".crt", ".cer", ".der")
# The demo's own CA root, trusted only when `partrack demo` made it (partrack/signatures_demo.py).
DEMO_DIR_NAME = "signatures-demo"

SUMMARY_UNREADABLE = "Không đọc được tệp PDF"
SUMMARY_UNSIGNED = "Tệp chưa được ký số"
SUMMARY_MODIFIED = "Chữ ký không hợp lệ: nội dung đã bị sửa sau khi ký"
SUMMARY_BAD_SIGNATURE = "Chữ ký không hợp lệ: chữ ký không khớp với chứng thư của người ký"
SUMMARY_UNTRUSTED = "Chứng thư của người ký không thuộc tổ chức chứng thực được tin cậy"
SUMMARY_EXPIRED = "Chứng thư của người ký không còn hiệu lực vào lúc ký"
SUMMARY_REVOKED = "Chứng thư của người ký đã bị thu hồi"
NO_ROOTS_NOTE = "chưa cài chứng thư gốc nào để đối chiếu"
REVOCATION_NOTE = "Chưa kiểm tra chứng thư có bị thu hồi hay không (không tra cứu trực tuyến)."


@dataclass(frozen=True)
class SignatureInfo:
    """One signature of the file, as the person checking it needs to see it."""

    field_name: str
    signer_name: str  # the certificate's common name (CN)
    organisation: str  # its unit and organisation ("OU, O"), "" when absent
    signed_at: datetime | None  # in Asia/Ho_Chi_Minh; the timestamp token's time when there is one
    timestamped: bool  # signed_at comes from a trusted timestamp (else the signer's own clock)
    intact: bool  # the signed bytes are unchanged and the signature matches the certificate
    trusted: bool  # the chain reaches an installed root, valid at signed_at
    covers_whole_file: bool  # nothing but allowed incremental updates came after it
    reason: str  # the /Reason the signer gave, "" when none
    problem: str = ""  # Vietnamese, "" when this signature is good

    @property
    def ok(self):
        return self.intact and self.trusted and self.covers_whole_file

    @property
    def signer(self):
        """ "Nguyễn Văn A (Sở Khoa học và Công nghệ)"."""
        if self.organisation and self.organisation != self.signer_name:
            return f"{self.signer_name} ({self.organisation})"
        return self.signer_name or "người ký không rõ tên"

    @property
    def signed_at_display(self):
        """ "dd/mm/yyyy HH:MM" in Vietnam time, "" when the signature carries no time."""
        return self.signed_at.strftime("%d/%m/%Y %H:%M") if self.signed_at else ""


@dataclass(frozen=True)
class SignatureCheck:
    """The verdict on a file: `ok` only if it has signatures and every one of them is good."""

    ok: bool
    signatures: tuple[SignatureInfo, ...] = ()
    summary: str = ""
    readable: bool = True  # False: not a PDF, or a PDF too damaged to read
    revocation_checked: bool = False  # never, for now: verification is offline
    details: tuple[str, ...] = field(default=(), compare=False)  # per-signature lines

    @property
    def signed(self):
        return bool(self.signatures)

    def as_dict(self):
        """A JSON-ready record of the check (to keep beside the uploaded file, e.g. a JSONField)."""
        return {
            "ok": self.ok,
            "summary": self.summary,
            "readable": self.readable,
            "revocation_checked": self.revocation_checked,
            "signatures": [
                {
                    "field_name": info.field_name,
                    "signer_name": info.signer_name,
                    "organisation": info.organisation,
                    "signed_at": info.signed_at.isoformat() if info.signed_at else None,
                    "timestamped": info.timestamped,
                    "intact": info.intact,
                    "trusted": info.trusted,
                    "covers_whole_file": info.covers_whole_file,
                    "reason": info.reason,
                    "problem": info.problem,
                }
                for info in self.signatures
            ],
        }


# --- Trust roots ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrustRoot:
    certificate: "asn1crypto.x509.Certificate"  # noqa: F821 - imported where used
    source: Path
    demo: bool = False

    @property
    def subject(self):
        return self.certificate.subject.human_friendly

    @property
    def not_before(self):
        return self.certificate["tbs_certificate"]["validity"]["not_before"].native

    @property
    def not_after(self):
        return self.certificate["tbs_certificate"]["validity"]["not_after"].native

    @property
    def sha256(self):
        return self.certificate.sha256.hex()


@dataclass(frozen=True)
class UnreadableRoot:
    source: Path
    error: str


def _certificates_in(data):
    """Every X.509 certificate in a PEM bundle or a DER file."""
    # asn1crypto (and pyHanko) are imported where used: every process starts without them.
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    if pem.detect(data):
        return [
            asn1_x509.Certificate.load(der)
            for kind, _headers, der in pem.unarmor(data, multiple=True)
            if kind == "CERTIFICATE"
        ]
    return [asn1_x509.Certificate.load(data)]


def _read_roots(path, *, demo=False):
    """(roots, unreadable) from a file or a folder of certificate files."""
    path = Path(path)
    if path.is_dir():
        files = sorted(
            p for p in path.iterdir() if p.is_file() and p.suffix.lower() in CERTIFICATE_SUFFIXES
        )
    elif path.is_file():
        files = [path]
    else:
        return [], [UnreadableRoot(path, "no such file or folder")]
    roots, unreadable = [], []
    for file in files:
        try:
            certificates = _certificates_in(file.read_bytes())
            for certificate in certificates:
                certificate.native  # parse it whole now: a broken file is reported, not used  # noqa: B018
            if not certificates:
                raise ValueError("no certificate in the file")
        except Exception as e:  # a bad file is reported by `partrack signature_roots`
            unreadable.append(UnreadableRoot(file, " ".join(str(e).split()) or type(e).__name__))
            continue
        roots.extend(TrustRoot(certificate, file, demo) for certificate in certificates)
    return roots, unreadable


@checks.register(checks.Tags.security, deploy=True)
def check_trust_roots(app_configs=None, **kwargs):
    """`partrack check --deploy`: a broken root file, or the demo's root trusted on a real server.

    No root at all is not reported here (an installation may start before it has them):
    `partrack signature_roots` says so and exits 1.
    """
    roots, unreadable = installed_roots()
    found = [
        checks.Warning(
            f"Cannot read the signature trust root {problem.source}: {problem.error}",
            hint="Run `partrack signature_roots`; replace or remove the file.",
            id="partrack.W101",
        )
        for problem in unreadable
    ]
    if any(root.demo for root in roots):
        found.append(
            checks.Warning(
                f"The demo's test CA is trusted ({demo_root_path()}).",
                hint="Delete that folder: its key is on disk and anyone may sign with it.",
                id="partrack.W103",
            )
        )
    return found


def demo_root_path():
    return Path(settings.VAR_DIR) / DEMO_DIR_NAME / "root.pem"


def installed_roots():
    """(roots, unreadable): the administrator's roots, and the demo's root if the demo made one."""
    roots, unreadable = [], []
    configured = getattr(settings, "PARTRACK_SIGNATURE_TRUST_ROOTS", "")
    if configured:
        roots, unreadable = _read_roots(configured)
    demo = demo_root_path()
    if demo.is_file():
        demo_roots, demo_unreadable = _read_roots(demo, demo=True)
        roots += demo_roots
        unreadable += demo_unreadable
    return roots, unreadable


def _as_asn1(certificate):
    """An asn1crypto certificate from PEM/DER bytes, a cryptography or an asn1crypto certificate."""
    from asn1crypto import x509 as asn1_x509

    if isinstance(certificate, asn1_x509.Certificate):
        return [certificate]
    if isinstance(certificate, bytes | bytearray):
        return _certificates_in(bytes(certificate))
    if hasattr(certificate, "public_bytes"):  # cryptography.x509.Certificate
        from cryptography.hazmat.primitives.serialization import Encoding

        return [asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))]
    raise TypeError(f"not a certificate: {type(certificate).__name__}")


# --- Verification -----------------------------------------------------------------------------


def _name_part(name, key):
    try:
        value = name.native.get(key)
    except Exception:
        return ""
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return str(value or "").strip()


def outside_event_loop(function):
    """`function()`, run in a thread of its own when this one runs an asyncio event loop:
    pyHanko's synchronous calls start a loop of their own (asyncio.run), which a running loop
    (an async server, a browser test's driver) forbids."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()


def _run(coroutine_factory):
    """Run pyHanko's async validation to the end, also when called from inside an event loop."""
    return outside_event_loop(lambda: asyncio.run(coroutine_factory()))


def _validate(embedded, roots):
    """pyHanko's status for one signature, with the chain checked at the signing time, offline."""
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    # Validity at signing time: a timestamp token's time when present (pyHanko uses it for the
    # signer's chain itself), else the time the signer's software wrote; now if it wrote none.
    # A time in the future (a wrong clock) is read as now.
    now = datetime.now(UTC)
    claimed = embedded.self_reported_timestamp
    moment = min(claimed, now) if claimed and claimed.tzinfo else now

    def context():
        return ValidationContext(
            trust_roots=list(roots),  # never the operating system's TLS roots
            allow_fetching=False,
            revocation_mode="soft-fail",
            moment=moment,
            best_signature_time=moment,
        )

    # Tokens issued in Vietnam carry digitalSignature and/or nonRepudiation: accept either.
    usage = KeyUsageConstraints(
        key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
    )
    return _run(
        lambda: async_validate_pdf_signature(
            embedded,
            signer_validation_context=context(),
            ts_validation_context=context(),
            key_usage_settings=usage,
        )
    )


def _covers_whole_file(status):
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return False
    # Later revisions: allowed only if pyHanko's diff analysis judged them harmless (another
    # signature, form filling, validation data) and within the signer's DocMDP permissions.
    level = status.modification_level
    return bool(level is not None and level != ModificationLevel.OTHER and status.docmdp_ok)


def _hybrid(embedded):
    """A leniently read file with hybrid cross-references: its signatures are not relied on."""
    reader = embedded.reader
    return bool(not reader.strict and reader.xrefs.hybrid_xrefs_present)


def _trust_problem(status, has_roots):
    from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate

    indication = status.trust_problem_indic
    if indication in (
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
        AdESIndeterminate.EXPIRED,
        AdESIndeterminate.NOT_YET_VALID,
        AdESFailure.NOT_YET_VALID,
    ):
        return SUMMARY_EXPIRED
    if indication in (
        AdESFailure.REVOKED,
        AdESIndeterminate.REVOKED_NO_POE,
        AdESIndeterminate.REVOKED_CA_NO_POE,
    ):
        return SUMMARY_REVOKED
    return SUMMARY_UNTRUSTED if has_roots else f"{SUMMARY_UNTRUSTED} ({NO_ROOTS_NOTE})"


def _info(embedded, roots):
    certificate = embedded.signer_cert
    subject = certificate.subject
    try:
        reason = str(embedded.sig_object.get("/Reason", "") or "")
    except Exception:
        reason = ""
    try:
        field_name = str(embedded.field_name or "")
    except Exception:
        field_name = ""
    status = _validate(embedded, roots)
    timestamp = status.timestamp_validity
    timestamped = bool(timestamp and timestamp.intact and timestamp.valid and timestamp.trusted)
    signed_at = timestamp.timestamp if timestamped else status.signer_reported_dt
    intact = bool(status.intact and status.valid)
    covers = _covers_whole_file(status) and not _hybrid(embedded)
    trusted = bool(status.trusted)
    if not status.intact or (status.valid and not covers):
        problem = SUMMARY_MODIFIED
    elif not status.valid:
        problem = SUMMARY_BAD_SIGNATURE
    elif not trusted:
        problem = _trust_problem(status, bool(roots))
    else:
        problem = ""
    return SignatureInfo(
        field_name=field_name,
        signer_name=_name_part(subject, "common_name"),
        # Government tokens name the department in OU and its parent body in O.
        organisation=", ".join(
            part
            for part in (
                _name_part(subject, "organizational_unit_name"),
                _name_part(subject, "organization_name"),
            )
            if part
        ),
        signed_at=signed_at.astimezone(VIETNAM) if signed_at and signed_at.tzinfo else None,
        timestamped=timestamped,
        intact=intact,
        trusted=trusted,
        covers_whole_file=covers,
        reason=reason,
        problem=problem,
    )


def _broken_signature(embedded, error):
    """A signature pyHanko could not even evaluate (a damaged CMS blob): counted, and not good."""
    logger.info("signature could not be evaluated: %s", error)
    try:
        field_name = str(embedded.field_name or "")
    except Exception:
        field_name = ""
    return SignatureInfo(
        field_name=field_name,
        signer_name="",
        organisation="",
        signed_at=None,
        timestamped=False,
        intact=False,
        trusted=False,
        covers_whole_file=False,
        reason="",
        problem=SUMMARY_MODIFIED,
    )


# The order in which problems speak for the whole file: the worst first.
PROBLEM_ORDER = (
    SUMMARY_MODIFIED,
    SUMMARY_BAD_SIGNATURE,
    SUMMARY_REVOKED,
    SUMMARY_EXPIRED,
)


def _summary(signatures):
    problems = [info.problem for info in signatures if info.problem]
    if problems:
        for known in PROBLEM_ORDER:
            if known in problems:
                return known
        return problems[0]
    who = "; ".join(
        f"{info.signer} ký lúc {info.signed_at_display}" if info.signed_at else info.signer
        for info in signatures
    )
    return f"Chữ ký số hợp lệ: {who}. {REVOCATION_NOTE}"


def _read(data):
    """(reader, signatures): strictly, as pyHanko's own validator does; leniently if need be.

    Office software sometimes writes small syntax errors, so a file strict parsing refuses is
    read leniently; but then a file with hybrid cross-reference sections (a known way to show
    one thing to the signer and another to the reader) has its signatures refused (`_info`).
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    def opened(strict):
        reader = PdfFileReader(io.BytesIO(data), strict=strict)
        if reader.encrypted:
            # Signed files are sometimes "protected" with an empty password to open them.
            from pyhanko.pdf_utils.crypt import AuthStatus

            if reader.decrypt(b"").status == AuthStatus.FAILED:
                raise ValueError("the PDF needs a password to open")
        return reader, list(reader.embedded_regular_signatures)

    try:
        return opened(strict=True)
    except Exception as e:
        logger.info("PDF refused by strict parsing, read leniently: %s", e)
        return opened(strict=False)


def verify_pdf(data, *, trust_roots=None):
    """Check every signature of the PDF `data` (bytes). Never raises on what it is given.

    `trust_roots`: certificates (PEM/DER bytes, cryptography or asn1crypto certificates) to use
    instead of the installed ones (`installed_roots()`).
    """
    if trust_roots is None:
        roots = [root.certificate for root in installed_roots()[0]]
    else:
        roots = [certificate for item in trust_roots for certificate in _as_asn1(item)]

    try:
        if isinstance(data, memoryview):
            data = data.tobytes()
        if not isinstance(data, bytes | bytearray) or not bytes(data[:1024]).lstrip().startswith(
            b"%PDF-"
        ):
            raise ValueError("not a PDF")
        reader, embedded_signatures = _read(bytes(data))
    except Exception as e:
        logger.info("unreadable PDF: %s", e)
        return SignatureCheck(ok=False, summary=SUMMARY_UNREADABLE, readable=False)
    if not embedded_signatures:
        return SignatureCheck(ok=False, summary=SUMMARY_UNSIGNED)
    signatures = []
    for embedded in embedded_signatures:
        try:
            signatures.append(_info(embedded, roots))
        except Exception as e:  # a signature pyHanko cannot parse is a broken one
            signatures.append(_broken_signature(embedded, e))
    signatures = tuple(signatures)
    return SignatureCheck(
        ok=all(info.ok for info in signatures),
        signatures=signatures,
        summary=_summary(signatures),
        details=tuple(
            f"{info.signer}"
            + (f", ký lúc {info.signed_at_display}" if info.signed_at else "")
            + f": {info.problem or 'hợp lệ'}"
            for info in signatures
        ),
    )


def require_valid_signature(data, *, trust_roots=None):
    """The check of `data`, or a ValidationError carrying its summary: for a form's clean_…().

    A file whose signature is broken, untrusted or missing is refused (issue #16: "refuses a
    file whose signature is broken").
    """
    from django.core.exceptions import ValidationError

    check = verify_pdf(data, trust_roots=trust_roots)
    if not check.ok:
        raise ValidationError(check.summary, code="signature")
    return check
