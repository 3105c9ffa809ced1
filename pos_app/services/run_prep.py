"""Before a billing run sends anything: what it will charge, what it will skip and why.

`prepare()` first settles what is open (reconciliation: asking PortOne, never sending), then
looks at every candidate row:

- a row the journal already holds as **paid** is done (skipped, "already charged");
- a row **declined** or **refused** earlier is skipped, unless the person decided to try
  declined rows again (`retry_reason`): then it is charged under a new order id (the row's next
  attempt, core.bill_identity.retry_merchant_uid) with the decision kept in the journal;
- a member PortOne does not know is skipped;
- a member the guard would stop (services/guard.py) is skipped: an earlier charge still unsettled,
  or the same amount already charged in this period by another bill (unless `repeat_reason`);
- everything else is charged, including rows a killed run left open: the engine settles those
  by asking PortOne first.

The guard still decides for each row atomically when it is charged; this is the preview a
person reads before pressing start, and the same list the command line reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from pos_app.core.bill_identity import MAX_ATTEMPT, bill_prefix, retry_merchant_uid
from pos_app.services.billing_run import RunItem
from pos_app.services.guard import Answers, ChargeBlocked, Period
from pos_app.services.outcome import blocked_message

if TYPE_CHECKING:
    from pos_app.services.till import Till
    from pos_app.store.journal import JournalRow

SkipCode = Literal[
    "already_paid",
    "declined",
    "refused",
    "no_customer",
    "unsettled",
    "repeat",
    "charged_in_period",
    "retries_used",
]


@dataclass(frozen=True)
class Skipped:
    item: RunItem
    code: SkipCode
    message: str
    # The journal's row that decided it, when there is one (its state, its order id).
    earlier: JournalRow | None = None

    @property
    def retryable(self) -> bool:
        """A declined row can be tried again under a new order id (a logged decision)."""
        return self.code == "declined"


@dataclass
class PreparedRun:
    """What a run will charge (`items`, in order) and what it skips (`skipped`, with why).
    `siblings`: every order id of the bill, charged now or before (not a repeat of each other)."""

    items: list[RunItem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    siblings: frozenset[str] = frozenset()

    @property
    def total_amount(self) -> int:
        return sum(item.amount for item in self.items)

    def skipped_by(self, code: str) -> list[Skipped]:
        return [s for s in self.skipped if s.code == code]


MSG_ALREADY_PAID = "이번 청구 기간에 이미 결제되었습니다."
MSG_DECLINED_BEFORE = "이전에 카드사가 거절했습니다: {reason} (다시 시도할 수 있습니다)"
MSG_REFUSED_BEFORE = "이전에 PortOne이 거절했습니다: {reason}"
MSG_NO_CUSTOMER = "등록되지 않은 고객: {uid}"
MSG_RETRIES_USED = "거절된 청구를 더 다시 시도할 수 없습니다 ({count}번 시도)."


def prepare(
    till: Till,
    candidates: Sequence[RunItem],
    *,
    repeat_reason: str = "",
    retry_reason: str = "",
    batch: int = 50,
    settle_first: bool = True,
) -> PreparedRun:
    """The run's preview. Raises PortOneError when PortOne cannot be asked (nothing is sent)."""
    if settle_first:
        # What an earlier run left open is settled first: its answers decide what is left.
        till.reconcile()
    prepared = PreparedRun(siblings=frozenset(c.merchant_uid for c in candidates))
    todo: list[RunItem] = []
    for item in candidates:
        chosen = _by_journal(till, item, retry_reason, prepared)
        if chosen is not None:
            todo.append(chosen)
    if todo:
        _, missing = till.import_customers(sorted({i.customer_uid for i in todo}), batch)
        unknown = set(missing)
    else:
        unknown = set()
    answers = Answers(repeat_reason=repeat_reason)
    siblings = prepared.siblings | {i.merchant_uid for i in todo}
    for item in todo:
        if item.customer_uid in unknown:
            message = MSG_NO_CUSTOMER.format(uid=item.customer_uid)
            prepared.skipped.append(Skipped(item, "no_customer", message))
            continue
        blocked = _guard_says(till, item, answers, siblings)
        if blocked is None or blocked.reason == "in_flight":
            prepared.items.append(item)  # in flight: the engine waits for it, asking PortOne
        else:
            code: SkipCode = "repeat" if blocked.reason == "repeat" else "unsettled"
            earlier = blocked.repeat if blocked.repeat is not None else blocked.blocking[-1]
            prepared.skipped.append(Skipped(item, code, blocked_message(blocked), earlier))
    prepared.siblings = frozenset(siblings)
    return prepared


def renumber(items: Iterable[RunItem]) -> list[RunItem]:
    """Items numbered 0, 1, 2 … in their order (a run's positions)."""
    return [replace(item, position=n) for n, item in enumerate(items)]


def _by_journal(
    till: Till, item: RunItem, retry_reason: str, prepared: PreparedRun
) -> RunItem | None:
    """The item to charge for this candidate (itself, or its next attempt), or None when the
    journal says it is done (recorded in `prepared.skipped`)."""
    row = till.journal_row(item.merchant_uid)
    if row is None or row.state not in ("paid", "declined", "refused"):
        return item  # new, never happened (void), or open: the engine settles it first
    if row.state == "paid":
        prepared.skipped.append(Skipped(item, "already_paid", MSG_ALREADY_PAID, row))
        return None
    if row.state == "refused" or not retry_reason.strip():
        template = MSG_DECLINED_BEFORE if row.state == "declined" else MSG_REFUSED_BEFORE
        code: SkipCode = "declined" if row.state == "declined" else "refused"
        prepared.skipped.append(Skipped(item, code, template.format(reason=row.reason), row))
        return None
    return _next_attempt(till, item, row, prepared)


def _next_attempt(
    till: Till, item: RunItem, declined: JournalRow, prepared: PreparedRun
) -> RunItem | None:
    """A declined row tried again: the first attempt id the journal does not hold as finished.
    Deterministic, so two counters retrying at once pick the same id and only one charges."""
    for attempt in range(2, MAX_ATTEMPT + 1):
        uid = retry_merchant_uid(item.period, item.customer_uid, item.amount, item.name, attempt)
        row = till.journal_row(uid)
        if row is None or row.state not in ("paid", "declined", "refused"):
            return replace(item, merchant_uid=uid, retry_of=declined.merchant_uid)
        if row.state == "paid":
            prepared.skipped.append(Skipped(item, "already_paid", MSG_ALREADY_PAID, row))
            return None
        declined = row
    message = MSG_RETRIES_USED.format(count=MAX_ATTEMPT)
    prepared.skipped.append(Skipped(item, "retries_used", message, declined))
    return None


def _guard_says(
    till: Till, item: RunItem, answers: Answers, siblings: frozenset[str]
) -> ChargeBlocked | None:
    """What the guard would say now, without writing anything."""
    own = till.journal_row(item.merchant_uid)
    if own is not None and own.is_open:
        return None  # the row's own earlier attempt: settled by the engine before anything
    period = Period(bill_prefix(item.period), siblings)
    return till.guard_verdict(
        item.customer_uid, item.amount, answers, period=period, settle_first=False
    )


__all__ = ["PreparedRun", "SkipCode", "Skipped", "prepare", "renumber"]
