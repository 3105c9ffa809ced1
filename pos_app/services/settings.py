"""The till's non-secret settings, each declared once; no Qt.

A settings file section is a frozen dataclass (`SettingsSection`): each field is one setting,
declared by its annotation (the type), `setting(default, rule)` (the default and the rule that
turns text typed in the settings dialog or saved in the file into the value, raising
InvalidSetting: services/setting_rules.py), and the class's `SECTION` (where it is kept in the
file). `TillSettings` below is
the `[till]` section; `services/store_server.py`'s `StoreServerSettings` is `[store_server]`.
Everything else is derived from those declarations: the dialog's checks (`collect_errors`), the
value-by-value fallback of a saved file (`TillSettings.from_saved`), and the keys read and
written by the one reader and writer of the file, `services/settings_file.py`, which the window,
the command line and `services/places.py` all go through.

Secrets (V1's imp_key and imp_secret, V2's API secret, the store server's password) are not
here: they live only in the keychain (`pos_app.services.credentials`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from pos_app.services.pacing import DEFAULT_CONCURRENCY
from pos_app.services.setting_rules import (
    DEFAULT_API_HOST,
    DEFAULT_ORDER_NAME,
    DEFAULT_TERMINAL_ID,
    InvalidSetting,
    Language,
    Mode,
    routing_error,
    validate_api_host,
    validate_api_version,
    validate_billing_concurrency,
    validate_business_number,
    validate_channel_key,
    validate_language,
    validate_mode,
    validate_order_name,
    validate_pg,
    validate_shop_name,
    validate_store_id,
    validate_terminal_id,
    validate_v2_channel_key,
)
from pos_app.services.settings_file import (
    DEFAULT_LANGUAGE,
    TILL_SECTION,
    SavedFile,
    decode_value,
    read_settings,
    settings_path,
    write_section,
)

if TYPE_CHECKING:
    from pos_app.gateway.port import ApiVersion


# --- Declaring settings ------------------------------------------------------------------------

T = TypeVar("T")
# Text typed or saved -> the setting's value; raises InvalidSetting.
Rule = Callable[[str], Any]


def setting(default: T, rule: Callable[[str], T]) -> T:
    """Declare one setting of a section: its default and its rule (the field's annotation is
    its type, the field's name its key in the file)."""
    return field(default=default, metadata={"rule": rule})


@dataclass(frozen=True)
class SettingsSection:
    """One section of the settings file; subclasses declare their settings with `setting()`."""

    SECTION: ClassVar[str] = ""

    @classmethod
    def rules(cls) -> dict[str, Rule]:
        """Each setting's name and rule, in the order declared."""
        return {f.name: f.metadata["rule"] for f in fields(cls)}

    @classmethod
    def field_errors(cls, values: Mapping[str, str | int]) -> list[InvalidSetting]:
        """Each given value its own rule refuses, in the order the settings are declared."""
        rules = cls.rules()
        unknown = sorted(set(values) - set(rules))
        if unknown:
            raise TypeError(f"{cls.__name__} has no setting {unknown[0]!r}")
        errors: list[InvalidSetting] = []
        for name, rule in rules.items():
            if name in values:
                try:
                    rule(str(values[name]))
                except InvalidSetting as exc:
                    errors.append(exc)
        return errors

    @classmethod
    def from_values(cls, values: Mapping[str, str | int]) -> Self:
        """Built from text through each setting's rule (InvalidSetting for the first refused);
        a setting not given takes its default."""
        rules = cls.rules()
        return cls(**{name: rules[name](str(value)) for name, value in values.items()})

    @classmethod
    def accepted(cls, values: Mapping[str, str]) -> dict[str, str]:
        """The values their own rules accept (a saved file's: a bad one falls back alone)."""
        errors = {e.field for e in cls.field_errors(values)}
        return {name: value for name, value in values.items() if name not in errors}

    @classmethod
    def saved_texts(cls, saved: SavedFile | None = None) -> dict[str, str]:
        """This section's settings as the file holds them (text), those that are there."""
        return (saved or read_settings()).texts(cls.SECTION, tuple(cls.rules()))

    def as_texts(self) -> dict[str, str]:
        """Each setting as text, the way the file keeps it and the rules read it back."""
        return {name: str(getattr(self, name)) for name in self.rules()}


# --- The till: [till] --------------------------------------------------------------------------


@dataclass(frozen=True)
class TillSettings(SettingsSection):
    """Everything about a till that is not secret. `mode` is the person's explicit choice."""

    SECTION: ClassVar[str] = TILL_SECTION

    mode: Mode = setting("sandbox", validate_mode)
    pg: str = setting("", validate_pg)
    channel_key: str = setting("", validate_channel_key)
    terminal_id: str = setting(DEFAULT_TERMINAL_ID, validate_terminal_id)
    default_order_name: str = setting(DEFAULT_ORDER_NAME, validate_order_name)
    api_host: str = setting(DEFAULT_API_HOST, validate_api_host)
    language: Language = setting(DEFAULT_LANGUAGE, validate_language)
    # 상호, printed on receipts.
    shop_name: str = setting("", validate_shop_name)
    # 사업자등록번호: ten digits, or "" (format_business_number shows it).
    business_number: str = setting("", validate_business_number)
    # Which PortOne API the shop's contract is on. V1 uses pg, channel_key and api_host above
    # (and imp_key/imp_secret in the keychain); V2 the two below (and its API secret).
    api_version: ApiVersion = setting("v1", validate_api_version)
    # V2's store id (sent as storeId when set).
    store_id: str = setting("", validate_store_id)
    # V2's key-in channel: routes every V2 card call.
    v2_channel_key: str = setting("", validate_v2_channel_key)
    # Charges a billing run keeps in flight at once (services/billing_run.py).
    billing_concurrency: int = setting(DEFAULT_CONCURRENCY, validate_billing_concurrency)

    @property
    def live(self) -> bool:
        return self.mode == "live"

    @classmethod
    def checked(cls, **values: str | int) -> TillSettings:
        """Build from text, raising InvalidSetting for the first unacceptable field; a setting
        not given takes its default."""
        errors = collect_errors(**values)
        if errors:
            raise errors[0]
        return cls.from_values(values)

    @classmethod
    def from_saved(cls, values: Mapping[str, str]) -> TillSettings:
        """Settings read back from a file: a value its own rule refuses falls back to its
        default, and a live setup that cannot route a key-in charge (`routing_error`, e.g. a
        file saved before that rule) opens in sandbox mode, where the banner says no real
        charge happens, until someone fixes it in 설정."""
        good = cls.accepted(values)
        defaults = cls()
        routing = routing_error(
            good.get("mode", defaults.mode),
            good.get("pg", defaults.pg),
            good.get("channel_key", defaults.channel_key),
            good.get("api_version", defaults.api_version),
            good.get("v2_channel_key", defaults.v2_channel_key),
        )
        if routing is not None:
            good["mode"] = "sandbox"
        return cls.checked(**good)


def collect_errors(**values: str | int) -> list[InvalidSetting]:
    """Every problem of the settings given (by name, as text) at once, for a form: each value's
    own rule, then whether a live setup can route a key-in charge."""
    errors = TillSettings.field_errors(values)
    if not any(e.field in ("pg", "v2_channel_key") for e in errors):
        defaults = TillSettings().as_texts()
        given = {**defaults, **{name: str(value) for name, value in values.items()}}
        routing = routing_error(
            given["mode"],
            given["pg"],
            given["channel_key"],
            given["api_version"],
            given["v2_channel_key"],
        )
        if routing is not None:
            errors.append(routing)
    return errors


# --- Reading and writing [till] ---------------------------------------------------------------


def load_till_settings(saved: SavedFile | None = None) -> TillSettings:
    """The saved settings (the file read now, or `saved`); a missing or unacceptable value falls
    back to its default (`TillSettings.from_saved`). Never raises: a broken file means defaults.
    `services.places.saved_settings` is the stricter read a till opens with."""
    return TillSettings.from_saved(TillSettings.saved_texts(saved))


def invalid_saved_api_host(saved: SavedFile | None = None) -> tuple[str, InvalidSetting] | None:
    """The saved API host as written and why it is refused, when it is: load_till_settings()
    gives the default instead, which neither the settings dialog nor a live till may let pass
    unnoticed."""
    saved = saved or read_settings()
    raw = saved.raw(TillSettings.SECTION, "api_host")
    if raw is None:
        return None
    text = decode_value(raw)
    if text is None:  # no one string (a list, an @Variant): not an address either
        return raw, InvalidSetting("api_host", "api_host_shape")
    try:
        validate_api_host(text)
    except InvalidSetting as exc:
        return text, exc
    return None


def save_till_settings(settings: TillSettings) -> None:
    """Keep the settings in the file (the other sections and keys stay). Raises
    SettingsNotSaved."""
    save_section(settings)


def save_section(settings: SettingsSection) -> Path:
    """Write one section's settings, as text, to the settings file. Raises SettingsNotSaved."""
    path = settings_path()
    try:
        return write_section(settings.SECTION, settings.as_texts(), path)
    except OSError as exc:
        raise SettingsNotSaved(path, exc) from exc


class SettingsNotSaved(Exception):
    """The settings file could not be written (a read-only folder, a full disk): nothing was
    changed, and the person must be told so rather than believe the settings were kept."""

    def __init__(self, path: Path, cause: OSError) -> None:
        self.where = str(path)
        self.why = cause.strerror or type(cause).__name__
        super().__init__(self.message("en"))

    def message(self, lang: str = "ko") -> str:
        if lang == "en":
            return f"The settings could not be saved ({self.why}): {self.where}"
        return f"설정을 저장하지 못했습니다 ({self.why}): {self.where}"
