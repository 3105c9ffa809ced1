"""`SandboxServer`: the sandbox served by uvicorn on a background thread, loopback only."""

from __future__ import annotations

import logging
import socket
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from pos_app.core.loopback import is_loopback_host
from pos_app.sandbox.ledger import V2_SECRET, Ledger
from pos_app.sandbox.v2_wire import CHANNEL_KEY, PREFIX, STORE_ID

TEST_IMP_KEY = "imp_apikey"
TEST_IMP_SECRET = "ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f"
# PortOne V2, under /v2 on the same port (docs/sandbox.md, "PortOne V2").
TEST_V2_SECRET = V2_SECRET
TEST_V2_STORE_ID = STORE_ID
TEST_V2_CHANNEL_KEY = CHANNEL_KEY
THREAD_NAME = "portone-sandbox"
START_TIMEOUT_S = 15.0


def address_option() -> int:
    """The socket option that lets a restarted sandbox bind its port at once, and no other.

    On POSIX, SO_REUSEADDR only skips a closed connection's TIME_WAIT. On Windows it lets a
    second socket bind a port that is already listening (two sandboxes on one port, requests
    going to either), so Windows gets SO_EXCLUSIVEADDRUSE instead, as Python's own asyncio
    and socketserver do there.
    """
    if sys.platform == "win32":
        return socket.SO_EXCLUSIVEADDRUSE
    return socket.SO_REUSEADDR


# The event loop the sandbox serves on, named for uvicorn's `loop` setting. Always a selector
# loop: on Windows asyncio's default (and uvicorn's "asyncio") is the Proactor loop, which logs
# "WinError 10054" tracebacks whenever a client resets a connection (the self-test counts any
# logged error as a failure). A selector loop serves loopback HTTP equally well on every OS.
EVENT_LOOP = "asyncio:SelectorEventLoop"


class SandboxServer:
    """The PortOne sandbox (V1, and V2 under /v2) on 127.0.0.1 (port 0 = any free port).

    `start()` returns once the socket accepts connections; `stop()` waits for the thread.
    With `state_path`, customers, payments and schedules survive a restart.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        state_path: Path | None = None,
        imp_key: str = TEST_IMP_KEY,
        imp_secret: str = TEST_IMP_SECRET,
        variants: Mapping[str, str] | None = None,
    ) -> None:
        """`variants`: answer variants to serve from the start, e.g. {"decline": "refusal"}
        (sandbox/variants.py; UnknownVariant for a name or value it does not know)."""
        if not is_loopback_host(host):
            raise ValueError(f"the sandbox listens only on loopback, not on {host!r}")
        self.host = host
        self.port = port
        self.ledger = Ledger(imp_key, imp_secret, state_path, variants)
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def v2_base_url(self) -> str:
        """PortOne V2's root on this sandbox (the official SDK's `base_url`)."""
        return self.base_url + PREFIX

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # proto IPPROTO_TCP, or asyncio skips TCP_NODELAY on accepted sockets and every answer
        # (headers and body are two writes) waits ~40 ms for the client's delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, address_option(), 1)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        return sock

    def start(self) -> str:
        if self._thread is not None:
            return self.base_url
        import uvicorn

        from pos_app.sandbox.app import build_app

        sock = self._bind()
        self.port = sock.getsockname()[1]
        # Embedded in the app: no access log, no log config of its own, nothing on stdout.
        logging.getLogger("uvicorn").addHandler(logging.NullHandler())
        config = uvicorn.Config(
            build_app(self.ledger),
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            proxy_headers=False,
            server_header=False,
            loop=EVENT_LOOP,
            timeout_keep_alive=30,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._serve, args=(sock,), name=THREAD_NAME, daemon=True
        )
        self._thread.start()
        pause = threading.Event()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"sandbox failed to start: {self._failure!r}")
            pause.wait(0.01)
        return self.base_url

    def _serve(self, sock: socket.socket) -> None:
        try:
            # Server.run builds the loop from config.loop (EVENT_LOOP), whatever the platform's
            # default event loop policy would give asyncio.run().
            self._server.run(sockets=[sock])
        except BaseException as exc:  # reported by start() / visible to stop()
            self._failure = exc
        finally:
            sock.close()

    def stop(self) -> None:
        if self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join()
        self._thread = None
        self.ledger.save()

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
