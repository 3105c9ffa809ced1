"""A tiny loopback HTTP server that answers with recorded bodies, byte for byte.

Not the sandbox: it knows nothing of PortOne's rules, it only plays back what a test tells it
to for a method and path, so the client meets answers someone else wrote. It keeps what it was
asked (method, path, query, the names of the body's fields; never values).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from recorded_answers import TOKEN, Recorded


@dataclass
class Asked:
    method: str
    path: str
    query: dict[str, list[str]]
    fields: list[str]


@dataclass
class Script:
    """What to answer: (method, path) -> a function of the request, or a fixed Recorded."""

    answers: dict[tuple[str, str], Callable[[Asked], Recorded] | Recorded] = field(
        default_factory=dict
    )
    asked: list[Asked] = field(default_factory=list)

    def on(self, method: str, path: str, answer: Callable[[Asked], Recorded] | Recorded) -> None:
        self.answers[(method, path)] = answer

    def answer(self, asked: Asked) -> Recorded | None:
        self.asked.append(asked)
        if (asked.method, asked.path) == ("POST", "/users/getToken") and (
            ("POST", "/users/getToken") not in self.answers
        ):
            return TOKEN
        found = self.answers.get((asked.method, asked.path))
        if found is None:
            return None
        return found if isinstance(found, Recorded) else found(asked)


def _handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                data = json.loads(raw) if raw else {}
            except ValueError:
                data = {}
            asked = Asked(
                self.command,
                url.path,
                parse_qs(url.query),
                sorted(data) if isinstance(data, dict) else [],
            )
            recorded = script.answer(asked)
            status, body = (
                (404, b"no recording")
                if recorded is None
                else (
                    recorded.status,
                    recorded.body,
                )
            )
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: a test's output is its assertions."""

    return Handler


@contextmanager
def replaying(script: Script) -> Iterator[str]:
    """Serve `script` on 127.0.0.1 at a free port; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, args=(0.02,), name="replay-server", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
