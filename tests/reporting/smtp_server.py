"""A real SMTP server for tests (aiosmtpd on a free port) that can be down, refuse, drop or hang."""

import asyncio
import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """The SMTP handler: keeps what it accepted, and misbehaves when told to."""

    def __init__(self):
        self.received = []  # (recipient, subject) of every message accepted with 250
        self.messages = []  # every message accepted, parsed (email.message.EmailMessage)
        self.refuse = {}  # recipient address: the reply to RCPT TO, e.g. "550 no such user"
        self.drop_at = None  # the n-th message closes the connection instead of answering
        self.hold_at = None  # the n-th message waits until `release` is set, then is refused
        self.holding = threading.Event()
        self.release = threading.Event()
        self.refuse_sender = None  # the reply to MAIL FROM, e.g. "550 not allowed to send"
        self.delay = 0  # seconds each message takes, so that two senders overlap
        self.seen = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.refuse_sender:
            return self.refuse_sender
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen == self.drop_at:
            server.transport.close()  # the connection drops before the client hears "250"
            return "421 closing"
        if self.seen == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            return "451 not accepted"
        await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        for recipient in envelope.rcpt_tos:
            self.received.append((recipient, str(message["subject"]).strip()))
        return "250 OK"

    def recipients(self):
        return sorted(recipient for recipient, _subject in self.received)


class SMTPServer:
    """Down until start(); host and port are known before, as a configured server's are."""

    def __init__(self):
        self.host = "127.0.0.1"
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.mailbox, hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.mailbox.release.set()
            self.controller.stop()
            self.controller = None
