"""A real HTTP receiver for webhook tests (http.server in a thread on a free port)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.reporting.smtp_server import free_port


class Receiver:
    """Keeps every POST it gets; answers `status` with `answer`; can go down and come back."""

    def __init__(self):
        self.port = free_port()
        self.received = []  # (headers as a dict, body bytes)
        self.status, self.answer = 200, b"ok"
        self.server = None
        self.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hooks/partrack"

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                receiver.received.append((dict(self.headers), self.rfile.read(length)))
                self.send_response(receiver.status)
                self.send_header("Content-Length", str(len(receiver.answer)))
                self.end_headers()
                self.wfile.write(receiver.answer)

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
