"""The sandbox's own controls under /__sandbox__/ and the gate every request passes through.

The gate logs each request (method, path, status, time taken; never bodies), runs due
schedules, and applies injected faults. A "drop" closes the TCP connection with no HTTP answer
at all, which ASGI has no message for: the gate closes uvicorn's transport itself.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pos_app.core.loopback import is_loopback_host
from pos_app.sandbox import schedules, v2_wire
from pos_app.sandbox.billing import Answer, ok
from pos_app.sandbox.ledger import FAULT_KINDS, Fault, Ledger
from pos_app.sandbox.routes import FIELDS_KEY, render, request_data
from pos_app.sandbox.variants import UnknownVariant, listing
from pos_app.sandbox.wire import (
    BAD_METHOD,
    INTERNAL,
    JSON_TYPE,
    UNKNOWN_PATH,
    BadRequest,
    Fields,
    envelope,
)

log = logging.getLogger(__name__)

PREFIX = "/__sandbox__/"
LOOPBACK_ONLY = "/__sandbox__/ 는 이 컴퓨터(loopback)에서만 사용할 수 있습니다."
Endpoint = Callable[[Request], Awaitable[Response]]
MALFORMED_BODY = b'{"code": 0, "message": null, "response": {"imp_uid": "imp_'  # cut short


def build_control_routes(ledger: Ledger) -> list[Route]:
    async def faults(request: Request) -> Response:
        if request.method == "GET":
            return render(ok(ledger.fault_list()))
        if request.method == "DELETE":
            with ledger.lock:
                ledger.faults.clear()
            return render(ok([]))
        try:
            fields = Fields(await request_data(request))
            kind = fields.need_text("kind")
            if kind not in FAULT_KINDS:
                raise BadRequest(f"kind는 {', '.join(FAULT_KINDS)} 중 하나여야 합니다.")
            times = fields.integer("times", default=1)
            delay_ms = fields.integer("delay_ms")
            if times < 1 or delay_ms < 0:
                raise BadRequest("times는 1 이상, delay_ms는 0 이상이어야 합니다.")
            method = fields.text("method")
            fault = Fault(
                endpoint=fields.need_text("endpoint"),
                kind=kind,
                times=times,
                delay_ms=delay_ms,
                method=method.upper() if method else None,
            )
        except BadRequest as exc:
            return render(Answer(exc.status, -1, exc.message, None))
        ledger.add_fault(fault)
        return render(ok(ledger.fault_list()))

    async def payments(request: Request) -> Response:
        with ledger.lock:
            return render(ok(list(ledger.payments.values())))

    async def requests(request: Request) -> Response:
        with ledger.lock:
            return render(ok(list(ledger.requests)))

    async def clock(request: Request) -> Response:
        if request.method == "POST":
            try:
                fields = Fields(await request_data(request))
                ledger.advance(fields.integer("advance_s", required=True))
            except BadRequest as exc:
                return render(Answer(exc.status, -1, exc.message, None))
            schedules.run_due(ledger)
            ledger.save()  # the clock offset is part of the saved state
        return render(ok({"now": int(ledger.now()), "offset_s": ledger.clock_offset}))

    async def reset(request: Request) -> Response:
        ledger.reset()
        return render(ok(None))

    async def state(request: Request) -> Response:
        with ledger.lock:
            return render(ok(ledger.snapshot()))

    async def variants(request: Request) -> Response:
        if request.method == "POST":
            try:
                ledger.set_variants(await request_data(request))
            except (BadRequest, UnknownVariant) as exc:
                return render(Answer(400, -1, str(exc), None))
        elif request.method == "DELETE":
            with ledger.lock:
                ledger.variants = dict(ledger.start_variants)
        with ledger.lock:
            return render(ok(listing(ledger.variants)))

    async def in_flight(request: Request) -> Response:
        with ledger.lock:
            return render(ok(list(ledger.in_flight.values())))

    def allow(methods: str, handler: Endpoint) -> Endpoint:
        async def checked(request: Request) -> Response:
            if request.method not in methods.split():
                return render(Answer(405, -1, BAD_METHOD, None))
            return await handler(request)

        return checked

    return [
        Route(PREFIX + "faults", allow("GET POST DELETE", faults)),
        Route(PREFIX + "payments", allow("GET", payments)),
        Route(PREFIX + "requests", allow("GET", requests)),
        Route(PREFIX + "clock", allow("GET POST", clock)),
        Route(PREFIX + "reset", allow("POST", reset)),
        Route(PREFIX + "state", allow("GET", state)),
        Route(PREFIX + "variants", allow("GET POST DELETE", variants)),
        Route(PREFIX + "in_flight", allow("GET", in_flight)),
    ]


async def _send_envelope(send: Send, status: int, code: int, message: str, path: str = "") -> None:
    # A V2 path gets V2's error shape ({"type", "message"}), a V1 path V1's envelope.
    if path == v2_wire.PREFIX or path.startswith(v2_wire.PREFIX + "/"):
        body = v2_wire.encode({"type": "INTERNAL_SERVER_ERROR", "message": message})
    else:
        body = envelope(code, message, None)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", JSON_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def not_found(scope: Scope, receive: Receive, send: Send) -> None:
    await _send_envelope(send, 404, -1, UNKNOWN_PATH)


async def drop_connection(send: Send) -> None:
    """Close the client's TCP connection without any HTTP response.

    uvicorn hands the app its per-request cycle's bound `send`; its `transport` is the socket.
    Once the connection is lost uvicorn marks the cycle disconnected and neither answers 500
    nor logs an error for the response that never started.
    """
    cycle: Any = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise RuntimeError("drop faults need uvicorn as the server")
    transport.abort()
    for _ in range(100):  # connection_lost runs on a later loop iteration
        if getattr(cycle, "disconnected", True):
            return
        await asyncio.sleep(0)


class Gate:
    """Outermost ASGI app: request log, due schedules, loopback check, faults, no crashes."""

    def __init__(self, app: ASGIApp, ledger: Ledger) -> None:
        self.app = app
        self.ledger = ledger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith(PREFIX):
            client = scope.get("client")
            if client is None or not is_loopback_host(client[0]):
                await _send_envelope(send, 403, -1, LOOPBACK_ONLY)
                return
            await self._guarded(scope, receive, send)
            return
        started = time.perf_counter()
        status = [0]
        request_id = self.ledger.request_started(scope["method"], path)

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            if self.ledger.schedules_due() and schedules.run_due(self.ledger):
                self.ledger.save()
            fault = self.ledger.take_fault(scope["method"], path)
            if fault is None:
                await self._guarded(scope, receive, recording_send)
            else:
                await self._faulty(fault, scope, receive, send, recording_send, status)
        finally:
            entry = {
                "method": scope["method"],
                "path": path,
                "status": status[0],
                "duration_ms": round((time.perf_counter() - started) * 1000, 3),
                "at": round(self.ledger.now(), 3),
                # Names only, never values: which fields the request carried (e.g. that a
                # onetime charge had `pg` and no `channel_key`).
                "fields": scope.get(FIELDS_KEY, []),
                # The client had closed the connection before the answer could go out: PortOne
                # finished a request whose sender gave up (issue 11).
                "client_gone": _client_gone(send),
            }
            self.ledger.request_finished(request_id, entry)

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = [False]

        async def tracking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                started[0] = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("sandbox failed on %s %s", scope["method"], scope["path"])
            if not started[0]:
                await _send_envelope(send, 500, -1, INTERNAL, scope["path"])

    async def _faulty(
        self,
        fault: Fault,
        scope: Scope,
        receive: Receive,
        send: Send,
        recording_send: Send,
        status: list[int],
    ) -> None:
        if fault.kind == "delay":
            # PortOne has the whole request, then the card company is slow: read it first, so a
            # client that gives up during the wait cannot take the request back with it (ASGI
            # hands out only "http.disconnect" once the connection is gone). Nothing is stored
            # until the wait is over, so `find` answers 404 meanwhile, as the real one does.
            received = await _read_all(receive)
            await asyncio.sleep(fault.delay_ms / 1000)
            await self._guarded(scope, _replay(received, receive), recording_send)
        elif fault.kind == "expire_token":
            self.ledger.expire_token()
            await self._guarded(scope, receive, recording_send)
        elif fault.kind == "error_500":
            status[0] = 500
            await _send_envelope(send, 500, -1, "sandbox fault: error_500", scope["path"])
        elif fault.kind == "drop_before":
            # Read the whole request first: closing a socket with unread bytes makes the kernel
            # answer with a reset, which a client may see as a different error at random.
            await _drain(receive)
            await drop_connection(send)
        elif fault.kind == "drop_after":
            await self._guarded(scope, receive, _swallow)
            await drop_connection(send)
        elif fault.kind == "malformed":
            await self._guarded(scope, receive, _swallow)
            status[0] = 200
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", JSON_TYPE.encode()),
                        (b"content-length", str(len(MALFORMED_BODY)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": MALFORMED_BODY})


def _client_gone(send: Send) -> bool:
    """Whether uvicorn saw the client's connection close (its cycle's `disconnected`)."""
    cycle: Any = getattr(send, "__self__", None)
    return bool(getattr(cycle, "disconnected", False))


async def _read_all(receive: Receive) -> list[Message]:
    """Every message of the request body, up to and including the last one."""
    messages = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A `receive` that hands out the already-read body first, then the real one."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


async def _drain(receive: Receive) -> None:
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


async def _swallow(message: Message) -> None:
    """The app's answer goes nowhere: the fault replaces it."""
