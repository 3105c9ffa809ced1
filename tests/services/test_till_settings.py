"""The rules for the till's non-secret settings (no Qt)."""

from __future__ import annotations

import pytest

from pos_app.services.settings import (
    DEFAULT_API_HOST,
    STATIC_IP_API_HOST,
    InvalidSetting,
    TillSettings,
    validate_api_host,
    validate_pg,
)


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
