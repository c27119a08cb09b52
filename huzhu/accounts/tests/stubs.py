"""Local stand-ins for the gateways: an HTTP server in a thread that answers as the
provider's documented API does, and a minimal SMTP server. Nothing leaves the machine."""

import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Script:
    """What the stub answers, one entry per request (the last repeats): (status, body,
    seconds to wait first). `check` may turn a request into a 4xx answer (bad signature)."""

    answers: list[tuple[int, bytes, float]]
    check: Callable[[Seen], tuple[int, bytes] | None] | None = None
    seen: list[Seen] = field(default_factory=list)


@contextmanager
def http_stub(script: Script) -> Iterator[str]:
    """Serve `script` on 127.0.0.1; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            seen = Seen(self.command, self.path, dict(self.headers), self.rfile.read(length))
            script.seen.append(seen)
            index = min(len(script.seen), len(script.answers)) - 1
            status, body, delay = script.answers[index]
            refused = script.check(seen) if script.check else None
            if refused is not None:
                status, body, delay = *refused, 0.0
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        do_GET = do_POST = _answer  # noqa: N815 - http.server's naming

        def log_message(self, *args: object) -> None:
            """Quiet: the test asserts what the stub received, not what it printed."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Mailbox:
    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    refuse_recipients: bool = False


@contextmanager
def smtp_stub(mailbox: Mailbox) -> Iterator[int]:
    """A plain SMTP server (no TLS): enough of RFC 5321 for smtplib. Yields the port."""

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        def handle(self) -> None:
            self.reply("220 stub")
            sender, recipients = "", []
            while line := self.rfile.readline().decode().strip():
                verb = line.split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    self.reply("250 stub")
                elif verb == "MAIL":
                    sender = line.partition(":")[2].strip("<> ")
                    self.reply("250 ok")
                elif verb == "RCPT":
                    if mailbox.refuse_recipients:
                        self.reply("550 no such user")
                        continue
                    recipients.append(line.partition(":")[2].strip("<> "))
                    self.reply("250 ok")
                elif verb == "DATA":
                    self.reply("354 go on")
                    data = b""
                    while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                        data += chunk
                    mailbox.messages.append((sender, recipients, data))
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 ok")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
