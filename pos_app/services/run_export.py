"""A billing run's results as CSV for the owner's spreadsheet, through the formula-safe writer
(services/export.py): an order name or a PortOne message starting with "=" stays text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from pos_app.services.export import SpreadsheetWriter

_HEADERS = {
    "ko": (
        "행",
        "회원",
        "고객 ID",
        "금액",
        "주문명",
        "기간",
        "결과",
        "내용",
        "주문번호",
        "imp_uid",
        "재시도한 주문",
    ),
    "en": (
        "line",
        "member",
        "customer_uid",
        "amount",
        "order name",
        "period",
        "result",
        "details",
        "merchant_uid",
        "imp_uid",
        "retry of",
    ),
}


@dataclass(frozen=True)
class RunCsvRow:
    line: int
    member: str
    customer_uid: str
    amount: int
    order_name: str
    period: str
    result: str  # in the reader's language
    details: str
    merchant_uid: str
    imp_uid: str
    retry_of: str


def write_run_csv(stream: TextIO, rows: Iterable[RunCsvRow], lang: str = "ko") -> int:
    """Write the header (in `lang`) and the rows; the number of rows written. Amounts are numbers,
    so the spreadsheet's SUM adds them up."""
    writer = SpreadsheetWriter(stream)
    writer.writerow(_HEADERS["en" if lang.startswith("en") else "ko"])
    count = 0
    for row in rows:
        writer.writerow(
            (
                row.line or None,
                row.member,
                row.customer_uid,
                row.amount,
                row.order_name,
                row.period,
                row.result,
                row.details,
                row.merchant_uid,
                row.imp_uid,
                row.retry_of,
            )
        )
        count += 1
    return count


__all__ = ["RunCsvRow", "write_run_csv"]
