"""send_reminders as the operator runs it: mail server down, then killed mid-send, then recovered.

The command runs in its own process on its own SQLite database (made once per session), so it
can be killed with SIGKILL like a crashed server; the SMTP server counts what it accepted.
"""

import os
import shutil
import subprocess
import sys

import pytest

from tests.reporting.smtp_server import SMTPServer

QUEUE = """
from datetime import datetime
from django.utils import timezone
from partrack.reporting.outbox import queue_email
now = timezone.make_aware(datetime(2026, 3, 3, 8, 0))
for n in range(1, 7):
    queue_email(key=f"test:{n}", to=f"p{n}@example.invalid", subject=f"Thư {n}", body="", now=now)
"""


@pytest.fixture(scope="session")
def six_emails_queued(tmp_path_factory):
    path = tmp_path_factory.mktemp("outbox") / "template.sqlite3"
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{path}"}
    for args in (["migrate", "-v0"], ["shell", "-c", QUEUE]):
        subprocess.run([sys.executable, "-m", "partrack", *args], env=env, check=True, timeout=300)
    return path


@pytest.fixture
def smtp():
    server = SMTPServer()
    yield server
    server.stop()


def test_down_then_killed_mid_send_then_recovered_sends_every_email_exactly_once(
    six_emails_queued, smtp, tmp_path
):
    database = tmp_path / "partrack.sqlite3"
    shutil.copy(six_emails_queued, database)
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": smtp.host,
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": "5",
    }

    def partrack(*args):
        return [sys.executable, "-m", "partrack", *args]

    def send_reminders(now):
        return subprocess.run(
            partrack("send_reminders", "--now", now),
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    down = send_reminders("2026-03-03T08:00")
    assert down.returncode == 1
    assert down.stderr == (
        f"CommandError: không gửi được thư: máy chủ 127.0.0.1:{smtp.port} từ chối"
        " — 6 thư đang chờ\n"
    )

    # Up, but the third message hangs; the process is killed while it waits for the answer.
    smtp.mailbox.hold_at = 3
    smtp.start()
    run = subprocess.Popen(
        partrack("send_reminders", "--now", "2026-03-03T08:15"),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert smtp.mailbox.holding.wait(timeout=60)
    finally:
        run.kill()
        run.wait(timeout=60)
    smtp.mailbox.release.set()
    assert smtp.mailbox.recipients() == ["p1@example.invalid", "p2@example.invalid"]

    # The message the dead run had claimed waits for its lease to end; the others go now.
    soon = send_reminders("2026-03-03T08:20")
    assert soon.returncode == 0, soon.stderr
    assert soon.stdout == "sent 0 notifications (3 emails), 1 e-mails waiting\n"
    assert len(smtp.mailbox.received) == 5

    after_lease = send_reminders("2026-03-03T08:30")
    assert after_lease.returncode == 0, after_lease.stderr
    assert after_lease.stdout == "sent 0 notifications (1 emails)\n"
    assert smtp.mailbox.recipients() == [f"p{n}@example.invalid" for n in range(1, 7)]
