"""PortOne's wire format: the envelope, request bodies (JSON or form-encoded) and field checks.

Everything a client can get wrong ends as an envelope with a Korean message naming the field,
never as an HTML page or a traceback.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

JSON_TYPE = "application/json; charset=utf-8"

UNAUTHORIZED = "Unauthorized"
NOT_JSON = "요청 본문을 해석할 수 없습니다. 올바른 JSON 또는 form-urlencoded 형식으로 보내주세요."
UNKNOWN_PATH = "요청하신 API를 찾을 수 없습니다. 경로를 확인하세요."
BAD_METHOD = "허용되지 않는 HTTP 메소드입니다."
INTERNAL = "서버 내부 오류가 발생했습니다."


class BadRequest(Exception):
    """The request itself is malformed: HTTP 400 with code -1 and this message."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def envelope(code: int, message: str | None, response: Any) -> bytes:
    return json.dumps(
        {"code": code, "message": message, "response": response}, ensure_ascii=False
    ).encode()


_BRACKETS = re.compile(r"\[([^\]]*)\]")


def _nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Form keys like `schedules[0][amount]` and `customer_uid[]` become nested values."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        head = key.split("[", 1)[0]
        parts = [head, *_BRACKETS.findall(key[len(head) :])]
        node: Any = result
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            nxt = None if last else parts[index + 1]
            if isinstance(node, list):
                if part == "" or not part.isdigit():
                    node.append(value if last else ([] if nxt == "" else {}))
                    node = node[-1]
                    continue
                position = int(part)
                if position > 1000:
                    raise ValueError("index too large")
                while len(node) <= position:
                    node.append({} if not last else None)
                if last:
                    node[position] = value
                node = node[position]
                continue
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, [] if nxt == "" or (nxt or "").isdigit() else {})
    return result


def parse_form(raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(NOT_JSON) from exc
    return nest_pairs(parse_qsl(text, keep_blank_values=True))


def nest_pairs(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    try:
        return _nest(pairs)
    except (TypeError, AttributeError, ValueError, IndexError) as exc:
        # Contradicting keys such as `a=1&a[b]=2`.
        raise BadRequest(NOT_JSON) from exc


def parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    """A JSON object or a form-encoded body as a dict; BadRequest for anything else."""
    if not raw.strip():
        return {}
    if "application/x-www-form-urlencoded" in content_type:
        return parse_form(raw)
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        if "json" in content_type or raw.lstrip()[:1] in (b"{", b"["):
            raise BadRequest(NOT_JSON) from exc
        # No content type (curl -d without -H): PortOne reads it as a form.
        if "=" in raw.decode("utf-8", "replace"):
            return parse_form(raw)
        raise BadRequest(NOT_JSON) from exc
    if not isinstance(value, dict):
        raise BadRequest(NOT_JSON)
    return value


def missing(name: str) -> BadRequest:
    # HTTP 400 in PortOne's own words (portone-v1.md §7).
    return BadRequest(f"파라미터 누락: {name}")


def wrong_type(name: str, expected: str) -> BadRequest:
    return BadRequest(f"파라미터 {name}의 형식이 올바르지 않습니다. ({name} must be {expected})")


class Fields:
    """Typed access to request fields; form values arrive as strings, JSON values typed."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def has(self, name: str) -> bool:
        return self.data.get(name) not in (None, "")

    def text(self, name: str, *, required: bool = False, max_len: int | None = None) -> str | None:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                raise missing(name)
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise wrong_type(name, "a string")
        text = str(value)
        if max_len is not None and len(text) > max_len:
            raise BadRequest(f"파라미터 {name}은(는) {max_len}자 이하여야 합니다.")
        return text

    def need_text(self, name: str, max_len: int | None = None) -> str:
        value = self.text(name, required=True, max_len=max_len)
        assert value is not None
        return value

    def integer(self, name: str, *, required: bool = False, default: int = 0) -> int:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                raise missing(name)
            return default
        if isinstance(value, bool):
            raise wrong_type(name, "an integer")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"-?\d+(\.0+)?", value.strip()):
            return int(float(value))
        raise wrong_type(name, "an integer")

    def amount(self, name: str = "amount") -> int:
        value = self.integer(name, required=True)
        if value <= 0:
            raise BadRequest(f"{name}은(는) 0보다 큰 정수여야 합니다. ({name} must be > 0)")
        return value

    def text_list(self, name: str) -> list[str] | None:
        """A list field: JSON array, form `name[]=...` repeats, or a single value."""
        value = self.data.get(name)
        if value is None:
            value = self.data.get(name + "[]")
        if value is None or value == "":
            return None
        if isinstance(value, str | int) and not isinstance(value, bool):
            return [str(value)]
        if isinstance(value, list) and all(
            isinstance(v, str | int) and not isinstance(v, bool) for v in value
        ):
            return [str(v) for v in value]
        raise wrong_type(name, "a list of strings")


MERCHANT_UID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
CUSTOMER_UID = re.compile(r"^[^/?#\s]{1,80}$")


def check_merchant_uid(value: str) -> str:
    if not MERCHANT_UID.match(value):
        raise BadRequest(
            "merchant_uid는 40자 이하의 영문, 숫자, '_', '-'로 구성되어야 합니다. "
            "(merchant_uid: at most 40 of [A-Za-z0-9_-])"
        )
    return value


def check_customer_uid(value: str) -> str:
    if not CUSTOMER_UID.match(value):
        raise BadRequest("customer_uid는 80자 이하여야 합니다. (customer_uid: at most 80 chars)")
    return value
