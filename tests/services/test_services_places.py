"""Where the till talks: explicit sandbox address > chosen live mode with keychain > embedded."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from till_parts import client_of, index_of

from pos_app.services import places
from pos_app.services.opening import open_till
from pos_app.services.settings import TillSettings
from pos_app.services.settings_file import decode_value, settings_path

QSETTINGS_INI = """[till]
mode=live
pg=kcp.A52CY
channel_key=
terminal_id=T7
default_order_name=정기 결제
api_host=https://static-api.iamport.kr
language=ko
shop_name="행복 피아노, 1호점"
business_number=2208162517
"""


@pytest.fixture
def live_settings_file(pos_app_home: Path) -> Path:
    pos_app_home.mkdir(parents=True, exist_ok=True)
    path = pos_app_home / "settings.ini"
    path.write_text(QSETTINGS_INI, encoding="utf-8")
    return path


@pytest.fixture
def keychain_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    pair = SimpleNamespace(imp_key="key", imp_secret="secret")
    monkeypatch.setattr(places, "load_credentials", lambda: pair)


def test_saved_settings_read_without_qt(live_settings_file: Path) -> None:
    assert settings_path() == live_settings_file
    settings = places.saved_settings()
    assert (settings.mode, settings.pg, settings.terminal_id) == ("live", "kcp.A52CY", "T7")
    assert settings.api_host == "https://static-api.iamport.kr"
    assert settings.default_order_name == "정기 결제"  # Qt 6 writes UTF-8 as it is
    assert (settings.shop_name, settings.business_number) == ("행복 피아노, 1호점", "2208162517")
    live_settings_file.write_text("[till]\nmode=live\nterminal_id=far too long id\n")
    assert places.saved_settings().terminal_id == "T1"  # a bad value falls back alone
    live_settings_file.write_text("not an ini file [")
    assert places.saved_settings() == TillSettings()


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("plain 텍스트", "plain 텍스트"),
        ('"김밥, 천국"', "김밥, 천국"),  # quoted for its comma (and for ; = and edge spaces)
        ('"  sp "', "  sp "),
        ('Café \\"Bon\\"', 'Café "Bon"'),
        ("a\\\\b", "a\\b"),
        ("@@home", "@home"),
        ("", ""),
        ("a, b", None),  # QSettings reads a list
        ("@Invalid()", None),
        ("\\uc218", None),  # an escape QSettings does not write: the default is kept
    ],
)
def test_ini_values_read_as_qsettings_reads_them(raw: str, value: str | None) -> None:
    assert decode_value(raw) == value


def test_live_needs_the_choice_and_the_pair(
    live_settings_file: Path, keychain_pair: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("POS_APP_API_BASE", raising=False)
    assert places.current_mode() == "live"
    with open_till() as till:  # nothing is sent: opening does not talk to PortOne
        assert (till.mode, till.api_base, till.terminal) == (
            "live",
            "https://static-api.iamport.kr",
            "T7",
        )
        assert till.journal_path is not None  # this counter's own files
        assert till.pg == "kcp.A52CY" and till.journal_path.parent.name == "live"
    assert places.current_mode(TillSettings()) == "sandbox"


def test_sandbox_address_wins_over_live(
    live_settings_file: Path, keychain_pair: None, sandbox_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POS_APP_API_BASE", sandbox_url)
    assert places.current_mode() == "sandbox"
    with open_till() as till:
        assert (till.mode, till.api_base) == ("sandbox", sandbox_url)


def test_live_chosen_without_pair_opens_the_sandbox(
    live_settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("POS_APP_API_BASE", raising=False)
    monkeypatch.setattr(places, "load_credentials", lambda: None)
    assert places.current_mode() == "sandbox"
    with open_till() as till:
        assert till.mode == "sandbox" and till.api_base.startswith("http://127.0.0.1:")


def test_pair_without_choosing_live_stays_sandbox(
    keychain_pair: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("POS_APP_API_BASE", raising=False)
    assert places.current_mode() == "sandbox"
    with open_till(settings=TillSettings(mode="sandbox", terminal_id="T2")) as till:
        assert (till.mode, till.terminal) == ("sandbox", "T2")


# -- PortOne V2 -----------------------------------------------------------------------------------

V2_SETTINGS_INI = """[till]
mode=live
api_version=v2
store_id=store-4f1a2b3c-0000-4000-8000-123456789abc
v2_channel_key=channel-key-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
terminal_id=T3
"""


@pytest.fixture
def v2_settings_file(pos_app_home: Path) -> Path:
    pos_app_home.mkdir(parents=True, exist_ok=True)
    path = pos_app_home / "settings.ini"
    path.write_text(V2_SETTINGS_INI, encoding="utf-8")
    return path


def test_v2_settings_read_without_qt(v2_settings_file: Path) -> None:
    settings = places.saved_settings()
    assert (settings.mode, settings.api_version) == ("live", "v2")
    assert settings.store_id == "store-4f1a2b3c-0000-4000-8000-123456789abc"
    assert settings.v2_channel_key.startswith("channel-key-0f1e")
    # Live V2 without its channel key could route nothing: it opens in sandbox mode.
    v2_settings_file.write_text("[till]\nmode=live\napi_version=v2\n")
    assert (places.saved_settings().mode, places.saved_settings().api_version) == (
        "sandbox",
        "v2",
    )


def test_api_version_env_wins_and_a_typo_is_an_error(
    v2_settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert places.api_version(places.saved_settings()) == "v2"
    monkeypatch.setenv("POS_APP_API_VERSION", "V1")
    assert places.api_version(places.saved_settings()) == "v1"
    monkeypatch.setenv("POS_APP_API_VERSION", "v3")
    with pytest.raises(places.BadApiVersion) as bad:
        places.api_version(TillSettings())
    assert "POS_APP_API_VERSION" in bad.value.message("en")
    with pytest.raises(places.BadApiVersion):
        open_till()  # never the other API by accident


def test_live_v2_needs_its_secret(v2_settings_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POS_APP_API_BASE", raising=False)
    monkeypatch.setattr(places, "load_v2_secret", lambda: None)
    # V1's pair is no V2 secret.
    monkeypatch.setattr(places, "load_credentials", lambda: SimpleNamespace(imp_key="k"))
    assert places.current_mode() == "sandbox"
    with open_till() as till:
        assert till.mode == "sandbox" and till.version == "v2"
        assert client_of(till).base_url.endswith("/v2") and till.origin == "sandbox:v2"
    secret = SimpleNamespace(secret="live-v2-secret")
    monkeypatch.setattr(places, "load_v2_secret", lambda: secret)
    assert places.current_mode() == "live"
    with open_till() as till:  # nothing is sent: opening does not talk to PortOne
        client = client_of(till)
        assert (till.mode, client.version, client.base_url) == (
            "live",
            "v2",
            "https://api.portone.io",
        )
        assert till.origin == "live:v2" and (till.pg, till.channel_key) == (None, None)
        index_path = index_of(till).path
        assert index_path is not None and index_path.name == "customers-v2.sqlite3"
        assert till.journal_path == places.journal_path("live")  # one journal for the shop


def test_v1_and_v2_keep_their_saved_cards_apart(
    sandbox_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pos_app.core.card import KeyInCard

    card = ("4242424242424242", "12/39", "880101", "12")
    with open_till(sandbox_url) as v1:
        v1.issue_key("both_4242", KeyInCard.parse(*card))
        assert v1.origin == f"sandbox:{sandbox_url}"
    monkeypatch.setenv("POS_APP_API_VERSION", "v2")
    with open_till(sandbox_url) as v2:
        assert v2.customers() == []  # a V1 card is no V2 billing key
        key = v2.issue_key("both_4242", KeyInCard.parse(*card))
        assert index_of(v2).billing_key_of("both_4242") == key.billing_key != ""
        assert v2.origin == f"sandbox:{sandbox_url}:v2"
    monkeypatch.setenv("POS_APP_API_VERSION", "v1")
    with open_till(sandbox_url) as v1:
        (row,) = v1.customers()
        assert row.customer_uid == "both_4242" and row.billing_key == ""
