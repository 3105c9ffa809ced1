"""The billing runs' record: which rows a run set out to charge, how far it got, who runs it.

Kept beside the journal (two tables: in its SQLite file, created by its open hook; or in the
shop's store server, by migration 3 of store/pg_schema.py), so a run and the charges it made are
written to one place and survive together. The journal stays the truth
about money: a run row's `outcome` is what the run reported, for the window's table and for
resuming; whether a row was charged is always read from the journal row with its merchant_uid.

A run is `running` or `paused` while someone drives it, `stopped` or `finished` after. The
process driving it is named by its sender lease (`owner`, store/leases.py); a run left `running`
or `paused` by an owner that is gone was interrupted (a kill, a power cut) and can be resumed by
whoever claims it (`claim`, a compare-and-set on the owner).

Never card data: customer ids, amounts, order names (already filtered) and order ids only.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal, NamedTuple

from pos_app.store.db import safe_text

if TYPE_CHECKING:
    from pos_app.store.journal import Journal

RunState = Literal["running", "paused", "stopped", "finished"]
RunSource = Literal["file", "due"]
OPEN_RUN_STATES: tuple[RunState, ...] = ("running", "paused")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS billing_runs (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    source TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    owner TEXT,
    repeat_reason TEXT NOT NULL DEFAULT '',
    retry_reason TEXT NOT NULL DEFAULT '',
    pause_reason TEXT NOT NULL DEFAULT '',
    concurrency INTEGER NOT NULL DEFAULT 1,
    total INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    finished_at REAL
);
CREATE INDEX IF NOT EXISTS billing_runs_open ON billing_runs (origin, state)
    WHERE state IN ('running', 'paused');
CREATE TABLE IF NOT EXISTS billing_run_rows (
    run_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    line INTEGER NOT NULL DEFAULT 0,
    customer_uid TEXT NOT NULL,
    amount INTEGER NOT NULL,
    name TEXT NOT NULL,
    period TEXT NOT NULL,
    merchant_uid TEXT NOT NULL,
    retry_of TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS billing_run_rows_member ON billing_run_rows (customer_uid, period);
"""

_RUN_COLUMNS = (
    "id, origin, source, label, state, owner, repeat_reason, retry_reason, pause_reason, "
    "concurrency, total, created_at, updated_at, finished_at"
)
_ROW_COLUMNS = (
    "run_id, position, line, customer_uid, amount, name, period, merchant_uid, retry_of, "
    "outcome, message"
)


def prepare_schema(conn: sqlite3.Connection) -> None:
    """Create the tables if missing (additive: an older journal just gains them)."""
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


class RunRecord(NamedTuple):
    id: str
    origin: str
    source: RunSource
    label: str  # the file's name, or the due date ("2026-03-05")
    state: RunState
    owner: str | None
    repeat_reason: str
    retry_reason: str
    pause_reason: str
    concurrency: int
    total: int
    created_at: float
    updated_at: float
    finished_at: float | None

    @property
    def open(self) -> bool:
        return self.state in OPEN_RUN_STATES


class RunRowRecord(NamedTuple):
    run_id: str
    position: int
    line: int
    customer_uid: str
    amount: int
    name: str
    period: str
    merchant_uid: str
    retry_of: str
    outcome: str  # "" until the run reported on it
    message: str


# What a new run's rows are made of: (position, line, customer_uid, amount, name, period,
# merchant_uid, retry_of).
NewRow = tuple[int, int, str, int, str, str, str, str]


