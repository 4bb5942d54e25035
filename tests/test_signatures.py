"""Checking the signatures of a signed PDF: what the office and Sở Nội vụ are told about a file."""

import asyncio
import http.server
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from cryptography.hazmat.primitives.serialization import Encoding
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from partrack import signatures, signatures_demo
from partrack.signatures import verify_pdf
from tests import signing
from tests.files import docx_bytes

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def trusted(settings, tmp_path):
    """The test CA's root installed; no demo root (var/ is empty)."""
    settings.VAR_DIR = tmp_path / "var"
    return signing.trust_test_root(settings)


def test_a_signed_report_is_valid_and_names_its_signer(trusted):
    check = verify_pdf(signing.signed_pdf())

    assert check.ok
    assert check.readable and check.signed
    [info] = check.signatures
    assert info.signer_name == "Nguyễn Văn An"
    assert info.organisation == "Sở Khoa học và Công nghệ tỉnh Phú Thọ"
    assert info.reason == "Phê duyệt báo cáo"
    assert info.intact and info.trusted and info.covers_whole_file and info.ok
    assert info.problem == ""
    assert check.summary.startswith(
        "Chữ ký số hợp lệ: Nguyễn Văn An (Sở Khoa học và Công nghệ tỉnh Phú Thọ) ký lúc "
    )
    # Offline: the person is told revocation was not checked.
    assert not check.revocation_checked
    assert "Chưa kiểm tra chứng thư có bị thu hồi" in check.summary


def test_the_check_keeps_as_json(trusted):
    with time_machine.travel(datetime(2026, 3, 5, 1, 15, 30, tzinfo=UTC), tick=False):
        data = signing.sign(signing.report_pdf())

    record = json.loads(json.dumps(verify_pdf(data).as_dict()))

    assert record["ok"] is True
    assert record["summary"].startswith("Chữ ký số hợp lệ: Nguyễn Văn An")
    assert record["signatures"][0]["signed_at"] == "2026-03-05T08:15:30+07:00"
    assert record["signatures"][0]["signer_name"] == "Nguyễn Văn An"
    assert verify_pdf(b"x").as_dict() == {
        "ok": False,
        "summary": "Không đọc được tệp PDF",
        "readable": False,
        "revocation_checked": False,
        "signatures": [],
    }


def test_the_signing_time_is_shown_in_vietnam_time(trusted):
    # 01:15 UTC on 5 March is 08:15 in Hà Nội.
    with time_machine.travel(datetime(2026, 3, 5, 1, 15, 30, tzinfo=UTC), tick=False):
        data = signing.sign(signing.report_pdf())

    check = verify_pdf(data)

    assert check.ok
    [info] = check.signatures
    assert info.signed_at == datetime(2026, 3, 5, 8, 15, 30, tzinfo=VIETNAM)
    assert info.signed_at.utcoffset().total_seconds() == 7 * 3600
    assert info.signed_at_display == "05/03/2026 08:15"
    assert "ký lúc 05/03/2026 08:15" in check.summary
    assert not info.timestamped  # the signer's own clock: no timestamp authority here


def test_a_timestamp_tokens_time_is_the_signing_time_shown(trusted):
    # The signer's clock says 02:00 UTC; the timestamp authority stamped 02:03 (09:03 in Hà Nội).
    with time_machine.travel(datetime(2026, 4, 1, 2, 0, tzinfo=UTC), tick=False):
        data = signing.sign(
            signing.report_pdf(),
            timestamper=signing.timestamper(datetime(2026, 4, 1, 2, 3, tzinfo=UTC)),
        )

    check = verify_pdf(data)

    assert check.ok, check.summary
    [info] = check.signatures
    assert info.timestamped
    assert info.signed_at == datetime(2026, 4, 1, 9, 3, tzinfo=VIETNAM)
    assert "ký lúc 01/04/2026 09:03" in check.summary


