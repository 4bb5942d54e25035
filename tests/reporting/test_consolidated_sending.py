"""The signed PDF of an issued report, and sending it: verified on upload (a broken or missing
signature is refused and nothing changes), delivered to the inboxes of the bodies in this
PARtrack with the time they received it, e-mailed to the others with the PDF attached, never
twice, and through a mail server that fails midway without resending what went."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError
from django.utils import timezone

from partrack.reporting import dispatch
from partrack.reporting.models import (
    ConsolidatedReport,
    Notification,
    OutgoingEmail,
    ReportDelivery,
    SignedReport,
)
from partrack.reporting.outbox import MailServerDown, deliver
from tests import signing
from tests.conftest import client_as
from tests.failing_database import fails_at_write
from tests.reporting.chain_support import (
    chain_world,
    page,
    refreshed,
    send,
    up_to_issued,
    up_to_sent,
    upload,
)
from tests.reporting.smtp_server import SMTPServer

pytestmark = pytest.mark.django_db
Status = ConsolidatedReport.Status
AT = "2026-03-18 10:00 +07:00"


@pytest.fixture
def chain(world, settings, monkeypatch):
    with time_machine.travel(AT, tick=True):
        yield chain_world(world, settings, monkeypatch)


@pytest.fixture
def smtp(settings):
    server = SMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def messages_of(response):
    """The messages the response set (those of earlier, unfollowed redirects come first)."""
    return [str(m) for m in response.wsgi_request._messages]


def test_the_recipients_are_matched_to_bodies_of_this_partrack(chain):
    world = chain
    found = {r.line: r for r in dispatch.recipients_of(world.report)}
    assert found["Sở Nội vụ (b/c)"].agency == world.province
    assert found["Sở Nội vụ (b/c)"].unit == world.snv
    assert found["UBND tỉnh (b/c)"].agency == world.province
    assert found["UBND tỉnh (b/c)"].unit is None
    assert found["Sở Tư pháp (để phối hợp)"].agency == world.other_agency
    assert found["Bộ Nội vụ (để b/c)"].by_email
    assert found["Văn phòng Chính phủ"].by_email
    assert found["GĐ, các PGĐ Sở"].own and found["Lưu: VT, VP."].own


@pytest.mark.parametrize(
    "make, refusal",
    [
        (lambda: signing.tampered(signing.signed_pdf()), "nội dung đã bị sửa"),
        (lambda: signing.modified_after_signing(signing.small_signed_pdf()), "bị sửa"),
        (signing.unsigned_pdf, "Tệp chưa được ký số"),
        (lambda: b"not a pdf at all", "Không đọc được tệp PDF"),
    ],
    ids=["tampered", "changed-after-signing", "unsigned", "not-a-pdf"],
)
def test_a_file_whose_signature_is_broken_or_missing_is_refused_and_nothing_changes(
    chain, make, refusal
):
    world = chain
    office, _leader = up_to_issued(world)
    assert upload(office, world, signing.small_signed_pdf()).status_code == 302
    kept = SignedReport.objects.get()
    response = upload(office, world, make(), name="ban-sua.pdf")
    assert response.status_code == 302
    message = messages_of(response)[-1]
    assert message.startswith("Không nhận tệp “ban-sua.pdf”:") and refusal in message
    assert "Báo cáo vẫn giữ nguyên như trước." in message
    # The report keeps its status and its previous signed file; no file was written.
    assert list(SignedReport.objects.all()) == [kept]
    assert refreshed(world).status == Status.ISSUED
    assert [a for (a,) in refreshed(world).steps.values_list("action")][-1] == "signed"


def test_a_valid_signed_pdf_is_kept_and_its_verification_shown(chain):
    world = chain
    office, leader = up_to_issued(world)
    data = signing.small_signed_pdf()
    # Before issue and for anyone but the office it is refused.
    for user in (world.leader, world.lead_member, world.snv_desk, world.outsider):
        assert upload(world.client(user), world, data).status_code in (403, 404)
    assert upload(office, world, data).status_code == 302
    signed = SignedReport.objects.get()
    assert signed.sha256 == hashlib.sha256(data).hexdigest()
    assert signed.file.read() == data
    assert signed.verification["ok"] and signed.trusted
    [signature] = signed.verification["signatures"]
    assert signature["signer"].startswith(signing.SIGNER_NAME) and signature["intact"]
    html = leader.get(page(world.q1)).content.decode()
    verification = html.split('id="verification"')[1].split("</div>")[0]
    assert "Chữ ký số hợp lệ" in verification and "nội dung nguyên vẹn" in verification
    assert "chứng thư tin cậy" in verification
    assert Notification.objects.filter(
        user=world.leader, kind=Notification.Kind.CONSOLIDATED_SIGNED
    ).exists()
    # Its download is byte for byte.
    link = html.split('id="signed-link" href="')[0].rsplit('<a href="', 1)[1].split('"')[0]
    response = leader.get(link)
    assert b"".join(response.streaming_content) == data


def test_an_intact_signature_from_an_unknown_root_is_kept_but_shown_as_not_trusted(chain):
    world = chain
    office, _leader = up_to_issued(world)
    assert upload(office, world, signing.signed_by_unknown_root()).status_code == 302
    signed = SignedReport.objects.get()
    assert not signed.trusted
    html = office.get(page(world.q1)).content.decode()
    assert "chứng thư chưa được xác nhận tin cậy" in html


def test_sending_delivers_to_inboxes_and_e_mails_the_others_once(chain):
    world = chain
    office, _leader = up_to_issued(world)
    # Not before the signed PDF is there.
    send(office, world)
    assert refreshed(world).status == Status.ISSUED and not ReportDelivery.objects.exists()
    upload(office, world, signing.small_signed_pdf())
    html = office.get(page(world.q1)).content.decode()
    form = html.split('id="send"')[1]
    assert "gửi vào Văn bản đến của Sở Nội vụ (UBND tỉnh)" in form
    assert "nội bộ cơ quan" in form and 'name="email-3"' in form
    # An e-mail is needed for every recipient outside PARtrack.
    response = send(office, world, {3: "vp@bnv.gov.vn", 4: ""})
    assert "Hãy nhập địa chỉ thư điện tử hợp lệ của “Văn phòng Chính phủ”." in messages_of(response)
    assert refreshed(world).status == Status.ISSUED
    # Only the office sends.
    for user in (world.leader, world.lead_member, world.snv_desk, world.outsider):
        assert send(world.client(user), world).status_code in (403, 404)
    assert send(client_as(None), world).status_code == 302
    assert not ReportDelivery.objects.exists()

    assert send(office, world).status_code == 302
    report = refreshed(world)
    assert report.status == Status.SENT and report.sent_at is not None
    assert list(ConsolidatedReport.objects.sent()) == [report]
    deliveries = {d.recipient: d for d in ReportDelivery.objects.all()}
    assert set(deliveries) == {
        "Sở Nội vụ (b/c)",
        "UBND tỉnh (b/c)",
        "Sở Tư pháp (để phối hợp)",
        "Bộ Nội vụ (để b/c)",
        "Văn phòng Chính phủ",
    }
    mails = OutgoingEmail.objects.filter(key__startswith="report-delivery:")
    assert sorted(mails.values_list("to", flat=True)) == ["vp@bnv.gov.vn", "vp@chinhphu.vn"]
    assert all(mail.attachment == report.signed_files.get().file.name for mail in mails)
    # Sở Nội vụ's desk (at the province) and Sở Tư pháp's office are told it came in.
    assert Notification.objects.filter(
        user=world.snv_desk, kind=Notification.Kind.REPORT_ARRIVED
    ).exists()
    assert Notification.objects.filter(
        user=world.outsider, kind=Notification.Kind.REPORT_ARRIVED
    ).exists()
    # Sending again, twice, sends nothing more.
    send(office, world)
    dispatch.send_report(report=report, by=world.coordinator, addresses={})
    assert ReportDelivery.objects.count() == 5 and mails.count() == 2
    assert report.steps.filter(action="sent").count() == 1
    html = office.get(page(world.q1)).content.decode()
    assert html.count("chưa nhận") == 3 and html.count("thư đang chờ gửi") == 2


def test_the_inbox_receives_at_first_opening_and_the_sender_sees_it(
    chain, django_assert_max_num_queries
):
    world = chain
    office, _leader = up_to_sent(world)
    desk = world.client(world.snv_desk)
    with django_assert_max_num_queries(8):
        response = desk.get("/van-ban-den/")
    html = response.content.decode()
    # One line for the report, though the province got it as "Sở Nội vụ" and "UBND tỉnh".
    assert html.count("data-delivery=") == 1
    assert "Báo cáo số 05/BC-SKHCN ngày 18/03/2026 của Sở KH&amp;CN" in html
    assert "chưa mở" in html
    delivery = ReportDelivery.objects.get(recipient="Sở Nội vụ (b/c)")
    # Whoever may not read the province's inbox gets nothing, and receives nothing.
    for user in (world.snv_member, world.coordinator, world.leader, world.other_leader):
        assert world.client(user).get(delivery.get_absolute_url()).status_code == 404
    assert world.client(world.snv_member).get("/van-ban-den/").status_code == 403
    assert client_as(None).get(delivery.get_absolute_url()).status_code == 302
    assert not ReportDelivery.objects.filter(received_at__isnull=False).exists()

    # The first opening writes the receipt, its history line and the sender's notifications.
    with django_assert_max_num_queries(22):
        response = desk.get(delivery.get_absolute_url())
    assert response.status_code == 200
    first = ReportDelivery.objects.get(pk=delivery.pk)
    assert first.received_by == world.snv_desk and first.received_at is not None
    # Both lines to the province are received by that opening; Sở Tư pháp's is not.
    assert (
        ReportDelivery.objects.filter(agency=world.province, received_at=first.received_at).count()
        == 2
    )
    assert ReportDelivery.objects.get(agency=world.other_agency).received_at is None
    # A second opening, by another person of the province, changes nothing.
    province_viewer = world.client(world.province_viewer)
    with django_assert_max_num_queries(9):
        province_viewer.get(delivery.get_absolute_url())
    assert ReportDelivery.objects.get(pk=delivery.pk).received_at == first.received_at
    assert refreshed(world).steps.filter(action="received").count() == 1
    # The sender sees when it was received; its office is told.
    html = office.get(page(world.q1)).content.decode()
    at = timezone.localtime(first.received_at).strftime("%d/%m/%Y %H:%M")
    assert f"đã gửi — đã nhận lúc {at} (Nguyễn Sonoivu)" in html
    assert Notification.objects.filter(
        user=world.coordinator, kind=Notification.Kind.REPORT_RECEIVED
    ).exists()
    # The signed file, for the recipient.
    response = desk.get(f"{delivery.get_absolute_url()}tep/")
    assert b"".join(response.streaming_content) == signing.small_signed_pdf()
    # The other agency reads only its own line.
    outsider = world.client(world.outsider)
    assert outsider.get(delivery.get_absolute_url()).status_code == 404
    other = ReportDelivery.objects.get(agency=world.other_agency)
    assert outsider.get(other.get_absolute_url()).status_code == 200


def test_a_mail_server_failing_midway_sends_the_rest_later_and_nothing_twice(chain, smtp):
    world = chain
    world.agency.report_recipients = ["Sở Nội vụ (b/c)", "A", "B", "C"]
    world.agency.save(update_fields=["report_recipients"])
    office, _leader = up_to_issued(world)
    upload(office, world, signing.small_signed_pdf())
    # Everything else queued so far (notifications) goes first, so that only the reports remain.
    smtp.start()
    deliver(now=timezone.now())
    smtp.mailbox.received.clear()
    smtp.mailbox.messages.clear()
    send(office, world, {1: "a@example.vn", 2: "b@example.vn", 3: "c@example.vn"})
    report_mails = OutgoingEmail.objects.filter(key__startswith="report-delivery:")
    assert report_mails.count() == 3
    OutgoingEmail.objects.exclude(key__startswith="report-delivery:").update(status="sent")
    smtp.mailbox.seen = 0
    smtp.mailbox.drop_at = 2  # the second message: the server hangs up
    with pytest.raises(MailServerDown):
        deliver(now=timezone.now())
    assert len(smtp.mailbox.received) == 1
    assert report_mails.filter(status="sent").count() == 1
    smtp.mailbox.drop_at = None
    deliver(now=timezone.now() + timedelta(hours=1))
    assert sorted(smtp.mailbox.recipients()) == ["a@example.vn", "b@example.vn", "c@example.vn"]
    assert report_mails.filter(status="sent").count() == 3
    # The signed PDF travels attached, byte for byte.
    for message in smtp.mailbox.messages:
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_content() == signing.small_signed_pdf()
        assert "05/BC-SKHCN" in str(message["subject"])
    html = office.get(page(world.q1)).content.decode()
    assert html.count("thư đã gửi lúc") == 3


def test_the_admin_shows_the_history_and_the_recipients_read_only(chain, admin_client):
    world = chain
    up_to_sent(world)
    response = admin_client.get(f"/quan-tri/reporting/consolidatedreport/{world.report.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bộ Nội vụ (để b/c)" in html and "vp@bnv.gov.vn" in html
    assert "Gửi nơi nhận" in html and 'name="recipient"' not in html


def test_every_step_is_notified_in_the_app_and_by_e_mail_to_whom_it_concerns(chain):
    world = chain
    office, leader = up_to_sent(world)
    world.client(world.snv_desk).get(
        ReportDelivery.objects.filter(agency=world.province)[0].get_absolute_url()
    )
    Kind = Notification.Kind
    expected = {
        (world.leader, Kind.CONSOLIDATED_PENDING),
        (world.coordinator, Kind.CONSOLIDATED_APPROVED),
        (world.leader, Kind.CONSOLIDATED_ISSUED),
        (world.leader, Kind.CONSOLIDATED_SIGNED),
        (world.leader, Kind.CONSOLIDATED_SENT),
        (world.snv_desk, Kind.REPORT_ARRIVED),
        (world.outsider, Kind.REPORT_ARRIVED),
        (world.coordinator, Kind.REPORT_RECEIVED),
    }
    for user, kind in expected:
        note = Notification.objects.get(user=user, kind=kind)
        assert note.email is not None and note.email.to == user.email, (user, kind)
    # Nobody is told of their own step, nor of another agency's report.
    assert not Notification.objects.filter(user=world.leader, kind=Kind.CONSOLIDATED_APPROVED)
    assert not Notification.objects.filter(user=world.coordinator, kind=Kind.CONSOLIDATED_ISSUED)
    assert not Notification.objects.filter(user=world.other_leader).exists()
    assert not Notification.objects.filter(user=world.province_viewer).exists()


# The database failing midway.


def what_was_written(world):
    """Everything sending or receiving writes, as a person would count it afterwards."""
    report = refreshed(world)
    return {
        "status": report.status,
        "sent_at": report.sent_at,
        "steps": list(report.steps.values_list("action", flat=True)),
        "deliveries": list(ReportDelivery.objects.values_list("recipient", "received_at")),
        "mails": sorted(OutgoingEmail.objects.values_list("key", "to")),
        "notifications": sorted(Notification.objects.values_list("user_id", "kind")),
    }


def test_sending_while_the_database_fails_shows_the_vietnamese_page_and_changes_nothing(chain):
    world = chain
    office, _leader = up_to_issued(world)
    upload(office, world, signing.small_signed_pdf())
    before = what_was_written(world)
    with fails_at_write(2) as failure:
        response = send(office, world)
    assert failure.fired
    assert response.status_code == 503
    html = response.content.decode()
    assert "Tạm thời không kết nối được cơ sở dữ liệu" in html
    assert "vp@chinhphu.vn" in html  # what the office typed, to copy
    assert what_was_written(world) == before
    assert send(office, world).status_code == 302
    assert refreshed(world).status == Status.SENT


def test_the_database_failing_at_any_write_of_sending_leaves_nothing_and_the_retry_sends_once(
    chain,
):
    world = chain
    office, _leader = up_to_issued(world)
    upload(office, world, signing.small_signed_pdf())
    before = what_was_written(world)
    report = refreshed(world)
    addresses = {"Bộ Nội vụ (để b/c)": "vp@bnv.gov.vn", "Văn phòng Chính phủ": "vp@chinhphu.vn"}
    # Fail the first write, then the second, … until a run gets through: that run is the retry.
    write = 1
    while True:
        with fails_at_write(write) as failure:
            try:
                dispatch.send_report(report=report, by=world.coordinator, addresses=addresses)
            except OperationalError:
                assert failure.fired
        if not failure.fired:
            break
        assert what_was_written(world) == before, f"write {write} failed"
        write += 1
    assert write > 10  # deliveries, e-mails, the status, the history, the notifications
    after = what_was_written(world)
    assert after["status"] == Status.SENT
    assert after["steps"].count("sent") == 1
    assert len(after["deliveries"]) == 5
    assert [to for key, to in after["mails"] if key.startswith("report-delivery:")] == [
        "vp@bnv.gov.vn",
        "vp@chinhphu.vn",
    ]
    # Once sent, sending again adds nothing.
    dispatch.send_report(report=refreshed(world), by=world.coordinator, addresses=addresses)
    assert what_was_written(world) == after


def test_the_database_failing_at_any_write_of_a_receipt_leaves_it_unreceived_until_it_works(
    chain,
):
    world = chain
    up_to_sent(world)
    delivery = ReportDelivery.objects.get(recipient="Sở Nội vụ (b/c)")
    desk = world.client(world.snv_desk)
    before = what_was_written(world)
    write = 1
    while True:
        with fails_at_write(write) as failure:
            response = desk.get(delivery.get_absolute_url())
        if not failure.fired:
            break
        assert response.status_code == 503
        assert "Tạm thời không kết nối được cơ sở dữ liệu" in response.content.decode()
        assert what_was_written(world) == before, f"write {write} failed"
        write += 1
    assert write > 2  # the receipt, its history line, the sender's notifications
    assert response.status_code == 200
    after = what_was_written(world)
    assert after["steps"].count("received") == 1
    received = [at for line, at in after["deliveries"] if at is not None]
    assert len(received) == 2  # both lines to the province, at once
    assert (world.coordinator.pk, Notification.Kind.REPORT_RECEIVED) in after["notifications"]
    # A later opening changes nothing.
    assert desk.get(delivery.get_absolute_url()).status_code == 200
    assert what_was_written(world) == after