class RunBook:
    """The run record kept beside `journal` (its file or its schema of the shop's server)."""

    def __init__(self, journal: Journal) -> None:
        self._journal = journal

    def create(
        self,
        *,
        origin: str,
        source: RunSource,
        label: str,
        owner: str,
        rows: Iterable[NewRow],
        repeat_reason: str = "",
        retry_reason: str = "",
        concurrency: int = 1,
    ) -> RunRecord:
        now = time.time()
        run_id = time.strftime("R%Y%m%d-%H%M%S-", time.localtime(now)) + secrets.token_hex(3)
        rows = list(rows)
        sql = self._journal.sql
        with sql.transaction():
            sql.run(
                f"INSERT INTO billing_runs ({_RUN_COLUMNS}) "
                "VALUES (?, ?, ?, ?, 'running', ?, ?, ?, '', ?, ?, ?, ?, NULL)",
                (
                    run_id,
                    origin,
                    source,
                    safe_text(label),
                    owner,
                    safe_text(repeat_reason),
                    safe_text(retry_reason),
                    concurrency,
                    len(rows),
                    now,
                    now,
                ),
            )
            if rows:
                sql.run_many(
                    "INSERT INTO billing_run_rows (run_id, position, line, customer_uid, amount, "
                    "name, period, merchant_uid, retry_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(run_id, *row) for row in rows],
                )
        record = self.get(run_id)
        assert record is not None
        return record

    def get(self, run_id: str) -> RunRecord | None:
        rows = self._journal.sql.rows(
            f"SELECT {_RUN_COLUMNS} FROM billing_runs WHERE id = ?", (run_id,)
        )
        return RunRecord._make(rows[0]) if rows else None

    def rows(self, run_id: str) -> list[RunRowRecord]:
        found = self._journal.sql.rows(
            f"SELECT {_ROW_COLUMNS} FROM billing_run_rows WHERE run_id = ? ORDER BY position",
            (run_id,),
        )
        return list(map(RunRowRecord._make, found))

    def open_runs(self, origin: str) -> list[RunRecord]:
        """Runs of this place someone is driving, or was when it stopped without a word."""
        found = self._journal.sql.rows(
            f"SELECT {_RUN_COLUMNS} FROM billing_runs WHERE origin = ? "
            "AND state IN ('running', 'paused') ORDER BY created_at",
            (origin,),
        )
        return list(map(RunRecord._make, found))

    def recent(self, origin: str, limit: int = 20) -> list[RunRecord]:
        found = self._journal.sql.rows(
            f"SELECT {_RUN_COLUMNS} FROM billing_runs WHERE origin = ? "
            "ORDER BY created_at DESC LIMIT ?",
            (origin, limit),
        )
        return list(map(RunRecord._make, found))

    def report(self, run_id: str, position: int, outcome: str, message: str = "") -> None:
        """What the run said of one row (the journal row says whether money moved)."""
        self._journal.sql.run(
            "UPDATE billing_run_rows SET outcome = ?, message = ? "
            "WHERE run_id = ? AND position = ?",
            (outcome, safe_text(message), run_id, position),
        )

    def set_state(self, run_id: str, state: RunState, *, reason: str = "") -> None:
        now = time.time()
        finished = now if state in ("stopped", "finished") else None
        self._journal.sql.run(
            "UPDATE billing_runs SET state = ?, pause_reason = ?, updated_at = ?, "
            "finished_at = COALESCE(?, finished_at) WHERE id = ?",
            (state, safe_text(reason), now, finished, run_id),
        )

    def plan_charges(self, periods: Iterable[str]) -> dict[tuple[str, str], str]:
        """(customer_uid, period) -> order id of each member's plan charge in these periods
        that is paid or may be (made by runs of members due, whatever the amount then)."""
        chosen = sorted(set(periods))
        if not chosen:
            return {}
        marks = ", ".join("?" * len(chosen))
        found = self._journal.sql.rows(
            "SELECT r.customer_uid, r.period, r.merchant_uid FROM billing_run_rows r "
            "JOIN billing_runs b ON b.id = r.run_id "
            "JOIN charges c ON c.merchant_uid = r.merchant_uid AND c.kind != 'refund' "
            f"WHERE b.source = 'due' AND r.period IN ({marks}) "
            "AND c.state IN ('paid', 'pending', 'sent', 'unknown') "
            "ORDER BY c.created_at",
            chosen,
        )
        return {(uid, period): merchant_uid for uid, period, merchant_uid in found}

    def claim(self, run_id: str, expected_owner: str | None, owner: str) -> bool:
        """Take over an open run from `expected_owner` (gone: the caller checked its lease).
        Only one claimant wins; the others see the owner changed."""
        now = time.time()
        # Written for both SQLite and PostgreSQL (an owner may be NULL).
        changed = self._journal.sql.run(
            "UPDATE billing_runs SET owner = ?, state = 'running', pause_reason = '', "
            "updated_at = ? WHERE id = ? AND state IN ('running', 'paused') "
            "AND (owner = ? OR (owner IS NULL AND ? IS NULL))",
            (owner, now, run_id, expected_owner, expected_owner),
        )
        return changed == 1


__all__ = [
    "OPEN_RUN_STATES",
    "NewRow",
    "RunBook",
    "RunRecord",
    "RunRowRecord",
    "RunSource",
    "RunState",
    "prepare_schema",
]
