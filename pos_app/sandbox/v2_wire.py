"""PortOne V2's wire format in the sandbox: errors as `{"type": "...", "message": "..."}` with
V2's HTTP statuses, `Authorization: PortOne <secret>`, JSON bodies, RFC 3339 times.

The statuses are the ones PortOne's V2 OpenAPI document gives for each error (and so the
official SDK expects): 400 INVALID_REQUEST, 401 UNAUTHORIZED, 403 FORBIDDEN, 404 *_NOT_FOUND,
409 ALREADY_PAID / BILLING_KEY_ALREADY_DELETED / cancel conflicts, 502 PG_PROVIDER.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pos_app.sandbox.wire import JSON_TYPE

PREFIX = "/v2"
STORE_ID = "store-sandbox"
MERCHANT_ID = "merchant-sandbox"
CHANNEL_KEY = "channel-key-sandbox-kcp"
CHANNEL = {
    "type": "TEST",
    "id": "channel-id-sandbox-kcp",
    "key": CHANNEL_KEY,
    "name": "KCP 수기결제 (sandbox)",
    "pgProvider": "KCP_V2",
    "pgMerchantId": "IMP_SANDBOX",
}

UNAUTHORIZED = "인증 정보가 올바르지 않습니다. (Authorization: PortOne <API Secret>)"
FORBIDDEN_STORE = "요청하신 상점에 대한 권한이 없습니다."
NOT_JSON = "요청 본문을 해석할 수 없습니다. 올바른 JSON 객체로 보내주세요."
UNKNOWN_PATH = "요청하신 API를 찾을 수 없습니다. 경로를 확인하세요."
BAD_METHOD = "허용되지 않는 HTTP 메소드입니다."


@dataclass(frozen=True)
class V2Answer:
    status: int
    body: Any
    changed: bool = False  # the state changed, so it must be saved


def ok(body: Any, changed: bool = False) -> V2Answer:
    return V2Answer(200, body, changed)


def error(status: int, kind: str, message: str, **extra: str) -> V2Answer:
    return V2Answer(status, {"type": kind, "message": message, **extra})


class V2Refusal(Exception):
    """Raised anywhere in a V2 handler: answered as this error."""

    def __init__(self, status: int, kind: str, message: str) -> None:
        super().__init__(message)
        self.answer = error(status, kind, message)


def invalid(message: str) -> V2Refusal:
    return V2Refusal(400, "INVALID_REQUEST", message)


def encode(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def rfc3339(unix_s: float) -> str:
    """A time as V2 writes it ("2026-05-01T00:30:00.123456Z")."""
    return datetime.fromtimestamp(unix_s, tz=UTC).isoformat().replace("+00:00", "Z")


def secret_of(authorization: str) -> str | None:
    """The API secret of an `Authorization: PortOne <secret>` header, or None."""
    scheme, _, rest = authorization.strip().partition(" ")
    if scheme.lower() != "portone" or not rest.strip():
        return None
    return rest.strip()


def parse_json(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise invalid(NOT_JSON) from None
    if not isinstance(value, dict):
        raise invalid(NOT_JSON)
    return value


class Body:
    """Typed access to a V2 JSON body; anything wrong is INVALID_REQUEST naming the field."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def obj(self, name: str, *, required: bool = False) -> Body:
        value = self.data.get(name)
        if value is None:
            if required:
                raise invalid(f"{name} 필드가 필요합니다.")
            return Body({})
        if not isinstance(value, dict):
            raise invalid(f"{name} 필드는 객체여야 합니다.")
        return Body(value)

    def text(self, name: str, *, required: bool = False, max_len: int | None = None) -> str | None:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                raise invalid(f"{name} 필드가 필요합니다.")
            return None
        if not isinstance(value, str):
            raise invalid(f"{name} 필드는 문자열이어야 합니다.")
        if max_len is not None and len(value) > max_len:
            raise invalid(f"{name} 필드는 {max_len}자 이하여야 합니다.")
        return value

    def need_text(self, name: str, max_len: int | None = None) -> str:
        value = self.text(name, required=True, max_len=max_len)
        assert value is not None
        return value

    def integer(self, name: str, *, required: bool = False) -> int | None:
        value = self.data.get(name)
        if value is None:
            if required:
                raise invalid(f"{name} 필드가 필요합니다.")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise invalid(f"{name} 필드는 정수여야 합니다.")
        return value

    def has(self, name: str) -> bool:
        return self.data.get(name) is not None


PAYMENT_ID = re.compile(r"^[^/?#\s]{1,200}$")


def check_payment_id(value: str) -> str:
    if not PAYMENT_ID.match(value):
        raise invalid("paymentId는 200자 이하이며 /, ?, #, 공백을 포함할 수 없습니다.")
    return value


def response_headers(body: bytes) -> list[tuple[bytes, bytes]]:
    return [(b"content-type", JSON_TYPE.encode()), (b"content-length", str(len(body)).encode())]
