"""Plans PortOne charges by itself: a member's next charges registered as PortOne schedules
(`POST /subscribe/payments/schedule`, portone-v1.md §5), revoked, and what became of them learned
by asking PortOne and written into the journal.

Rules that keep "never twice" true across both ways of charging a plan:

- A schedule's merchant_uid is the very id the counter's run would use for that member and month
  (`core.bill_identity.bill_merchant_uid(month, customer_uid, amount, name)`): a month is charged
  once whichever way, since PortOne takes one payment per id and refuses to schedule an id that
  is paid.
- A month the member was already charged for (a paid or open journal row under that id, or a plan
  charge of another amount in that month) is not scheduled.
- A member whose plan PortOne charges (`mode` "portone") is left out of the counter's runs
  (services/member_plans.due_on); revoking the schedules gives the plan back to the counter.
- The intent is written before PortOne is asked (store/schedules.py); a lost answer is settled by
  `GET /subscribe/payments/schedule/{merchant_uid}`, never by registering again blindly (PortOne
  refuses an id scheduled twice anyway).
- An executed schedule's charge goes into the journal as a settled row (paid or declined, with
  PortOne's payment), written in one transaction, so the guard never sees it half-made.

Only PortOne V1 has schedules; under V2 the calls raise `SchedulesUnavailable`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from pos_app.core.bill_identity import bill_merchant_uid
from pos_app.core.billing_day import month_of, next_billing_date
from pos_app.core.order import Order
from pos_app.gateway.errors import NotFound, OutcomeUnknown, PortOneError
from pos_app.store.schedules import ScheduleBook, ScheduleRow, ScheduleState

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pos_app.gateway.models import Schedule
    from pos_app.services.till import Till
    from pos_app.store.customers import MemberPlan

log = logging.getLogger(__name__)

# How many of a member's coming months are registered at PortOne at any time.
AHEAD = 3
# The local hour PortOne is asked to charge at on the billing day.
CHARGE_HOUR = 10
# A registration whose answer was lost and that PortOne still does not know after this long was
# never made.
FORGET_AFTER_S = 600.0
NOTE = "PortOne 예약 결제"


class SchedulesUnavailable(Exception):
    """This PortOne connection has no schedules (V2)."""


class _Scheduler(Protocol):
    def schedule(self, customer_uid: str, plans: Sequence[tuple[int, Order]]) -> list[Schedule]: ...

    def unschedule(
        self, customer_uid: str, merchant_uids: Sequence[str] | None = None
    ) -> list[Schedule]: ...

    def get_schedule(self, merchant_uid: str) -> Schedule: ...


@dataclass
class SyncResult:
    """What asking PortOne about the open schedules found."""

    executed: list[ScheduleRow] = field(default_factory=list)
    paid: int = 0
    declined: int = 0
    registered: int = 0
    revoked: int = 0
    members: set[str] = field(default_factory=set)  # whose schedules changed


def _scheduler(till: Till) -> _Scheduler:
    client = till.scheduler()  # V1's client; V2's has no schedules
    if client is None:
        raise SchedulesUnavailable
    return client


def charge_time(day: date) -> int:
    """Unix seconds of CHARGE_HOUR local time on `day`."""
    return int(datetime(day.year, day.month, day.day, CHARGE_HOUR).astimezone().timestamp())


def register(
    till: Till, customer_uid: str, *, today: date | None = None, ahead: int = AHEAD
) -> list[ScheduleRow]:
    """Register the member's next `ahead` billing dates at PortOne (those not registered yet),
    and hand the plan to PortOne (mode "portone"). Raises ValueError without an active plan,
    SchedulesUnavailable under V2, PortOneError when PortOne refuses."""
    client = _scheduler(till)
    row = till.customer(customer_uid)
    plan = row.plan if row is not None else None
    if plan is None or not plan.active:
        raise ValueError(f"{customer_uid} has no active plan")
    today = today or date.today()
    book = till.schedule_book()
    wanted = _months_to_schedule(till, book, customer_uid, plan, today, ahead)
    intents = [
        (bill_merchant_uid(month, customer_uid, plan.amount, plan.name), month, when)
        for month, when in wanted
    ]
    fresh = set(
        book.intend(
            till.origin,
            (
                (uid, customer_uid, month, plan.amount, plan.name, charge_time(when))
                for uid, month, when in intents
            ),
        )
    )
    orders = [
        (charge_time(when), Order(uid, plan.amount, plan.name))
        for uid, _month, when in intents
        if uid in fresh
    ]
    till.set_plan(customer_uid, plan._replace(mode="portone"))
    if orders:
        try:
            answered = client.schedule(customer_uid, orders)
        except OutcomeUnknown:
            log.warning("schedules for %s: answer lost; asking PortOne", customer_uid)
            answered = []
        except PortOneError as exc:
            # Refused as a whole (an id already scheduled or paid, an unknown member): PortOne
            # says, one by one, what it holds.
            log.warning("schedules for %s refused: %s", customer_uid, exc.message)
            for _at, order in orders:
                _learn(till, client, book, book.get(order.merchant_uid), refused=exc.message)
            return book.of_member(customer_uid)
        for schedule in answered:
            book.mark(schedule.merchant_uid, "scheduled", schedule_at=schedule.schedule_at)
        for _at, order in orders:
            known = book.get(order.merchant_uid)
            if known is not None and known.state == "registering":
                _learn(till, client, book, known)
    return book.of_member(customer_uid)


def revoke(till: Till, customer_uid: str) -> list[ScheduleRow]:
    """Revoke the member's schedules still to run and give the plan back to the counter.
    Raises SchedulesUnavailable under V2, PortOneError when PortOne cannot be asked (the plan
    then stays with PortOne: nothing is charged twice)."""
    client = _scheduler(till)
    book = till.schedule_book()
    pending = [s for s in book.of_member(customer_uid) if s.open]
    if pending:
        try:
            revoked = client.unschedule(customer_uid, [s.merchant_uid for s in pending])
        except NotFound:
            revoked = []  # nothing left to revoke at PortOne: what it holds is asked below
        for schedule in revoked:
            book.mark(schedule.merchant_uid, "revoked")
        for schedule_row in pending:
            known = book.get(schedule_row.merchant_uid)
            if known is not None and known.open:
                _learn(till, client, book, known)
        if any(s.state == "scheduled" for s in book.of_member(customer_uid)):
            raise PortOneError("PortOne still holds schedules for this member.")
    row = till.customer(customer_uid)
    plan = row.plan if row is not None else None
    if plan is not None:
        till.set_plan(customer_uid, plan._replace(mode="counter"))
    return book.of_member(customer_uid)


def sync(till: Till, *, today: date | None = None, top_up: bool = True) -> SyncResult:
    """Ask PortOne about every schedule still open (at start and every few minutes): executed
    ones become journal rows (paid or declined); then, with `top_up`, members whose plan PortOne
    charges get their next months registered. Raises SchedulesUnavailable under V2."""
    client = _scheduler(till)
    book = till.schedule_book()
    result = SyncResult()
    for schedule_row in book.open_rows(till.origin):
        state = _learn(till, client, book, schedule_row)
        if state == "executed":
            done = book.get(schedule_row.merchant_uid)
            if done is not None:
                result.executed.append(done)
                if done.payment_status == "paid":
                    result.paid += 1
                else:
                    result.declined += 1
                result.members.add(done.customer_uid)
        elif state == "revoked":
            result.revoked += 1
            result.members.add(schedule_row.customer_uid)
    if top_up:
        for row in till.members_with_plans():
            plan = row.plan
            if plan is None or plan.mode != "portone" or not plan.active:
                continue
            before = len([s for s in book.of_member(row.customer_uid) if s.open])
            try:
                after = register(till, row.customer_uid, today=today)
            except PortOneError as exc:
                log.warning("topping up %s: %s", row.customer_uid, type(exc).__name__)
                continue
            added = len([s for s in after if s.open]) - before
            if added > 0:
                result.registered += added
                result.members.add(row.customer_uid)
    return result


def schedules_of(till: Till, customer_uid: str) -> list[ScheduleRow]:
    return till.schedule_book().of_member(customer_uid)


# -- internals ---------------------------------------------------------------------------------


def _months_to_schedule(
    till: Till,
    book: ScheduleBook,
    customer_uid: str,
    plan: MemberPlan,
    today: date,
    ahead: int,
) -> list[tuple[str, date]]:
    """The member's next billing dates (after today) not registered and not charged yet, so
    that `ahead` of them are registered in all."""
    held = {
        s.period
        for s in book.of_member(customer_uid)
        if s.state in ("registering", "scheduled", "executed") and s.schedule_at > time.time()
    }
    wanted: list[tuple[str, date]] = []
    after = today
    charged = till.run_book().plan_charges(
        {month_of(date.fromordinal(today.toordinal() + 31 * n)) for n in range(ahead + 1)}
    )
    for _ in range(ahead):
        when = next_billing_date(plan.day, after, start=plan.start, end=plan.end)
        if when is None:
            break
        month = month_of(when)
        after = when
        if month in held:
            continue
        uid = bill_merchant_uid(month, customer_uid, plan.amount, plan.name)
        journal_row = till.journal_row(uid)
        if journal_row is not None and journal_row.state in ("paid", "pending", "sent", "unknown"):
            continue
        if (customer_uid, month) in charged:
            continue
        wanted.append((month, when))
    return wanted


def _learn(
    till: Till,
    client: _Scheduler,
    book: ScheduleBook,
    schedule_row: ScheduleRow | None,
    *,
    refused: str = "",
) -> ScheduleState | None:
    """Ask PortOne what became of one schedule and record it; the state now (None: unknown)."""
    if schedule_row is None:
        return None
    uid = schedule_row.merchant_uid
    try:
        schedule = client.get_schedule(uid)
    except NotFound:
        age = time.time() - schedule_row.created_at
        if schedule_row.state == "registering" and (refused or age > FORGET_AFTER_S):
            book.mark(uid, "unregistered", fail_reason=refused or "PortOne에 예약이 없습니다.")
            return "unregistered"
        return schedule_row.state
    except PortOneError as exc:
        log.warning("schedule %s: could not ask PortOne (%s)", uid, type(exc).__name__)
        return None
    status = schedule.schedule_status
    if status == "executed":
        book.mark(
            uid,
            "executed",
            payment_status=schedule.payment_status or "failed",
            imp_uid=schedule.imp_uid or None,
            fail_reason=schedule.fail_reason or "",
            schedule_at=schedule.schedule_at,
        )
        _record_charge(till, book.get(uid) or schedule_row, schedule)
        return "executed"
    if status == "revoked":
        book.mark(uid, "revoked")
        return "revoked"
    book.mark(uid, "scheduled", schedule_at=schedule.schedule_at or None)
    return "scheduled"


def _record_charge(till: Till, schedule_row: ScheduleRow, schedule: Schedule) -> None:
    """The charge PortOne made, as a settled journal row (what PortOne's payment says)."""
    till.learn_charge(
        schedule_row.merchant_uid,
        customer_uid=schedule_row.customer_uid,
        amount=schedule_row.amount,
        name=schedule_row.name,
        paid=(schedule.payment_status or "") == "paid",
        imp_uid=schedule.imp_uid or None,
        reason=schedule.fail_reason or "",
        note=NOTE,
    )


__all__ = [
    "AHEAD",
    "CHARGE_HOUR",
    "SchedulesUnavailable",
    "SyncResult",
    "charge_time",
    "register",
    "revoke",
    "schedules_of",
    "sync",
]
