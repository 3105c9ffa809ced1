"""The till's non-secret settings and their rules, with no Qt: the UI stores them in QSettings.

Secrets (imp_key, imp_secret) are not here: they live only in the keychain
(`pos_app.services.credentials`).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from pos_app.services.credentials import Credentials

Mode = Literal["sandbox", "live"]
Language = Literal["ko", "en"]

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
# Goes into every merchant_uid, so short and plain.
_TERMINAL_ID = re.compile(r"[A-Za-z0-9]{1,8}")
_ORDER_NAME_MAX = 100


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
        "terminal_id": (
            "단말기 번호는 영문과 숫자 1~8자입니다.",
            "The terminal id is 1 to 8 letters or digits.",
        ),
        "order_name": (
            f"기본 주문명은 1~{_ORDER_NAME_MAX}자입니다.",
            f"The default order name is 1 to {_ORDER_NAME_MAX} characters.",
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


def is_loopback_host(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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


def validate_terminal_id(text: str) -> str:
    value = text.strip()
    if not _TERMINAL_ID.fullmatch(value):
        raise InvalidSetting("terminal_id", "terminal_id")
    return value


def validate_order_name(text: str) -> str:
    value = text.strip()
    if not value or len(value) > _ORDER_NAME_MAX:
        raise InvalidSetting("default_order_name", "order_name")
    return value


@dataclass(frozen=True)
class TillSettings:
    """Everything about a till that is not secret. `mode` is the person's explicit choice."""

    mode: Mode = "sandbox"
    pg: str = ""
    channel_key: str = ""
    terminal_id: str = DEFAULT_TERMINAL_ID
    default_order_name: str = DEFAULT_ORDER_NAME
    api_host: str = DEFAULT_API_HOST
    language: Language = "ko"

    @property
    def live(self) -> bool:
        return self.mode == "live"

    @classmethod
    def checked(
        cls,
        *,
        mode: str = "sandbox",
        pg: str = "",
        channel_key: str = "",
        terminal_id: str = DEFAULT_TERMINAL_ID,
        default_order_name: str = DEFAULT_ORDER_NAME,
        api_host: str = DEFAULT_API_HOST,
        language: str = "ko",
    ) -> TillSettings:
        """Build from text, raising InvalidSetting for the first unacceptable field."""
        errors = collect_errors(
            mode=mode,
            pg=pg,
            channel_key=channel_key,
            terminal_id=terminal_id,
            default_order_name=default_order_name,
            api_host=api_host,
            language=language,
        )
        if errors:
            raise errors[0]
        return cls(
            mode="live" if mode == "live" else "sandbox",
            pg=validate_pg(pg),
            channel_key=validate_channel_key(channel_key),
            terminal_id=validate_terminal_id(terminal_id),
            default_order_name=validate_order_name(default_order_name),
            api_host=validate_api_host(api_host),
            language="en" if language == "en" else "ko",
        )


def collect_errors(
    *,
    mode: str,
    pg: str,
    channel_key: str,
    terminal_id: str,
    default_order_name: str,
    api_host: str,
    language: str,
) -> list[InvalidSetting]:
    """Every field's problem at once, for a form."""
    errors: list[InvalidSetting] = []
    if mode not in ("sandbox", "live"):
        errors.append(InvalidSetting("mode", "mode"))
    if language not in ("ko", "en"):
        errors.append(InvalidSetting("language", "language"))
    checks = (
        (validate_pg, pg),
        (validate_channel_key, channel_key),
        (validate_terminal_id, terminal_id),
        (validate_order_name, default_order_name),
        (validate_api_host, api_host),
    )
    for check, value in checks:
        try:
            check(value)
        except InvalidSetting as exc:
            errors.append(exc)
    return errors


def live_target(settings: TillSettings) -> tuple[str, Credentials] | None:
    """(API base, credentials) for a live till, or None for sandbox.

    Live only when the person chose live AND the keychain holds the pair: a missing, locked or
    unsafe keychain leaves the till in sandbox mode (the banner and title then say so), never
    live with secrets from anywhere else. Talks to the keychain: call it off the GUI thread.
    """
    from pos_app.services.credentials import load_credentials

    if not settings.live:
        return None
    credentials = load_credentials()
    if credentials is None:
        return None
    return settings.api_host, credentials
