"""The outbox: every e-mail PARtrack sends is first a row, written with what it announces.

Queueing happens inside the caller's transaction, so a rolled-back notification leaves no e-mail
and a committed one always has its e-mail. Sending is a later step (`deliver`, run by
`send_reminders`): each message is claimed, sent, and marked sent one at a time, so a crash or a
mail server that goes away loses nothing and re-sends at most the one message in flight.
"""

import smtplib
import socket
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from partrack import files
from partrack.reporting.models import OutgoingEmail

# How many due messages one query fetches while sending.
BATCH = 200


def queue_email(*, key, to, subject, body, now, attachment="", attachment_name=""):
    """Write an e-mail to send after commit; the one already queued under `key` if there is one.

    `attachment`: the name under MEDIA_ROOT of a file sent with it (read when it is sent).
    """
    email, _created = OutgoingEmail.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "subject": subject,
            "body": body,
            "created_at": now,
            "next_attempt_at": now,
            "attachment": attachment,
            "attachment_name": attachment_name,
        },
    )
    return email


class AttachmentMissing(ValueError):
    """The file to attach is gone from MEDIA_ROOT: this message fails, not the server."""


class MailServerDown(Exception):
    """The mail server cannot be reached or refuses every message: the run stops."""

    def __init__(self, server, reason, waiting):
        self.reason = reason
        self.waiting = waiting
        super().__init__(f"không gửi được thư: máy chủ {server} {reason} — {waiting} thư đang chờ")


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    waiting: int = 0


def server_name(connection):
    """host:port of an SMTP connection; the backend's name for any other (console, file…)."""
    if hasattr(connection, "host") and hasattr(connection, "port"):
        return f"{connection.host}:{connection.port}"
    return settings.EMAIL_BACKEND


def server_failure(error):
    """Why the mail server as a whole failed, in words; None when only this message failed."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return "từ chối đăng nhập (xem EMAIL_HOST_USER, EMAIL_HOST_PASSWORD)"
    if isinstance(error, smtplib.SMTPSenderRefused):
        return f"từ chối địa chỉ gửi {error.sender} (xem DEFAULT_FROM_EMAIL)"
    if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionResetError | BrokenPipeError):
        return "ngắt kết nối"
    if isinstance(error, smtplib.SMTPResponseException) and error.smtp_code == 421:
        return "ngắt kết nối"
    if isinstance(error, ConnectionRefusedError | smtplib.SMTPConnectError | smtplib.SMTPHeloError):
        return "từ chối"
    if isinstance(
        error, smtplib.SMTPException
    ):  # an answer about this message (SMTPException is an OSError)
        return None
    if isinstance(error, TimeoutError | socket.timeout):
        return "không trả lời"
    if isinstance(error, socket.gaierror):
        return "không có trong DNS"
    if isinstance(error, OSError):
        return f"lỗi kết nối ({error})"
    return None


def describe(error):
    return f"{type(error).__name__}: {error}"


def is_permanent(error):
    """A 5xx answer about this message or its recipient: trying again will not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def deliver(*, now):
    """Send the due messages one by one; raises MailServerDown when the server fails.

    `now` is the moment the run acts at; it advances with the real clock while the run goes on,
    so a long run claims its last messages with a fresh lease.
    """
    started = time.monotonic()

    def clock():
        return now + timedelta(seconds=time.monotonic() - started)

    result = Delivery()
    if not OutgoingEmail.objects.due(clock()).exists():
        result.waiting = OutgoingEmail.objects.waiting().count()
        return result
    connection = get_connection()
    try:
        connection.open()
    except Exception as error:
        reason = server_failure(error)
        if reason is None:
            raise
        note_server_failure(describe(error), clock())
        waiting = OutgoingEmail.objects.waiting().count()
        raise MailServerDown(server_name(connection), reason, waiting) from None
    # Whatever this run touched is no longer due (sent, waiting for its retry, or claimed by
    # another run), so each batch is new; `tried` only guards against going round in circles.
    tried = set()
    try:
        while True:
            batch = [
                email
                for email in OutgoingEmail.objects.due(clock()).order_by("next_attempt_at", "pk")[
                    :BATCH
                ]
                if email.pk not in tried
            ]
            if not batch:
                break
            for email in batch:
                tried.add(email.pk)
                if not email.claim(clock()):
                    continue  # another run has it
                try:
                    connection.send_messages([message_of(email, connection)])
                except Exception as error:
                    reason = server_failure(error)
                    permanent = reason is None and is_permanent(error)
                    email.mark_failed(describe(error), clock(), permanent=permanent)
                    if reason is not None:
                        note_server_failure(describe(error), clock())
                        waiting = OutgoingEmail.objects.waiting().count()
                        raise MailServerDown(server_name(connection), reason, waiting) from None
                    result.failed += 1
                    continue
                email.mark_sent(clock())
                result.sent += 1
    finally:
        # The server may already be gone; whatever was sent is marked, nothing is lost.
        with suppress(Exception):
            connection.close()
    result.waiting = OutgoingEmail.objects.waiting().count()
    return result


def note_server_failure(error, now):
    """Write the server's failure on every due message, so the administrator sees why it waits."""
    OutgoingEmail.objects.due(now).filter(status=OutgoingEmail.Status.QUEUED).update(
        last_error=error[:2000]
    )


def message_of(email, connection):
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        to=[email.to],
        connection=connection,
    )
    if email.attachment:
        path = files.final_path(email.attachment)
        try:
            content = path.read_bytes()
        except OSError:
            raise AttachmentMissing(email.attachment) from None
        message.attach(email.attachment_name or path.name, content, "application/pdf")
    return message


def requeue(emails, *, now):
    """Send these failed or waiting messages at the next run, afresh; the number requeued.

    A sent message is left alone (sending it again is a new e-mail, not a retry), and so is one
    being sent: a live run has it, and a dead run's claim is taken over when its lease ends.
    """
    waiting = [OutgoingEmail.Status.FAILED, OutgoingEmail.Status.QUEUED]
    return emails.filter(status__in=waiting).update(
        status=OutgoingEmail.Status.QUEUED, next_attempt_at=now, claimed_at=None, attempts=0
    )
