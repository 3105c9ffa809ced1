"""KeyInCard: the only carrier of card data, and it never shows more than the last four digits."""

from __future__ import annotations

import copy
import logging
import pickle
import re
from datetime import date

import pytest
from card_strategies import valid_numbers, written_forms
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.card import Brand, CardWiped, InvalidInput, KeyInCard, mask, validate_card

TODAY = date(2026, 11, 23)
FAST = settings(max_examples=200, deadline=None)


def card(number: str = "4242 4242 4242 4242", birth: str = "990101", pin2: str = "12") -> KeyInCard:
    return KeyInCard.parse(number, "12/29", birth, pin2, today=TODAY)


def leaks(digits: str, text: str) -> bool:
    """True when any 5 consecutive digits of the number appear in `text` (after removing
    separators), i.e. more than the last four were shown."""
    flat = re.sub(r"[\s\-*]", "", text)
    return any(digits[i : i + 5] in flat for i in range(len(digits) - 4))


def test_parse_and_portone_fields() -> None:
    visa = card()
    assert visa.brand is Brand.VISA
    assert visa.last4 == "4242"
    assert visa.masked == "**** **** **** 4242"
    assert not visa.is_corporate
    assert visa.portone_fields() == {
        "card_number": "4242-4242-4242-4242",
        "expiry": "2029-12",
        "birth": "990101",
        "pwd_2digit": "12",
    }


def test_amex_is_sent_in_its_4_6_5_form() -> None:
    amex = card("3782 822463 10005")
    assert amex.brand is Brand.AMEX
    assert amex.masked == "**** ****** *0005"
    assert amex.portone_fields()["card_number"] == "3782-822463-10005"


def test_corporate_card_may_omit_pin() -> None:
    corporate = card(birth="220-81-62517", pin2="")
    assert corporate.is_corporate
    assert corporate.portone_fields() == {
        "card_number": "4242-4242-4242-4242",
        "expiry": "2029-12",
        "birth": "2208162517",
    }
    assert card(birth="2208162517", pin2="34").portone_fields()["pwd_2digit"] == "34"


def test_personal_card_needs_pin() -> None:
    with pytest.raises(InvalidInput) as caught:
        card(pin2="")
    assert (caught.value.field, caught.value.code) == ("pin", "empty")


def test_parse_raises_the_first_bad_field_in_form_order() -> None:
    with pytest.raises(InvalidInput) as caught:
        KeyInCard.parse("4242 4242 4242 4241", "13/29", "990230", "1", today=TODAY)
    assert caught.value.field == "card_number"
    with pytest.raises(InvalidInput) as caught:
        KeyInCard.parse("4242 4242 4242 4242", "13/29", "990230", "1", today=TODAY)
    assert caught.value.field == "expiry"


def test_validate_card_reports_every_field() -> None:
    found, errors = validate_card("4242 4242 4242 4241", "10/26", "990230", "1", today=TODAY)
    assert found is None
    assert [(e.field, e.code) for e in errors] == [
        ("card_number", "luhn"),
        ("expiry", "past"),
        ("birth", "date"),
        ("pin", "format"),
    ]
    assert all(e.__traceback__ is None for e in errors)


def test_validate_card_success() -> None:
    found, errors = validate_card("5555-5555-5555-4444", "2029-01", "990101", "00", today=TODAY)
    assert errors == []
    assert found is not None
    assert found.brand is Brand.MASTERCARD


def test_bad_business_number_does_not_also_ask_for_pin() -> None:
    _, errors = validate_card("4242424242424242", "12/29", "2208162518", "", today=TODAY)
    assert [(e.field, e.code) for e in errors] == [("birth", "business")]


def test_representations_are_masked() -> None:
    visa = card()
    assert repr(visa) == "KeyInCard(VISA **** 4242)"
    assert str(visa) == repr(visa)
    assert f"{visa}" == repr(visa)
    assert f"{visa:>40}" == repr(visa)
    # str.format and %-formatting (what logging uses) take other paths than f-strings.
    assert "{0!s} {0!r}".format(visa) == f"{visa} {visa}"  # noqa: UP032
    assert "%s %r" % (visa, visa) == f"{visa} {visa}"  # noqa: UP031


