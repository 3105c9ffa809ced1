"""The day's charges, refunds and totals from the journal: the start of the end-of-day report."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TextIO

from pos_app.store.journal import Journal, JournalRow


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


def local_time(ts: float | None) -> str:
    if ts is None:
        return ""
    return datetime.fromtimestamp(ts).astimezone().strftime("%Y-%m-%d %H:%M:%S")


CSV_COLUMNS = (
    "created_at",
    "kind",
    "state",
    "amount",
    "tax_free",
    "customer_uid",
    "order_name",
    "merchant_uid",
    "imp_uid",
    "apply_num",
    "card_number",
    "card_name",
    "reason",
    "terminal",
    "override_reason",
    "resolved_at",
)


def write_csv(rows: list[JournalRow], stream: TextIO) -> None:
    """The rows as CSV with a header, times local; the journal keeps no more of a card number
    than its last four digits, so neither does the file."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        values = row._asdict()
        values["created_at"] = local_time(row.created_at)
        values["resolved_at"] = local_time(row.resolved_at)
        writer.writerow([values[c] if values[c] is not None else "" for c in CSV_COLUMNS])
