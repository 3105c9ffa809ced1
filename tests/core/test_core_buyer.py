"""The buyer fields PortOne takes on a charge: buyer_tel ≤ 16, buyer_email ≤ 64 (v1 schema)."""

from __future__ import annotations

import pytest

from pos_app.core.errors import InvalidInput
from pos_app.core.order import BUYER_EMAIL_MAX, BUYER_TEL_MAX, Buyer


def test_buyer_fields_up_to_the_schemas_limits_are_accepted() -> None:
    Buyer("홍길동", "0" * BUYER_TEL_MAX, "a" * (BUYER_EMAIL_MAX - 9) + "@mail.com")


@pytest.mark.parametrize(
    ("tel", "email", "field"),
    [("0" * 17, "", "buyer_tel"), ("", "a" * 56 + "@mail.com", "buyer_email")],
)
def test_longer_buyer_fields_are_refused_before_any_request(
    tel: str, email: str, field: str
) -> None:
    # The form used to allow 20 / 200 (issue 12, finding 7): PortOne would refuse the charge.
    with pytest.raises(InvalidInput) as caught:
        Buyer("홍길동", tel, email)
    assert caught.value.field == field
    assert caught.value.message("en") != caught.value.message("ko")
