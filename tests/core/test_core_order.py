"""Orders, merchant_uid and customer_uid."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.errors import InvalidInput
from pos_app.core.order import (
    Buyer,
    Order,
    check_customer_uid,
    check_merchant_uid,
    check_order_name,
    new_merchant_uid,
    normalise_order_name,
    suggest_customer_uid,
)
from pos_app.core.romanize import romanize

UID = re.compile(r"[A-Za-z0-9_-]+")


def test_new_merchant_uid_shape() -> None:
    uid = new_merchant_uid("T1")
    assert re.fullmatch(r"\d{8}T\d{9}-T1-[0-9a-f]{8}", uid)
    assert check_merchant_uid(uid) == uid
    assert len(new_merchant_uid("A" * 12)) <= 40


def test_merchant_uids_are_unique_and_sorted_by_time() -> None:
    uids = [new_merchant_uid("T1") for _ in range(5000)]
    assert len(set(uids)) == len(uids)
    assert uids == sorted(uids)


def test_merchant_uids_from_other_terminals_interleave_by_time() -> None:
    uids = [new_merchant_uid(terminal) for _ in range(200) for terminal in ("T1", "POS2", "b")]
    assert [u.split("-")[0] for u in uids] == sorted(u.split("-")[0] for u in uids)
    assert len(set(uids)) == len(uids)


def test_merchant_uids_differ_across_restarts() -> None:
    code = "from pos_app.core.order import new_merchant_uid as n; print(n('T1'))"
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    first, second = (run.stdout.strip() for run in runs)
    assert first != second
    assert first < second


@given(st.text("ABCxyz019_", min_size=1, max_size=12))
@settings(max_examples=200, deadline=None)
def test_merchant_uid_always_valid(terminal: str) -> None:
    uid = new_merchant_uid(terminal)
    assert len(uid) <= 40
    assert UID.fullmatch(uid)


@pytest.mark.parametrize("terminal", ["", "T-1", "카운터", "A" * 13, "T 1"])
def test_bad_terminal_ids(terminal: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        new_merchant_uid(terminal)
    assert (caught.value.field, caught.value.code) == ("merchant_uid", "terminal")


@pytest.mark.parametrize(
    ("uid", "code"),
    [("", "empty"), ("a" * 41, "length"), ("order 1", "format"), ("주문1", "format")],
)
def test_check_merchant_uid_refusals(uid: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_merchant_uid(uid)
    assert (caught.value.field, caught.value.code) == ("merchant_uid", code)


def test_check_merchant_uid_accepts_40() -> None:
    assert check_merchant_uid("a-_" * 13 + "Z") == "a-_" * 13 + "Z"


def test_order_checks_its_rules() -> None:
    order = Order("order-1", 12000, "아메리카노 2잔")
    assert order.vat_amount == 1091
    assert Order("order-2", 60000, "케이크", tax_free=10000, card_quota=3).vat_amount == 4545
    with pytest.raises(InvalidInput) as caught:
        Order("order 1", 12000, "x")
    assert caught.value.field == "merchant_uid"
    bad_fields: list[tuple[dict[str, object], str]] = [
        (dict(amount=0), "amount"),
        (dict(amount=100_000_000), "amount"),
        (dict(name=""), "order_name"),
        (dict(name="   "), "order_name"),
        (dict(name="가" * 41), "order_name"),
        (dict(tax_free=12001), "tax_free"),
        (dict(card_quota=1), "installment"),
        (dict(card_quota=3), "installment"),  # below 50,000 won
    ]
    for bad, field in bad_fields:
        fields = {"merchant_uid": "o1", "amount": 12000, "name": "x", **bad}
        with pytest.raises(InvalidInput) as caught:
            Order(**fields)  # type: ignore[arg-type]
        assert caught.value.field == field


def test_order_and_buyer_are_frozen() -> None:
    order = Order("o1", 1000, "x")
    with pytest.raises(AttributeError):
        order.amount = 2  # type: ignore[misc]
    assert Buyer() == Buyer("", "", "")
    assert Buyer(name="홍길동").name == "홍길동"


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("홍길동", "honggildong"),
        ("김영이", "gimyeongi"),
        ("이순신", "isunsin"),
        ("박지성", "bakjiseong"),
        ("한글", "hangeul"),
        ("길이", "giri"),
        ("최", "choe"),
        ("José", "Jose"),
    ],
)
def test_romanize(text: str, latin: str) -> None:
    assert romanize(text) == latin


@pytest.mark.parametrize(
    ("member", "last4", "expected"),
    [
        ("홍길동", "4242", "honggildong_4242"),
        ("M-0001", "1234", "M-0001_1234"),
        ("gildong_0001", "1234", "gildong_0001_1234"),
        ("홍 길동", "0005", "hong_gildong_0005"),
        ("Jöhn Doe", "1234", "John_Doe_1234"),
        ("  kim@example.com ", "9999", "kim_example_com_9999"),
    ],
)
def test_suggest_customer_uid(member: str, last4: str, expected: str) -> None:
    assert suggest_customer_uid(member, last4) == expected


def test_suggest_customer_uid_hashes_unreadable_names() -> None:
    uid = suggest_customer_uid("洪吉童", "1234")
    assert re.fullmatch(r"m[0-9a-f]{10}_1234", uid)
    assert suggest_customer_uid("洪吉童", "1234") == uid
    assert suggest_customer_uid("金吉童", "1234") != uid


@given(st.text(min_size=1, max_size=200), st.text("0123456789", min_size=4, max_size=4))
@settings(max_examples=200, deadline=None)
def test_suggested_customer_uid_always_valid(member: str, last4: str) -> None:
    if not member.strip():
        return
    uid = suggest_customer_uid(member, last4)
    assert check_customer_uid(uid) == uid
    assert len(uid) <= 80
    assert uid.endswith("_" + last4)


@pytest.mark.parametrize(
    ("member", "last4", "code"),
    [
        ("", "1234", "member"),
        (" ", "1234", "member"),
        ("kim", "123", "last4"),
        ("kim", "12a4", "last4"),
    ],
)
def test_suggest_customer_uid_refusals(member: str, last4: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        suggest_customer_uid(member, last4)
    assert (caught.value.field, caught.value.code) == ("customer_uid", code)


@pytest.mark.parametrize(
    ("uid", "code"), [("", "empty"), ("a" * 81, "length"), ("a b", "format"), ("홍길동", "format")]
)
def test_check_customer_uid_refusals(uid: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_customer_uid(uid)
    assert (caught.value.field, caught.value.code) == ("customer_uid", code)


@pytest.mark.parametrize(
    "name",
    [
        "1월\n회비",
        "1월\r회비",
        "1월\t회비",
        "1월\x00회비",
        "1월\x1b[31m회비",
        "회비\u202e3202",  # right-to-left override: shows reversed text on the receipt
        "회\u200b비",  # zero-width space
        "회\u200d비",  # zero-width joiner
        "\ufeff회비",  # a stray byte-order mark
        "회비\u2028",  # line separator
        "회비\x85",  # NEL, a C1 control
    ],
)
def test_order_names_with_control_characters_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_order_name(name)
    assert (raised.value.field, raised.value.code) == ("order_name", "control")
    with pytest.raises(InvalidInput):
        normalise_order_name(name)  # refused before whitespace is collapsed, never a space
    with pytest.raises(InvalidInput):
        Order("M-1", 1000, name)


def test_normalised_order_name() -> None:
    assert normalise_order_name("  1월   회비\u3000 ") == "1월 회비"
    assert normalise_order_name("\u1112\u116c\u1107\u1175") == "회비"  # NFD -> NFC
    assert check_order_name("PT 10회 (주말)") == "PT 10회 (주말)"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("192.168.0.10", False),
        ("api.iamport.kr", False),
        ("localhost.evil.example", False),
        ("", False),
    ],
)
def test_loopback_is_this_computer_only(host: str, loopback: bool) -> None:
    from pos_app.core.loopback import is_loopback_host

    assert is_loopback_host(host) is loopback
