"""The same-customer guard: the one place that decides whether a saved customer may be charged.

The window, `pos-app charge` and `pos-app bill` all charge through `Till`, which runs this check
and writes the charge's intent inside one journal transaction (`Journal.exclusive`), so two
windows, two commands or a window and a billing run cannot both pass it for the same customer.

A charge to a customer is stopped, before anything is written or sent, when:
- **unsettled**: the customer has a charge that is not settled (pending, sent or unknown). One
  still in flight (its sender alive, or PortOne may still be working on it) always blocks; one
  whose sender is done can be let through by a manager's override, with a reason that is kept.
- **duplicate**: the same amount was charged (or maybe charged) to the customer in the last few
  minutes — unless the person confirmed it.
- **repeat** (billing runs): the same amount was already charged to the customer in the same
  billing period by another bill — unless a reason for charging again is given (and logged).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pos_app.store.journal import Journal, JournalRow

if TYPE_CHECKING:
    from pos_app.services.settling import Settler

log = logging.getLogger(__name__)

# The window's and `pos-app charge`'s "same amount again?" question looks this far back.
DUPLICATE_WINDOW_S = 300.0


@dataclass(frozen=True)
class Answers:
    """What the person already answered: "yes, the same amount again", a manager's reason to
    charge despite an unsettled charge, a billing run's reason to charge again in a period, and
    a billing run's reason to try a declined row again (`retry_of`: the declined order id)."""

    allow_duplicate: bool = False
    override_reason: str = ""
    repeat_reason: str = ""
    retry_reason: str = ""
    retry_of: str = ""


@dataclass(frozen=True)
class Period:
    """A billing run's period: its order ids start with `prefix`; `siblings` are the ids of the
    same bill's rows (two rows of one bill are two intended charges, not a repeat)."""

    prefix: str
    siblings: frozenset[str] = field(default_factory=frozenset)


class ChargeBlocked(Exception):
    """The guard stopped a charge; nothing was written or sent. Ask the person, then retry with
    `Answers`."""

    def __init__(
        self,
        customer_uid: str,
        *,
        unsettled: tuple[JournalRow, ...] = (),
        in_flight: tuple[JournalRow, ...] = (),
        duplicate: JournalRow | None = None,
        repeat: JournalRow | None = None,
    ) -> None:
        super().__init__(f"charge to {customer_uid} needs a decision first")
        self.customer_uid = customer_uid
        self.unsettled = unsettled
        self.in_flight = in_flight
        self.duplicate = duplicate
        self.repeat = repeat

    @property
    def reason(self) -> str:
        """in_flight, unsettled, repeat or duplicate: the strongest reason first."""
        if self.in_flight:
            return "in_flight"
        if self.unsettled:
            return "unsettled"
        return "repeat" if self.repeat is not None else "duplicate"

    @property
    def blocking(self) -> tuple[JournalRow, ...]:
        return self.in_flight + self.unsettled


def check(
    journal: Journal,
    settler: Settler,
    customer_uid: str,
    amount: int,
    answers: Answers,
    *,
    duplicate_within_s: float | None = DUPLICATE_WINDOW_S,
    period: Period | None = None,
    write_override: bool = True,
) -> str | None:
    """Raise ChargeBlocked unless `customer_uid` may be charged `amount` now. Call it inside
    `journal.exclusive()`, with the intent written in the same transaction. A manager's
    override reason is written into the rows it lets through (unless `write_override` is off:
    a question asked before the charge). Returns the note to keep with the new charge when a
    billing run's "charge again in this period" was allowed with a reason."""
    rows = journal.open_for_customer(customer_uid, include_overridden=True)
    in_flight = tuple(r for r in rows if settler.in_flight(r))
    waiting = [r for r in rows if r not in in_flight]
    reason = answers.override_reason.strip()
    if reason and waiting and write_override:
        fresh = [r.id for r in waiting if r.override_reason is None]
        journal.override_rows(fresh, reason)
        log.warning("charge block overridden for %s (%d rows)", customer_uid, len(fresh))
    unsettled = () if reason else tuple(r for r in waiting if r.override_reason is None)
    duplicate = None
    if duplicate_within_s is not None and not answers.allow_duplicate:
        duplicate = journal.recent_charge(customer_uid, amount, settler.now() - duplicate_within_s)
    repeat = None
    if period is not None:
        repeat = next(
            (
                r
                for r in journal.charges_like(period.prefix, customer_uid, amount)
                if r.merchant_uid not in period.siblings
            ),
            None,
        )
    notes = []
    if repeat is not None and answers.repeat_reason.strip():
        notes.append(f"같은 기간 재청구 ({repeat.merchant_uid}): {answers.repeat_reason.strip()}")
        log.warning("repeat charge allowed for %s: %s", customer_uid, notes[-1])
        repeat = None
    if answers.retry_of and answers.retry_reason.strip():
        # A declined bill row tried again under a new order id: the decision is kept with it.
        notes.append(f"거절 후 재시도 ({answers.retry_of}): {answers.retry_reason.strip()}")
    note = " / ".join(notes) or None
    if in_flight or unsettled or duplicate is not None or repeat is not None:
        raise ChargeBlocked(
            customer_uid,
            unsettled=unsettled,
            in_flight=in_flight,
            duplicate=duplicate,
            repeat=repeat,
        )
    return note
