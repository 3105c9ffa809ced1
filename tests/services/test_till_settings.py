"""The rules for the till's non-secret settings (no Qt)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import get_args

import pytest

from pos_app.services.places import saved_settings
from pos_app.services.setting_rules import (
    DEFAULT_API_HOST,
    STATIC_IP_API_HOST,
    InvalidSetting,
    Language,
    validate_api_host,
    validate_business_number,
    validate_order_name,
    validate_pg,
    validate_shop_name,
)
from pos_app.services.settings import TillSettings, collect_errors, save_till_settings
from pos_app.services.settings_file import DEFAULT_LANGUAGE, LANGUAGES, read_settings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (DEFAULT_API_HOST, DEFAULT_API_HOST),
        (STATIC_IP_API_HOST + "/", STATIC_IP_API_HOST),
        ("  https://api.iamport.kr  ", DEFAULT_API_HOST),
        ("https://pg.example.co.kr:8443", "https://pg.example.co.kr:8443"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://127.0.0.2", "http://127.0.0.2"),
        ("http://localhost:9000/", "http://localhost:9000"),
        ("http://[::1]:9000", "http://[::1]:9000"),
    ],
)
def test_accepted_api_hosts(text: str, expected: str) -> None:
    assert validate_api_host(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("http://api.iamport.kr", "api_host_scheme"),
        ("http://192.168.0.10:8080", "api_host_scheme"),
        ("http://localhost.example.com", "api_host_scheme"),
        ("ftp://api.iamport.kr", "api_host_scheme"),
        ("api.iamport.kr", "api_host_scheme"),
        ("", "api_host_scheme"),
        ("https://", "api_host_shape"),
        ("https://api.iamport.kr/v1", "api_host_shape"),
        ("https://user:pw@api.iamport.kr", "api_host_shape"),
        ("https://api.iamport.kr?x=1", "api_host_shape"),
        ("https://api.iamport.kr:99999", "api_host_shape"),
    ],
)
def test_refused_api_hosts(text: str, code: str) -> None:
    with pytest.raises(InvalidSetting) as caught:
        validate_api_host(text)
    assert caught.value.field == "api_host"
    assert caught.value.code == code
    assert caught.value.message("en") != caught.value.message("ko")


@pytest.mark.parametrize("pg", ["", "nice", "kcp.A52CY", "html5_inicis.MOI0000000", "danal_tpay"])
def test_pg_forms(pg: str) -> None:
    assert validate_pg(pg) == pg


@pytest.mark.parametrize("pg", ["kcp A52CY", "KCP", "kcp.", ".A52CY", "nice;drop"])
def test_bad_pg(pg: str) -> None:
    with pytest.raises(InvalidSetting):
        validate_pg(pg)


def test_checked_builds_and_normalises() -> None:
    settings = TillSettings.checked(
        mode="live", pg=" nice ", terminal_id="T9", api_host=STATIC_IP_API_HOST + "/"
    )
    assert settings == TillSettings(
        mode="live", pg="nice", terminal_id="T9", api_host=STATIC_IP_API_HOST
    )
    assert settings.live
    with pytest.raises(InvalidSetting) as caught:
        TillSettings.checked(terminal_id="T-1")
    assert caught.value.field == "terminal_id"
    with pytest.raises(InvalidSetting):
        TillSettings.checked(mode="production")


# One text each setting's rule refuses: a setting added without a rule, or with a rule that
# names another setting, fails below.
REFUSED = {
    "mode": "production",
    "pg": "KCP",
    "channel_key": "key with spaces",
    "terminal_id": "T-1",
    "default_order_name": "",
    "api_host": "http://example.com",
    "language": "jp",
    "shop_name": "첫 줄\n둘째 줄",
    "business_number": "220-81-62518",
    "api_version": "v3",
    "store_id": "store id",
    "v2_channel_key": "key with spaces",
    "billing_concurrency": "0",
}


def test_every_setting_is_declared_once_with_its_rule(pos_app_home: Path) -> None:
    names = tuple(f.name for f in fields(TillSettings))
    assert tuple(TillSettings.rules()) == names
    assert set(REFUSED) == set(names)
    for name, text in REFUSED.items():
        with pytest.raises(InvalidSetting) as caught:
            TillSettings.checked(**{name: text})
        assert caught.value.field == name
    # The window and the command line read and write exactly these keys, in the [till] section.
    save_till_settings(TillSettings())
    assert tuple(read_settings().sections[TillSettings.SECTION]) == names
    # The first frame reads the language on its own (settings_file), by the same rule.
    assert get_args(Language) == LANGUAGES and TillSettings().language == DEFAULT_LANGUAGE


def test_shop_name_and_business_number_are_optional() -> None:
    settings = TillSettings.checked()
    assert (settings.shop_name, settings.business_number) == ("", "")
    assert TillSettings() == settings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("   ", ""),
        ("  행복 피아노 학원  ", "행복 피아노 학원"),
        ("김밥천국 (02-123-4567)", "김밥천국 (02-123-4567)"),  # a phone number is no card number
        ("010-1234-5678", "010-1234-5678"),
        ('Café "Bon", 1호점 ; a\\b', 'Café "Bon", 1호점 ; a\\b'),
        ("@홈짐", "@홈짐"),
        ("가" * 40, "가" * 40),
        ("중앙\u3000마트", "중앙\u3000마트"),  # the ideographic space a Korean IME may type
    ],
)
def test_accepted_shop_names(text: str, expected: str) -> None:
    assert validate_shop_name(text) == expected
    assert TillSettings.checked(shop_name=text).shop_name == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("4242 4242 4242 4242", "shop_name_card_number"),
        ("카드 4242-4242-4242-4242 가게", "shop_name_card_number"),
        ("상호4242424242424242", "shop_name_card_number"),
        ("가게 01012345678", "shop_name_card_number"),  # 8+ running digits: part of a card number
        ("가게 ４２４２４２４２４２４２４２４２", "shop_name_card_number"),  # full-width digits
        ("가" * 41, "shop_name_length"),
        ("첫 줄\n둘째 줄", "shop_name_control"),
        ("탭\t상호", "shop_name_control"),
        ("가게\x00", "shop_name_control"),
        ("\u202e점상", "shop_name_control"),  # right-to-left override: prints backwards
        ("줄\u2028바꿈", "shop_name_control"),
    ],
)
def test_refused_shop_names(text: str, code: str) -> None:
    with pytest.raises(InvalidSetting) as caught:
        validate_shop_name(text)
    assert (caught.value.field, caught.value.code) == ("shop_name", code)
    assert caught.value.message("en") != caught.value.message("ko")
    with pytest.raises(InvalidSetting):
        TillSettings.checked(shop_name=text)


# 220-81-62517 and 124-81-00998 have the right check digit (tests/core/test_core_card_fields.py).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("  ", ""),
        ("2208162517", "2208162517"),
        ("220-81-62517", "2208162517"),
        (" 220 81 62517 ", "2208162517"),
        ("124 - 81 - 00998", "1248100998"),
        ("２２０－８１－６２５１７", "2208162517"),  # full-width, as some IMEs type it
    ],
)
def test_accepted_business_numbers(text: str, expected: str) -> None:
    assert validate_business_number(text) == expected
    assert TillSettings.checked(business_number=text).business_number == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("220-81-62518", "business_number_check"),
        ("2208162510", "business_number_check"),
        ("220-81-6251", "business_number_shape"),
        ("220-81-625170", "business_number_shape"),
        ("220.81.62517", "business_number_shape"),
        ("abc-de-fghij", "business_number_shape"),
    ],
)
def test_refused_business_numbers(text: str, code: str) -> None:
    with pytest.raises(InvalidSetting) as caught:
        validate_business_number(text)
    assert (caught.value.field, caught.value.code) == ("business_number", code)
    assert caught.value.message("en") != caught.value.message("ko")


def test_every_problem_is_collected_at_once() -> None:
    errors = collect_errors(
        mode="sandbox",
        pg="kcp A52CY",
        channel_key="",
        terminal_id="T1",
        default_order_name="수기결제",
        api_host=DEFAULT_API_HOST,
        language="ko",
        shop_name="4242 4242 4242 4242",
        business_number="220-81-62518",
    )
    assert [(e.field, e.code) for e in errors] == [
        ("pg", "pg"),
        ("shop_name", "shop_name_card_number"),
        ("business_number", "business_number_check"),
    ]


def test_an_old_settings_file_without_the_receipt_keys_still_loads(pos_app_home: Path) -> None:
    # Written before 상호 / 사업자등록번호 existed: the command line's reader (no Qt).
    pos_app_home.mkdir(parents=True, exist_ok=True)
    (pos_app_home / "settings.ini").write_text(
        "[till]\nmode=sandbox\npg=nice\nterminal_id=T4\nlanguage=en\n", encoding="utf-8"
    )
    settings = saved_settings()
    assert (settings.pg, settings.terminal_id, settings.language) == ("nice", "T4", "en")
    assert (settings.shop_name, settings.business_number) == ("", "")


def test_the_receipt_keys_are_read_from_the_settings_file(pos_app_home: Path) -> None:
    pos_app_home.mkdir(parents=True, exist_ok=True)
    path = pos_app_home / "settings.ini"
    path.write_text(
        '[till]\nterminal_id=T4\nshop_name="행복 피아노, 1호점"\nbusiness_number=2208162517\n',
        encoding="utf-8",
    )
    settings = saved_settings()
    assert (settings.shop_name, settings.business_number) == ("행복 피아노, 1호점", "2208162517")
    # A bad value (hand-edited) falls back alone.
    path.write_text(
        "[till]\nterminal_id=T4\nshop_name=4242424242424242\nbusiness_number=2208162518\n",
        encoding="utf-8",
    )
    settings = saved_settings()
    assert (settings.terminal_id, settings.shop_name, settings.business_number) == ("T4", "", "")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("회비\t1월", "order_name_control"),
        ("회비\u202e", "order_name_control"),
        ("회\u200b비", "order_name_control"),
        ("가" * 41, "order_name"),  # what PortOne takes as an order name, not more
        ("   ", "order_name"),
    ],
)
def test_refused_default_order_names(text: str, code: str) -> None:
    # The default goes to PortOne whenever 주문명 is left empty: the order-name rule applies.
    with pytest.raises(InvalidSetting) as caught:
        validate_order_name(text)
    assert (caught.value.field, caught.value.code) == ("default_order_name", code)
    assert caught.value.message("en") != caught.value.message("ko")
    assert validate_order_name("  PT 10회  ") == "PT 10회"


def test_a_hand_edited_default_order_name_with_a_control_character_falls_back(
    pos_app_home: Path,
) -> None:
    pos_app_home.mkdir(parents=True, exist_ok=True)
    (pos_app_home / "settings.ini").write_text(
        "[till]\nterminal_id=T4\ndefault_order_name=회비\u202e1월\n", encoding="utf-8"
    )
    settings = saved_settings()
    assert (settings.terminal_id, settings.default_order_name) == ("T4", "수기결제")


def _entered(**changes: str) -> dict[str, str]:
    entered = {
        "mode": "live",
        "pg": "",
        "channel_key": "",
        "terminal_id": "T1",
        "default_order_name": "수기결제",
        "api_host": DEFAULT_API_HOST,
        "language": "ko",
        "shop_name": "",
        "business_number": "",
    }
    entered.update(changes)
    return entered


@pytest.mark.parametrize(
    ("mode", "pg", "channel_key", "refused"),
    [
        ("live", "", "channel-key-0001", True),  # onetime would go to the default PG
        ("live", "kcp.A52CY", "channel-key-0001", False),
        ("live", "kcp.A52CY", "", False),
        ("live", "", "", False),  # everything on the merchant's default PG
        ("sandbox", "", "channel-key-0001", False),  # no real routing in the sandbox
    ],
)
def test_a_live_setup_that_cannot_route_a_key_in_charge_is_refused(
    mode: str, pg: str, channel_key: str, refused: bool
) -> None:
    entered = _entered(mode=mode, pg=pg, channel_key=channel_key)
    errors = [(e.field, e.code) for e in collect_errors(**entered)]
    assert (("pg", "pg_for_channel_key") in errors) is refused
    if refused:
        with pytest.raises(InvalidSetting) as caught:
            TillSettings.checked(**entered)
        assert "PG" in caught.value.message("ko") and "PG" in caught.value.message("en")
    else:
        assert TillSettings.checked(**entered).pg == pg


def test_a_saved_live_setup_that_cannot_route_opens_in_sandbox_mode(pos_app_home: Path) -> None:
    # A file written before the rule: the till must not charge live on the default PG.
    pos_app_home.mkdir(parents=True, exist_ok=True)
    (pos_app_home / "settings.ini").write_text(
        "[till]\nmode=live\npg=\nchannel_key=channel-key-0001\nterminal_id=T4\n", encoding="utf-8"
    )
    settings = saved_settings()
    assert (settings.mode, settings.channel_key, settings.terminal_id) == (
        "sandbox",
        "channel-key-0001",
        "T4",
    )


@pytest.mark.parametrize(("length", "ok"), [(40, True), (41, False), (60, False)])
def test_the_default_order_name_fits_an_order(length: int, ok: bool) -> None:
    # A 60-character default used to be saved, then refused on every charge (issue 12, #7).
    entered = _entered(mode="sandbox", default_order_name="가" * length)
    errors = [(e.field, e.code) for e in collect_errors(**entered)]
    assert (("default_order_name", "order_name") not in errors) is ok