def test_a_government_style_name_shows_the_department_and_its_body(trusted):
    # Tokens for state bodies: CN the person, OU the department, O the body above it.
    ca = signing.make_ca(
        signer_name="Lê Thị Cúc", signer_unit="Sở Tư pháp", organisation="UBND tỉnh Phú Thọ"
    )

    check = verify_pdf(signing.sign(signing.report_pdf(), ca), trust_roots=[ca.root_pem])

    assert check.signatures[0].organisation == "Sở Tư pháp, UBND tỉnh Phú Thọ"
    assert "Chữ ký số hợp lệ: Lê Thị Cúc (Sở Tư pháp, UBND tỉnh Phú Thọ) ký lúc " in check.summary


def test_a_byte_changed_inside_the_signed_range_breaks_the_signature(trusted):
    signed = signing.signed_pdf()
    tampered = signing.tampered(signed)
    assert len(tampered) == len(signed) and tampered != signed

    check = verify_pdf(tampered)

    assert not check.ok
    [info] = check.signatures
    assert not info.intact
    assert info.problem == signatures.SUMMARY_MODIFIED
    assert check.summary == "Chữ ký không hợp lệ: nội dung đã bị sửa sau khi ký"


def test_content_changed_in_an_update_after_signing_is_refused(trusted):
    check = verify_pdf(signing.modified_after_signing(signing.signed_pdf()))

    assert not check.ok
    [info] = check.signatures
    # The signed bytes are untouched, but what came after them is not an allowed update.
    assert info.intact and info.trusted
    assert not info.covers_whole_file
    assert check.summary == signatures.SUMMARY_MODIFIED


def test_a_signer_under_an_unknown_root_is_not_trusted(trusted):
    check = verify_pdf(signing.signed_by_unknown_root())

    assert not check.ok
    [info] = check.signatures
    assert info.intact and info.covers_whole_file
    assert not info.trusted
    assert info.signer_name == "Trần Thị Bình"
    assert check.summary == ("Chứng thư của người ký không thuộc tổ chức chứng thực được tin cậy")


def test_with_no_root_installed_nothing_is_trusted_and_the_summary_says_why(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.PARTRACK_SIGNATURE_TRUST_ROOTS = ""

    check = verify_pdf(signing.signed_pdf())

    assert not check.ok
    assert check.summary.startswith(signatures.SUMMARY_UNTRUSTED)
    assert signatures.NO_ROOTS_NOTE in check.summary


def test_the_operating_systems_roots_are_never_used(settings, tmp_path):
    # An empty list given is an empty trust list, not "the system's TLS roots".
    settings.VAR_DIR = tmp_path
    check = verify_pdf(signing.signed_pdf(), trust_roots=[])
    assert not check.signatures[0].trusted


def test_trust_roots_can_be_given_directly(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.PARTRACK_SIGNATURE_TRUST_ROOTS = ""
    ca = signing.test_ca()
    for given_root in (ca.root_pem, ca.root_certificate.public_bytes(Encoding.DER)):
        assert verify_pdf(signing.signed_pdf(), trust_roots=[given_root]).ok
    assert verify_pdf(signing.signed_pdf(), trust_roots=[ca.root_certificate]).ok
    assert not verify_pdf(signing.signed_pdf(), trust_roots=[signing.unknown_ca().root_pem]).ok


def test_an_unsigned_pdf_is_said_to_be_unsigned(trusted):
    check = verify_pdf(signing.unsigned_pdf())

    assert not check.ok
    assert check.readable and not check.signed
    assert check.signatures == ()
    assert check.summary == "Tệp chưa được ký số"


def test_a_protected_pdf_with_an_empty_open_password_is_checked(trusted):
    protected = signing.protected(signing.report_pdf())
    assert verify_pdf(protected).summary == signatures.SUMMARY_UNSIGNED

    check = verify_pdf(signing.sign_protected(protected))

    assert check.ok, check.summary
    assert check.signatures[0].signer_name == "Nguyễn Văn An"


def test_a_pdf_that_needs_a_password_to_open_is_unreadable(trusted):
    check = verify_pdf(signing.protected(signing.report_pdf(), user_password="mat-khau"))

    assert not check.ok and not check.readable
    assert check.summary == signatures.SUMMARY_UNREADABLE


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a pdf at all",
        b"%PDF-1.7\n",
        b"%PDF-1.4\n" + b"\x00" * 500,
        pytest.param(docx_bytes(), id="docx"),
        pytest.param(signing.report_pdf()[:4000], id="truncated-unsigned"),
    ],
)
def test_what_is_not_a_readable_pdf_is_said_so_and_never_raises(trusted, data):
    check = verify_pdf(data)

    assert not check.ok
    assert not check.readable
    assert check.summary == "Không đọc được tệp PDF"


