"""One HTTP exchange with PortOne, reduced to what the caller can conclude from it.

`exchange()` never raises and never hands back httpx objects: an httpx `Request` holds the
encoded body (card data on card calls), so it must not end up in an exception chain or a
traceback's locals. The caller gets either a `Reply` (status + raw bytes) or a `Lost`, which
says whether the request could have reached the server's application.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from pos_app.core.loopback import is_loopback_host
from pos_app.gateway.errors import InsecureBaseURL

# Query parameters as (name, value) pairs: PortOne repeats names (`customer_uid[]=a&...=b`).
Params = list[tuple[str, str | int | float | bool | None]]

# Failures raised while connecting or while our bytes were still going out: the server never
# had a complete request, so it cannot have acted on it.
_BEFORE_SERVER_ACTED: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
    httpx.LocalProtocolError,
    httpx.UnsupportedProtocol,
    httpx.ProxyError,
)


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    content: bytes


@dataclass(frozen=True, slots=True)
class Lost:
    """No answer. `sent`: the server may have received the whole request. `timed_out`: we
    stopped waiting, so the server may still be working on it."""

    sent: bool
    timed_out: bool
    detail: str  # exception class and text: socket/protocol words, never request content


def exchange(
    http: httpx.Client,
    method: str,
    path: str,
    *,
    headers: dict[str, str],
    body: dict[str, Any] | None = None,
    params: Params | None = None,
) -> Reply | Lost:
    try:
        response = http.request(method, path, json=body, params=params, headers=headers)
    except httpx.RequestError as exc:
        return lost_by(exc)
    return Reply(response.status_code, response.content)


def lost_by(exc: httpx.RequestError) -> Lost:
    """What a transport failure says about the request (never holds on to `exc`, whose
    `.request` carries the encoded body)."""
    sent = not isinstance(exc, _BEFORE_SERVER_ACTED)
    timed_out = isinstance(exc, httpx.TimeoutException)
    return Lost(sent, timed_out, f"{type(exc).__name__}: {exc}")


@dataclass(frozen=True, slots=True)
class Envelope:
    code: int
    message: str
    response: Any


def parse_envelope(content: bytes) -> Envelope | None:
    """PortOne's `{"code", "message", "response"}`, or None when the body is not one."""
    try:
        data = json.loads(content)
        code = int(data["code"])
    except (ValueError, TypeError, KeyError):
        return None
    message = data.get("message")
    return Envelope(code, "" if message is None else str(message), data.get("response"))


def check_base_url(base_url: str) -> str:
    """The base URL with no trailing slash; refuses anything but HTTPS off this computer.

    Card data crosses this connection, so plain HTTP is allowed only to a loopback address
    (the local sandbox).
    """
    url = httpx.URL(base_url)
    host = url.host
    if url.scheme not in ("http", "https") or not host:
        raise InsecureBaseURL(
            f"PortOne 주소가 올바르지 않습니다 (https:// 주소가 필요합니다): {base_url}"
        )
    if url.scheme == "http" and not is_loopback_host(host):
        raise InsecureBaseURL(
            "카드 정보는 암호화된 연결로만 보냅니다: PortOne 주소는 https:// 로 시작해야 합니다 "
            f"(http:// 는 이 컴퓨터의 샌드박스에만 허용). 받은 주소: {base_url}"
        )
    return base_url.rstrip("/")
