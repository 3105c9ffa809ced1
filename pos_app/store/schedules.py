"""Charges registered at PortOne as schedules (members whose plan PortOne charges by itself),
kept beside the journal (in its SQLite file, or the shop's store server: migration 3 of
store/pg_schema.py), with the charges they turn into.

A row is written **before** PortOne is asked to schedule it (`registering`), so an answer that
is lost leaves a row to ask PortOne about (`GET /subscribe/payments/schedule/{merchant_uid}`),
never a schedule nobody knows of. What PortOne then says is recorded: `scheduled`, `executed`
(with the payment's status, imp_uid and failure reason) or `revoked`; `unregistered` when PortOne
never took it. The charge an executed schedule made is written into the journal as its own row
(services/schedules.py), so the day's sales, the guard and reconciliation see it like any other.

Never card data: ids, amounts, order names and times only.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal, NamedTuple

from pos_app.store.db import safe_text

if TYPE_CHECKING:
    from pos_app.store.journal import Journal

ScheduleState = Literal["registering", "scheduled", "executed", "revoked", "unregistered"]
# Rows whose fate PortOne may still change (asked about at every sync).
OPEN_SCHEDULE_STATES: tuple[ScheduleState, ...] = ("registering", "scheduled")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS portone_schedules (
    merchant_uid TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    customer_uid TEXT NOT NULL,
    period TEXT NOT NULL,
    amount INTEGER NOT NULL,
    name TEXT NOT NULL,
    schedule_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    payment_status TEXT,
    imp_uid TEXT,
    fail_reason TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    checked_at REAL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS portone_schedules_member ON portone_schedules (customer_uid);
"""

_COLUMNS = (
    "merchant_uid, origin, customer_uid, period, amount, name, schedule_at, state, "
    "payment_status, imp_uid, fail_reason, created_at, updated_at, checked_at"
)


def prepare_schema(conn: sqlite3.Connection) -> None:
    """Create the table if missing (additive: an older journal just gains it)."""
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


class ScheduleRow(NamedTuple):
    merchant_uid: str
    origin: str
    customer_uid: str
    period: str
    amount: int
    name: str
    schedule_at: int  # unix s
    state: ScheduleState
    payment_status: str | None
    imp_uid: str | None
    fail_reason: str
    created_at: float
    updated_at: float
    checked_at: float | None

    @property
    def open(self) -> bool:
        return self.state in OPEN_SCHEDULE_STATES


# A schedule to register: (merchant_uid, customer_uid, period, amount, name, schedule_at).
NewSchedule = tuple[str, str, str, int, str, int]


class ScheduleBook:
    """The schedules kept beside `journal` (its file or its schema of the shop's server)."""

    def __init__(self, journal: Journal) -> None:
        self._journal = journal

    def intend(self, origin: str, schedules: Iterable[NewSchedule]) -> list[str]:
        """Write the intents (`registering`) before PortOne is asked; the order ids written
        (one already known is left as it is and not returned)."""
        now = time.time()
        written = []
        sql = self._journal.sql
        with sql.transaction():
            for uid, customer_uid, period, amount, name, schedule_at in schedules:
                changed = sql.run(
                    f"INSERT INTO portone_schedules ({_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, 'registering', NULL, NULL, '', ?, ?, NULL) "
                    "ON CONFLICT (merchant_uid) DO NOTHING",
                    (
                        uid,
                        origin,
                        customer_uid,
                        period,
                        amount,
                        safe_text(name),
                        schedule_at,
                        now,
                        now,
                    ),
                )
                if changed:
                    written.append(uid)
        return written

    def mark(
        self,
        merchant_uid: str,
        state: ScheduleState,
        *,
        payment_status: str | None = None,
        imp_uid: str | None = None,
        fail_reason: str | None = None,
        schedule_at: int | None = None,
    ) -> None:
        now = time.time()
        self._journal.sql.run(
            "UPDATE portone_schedules SET state = ?, "
            "payment_status = COALESCE(?, payment_status), imp_uid = COALESCE(?, imp_uid), "
            "fail_reason = COALESCE(?, fail_reason), "
            "schedule_at = COALESCE(?, schedule_at), updated_at = ?, checked_at = ? "
            "WHERE merchant_uid = ?",
            (
                state,
                payment_status,
                imp_uid or None,
                safe_text(fail_reason) if fail_reason is not None else None,
                schedule_at,
                now,
                now,
                merchant_uid,
            ),
        )

    def get(self, merchant_uid: str) -> ScheduleRow | None:
        rows = self._journal.sql.rows(
            f"SELECT {_COLUMNS} FROM portone_schedules WHERE merchant_uid = ?", (merchant_uid,)
        )
        return ScheduleRow._make(rows[0]) if rows else None

    def of_member(self, customer_uid: str) -> list[ScheduleRow]:
        rows = self._journal.sql.rows(
            f"SELECT {_COLUMNS} FROM portone_schedules WHERE customer_uid = ? ORDER BY schedule_at",
            (customer_uid,),
        )
        return list(map(ScheduleRow._make, rows))

    def open_rows(self, origin: str) -> list[ScheduleRow]:
        rows = self._journal.sql.rows(
            f"SELECT {_COLUMNS} FROM portone_schedules WHERE origin = ? "
            "AND state IN ('registering', 'scheduled') ORDER BY schedule_at",
            (origin,),
        )
        return list(map(ScheduleRow._make, rows))

    def all_rows(self, origin: str) -> list[ScheduleRow]:
        rows = self._journal.sql.rows(
            f"SELECT {_COLUMNS} FROM portone_schedules WHERE origin = ? ORDER BY schedule_at",
            (origin,),
        )
        return list(map(ScheduleRow._make, rows))


__all__ = [
    "OPEN_SCHEDULE_STATES",
    "NewSchedule",
    "ScheduleBook",
    "ScheduleRow",
    "ScheduleState",
    "prepare_schema",
]
