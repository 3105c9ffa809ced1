"""`InvalidInput`: one field is wrong, with a message a cashier can act on, in Korean or English.

Messages are looked up from a fixed catalog by (field, code); the only values ever formatted into
them are rule limits (lengths, ceilings), never what the person typed, so an error can be shown,
logged or raised without leaking card digits.
"""

from __future__ import annotations

from typing import Any

# (field, code) -> (Korean, English). Placeholders are filled only from rule constants.
_CATALOG: dict[tuple[str, str], tuple[str, str]] = {
    ("card_number", "empty"): (
        "카드번호를 입력해 주세요.",
        "Enter the card number.",
    ),
    ("card_number", "chars"): (
        "카드번호에는 숫자만 입력할 수 있습니다. 띄어쓰기와 '-'는 괜찮습니다.",
        "The card number may contain only digits (spaces and dashes are fine).",
    ),
    ("card_number", "brand"): (
        "지원하지 않는 카드입니다. 카드번호 앞자리를 다시 확인해 주세요.",
        "This card type is not supported. Check the first digits of the card number.",
    ),
    ("card_number", "length"): (
        "카드번호 자릿수가 맞지 않습니다({brand}: {lengths}자리). 빠지거나 더 들어간 숫자가 "
        "없는지 확인해 주세요.",
        "The card number has the wrong number of digits ({brand}: {lengths}). "
        "Check for missing or extra digits.",
    ),
    ("card_number", "luhn"): (
        "카드번호가 올바르지 않습니다. 숫자를 다시 확인해 주세요.",
        "The card number is not valid. Check the digits again.",
    ),
    ("expiry", "empty"): (
        "유효기간을 입력해 주세요 (예: 08/29).",
        "Enter the expiry date (e.g. 08/29).",
    ),
    ("expiry", "format"): (
        "유효기간은 MM/YY 형식으로 입력해 주세요 (예: 08/29).",
        "Enter the expiry as MM/YY (e.g. 08/29).",
    ),
    ("expiry", "month"): (
        "유효기간의 월은 01부터 12 사이여야 합니다. 카드 앞면의 MM/YY를 확인해 주세요.",
        "The expiry month must be between 01 and 12. Check MM/YY on the card.",
    ),
    ("expiry", "past"): (
        "유효기간이 지난 카드입니다. 다른 카드로 결제해 주세요.",
        "This card has expired. Use another card.",
    ),
    ("expiry", "too_far"): (
        "유효기간이 너무 먼 미래입니다({years}년 이내). 카드에 적힌 유효기간을 다시 확인해 주세요.",
        "The expiry is too far in the future (at most {years} years). Check the date on the card.",
    ),
    ("birth", "empty"): (
        "생년월일 6자리(법인카드는 사업자등록번호 10자리)를 입력해 주세요.",
        "Enter the date of birth (6 digits) or, for a corporate card, the business number "
        "(10 digits).",
    ),
    ("birth", "format"): (
        "생년월일은 6자리(YYMMDD), 법인카드는 사업자등록번호 10자리로 입력해 주세요.",
        "Enter the date of birth as YYMMDD (6 digits), or the 10-digit business number for a "
        "corporate card.",
    ),
    ("birth", "date"): (
        "생년월일이 올바른 날짜가 아닙니다. YYMMDD 형식으로 다시 확인해 주세요.",
        "The date of birth is not a real date. Check it again as YYMMDD.",
    ),
    ("birth", "business"): (
        "사업자등록번호가 올바르지 않습니다. 숫자 10자리를 다시 확인해 주세요.",
        "The business registration number is not valid. Check the 10 digits again.",
    ),
    ("pin", "empty"): (
        "카드 비밀번호 앞 2자리를 입력해 주세요.",
        "Enter the first two digits of the card PIN.",
    ),
    ("pin", "format"): (
        "카드 비밀번호는 앞 2자리 숫자만 입력해 주세요.",
        "Enter only the first two digits of the card PIN.",
    ),
    ("amount", "empty"): (
        "결제 금액을 입력해 주세요.",
        "Enter the amount.",
    ),
    ("amount", "format"): (
        "금액은 숫자로 입력해 주세요 (예: 12,000).",
        "Enter the amount as a number (e.g. 12,000).",
    ),
    ("amount", "decimal"): (
        "금액은 원 단위 정수로 입력해 주세요. 소수점은 쓸 수 없습니다.",
        "Enter the amount in whole won; decimals are not allowed.",
    ),
    ("amount", "not_positive"): (
        "결제 금액은 1원 이상이어야 합니다.",
        "The amount must be at least 1 won.",
    ),
    ("amount", "too_large"): (
        "결제 금액은 {ceiling}원을 넘을 수 없습니다. 금액을 다시 확인해 주세요.",
        "The amount cannot exceed {ceiling} won. Check the amount again.",
    ),
    ("refund_amount", "format"): (
        "환불 금액은 숫자(원 단위)로 입력하세요.",
        "Enter the refund amount as a number in won.",
    ),
    ("refund_amount", "decimal"): (
        "환불 금액은 원 단위 정수로 입력해 주세요. 소수점은 쓸 수 없습니다.",
        "Enter the refund amount in whole won; decimals are not allowed.",
    ),
    ("refund_amount", "range"): (
        "환불 금액은 1원 이상 {maximum}원 이하여야 합니다.",
        "The refund amount must be between 1 and {maximum} won.",
    ),
    ("tax_free", "format"): (
        "면세 금액은 숫자로 입력해 주세요 (없으면 0).",
        "Enter the tax-free amount as a number (0 if none).",
    ),
    ("tax_free", "decimal"): (
        "면세 금액은 원 단위 정수로 입력해 주세요. 소수점은 쓸 수 없습니다.",
        "Enter the tax-free amount in whole won; decimals are not allowed.",
    ),
    ("tax_free", "range"): (
        "면세 금액은 0원 이상, 결제 금액 이하여야 합니다.",
        "The tax-free amount must be between 0 and the payment amount.",
    ),
    ("installment", "months"): (
        "할부는 일시불(0) 또는 2~12개월 중에서 선택해 주세요.",
        "Choose lump sum (0) or 2 to 12 monthly instalments.",
    ),
    ("installment", "min_amount"): (
        "할부는 {minimum}원 이상 결제에만 가능합니다. 일시불로 결제해 주세요.",
        "Instalments need an amount of at least {minimum} won. Charge as a lump sum.",
    ),
    ("installment", "check_card"): (
        "체크카드는 할부 결제를 할 수 없습니다. 일시불로 결제해 주세요.",
        "A check card cannot pay in instalments. Charge as a lump sum.",
    ),
    ("merchant_uid", "empty"): (
        "주문번호가 비어 있습니다.",
        "The order id is empty.",
    ),
    ("merchant_uid", "format"): (
        "주문번호에는 영문, 숫자, '_', '-'만 쓸 수 있습니다.",
        "The order id may contain only letters, digits, '_' and '-'.",
    ),
    ("merchant_uid", "length"): (
        "주문번호는 {limit}자를 넘을 수 없습니다.",
        "The order id cannot be longer than {limit} characters.",
    ),
    ("merchant_uid", "terminal"): (
        "단말기 ID는 영문과 숫자 {limit}자 이내로 설정해 주세요.",
        "Set the terminal id to at most {limit} letters and digits.",
    ),
    ("customer_uid", "empty"): (
        "고객 ID를 입력해 주세요.",
        "Enter the customer id.",
    ),
    ("customer_uid", "format"): (
        "고객 ID에는 영문, 숫자, '_', '-'만 쓸 수 있습니다.",
        "The customer id may contain only letters, digits, '_' and '-'.",
    ),
    ("customer_uid", "length"): (
        "고객 ID는 {limit}자를 넘을 수 없습니다.",
        "The customer id cannot be longer than {limit} characters.",
    ),
    ("customer_uid", "member"): (
        "회원 이름이나 회원번호를 입력해 주세요.",
        "Enter the member's name or member number.",
    ),
    ("customer_uid", "last4"): (
        "카드번호 끝 4자리가 필요합니다.",
        "The last four digits of the card number are needed.",
    ),
    ("buyer_tel", "length"): (
        "전화번호는 {limit}자를 넘을 수 없습니다.",
        "The phone number cannot be longer than {limit} characters.",
    ),
    ("buyer_email", "length"): (
        "이메일은 {limit}자를 넘을 수 없습니다.",
        "The email address cannot be longer than {limit} characters.",
    ),
    ("order_name", "empty"): (
        "주문명(상품명)을 입력해 주세요.",
        "Enter the order name (what is being sold).",
    ),
    ("order_name", "length"): (
        "주문명은 {limit}자를 넘을 수 없습니다.",
        "The order name cannot be longer than {limit} characters.",
    ),
    ("order_name", "control"): (
        "주문명에는 줄바꿈, 탭, 보이지 않는 제어 문자(방향 전환, 폭 없는 공백 등)를 쓸 수 "
        "없습니다.",
        "The order name must not contain line breaks, tabs or invisible control characters "
        "(direction overrides, zero-width spaces).",
    ),
    ("reason", "empty"): (
        "사유를 입력해 주세요.",
        "Enter a reason.",
    ),
    ("reason", "length"): (
        "사유는 {limit}자를 넘을 수 없습니다.",
        "The reason cannot be longer than {limit} characters.",
    ),
    ("reason", "control"): (
        "사유에는 줄바꿈, 탭, 보이지 않는 제어 문자를 쓸 수 없습니다.",
        "The reason must not contain line breaks, tabs or invisible control characters.",
    ),
    ("billing_period", "format"): (
        "청구 기간은 2026-11 같은 연-월, 또는 영문·숫자·'_'·'-' {limit}자 이내의 이름입니다.",
        "The billing period is a year-month such as 2026-11, or a name of at most {limit} "
        "letters, digits, '_' and '-'.",
    ),
    ("billing_period", "month"): (
        "청구 기간의 월은 01부터 12 사이여야 합니다 (예: 2026-11).",
        "The month of the billing period must be between 01 and 12 (e.g. 2026-11).",
    ),
    ("billing_day", "format"): (
        "결제일은 1부터 28 사이의 날짜, 또는 '말일'입니다.",
        "The billing day is a day from 1 to 28, or 'last' (the month's last day).",
    ),
    ("plan_month", "format"): (
        "시작·종료 월은 2026-03 같은 연-월입니다.",
        "The start and end months are year-months such as 2026-03.",
    ),
    ("plan_month", "order"): (
        "종료 월이 시작 월보다 앞섭니다.",
        "The end month is before the start month.",
    ),
    ("due_date", "future"): (
        "결제일은 오늘({today})보다 뒤일 수 없습니다. 아직 오지 않은 달을 미리 결제하지 않습니다.",
        "The billing date cannot be after today ({today}): months that have not come are not "
        "charged in advance.",
    ),
}

FIELDS = frozenset(field for field, _ in _CATALOG)


def _rebuild(field: str, code: str, params: dict[str, str | int]) -> InvalidInput:
    return InvalidInput(field, code, **params)


class InvalidInput(ValueError):
    """One field is wrong. `str(exc)` is the Korean message; it never contains the input."""

    field: str
    code: str

    def __init__(self, field: str, code: str, **params: str | int) -> None:
        if (field, code) not in _CATALOG:
            raise KeyError(f"no message for {field}/{code}")
        self.field = field
        self.code = code
        self._params = params
        # args carries only the message, so default exception printing cannot leak input.
        super().__init__(self.message("ko"))

    def message(self, lang: str = "ko") -> str:
        """The message in `lang` ("ko" default, "en" English; anything else falls back to ko)."""
        korean, english = _CATALOG[(self.field, self.code)]
        template = english if lang.lower().startswith("en") else korean
        return template.format(**self._params)

    def __str__(self) -> str:
        return self.message("ko")

    def __repr__(self) -> str:
        return f"InvalidInput(field={self.field!r}, code={self.code!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Default exception pickling would call __init__(message); rebuild from field/code.
        return (_rebuild, (self.field, self.code, dict(self._params)))