def test_no_dict_and_read_only() -> None:
    visa = card()
    assert not hasattr(visa, "__dict__")
    with pytest.raises(AttributeError):
        visa.brand = Brand.AMEX  # type: ignore[misc]
    with pytest.raises(AttributeError):
        visa.extra = 1
    with pytest.raises(AttributeError):
        del visa._number


@pytest.mark.parametrize(
    "attempt",
    [
        pickle.dumps,
        lambda c: pickle.dumps(c, protocol=0),
        lambda c: pickle.dumps(c, protocol=pickle.HIGHEST_PROTOCOL),
        copy.copy,
        copy.deepcopy,
        lambda c: c.__reduce__(),
        lambda c: c.__reduce_ex__(2),
        lambda c: c.__getstate__(),
    ],
)
def test_cannot_be_pickled_or_copied(attempt: object) -> None:
    with pytest.raises(TypeError):
        attempt(card())  # type: ignore[operator]


def test_equality_is_identity() -> None:
    first, second = card(), card()
    assert first == first
    assert first != second
    assert len({first, second}) == 2


def test_wipe_zeroes_the_digits_and_refuses_further_use() -> None:
    visa = card()
    buffers = [visa._number, visa._expiry, visa._birth, visa._pin2]
    visa.wipe()
    assert all(set(buffer) == {0} for buffer in buffers)
    assert visa.is_wiped
    with pytest.raises(CardWiped):
        visa.portone_fields()
    visa.wipe()  # twice is harmless
    # What may be known about the card is still there for the receipt.
    assert visa.last4 == "4242"
    assert visa.masked == "**** **** **** 4242"
    assert repr(visa) == "KeyInCard(VISA **** 4242, wiped)"


def test_wiped_corporate_card_still_reports_corporate() -> None:
    corporate = card(birth="2208162517", pin2="")
    corporate.wipe()
    assert corporate.is_corporate


@given(st.data())
@FAST
def test_nothing_about_a_card_shows_more_than_last_four(data: st.DataObject) -> None:
    digits = data.draw(valid_numbers())
    text = data.draw(written_forms(digits))
    parsed = KeyInCard.parse(text, "12/29", "990101", "12", today=TODAY)
    shown = [repr(parsed), str(parsed), f"{parsed}", parsed.masked, mask(digits), mask(text)]
    for output in shown:
        assert not leaks(digits, output), output
    parsed.wipe()
    assert not leaks(digits, repr(parsed))


@given(st.data())
@FAST
def test_error_texts_never_contain_the_digits(data: st.DataObject) -> None:
    digits = data.draw(valid_numbers())
    # Break the number in one of several ways: Luhn, length, a stray letter.
    broken = data.draw(
        st.sampled_from(
            [
                digits[:-1] + str((int(digits[-1]) + 1) % 10),
                digits + "0",
                digits[:-2],
                digits[:6] + "x" + digits[6:],
            ]
        )
    )
    _, errors = validate_card(broken, broken[:4], broken[-6:], broken[-2:], today=TODAY)
    assert errors
    for error in errors:
        for text in (str(error), repr(error), error.message("en"), *map(str, error.args)):
            assert not leaks(digits, text), text


def test_logging_a_card_shows_it_masked(caplog: pytest.LogCaptureFixture) -> None:
    visa = card()
    with caplog.at_level(logging.INFO):
        logging.getLogger("pos_app.test").info("charging %s (%r)", visa, visa)
    assert caplog.messages == ["charging KeyInCard(VISA **** 4242) (KeyInCard(VISA **** 4242))"]


def test_parse_errors_carry_no_chained_exception() -> None:
    with pytest.raises(InvalidInput) as caught:
        card(birth="990230")
    assert caught.value.__context__ is None
    assert caught.value.__cause__ is None


def test_cannot_be_subclassed() -> None:
    with pytest.raises(TypeError):

        class Revealing(KeyInCard):  # type: ignore[misc]
            pass


@given(st.data())
@FAST
def test_no_luhn_invalid_number_makes_a_card(data: st.DataObject) -> None:
    digits = data.draw(valid_numbers())
    wrong_check = data.draw(st.sampled_from([d for d in "0123456789" if d != digits[-1]]))
    text = data.draw(written_forms(digits[:-1] + wrong_check))
    with pytest.raises(InvalidInput) as caught:
        KeyInCard.parse(text, "12/29", "990101", "12", today=TODAY)
    assert (caught.value.field, caught.value.code) == ("card_number", "luhn")
