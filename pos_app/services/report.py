"""The day's charges, refunds and totals from the journal: the start of the end-of-day report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, TextIO

from pos_app.services.export import SpreadsheetWriter
from pos_app.store.journal import Journal, JournalRow

if TYPE_CHECKING:
    from pos_app.store.customers import CustomerIndex


@dataclass(frozen=True)
class Totals:
    paid_count: int
    paid_amount: int
    refunded_count: int
    refunded_amount: int
    declined_count: int
    not_charged_count: int  # refused or never reached PortOne
    unknown_count: int
    unknown_amount: int

    @property
    def net_amount(self) -> int:
        return self.paid_amount - self.refunded_amount

    def to_json(self) -> dict[str, int]:
        return {
            "paid_count": self.paid_count,
            "paid_amount": self.paid_amount,
            "refunded_count": self.refunded_count,
            "refunded_amount": self.refunded_amount,
            "net_amount": self.net_amount,
            "declined_count": self.declined_count,
            "not_charged_count": self.not_charged_count,
            "unknown_count": self.unknown_count,
            "unknown_amount": self.unknown_amount,
        }


def totals_of(rows: list[JournalRow]) -> Totals:
    charges = [r for r in rows if r.kind != "refund"]
    refunds = [r for r in rows if r.kind == "refund" and r.state == "refunded"]
    paid = [r for r in charges if r.state == "paid"]
    unknown = [r for r in rows if r.is_open]
    return Totals(
        paid_count=len(paid),
        paid_amount=sum(r.amount for r in paid),
        refunded_count=len(refunds),
        refunded_amount=sum(r.amount for r in refunds),
        declined_count=sum(r.state == "declined" for r in charges),
        not_charged_count=sum(r.state in ("refused", "void") for r in charges),
        unknown_count=len(unknown),
        unknown_amount=sum(r.amount for r in unknown),
    )


def local_day_bounds(since: date, until: date | None = None) -> tuple[float, float]:
    """Unix seconds from local midnight of `since` to local midnight after `until` (or since)."""
    start = datetime.combine(since, time.min).astimezone()
    end = datetime.combine((until or since) + timedelta(days=1), time.min).astimezone()
    return start.timestamp(), end.timestamp()


def rows_for(journal: Journal, since: date, until: date | None = None) -> list[JournalRow]:
    start, end = local_day_bounds(since, until)
    return journal.rows_between(start, end)


@dataclass(frozen=True)
class DaySales:
    """One local day's journal rows, oldest first, and their totals (the 일별 매출 dialog)."""

    day: date
    rows: tuple[JournalRow, ...]
    totals: Totals


def day_sales(journal: Journal, day: date) -> DaySales:
    rows = rows_for(journal, day)
    return DaySales(day, tuple(rows), totals_of(rows))


def local_time(ts: float | None) -> str:
    if ts is None:
        return ""
    return datetime.fromtimestamp(ts).astimezone().strftime("%Y-%m-%d %H:%M:%S")


# The day's CSV for the owner: (Korean header, English header) per column. "금액" is the money
# that moved (a paid charge +, a completed refund -), so SUM over it is the net sales of the
# totals; what was asked but did not move (declined, refused, not charged, still to check) is
# in "매출 미반영" instead, with 상태 saying why.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("일시", "Time"),
    ("구분", "Type"),
    ("상태", "Status"),
    ("금액", "Amount"),
    ("매출 미반영", "Not in sales"),
    ("면세", "Tax-free"),
    ("할부", "Instalments"),
    ("회원", "Member"),
    ("고객 ID", "Customer ID"),
    ("주문명", "Order name"),
    ("주문번호", "Order ID"),
    ("imp_uid", "imp_uid"),
    ("승인번호", "Approval no."),
    ("카드", "Card"),
    ("카드사", "Card company"),
    ("사유", "Reason"),
    ("단말기", "Terminal"),
    ("관리자 사유", "Override reason"),
    ("확인 시각", "Settled at"),
)

_KINDS: dict[str, tuple[str, str]] = {
    "charge_once": ("1회 결제", "One-time charge"),
    "issue_and_charge": ("발급 + 결제", "Save card + charge"),
    "charge_again": ("재결제", "Saved card charge"),
    "refund": ("환불", "Refund"),
}
_STATES: dict[str, tuple[str, str]] = {
    "paid": ("승인", "Approved"),
    "declined": ("거절", "Declined"),
    "refused": ("요청 거부", "Refused"),
    "void": ("결제 안 됨", "Not charged"),
    "refunded": ("환불됨", "Refunded"),
}
_OPEN = ("확인 필요", "To check")
_REFUND_VOID = ("환불 안 됨", "Not refunded")


def signed_amount(row: JournalRow) -> int | None:
    """What the row adds to net sales: +amount for a paid charge, -amount for a completed
    refund, None for a row whose money did not move (or is not known to have moved)."""
    if row.kind == "refund":
        return -row.amount if row.state == "refunded" else None
    return row.amount if row.state == "paid" else None


def state_text(row: JournalRow, lang: str = "ko") -> str:
    en = lang == "en"
    if row.is_open:
        return _OPEN[en]
    if row.kind == "refund" and row.state == "void":
        return _REFUND_VOID[en]
    return _STATES.get(row.state, (row.state, row.state))[en]


def kind_text(kind: str, lang: str = "ko") -> str:
    return _KINDS.get(kind, (kind, kind))[lang == "en"]


def _instalments(row: JournalRow, lang: str) -> str:
    """할부: "일시불" (lump sum) or "3개월"; nothing for a refund row."""
    if row.kind == "refund":
        return ""
    if row.card_quota < 2:
        return "Lump sum" if lang == "en" else "일시불"
    return f"{row.card_quota} months" if lang == "en" else f"{row.card_quota}개월"


def member_names(index: CustomerIndex, rows: Iterable[JournalRow]) -> dict[str, str]:
    """customer_uid -> the member's name the customer index holds, for the rows' customers."""
    names: dict[str, str] = {}
    for uid in {r.customer_uid for r in rows if r.customer_uid}:
        customer = index.get(uid)
        if customer is not None and customer.name:
            names[uid] = customer.name
    return names


def write_csv(
    rows: list[JournalRow],
    stream: TextIO,
    *,
    lang: str = "ko",
    names: Mapping[str, str] | None = None,
) -> None:
    """The rows as the owner's spreadsheet: headers in `lang` ("ko" or "en"), local times, the
    member's name from `names`, signed amounts that add up to net sales, and no cell that a
    spreadsheet would run as a formula (services.export). The journal keeps no more of a card
    number than its last four digits, so neither does the file."""
    en = lang == "en"
    names = names or {}
    writer = SpreadsheetWriter(stream)
    writer.writerow(header[en] for header in CSV_COLUMNS)
    for row in rows:
        moved = signed_amount(row)
        writer.writerow(
            [
                local_time(row.created_at),
                kind_text(row.kind, lang),
                state_text(row, lang),
                moved,
                row.amount if moved is None else None,
                (row.tax_free or None) if moved is not None and row.kind != "refund" else None,
                _instalments(row, lang),
                names.get(row.customer_uid or "", ""),
                row.customer_uid,
                row.order_name,
                row.merchant_uid,
                row.imp_uid,
                row.apply_num,
                row.card_number,
                row.card_name,
                row.reason,
                row.terminal,
                row.override_reason,
                local_time(row.resolved_at),
            ]
        )
