"""Every rule has a Korean message (the default) and an English one; errors never echo input."""

from __future__ import annotations

import pickle
import re

import pytest

from pos_app.core import errors
from pos_app.core.errors import InvalidInput

HANGUL = re.compile(r"[가-힣]")
# Limits that some messages name, as the rules format them.
PARAMS: dict[str, str | int] = {
    "brand": "VISA",
    "lengths": "13, 16, 19",
    "years": 20,
    "ceiling": "99,999,999",
    "minimum": "50,000",
    "limit": 40,
    "maximum": "55,000",
    "today": "2026-12-05",
}
CONTRACT_FIELDS = {
    "card_number",
    "expiry",
    "birth",
    "pin",
    "amount",
    "tax_free",
    "installment",
    "customer_uid",
    "merchant_uid",
    "order_name",
    "billing_period",
    # member plans (issue 15): the billing day and the optional start and end months
    "billing_day",
    "plan_month",
    # a billing run's date (issue 15): never after today
    "due_date",
    "reason",
    # onetime/again's buyer limits (issue 12): the customer form stops typing at them, so these
    # reach no form row; they guard the other ways a Buyer is built.
    "buyer_tel",
    "buyer_email",
    "refund_amount",
}


def all_errors() -> list[InvalidInput]:
    return [InvalidInput(field, code, **PARAMS) for field, code in errors._CATALOG]


def test_fields_are_the_agreed_ones() -> None:
    assert errors.FIELDS == CONTRACT_FIELDS


@pytest.mark.parametrize("error", all_errors(), ids=repr)
def test_every_message_in_both_languages(error: InvalidInput) -> None:
    korean, english = error.message(), error.message("en")
    assert str(error) == korean == error.message("ko") == error.args[0]
    assert HANGUL.search(korean), korean
    assert not HANGUL.search(english.replace("원", "")), english
    assert "{" not in korean + english  # every placeholder filled
    assert korean.endswith((".", ")")) and english.endswith((".", ")"))
    assert error.message("en-US") == english
    assert error.message("ja") == korean  # unknown language falls back to Korean


def test_example_message() -> None:
    error = InvalidInput("card_number", "luhn")
    assert str(error) == "카드번호가 올바르지 않습니다. 숫자를 다시 확인해 주세요."
    assert error.message("en") == "The card number is not valid. Check the digits again."
    assert repr(error) == "InvalidInput(field='card_number', code='luhn')"
    assert isinstance(error, ValueError)


def test_unknown_code_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        InvalidInput("card_number", "nope")


def test_invalid_input_survives_pickling() -> None:
    # Errors cross threads and processes (worker -> GUI); they carry no input, so this is safe.
    error = InvalidInput("amount", "too_large", ceiling="99,999,999")
    again = pickle.loads(pickle.dumps(error))
    assert (again.field, again.code, str(again)) == ("amount", "too_large", str(error))
