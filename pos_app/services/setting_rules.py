"""The rules of the till's settings: what text each setting accepts and why one is refused.

Each rule takes the text typed in the settings dialog or saved in the settings file and returns
the setting's value, or raises InvalidSetting (a reason code; the message is made in the person's
language where it is shown). Which rule belongs to which setting is declared once, with the
setting, in services/settings.py; `routing_error` is the one rule across settings.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, ClassVar, Literal
from urllib.parse import urlsplit

from pos_app.core.card_fields import business_number_ok
from pos_app.core.errors import InvalidInput
from pos_app.core.loopback import is_loopback_host
from pos_app.core.order import ORDER_NAME_MAX, check_order_name
from pos_app.logs import redact
from pos_app.services.pacing import DEFAULT_CONCURRENCY, MAX_CONCURRENCY

if TYPE_CHECKING:
    from pos_app.gateway.port import ApiVersion

Mode = Literal["sandbox", "live"]
Language = Literal["ko", "en"]  # services/settings_file.py LANGUAGES

DEFAULT_API_HOST = "https://api.iamport.kr"
# PortOne's fixed-IP host, for shops whose firewall only lets known addresses out.
STATIC_IP_API_HOST = "https://static-api.iamport.kr"
API_HOST_PRESETS = (DEFAULT_API_HOST, STATIC_IP_API_HOST)
DEFAULT_TERMINAL_ID = "T1"
DEFAULT_ORDER_NAME = "수기결제"

# "nice", "kcp.A52CY", "html5_inicis.MOI0000000", "danal_tpay", "tosspayments.tosstest".
_PG = re.compile(r"[a-z][a-z0-9_]*(\.[A-Za-z0-9_-]{1,64})?")
# PortOne V1 channel keys: "channel-key-" followed by a UUID; accept any id-shaped token.
_CHANNEL_KEY = re.compile(r"[A-Za-z0-9_-]{1,100}")
# PortOne V2 store ids ("store-" and a UUID); accept any id-shaped token.
_STORE_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")
# Goes into every merchant_uid, so short and plain.
_TERMINAL_ID = re.compile(r"[A-Za-z0-9]{1,8}")
# 상호, printed on every receipt: one short line.
_SHOP_NAME_MAX = 40
# Unicode categories that are no text to print or keep in an INI line: controls (tabs, line
# breaks), invisible format characters (e.g. a right-to-left override), lone surrogates, and
# the line and paragraph separators.
_NOT_PRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


class InvalidSetting(ValueError):
    """A setting a person typed is not acceptable. `field` names the setting, `code` the rule."""

    _TEXT: ClassVar[dict[str, tuple[str, str]]] = {
        "api_host_scheme": (
            "API 주소는 https:// 로 시작해야 합니다(http:// 는 이 컴퓨터의 샌드박스에만 허용).",
            "The API host must start with https:// (http:// only for a sandbox on this computer).",
        ),
        "api_host_shape": (
            "API 주소가 올바르지 않습니다. 예: https://api.iamport.kr",
            "The API host is not a valid address. Example: https://api.iamport.kr",
        ),
        "pg": (
            "PG 설정이 올바르지 않습니다. 예: nice, kcp.A52CY",
            "The PG setting is not valid. Examples: nice, kcp.A52CY",
        ),
        "channel_key": (
            "채널 키에는 영문, 숫자, -, _ 만 쓸 수 있습니다.",
            "The channel key may contain only letters, digits, - and _.",
        ),
        "pg_for_channel_key": (
            "실거래에서 수기결제는 PG로만 보낼 곳이 정해집니다(채널 키는 카드 등록에만 쓰임). "
            "채널 키와 같은 채널의 PG를 입력하세요. 예: kcp.A52CY",
            "Live key-in charges are routed by the PG only (the channel key is used only to "
            "save cards). Enter the PG of the same channel. Example: kcp.A52CY",
        ),
        "store_id": (
            "상점 아이디에는 영문, 숫자, -, _ 만 쓸 수 있습니다. 예: store-4f1a…",
            "The store id may contain only letters, digits, - and _. Example: store-4f1a…",
        ),
        "v2_channel_key_required": (
            "V2 실거래에는 수기결제 채널의 채널 키가 필요합니다 (V2는 채널 키로만 보낼 곳을 "
            "정합니다).",
            "Live V2 needs the channel key of the key-in channel (V2 routes by channel key only).",
        ),
        "api_version": ("API 버전은 v1 또는 v2 입니다.", "The API version is v1 or v2."),
        "terminal_id": (
            "단말기 번호는 영문과 숫자 1~8자입니다.",
            "The terminal id is 1 to 8 letters or digits.",
        ),
        "order_name": (
            f"기본 주문명은 1~{ORDER_NAME_MAX}자입니다.",
            f"The default order name is 1 to {ORDER_NAME_MAX} characters.",
        ),
        "order_name_control": (
            "기본 주문명에는 줄바꿈, 탭, 보이지 않는 제어 문자를 쓸 수 없습니다.",
            "The default order name must not contain line breaks, tabs or invisible control "
            "characters.",
        ),
        "shop_name_length": (
            f"상호는 {_SHOP_NAME_MAX}자 이하입니다.",
            f"The shop name is at most {_SHOP_NAME_MAX} characters.",
        ),
        "shop_name_control": (
            "상호에는 줄바꿈, 탭 같은 제어 문자를 쓸 수 없습니다.",
            "The shop name must not contain control characters such as line breaks or tabs.",
        ),
        "shop_name_card_number": (
            "상호에 카드번호처럼 보이는 긴 숫자는 쓸 수 없습니다.",
            "The shop name must not contain a long number that looks like a card number.",
        ),
        "business_number_shape": (
            "사업자등록번호는 숫자 10자리입니다. 예: 123-45-67890",
            "The business registration number is 10 digits. Example: 123-45-67890",
        ),
        "business_number_check": (
            "사업자등록번호가 올바르지 않습니다(검증 숫자가 맞지 않음). 다시 확인하세요.",
            "This business registration number is not valid (its check digit does not match).",
        ),
        "billing_concurrency": (
            f"정기 결제 동시 처리 수는 1~{MAX_CONCURRENCY} 사이의 숫자입니다.",
            f"Charges at once in a billing run: a number from 1 to {MAX_CONCURRENCY}.",
        ),
        "mode": ("모드는 sandbox 또는 live 입니다.", "The mode is sandbox or live."),
        "language": ("언어는 ko 또는 en 입니다.", "The language is ko or en."),
    }

    def __init__(self, field: str, code: str) -> None:
        self.field = field
        self.code = code
        super().__init__(self.message("ko"))

    def message(self, lang: str = "ko") -> str:
        ko, en = self._TEXT[self.code]
        return en if lang == "en" else ko


def validate_mode(text: str) -> Mode:
    if text == "live":
        return "live"
    if text == "sandbox":
        return "sandbox"
    raise InvalidSetting("mode", "mode")


def validate_language(text: str) -> Language:
    if text == "en":
        return "en"
    if text == "ko":
        return "ko"
    raise InvalidSetting("language", "language")


def validate_api_version(text: str) -> ApiVersion:
    if text == "v1":
        return "v1"
    if text == "v2":
        return "v2"
    raise InvalidSetting("api_version", "api_version")


def validate_api_host(text: str) -> str:
    """The API base URL, normalised ("https://host[:port]", no trailing slash).

    Plain http:// is refused unless the host is loopback (the local sandbox): credentials and
    card data must never cross a network unencrypted.
    """
    value = text.strip().rstrip("/")
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError on a bad port
    except ValueError:
        raise InvalidSetting("api_host", "api_host_shape") from None
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https"):
        raise InvalidSetting("api_host", "api_host_scheme")
    if not host or parts.username or parts.password or parts.query or parts.fragment:
        raise InvalidSetting("api_host", "api_host_shape")
    if parts.path not in ("", "/"):
        raise InvalidSetting("api_host", "api_host_shape")
    if parts.scheme == "http" and not is_loopback_host(host):
        raise InvalidSetting("api_host", "api_host_scheme")
    netloc = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{netloc}" + (f":{port}" if port is not None else "")


def validate_pg(text: str) -> str:
    value = text.strip()
    if value and not _PG.fullmatch(value):
        raise InvalidSetting("pg", "pg")
    return value


def validate_channel_key(text: str) -> str:
    value = text.strip()
    if value and not _CHANNEL_KEY.fullmatch(value):
        raise InvalidSetting("channel_key", "channel_key")
    return value


def validate_store_id(text: str) -> str:
    value = text.strip()
    if value and not _STORE_ID.fullmatch(value):
        raise InvalidSetting("store_id", "store_id")
    return value


def validate_v2_channel_key(text: str) -> str:
    value = text.strip()
    if value and not _CHANNEL_KEY.fullmatch(value):
        raise InvalidSetting("v2_channel_key", "channel_key")
    return value


def validate_terminal_id(text: str) -> str:
    value = text.strip()
    if not _TERMINAL_ID.fullmatch(value):
        raise InvalidSetting("terminal_id", "terminal_id")
    return value


def validate_order_name(text: str) -> str:
    """The default order name goes to PortOne whenever the cashier leaves 주문명 empty, so it
    follows the order-name rule itself (core.order.check_order_name): at most 40 characters,
    no control characters."""
    value = text.strip()
    try:
        return check_order_name(value)
    except InvalidInput as exc:
        code = "order_name_control" if exc.code == "control" else "order_name"
        raise InvalidSetting("default_order_name", code) from None


def validate_shop_name(text: str) -> str:
    """상호 for receipts: optional, one line of at most 40 characters.

    It is printed and kept in the settings file, so whatever the journal's `safe_text` would
    blank as card-shaped (`pos_app.logs.redact`: 12+ grouped or 8+ running digits) is refused
    here instead of being stored.
    """
    value = text.strip()
    if any(unicodedata.category(ch) in _NOT_PRINTABLE for ch in value):
        raise InvalidSetting("shop_name", "shop_name_control")
    if redact(value) != value:
        raise InvalidSetting("shop_name", "shop_name_card_number")
    if len(value) > _SHOP_NAME_MAX:
        raise InvalidSetting("shop_name", "shop_name_length")
    return value


def validate_business_number(text: str) -> str:
    """사업자등록번호 for receipts: optional; typed with or without dashes and spaces (full-width
    digits too), kept as its ten digits, refused when the check digit is wrong."""
    digits = "".join(unicodedata.normalize("NFKC", text).split()).replace("-", "")
    if not digits:
        return ""
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        raise InvalidSetting("business_number", "business_number_shape")
    if not business_number_ok(digits):
        raise InvalidSetting("business_number", "business_number_check")
    return digits


def validate_billing_concurrency(text: str | int) -> int:
    """How many charges a billing run keeps in flight at once: 1 … MAX_CONCURRENCY."""
    value = str(text).strip()
    if not value:
        return DEFAULT_CONCURRENCY
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_CONCURRENCY:
        raise InvalidSetting("billing_concurrency", "billing_concurrency")
    return int(value)


def routing_error(
    mode: str, pg: str, channel_key: str, api_version: str = "v1", v2_channel_key: str = ""
) -> InvalidSetting | None:
    """A live setup that cannot route a key-in charge, or None.

    PortOne V1 routes a one-time key-in charge (`/subscribe/payments/onetime`) by `pg` only; it
    has no `channel_key` field, and a missing or unknown `pg` falls back to the merchant's
    default PG (portone-v1.md §7). A channel key is sent only where the schema has it (billing-
    key issue). So a live till with a channel key but no PG would save cards on the channel it
    names and charge key-in cards on the default PG: someone chose a channel, and charges would
    not go there. That setup is refused. Neither field (everything on the default PG) and a PG
    alone are accepted: the app cannot know offline how many PGs the merchant has, so the
    dialog says that a merchant with several must fill in the PG.

    PortOne V2 routes every card call by channel key (`channelKey`), so a live V2 till needs
    the key-in channel's key: without it nothing could be routed at all.
    """
    if mode != "live":
        return None
    if api_version == "v2":
        if not v2_channel_key.strip():
            return InvalidSetting("v2_channel_key", "v2_channel_key_required")
        return None
    if channel_key.strip() and not pg.strip():
        return InvalidSetting("pg", "pg_for_channel_key")
    return None