def test_a_truncated_signed_pdf_is_never_valid(trusted):
    signed = signing.signed_pdf()
    for cut in (len(signed) // 2, len(signed) - 200, len(signed) - 5):
        check = verify_pdf(signed[:cut])
        assert not check.ok
        assert check.summary in (
            signatures.SUMMARY_UNREADABLE,
            signatures.SUMMARY_UNSIGNED,
            signatures.SUMMARY_MODIFIED,
        )


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_a_mangled_signed_pdf_never_raises_and_is_never_valid(trusted, data):
    signed = bytearray(signing.small_signed_pdf())
    start1, length1, start2, length2 = signing.signed_range(bytes(signed))
    positions = data.draw(
        st.lists(st.integers(0, len(signed) - 1), min_size=1, max_size=4, unique=True)
    )
    for position in positions:
        signed[position] ^= data.draw(st.integers(1, 255))
    check = verify_pdf(bytes(signed))
    covered = [p for p in positions if p < start1 + length1 or p >= start2]
    if covered:
        assert not check.ok
    assert isinstance(check.summary, str) and check.summary


def test_two_good_signatures_are_both_listed(trusted):
    data = signing.sign(signing.signed_pdf(), reason="Ký ban hành")

    check = verify_pdf(data)

    assert check.ok
    first, second = check.signatures
    assert (first.field_name, second.field_name) == ("Signature1", "Signature2")
    # The first one covers its revision; the second signature is an allowed update after it.
    assert first.covers_whole_file and second.covers_whole_file
    assert second.reason == "Ký ban hành"
    assert check.summary.count("Nguyễn Văn An") == 2


def test_one_broken_signature_of_two_makes_the_file_not_ok(trusted):
    data = signing.sign(signing.signed_pdf(), signing.unknown_ca())

    check = verify_pdf(data)

    assert not check.ok
    first, second = check.signatures
    assert first.ok
    assert not second.trusted
    assert check.summary == signatures.SUMMARY_UNTRUSTED
    assert check.details[1].startswith("Trần Thị Bình (Công ty Lạ), ký lúc ")
    assert check.details[1].endswith(": " + signatures.SUMMARY_UNTRUSTED)
    assert check.details[0].endswith(": hợp lệ")


def test_the_second_signature_broken_leaves_the_first_intact_and_the_file_not_ok(trusted):
    twice = signing.sign(signing.signed_pdf(), reason="Ban hanh bao cao")
    at = twice.index(b"(Ban hanh bao cao)")
    _, _, start2, length2 = signing.signed_range(twice)
    assert at > start2 + length2  # in the second revision, outside what the first one signed
    broken = twice.replace(b"(Ban hanh bao cao)", b"(Ban hanh bao caX)")

    check = verify_pdf(broken)

    assert not check.ok
    first, second = check.signatures
    assert first.ok
    assert not second.intact
    assert check.summary == signatures.SUMMARY_MODIFIED


def test_tampering_under_two_signatures_breaks_both(trusted):
    check = verify_pdf(signing.tampered(signing.sign(signing.signed_pdf())))

    assert not check.ok
    assert [info.intact for info in check.signatures] == [False, False]
    assert check.summary == signatures.SUMMARY_MODIFIED


def test_the_certificate_is_checked_at_the_signing_time(trusted):
    # A token valid through 2021: a report signed in June 2021 stays valid after it expires;
    # one signed in 2023 with the expired certificate is not.
    ca = signing.make_ca(
        signer_not_before=datetime(2021, 1, 1, tzinfo=UTC),
        signer_not_after=datetime(2022, 1, 1, tzinfo=UTC),
        key_size=2048,
    )
    with time_machine.travel(datetime(2021, 6, 1, 2, 0, tzinfo=UTC), tick=False):
        in_time = signing.sign(signing.report_pdf(), ca)
    with time_machine.travel(datetime(2023, 6, 1, 2, 0, tzinfo=UTC), tick=False):
        too_late = signing.sign(signing.report_pdf(), ca)

    assert verify_pdf(in_time, trust_roots=[ca.root_pem]).ok
    late = verify_pdf(too_late, trust_roots=[ca.root_pem])
    assert not late.ok
    assert late.signatures[0].intact and not late.signatures[0].trusted
    assert late.summary == "Chứng thư của người ký không còn hiệu lực vào lúc ký"


def test_verification_never_goes_to_the_network_for_revocation(trusted):
    # The signer's certificate names an OCSP responder and a CRL on a local server; the check
    # must not ask either (government networks are closed), and must say it did not.
    asked = []

    class Responder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Responder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        ca = signing.make_ca(revocation_url=f"http://127.0.0.1:{server.server_port}")
        check = verify_pdf(signing.sign(signing.report_pdf(), ca), trust_roots=[ca.root_pem])
    finally:
        server.shutdown()
        server.server_close()

    assert asked == []
    assert check.ok
    assert not check.revocation_checked
    assert signatures.REVOCATION_NOTE in check.summary


def test_verification_works_from_inside_an_event_loop(trusted):
    async def check():
        return verify_pdf(signing.signed_pdf())

    # A thread of its own: after a browser test, this one already runs Playwright's loop.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, check()).result().ok


def test_a_form_refuses_a_file_whose_signature_is_not_valid(trusted):
    from django.core.exceptions import ValidationError

    assert signatures.require_valid_signature(signing.signed_pdf()).ok
    for data, summary in (
        (signing.tampered(signing.signed_pdf()), signatures.SUMMARY_MODIFIED),
        (signing.unsigned_pdf(), signatures.SUMMARY_UNSIGNED),
        (b"MZ", signatures.SUMMARY_UNREADABLE),
    ):
        with pytest.raises(ValidationError) as raised:
            signatures.require_valid_signature(data)
        assert raised.value.messages == [summary]
        assert raised.value.code == "signature"


# --- Installed roots and `partrack signature_roots` -------------------------------------------


def test_a_folder_of_pem_and_der_roots_is_read_and_other_files_skipped(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    folder = tmp_path / "roots"
    folder.mkdir()
    (folder / "test-root.pem").write_bytes(signing.test_ca().root_pem)
    (folder / "other-root.cer").write_bytes(
        signing.unknown_ca().root_certificate.public_bytes(Encoding.DER)
    )
    (folder / "README.txt").write_text("Chứng thư gốc của Ban Cơ yếu Chính phủ")
    settings.PARTRACK_SIGNATURE_TRUST_ROOTS = str(folder)

    roots, unreadable = signatures.installed_roots()

    assert sorted(root.source.name for root in roots) == ["other-root.cer", "test-root.pem"]
    assert unreadable == []
    assert verify_pdf(signing.signed_pdf()).ok
    assert verify_pdf(signing.signed_by_unknown_root()).ok


def test_a_pem_bundle_gives_every_certificate_in_it(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    bundle = tmp_path / "roots.pem"
    bundle.write_bytes(signing.unknown_ca().root_pem + signing.test_ca().root_pem)
    settings.PARTRACK_SIGNATURE_TRUST_ROOTS = str(bundle)

    roots, _ = signatures.installed_roots()

    assert len(roots) == 2
    assert verify_pdf(signing.signed_pdf()).ok


def test_signature_roots_lists_subject_and_validity(trusted, capsys):
    call_command("signature_roots")

    out = capsys.readouterr().out
    assert "PARtrack Test Root CA" in out
    assert (
        f"valid 2000-01-01 to {signing.test_ca().root_certificate.not_valid_after_utc:%Y-%m-%d}"
        in out
    )
    assert str(trusted) in out
    assert "1 trusted root(s)." in out


def test_signature_roots_fails_when_none_is_installed_or_a_file_is_broken(
    settings, tmp_path, capsys
):
    settings.VAR_DIR = tmp_path / "var"
    settings.PARTRACK_SIGNATURE_TRUST_ROOTS = ""
    with pytest.raises(CommandError, match="No root installed") as raised:
        call_command("signature_roots")
    assert raised.value.returncode == 1

    folder = tmp_path / "roots"
    folder.mkdir()
    (folder / "broken.pem").write_bytes(
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    )
    (folder / "good.crt").write_bytes(signing.test_ca().root_pem)
    settings.PARTRACK_SIGNATURE_TRUST_ROOTS = str(folder)
    with pytest.raises(CommandError, match="1 file"):
        call_command("signature_roots")
    captured = capsys.readouterr()
    assert "broken.pem" in captured.err
    assert "PARtrack Test Root CA" in captured.out
    # The broken file does not stop the good one from being used.
    assert verify_pdf(signing.signed_pdf()).ok

    settings.PARTRACK_SIGNATURE_TRUST_ROOTS = str(tmp_path / "missing")
    with pytest.raises(CommandError):
        call_command("signature_roots")


def test_the_deployment_check_warns_of_a_broken_root_and_of_the_demo_root(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    signing.trust_test_root(settings)
    assert signatures.check_trust_roots() == []

    broken = tmp_path / "broken.der"
    broken.write_bytes(b"not a certificate")
    settings.PARTRACK_SIGNATURE_TRUST_ROOTS = str(broken)
    assert [w.id for w in signatures.check_trust_roots()] == ["partrack.W101"]

    signing.trust_test_root(settings)

    signatures_demo.demo_ca()
    assert [w.id for w in signatures.check_trust_roots()] == ["partrack.W103"]


# --- The demo's certificate -------------------------------------------------------------------


def test_the_demo_ca_is_made_once_and_its_signature_is_trusted(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path / "var"
    settings.PARTRACK_SIGNATURE_TRUST_ROOTS = ""

    signed = signatures_demo.demo_sign_pdf(
        signatures_demo.demo_pdf(["Báo cáo kết quả CCHC quý I năm 2026", "Số: 12/BC-SKHCN"])
    )
    root = (tmp_path / "var" / "signatures-demo" / "root.pem").read_bytes()
    again = signatures_demo.demo_sign_pdf(signing.report_pdf())

    # Idempotent: the second call reuses the CA made by the first.
    assert (tmp_path / "var" / "signatures-demo" / "root.pem").read_bytes() == root
    key = tmp_path / "var" / "signatures-demo" / "signer.key"
    assert key.stat().st_mode & 0o777 == 0o600  # the demo's private key: its owner only
    assert "Bao cao ket qua CCHC quy I nam 2026" in signed.decode("latin-1")
    for data in (signed, again):
        check = verify_pdf(data)
        assert check.ok, check.summary
        assert "chứng thư thử nghiệm" in check.signatures[0].signer_name
    call_command("signature_roots")
    assert "(demo)" in capsys.readouterr().out

    # Without the demo's folder its root is no longer trusted.
    for path in (tmp_path / "var" / "signatures-demo").iterdir():
        path.unlink()
    assert not verify_pdf(signed).ok
