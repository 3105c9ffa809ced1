"""What a billing run is made of: its rows (`RunItem`), what each came to (`RowResult`) and a
snapshot of how far it got (`RunProgress`); plain data shared by the engine, the record, the
command line and the window."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pos_app.core.order import Order
from pos_app.services.pacing import DEFAULT_CONCURRENCY, MAX_CONCURRENCY

RowKind = Literal[
    "paid",
    "declined",
    "refused",
    "unknown",
    "blocked",
    "repeat",
    "no_customer",
    "already_done",
    "not_sent",
    "waiting",
]
# Rows whose result is final (everything but "waiting").
FINAL_KINDS: frozenset[str] = frozenset(
    {
        "paid",
        "declined",
        "refused",
        "unknown",
        "blocked",
        "repeat",
        "no_customer",
        "already_done",
        "not_sent",
    }
)
RunState = Literal["ready", "running", "pausing", "paused", "stopping", "stopped", "finished"]
PauseReason = Literal["", "person", "connection", "storage"]


def clamp_concurrency(value: int | None) -> int:
    """A concurrency a person asked for, within 1 … MAX_CONCURRENCY (None: the default)."""
    if value is None:
        return DEFAULT_CONCURRENCY
    return max(1, min(MAX_CONCURRENCY, int(value)))


@dataclass(frozen=True)
class RunItem:
    """One row of a run: a member to charge an amount for a billing period, under the order id
    that follows from what the row means (core.bill_identity)."""

    position: int
    line: int  # the file's line; 0 for a member's plan
    customer_uid: str
    amount: int
    name: str
    period: str
    merchant_uid: str
    # A declined row tried again: the declined order id (this row has a new one).
    retry_of: str = ""

    def order(self) -> Order:
        return Order(self.merchant_uid, self.amount, self.name)


@dataclass(frozen=True)
class RowResult:
    item: RunItem
    kind: RowKind
    message: str = ""
    imp_uid: str | None = None
    card: str = ""
    # already_done: the journal's state before the run (paid, declined or refused).
    earlier: str = ""


@dataclass(frozen=True)
class RunProgress:
    """A snapshot of a run for a progress bar and a summary line."""

    state: RunState
    reason: PauseReason
    detail: str
    total: int
    done: int
    counts: dict[str, int]
    amount_paid: int
    in_flight: int
    elapsed_s: float
    rate_per_s: float
    eta_s: float | None


MSG_NOT_SENT = "보내지 않았습니다 (정기 결제를 멈춤)."
MSG_WAITING = "이 고객의 다른 결제 결과를 기다리는 중입니다 (PortOne에 먼저 확인)."
MSG_RESEND = "PortOne에 닿지 않았습니다 (결제되지 않음). 같은 주문번호로 다시 보냅니다."


__all__ = [
    "FINAL_KINDS",
    "MSG_NOT_SENT",
    "MSG_RESEND",
    "MSG_WAITING",
    "PauseReason",
    "RowKind",
    "RowResult",
    "RunItem",
    "RunProgress",
    "RunState",
    "clamp_concurrency",
]
