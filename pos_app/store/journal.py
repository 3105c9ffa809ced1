"""The charge journal: one row per charge or refund attempt, written before the request leaves.

States (docs/journal.md): pending (the intent, committed, maybe not sent) -> sent (sending) ->
paid | declined | refused | unknown; settling asks PortOne and turns pending/sent/unknown into
paid, declined or void (PortOne never saw it) and stamps `resolved_at`. Refund rows end in
refunded instead of paid.

Who may settle a row, and when, is decided in services (services/settling.py); the journal keeps
what that needs: `sender` (the lease of the process still sending it, store/leases.py),
`settle_after` (before then PortOne may still be working on the request) and `recheck_until`
(a void row settled by a 404 is looked up again until then, in case PortOne finished late).
Every state change a second process could race with is a conditional UPDATE.

Never card data: the card column holds at most the digits PortOne's mask shows at its end.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, NamedTuple, Self

from pos_app.core.card_mask import card_tail
from pos_app.store.db import StoreFile, safe_text
from pos_app.store.sql import DuplicateKey, Sql

Kind = Literal["charge_once", "issue_and_charge", "charge_again", "refund"]
State = Literal["pending", "sent", "paid", "declined", "refused", "unknown", "void", "refunded"]

KINDS: tuple[Kind, ...] = ("charge_once", "issue_and_charge", "charge_again", "refund")
CHARGE_KINDS: tuple[Kind, ...] = ("charge_once", "issue_and_charge", "charge_again")
# Rows whose outcome PortOne has not confirmed yet; reconciliation works on these.
OPEN_STATES: tuple[State, ...] = ("pending", "sent", "unknown")
FINAL_STATES: tuple[State, ...] = ("paid", "declined", "refused", "void", "refunded")

_COLUMNS = (
    "id, merchant_uid, kind, origin, customer_uid, amount, tax_free, order_name, terminal, state, "
    "imp_uid, apply_num, card_number, card_name, reason, checksum, override_reason, "
    "created_at, sent_at, answered_at, resolved_at, updated_at, "
    "sender, settle_after, recheck_until, card_quota, cancel_ref, note"
)
# Columns added after the first release, with their declarations: a journal written by an
# earlier version gets them on open (ALTER TABLE ... ADD COLUMN), so old rows keep working.
_ADDED_COLUMNS = (
    ("sender", "TEXT"),
    ("settle_after", "REAL"),
    ("recheck_until", "REAL"),
    ("card_quota", "INTEGER NOT NULL DEFAULT 0"),
    ("cancel_ref", "TEXT"),
    ("note", "TEXT"),
)
_OPEN_SQL = "('pending', 'sent', 'unknown')"

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS charges (
    id INTEGER PRIMARY KEY,
    merchant_uid TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ({", ".join(repr(k) for k in KINDS)})),
    origin TEXT NOT NULL,
    customer_uid TEXT,
    amount INTEGER NOT NULL,
    tax_free INTEGER NOT NULL DEFAULT 0,
    order_name TEXT NOT NULL DEFAULT '',
    terminal TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    imp_uid TEXT,
    apply_num TEXT,
    card_number TEXT NOT NULL DEFAULT '',
    card_name TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    checksum INTEGER,
    override_reason TEXT,
    created_at REAL NOT NULL,
    sent_at REAL,
    answered_at REAL,
    resolved_at REAL,
    updated_at REAL NOT NULL,
    sender TEXT,
    settle_after REAL,
    recheck_until REAL,
    card_quota INTEGER NOT NULL DEFAULT 0,
    cancel_ref TEXT,
    note TEXT
);
-- One charge row per order id; refunds point at the order they refund, so they may repeat it.
CREATE UNIQUE INDEX IF NOT EXISTS charges_merchant_uid
    ON charges (merchant_uid) WHERE kind != 'refund';
CREATE INDEX IF NOT EXISTS charges_customer ON charges (customer_uid, created_at);
CREATE INDEX IF NOT EXISTS charges_open ON charges (state)
    WHERE state IN ('pending', 'sent', 'unknown');
CREATE INDEX IF NOT EXISTS charges_created ON charges (created_at);
"""
# Indexes on added columns: created once the columns exist (after the upgrade).
_LATER_INDEXES = """
CREATE INDEX IF NOT EXISTS charges_recheck ON charges (recheck_until)
    WHERE recheck_until IS NOT NULL;
CREATE INDEX IF NOT EXISTS charges_refunds ON charges (imp_uid) WHERE kind = 'refund';
"""


class JournalRow(NamedTuple):
    id: int
    merchant_uid: str
    kind: Kind
    origin: str
    customer_uid: str | None
    amount: int
    tax_free: int
    order_name: str
    terminal: str
    state: State
    imp_uid: str | None
    apply_num: str | None
    card_number: str
    card_name: str
    reason: str
    checksum: int | None
    override_reason: str | None
    created_at: float
    sent_at: float | None
    answered_at: float | None
    resolved_at: float | None
    updated_at: float
    # The lease of the process sending it (None once its sender stopped waiting for an answer).
    sender: str | None = None
    # Before this time (unix s) PortOne may still be working on the request: a 404 proves nothing.
    settle_after: float | None = None
    # A void row settled by a 404 is looked up again until this time (a late `paid` is recorded).
    recheck_until: float | None = None
    card_quota: int = 0
    # Refund rows: the PortOne cancel_history entry this refund was matched to (pg_tid/time).
    cancel_ref: str | None = None
    # A decision the charge was allowed by (a billing run's reason to charge again in a period).
    note: str | None = None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class AlreadyJournaled(Exception):
    """A charge row with this merchant_uid exists; the caller decides from its state."""

    def __init__(self, row: JournalRow) -> None:
        super().__init__(f"merchant_uid {row.merchant_uid} is already in the journal ({row.state})")
        self.row = row


class JournalFile(StoreFile):
    """The journal's SQLite file: its schema, and the upgrade of a journal an earlier version
    wrote (store/integrity.py opens it; docs/journal.md, "When storage fails")."""

    schema = _SCHEMA

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """The schema, then the columns a journal from an earlier version lacks (run under the
        folder's open lock, inside one write transaction: safe with two processes opening it)."""
        super()._prepare(conn)
        conn.execute("BEGIN IMMEDIATE")
        try:
            have = {r[1] for r in conn.execute("PRAGMA table_info(charges)")}
            for name, declaration in _ADDED_COLUMNS:
                if name not in have:
                    conn.execute(f"ALTER TABLE charges ADD COLUMN {name} {declaration}")
            for statement in _LATER_INDEXES.split(";"):
                if statement.strip():
                    conn.execute(statement)
            # The billing runs' record lives in this file too (store/runs.py): a run and the
            # charges it made are written to one file, so one can never survive without the other.
            from pos_app.store.runs import prepare_schema
            from pos_app.store.schedules import prepare_schema as prepare_schedules

            prepare_schema(conn)
            prepare_schedules(conn)  # plans PortOne charges by itself (services/schedules.py)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


class Journal:
    """The journal on either backend: a SQLite file at `source` (one counter), or the `Sql` of
    the shop's shared store (store/postgres.py), whose schema its migrations keep."""

    def __init__(self, source: Path | Sql) -> None:
        self._file: JournalFile | None = None
        self.path: Path | None = None
        if isinstance(source, Path):
            self._file = JournalFile(source)
            self.path = source
            self._conn = self._file._conn
            self._sql: Sql = self._file.sql()
        else:
            self._sql = source

    @property
    def sql(self) -> Sql:
        """The journal's database, for the tables kept beside the charges (a billing run's
        record, store/runs.py; PortOne schedules, store/schedules.py): one file, or one schema
        of the shop's server, so a run and the charges it made live and fail together."""
        return self._sql

    @property
    def shared(self) -> bool:
        """Other counters write this journal too (the shop's store server)."""
        return self._sql.dialect != "sqlite"

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def exclusive(self, key: str | None = None) -> Iterator[None]:
        """One write transaction that no other process or thread can interleave with for `key`
        (a customer, a payment's refunds): what is read inside it is still true when what is
        written inside it commits (the guard's "no open charge for this customer" and the intent
        it then writes). On SQLite every key is one lock; on the shop's server other customers
        go on meanwhile."""
        with self._sql.transaction(key):
            yield

    # -- writing ---------------------------------------------------------------------------------

    def begin(
        self,
        merchant_uid: str,
        kind: Kind,
        *,
        origin: str,
        amount: int,
        customer_uid: str | None = None,
        tax_free: int = 0,
        order_name: str = "",
        terminal: str = "",
        imp_uid: str | None = None,
        checksum: int | None = None,
        card_quota: int = 0,
        sender: str | None = None,
        settle_after: float | None = None,
        note: str | None = None,
    ) -> JournalRow:
        """Commit the intent (state pending). Raises AlreadyJournaled for a known charge id.
        `note`: a decision the charge was allowed by (kept with it)."""
        now = time.time()
        try:
            row_id = self._sql.insert(
                "INSERT INTO charges (merchant_uid, kind, origin, customer_uid, amount, "
                "tax_free, order_name, terminal, state, imp_uid, checksum, created_at, "
                "updated_at, card_quota, sender, settle_after, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    merchant_uid,
                    kind,
                    origin,
                    customer_uid,
                    amount,
                    tax_free,
                    safe_text(order_name),
                    terminal,
                    imp_uid,
                    checksum,
                    now,
                    now,
                    card_quota,
                    sender,
                    settle_after,
                    safe_text(note) if note else None,
                ),
            )
        except DuplicateKey:
            existing = self._get_locked(merchant_uid)
            if existing is None:
                raise
            raise AlreadyJournaled(existing) from None
        row = self._by_id_locked(row_id)
        assert row is not None
        return row

    def restart(
        self, row_id: int, *, sender: str | None = None, settle_after: float | None = None
    ) -> JournalRow:
        """A void row (PortOne never saw it) goes back to pending before it is sent again.
        Only one process wins a restart: the others find the row no longer void."""
        now = time.time()
        self._sql.run(
            "UPDATE charges SET state = 'pending', imp_uid = NULL, apply_num = NULL, "
            "reason = '', sent_at = NULL, answered_at = NULL, resolved_at = NULL, "
            "recheck_until = NULL, sender = ?, settle_after = ?, updated_at = ? "
            "WHERE id = ? AND state = 'void'",
            (sender, settle_after, now, row_id),
        )
        row = self._by_id_locked(row_id)
        assert row is not None
        return row

    def mark_sent(self, row_id: int, *, settle_after: float | None = None) -> None:
        now = time.time()
        self._sql.run(
            "UPDATE charges SET state = 'sent', sent_at = ?, updated_at = ?, "
            "settle_after = COALESCE(?, settle_after) WHERE id = ? AND state = 'pending'",
            (now, now, settle_after, row_id),
        )

    def let_go(self, row_id: int, *, settle_after: float | None = None) -> None:
        """The sender stops waiting for this row's answer (it has one, or gave up): from now on
        only `settle_after` keeps others from trusting a 404."""
        self._sql.run(
            "UPDATE charges SET sender = NULL, settle_after = COALESCE(?, settle_after), "
            "updated_at = ? WHERE id = ?",
            (settle_after, time.time(), row_id),
        )

    def settle(
        self,
        row_id: int,
        state: State,
        *,
        imp_uid: str | None = None,
        apply_num: str | None = None,
        card_number: str | None = None,
        card_name: str | None = None,
        reason: str | None = None,
        resolved: bool = False,
        recheck_until: float | None = None,
        cancel_ref: str | None = None,
        only_from: tuple[State, ...] | None = None,
    ) -> JournalRow:
        """Record the answer. `resolved` marks a settlement found by asking PortOne afterwards;
        `only_from` makes it conditional (nothing changes unless the row is in one of those
        states: another process may have settled it meanwhile)."""
        now = time.time()
        condition = ""
        if only_from is not None:
            condition = f" AND state IN ({', '.join(repr(s) for s in only_from)})"
        self._sql.run(
            "UPDATE charges SET state = ?, imp_uid = COALESCE(?, imp_uid), "
            "apply_num = COALESCE(?, apply_num), card_number = COALESCE(?, card_number), "
            "card_name = COALESCE(?, card_name), reason = COALESCE(?, reason), "
            "answered_at = COALESCE(answered_at, ?), resolved_at = ?, updated_at = ?, "
            "recheck_until = ?, cancel_ref = COALESCE(?, cancel_ref) "
            f"WHERE id = ?{condition}",
            (
                state,
                imp_uid,
                apply_num or None,
                card_tail(card_number) if card_number else None,
                card_name or None,
                safe_text(reason) if reason is not None else None,
                now,
                now if resolved else None,
                now,
                recheck_until,
                cancel_ref,
                row_id,
            ),
        )
        row = self._by_id_locked(row_id)
        assert row is not None
        return row

    def override(self, customer_uid: str, reason: str) -> list[JournalRow]:
        """A manager lets a customer be charged despite unsettled rows; the reason is kept."""
        now = time.time()
        with self._sql.transaction(_customer_key(customer_uid)):
            self._sql.run(
                "UPDATE charges SET override_reason = ?, updated_at = ? "
                "WHERE customer_uid = ? AND state IN ('pending', 'sent', 'unknown') "
                "AND override_reason IS NULL",
                (safe_text(reason), now, customer_uid),
            )
        return self._select_locked(
            "WHERE customer_uid = ? AND state IN ('pending', 'sent', 'unknown') "
            "ORDER BY created_at",
            (customer_uid,),
        )

    def override_rows(self, row_ids: list[int], reason: str) -> None:
        """A manager lets these unsettled rows' customer be charged; the reason is kept."""
        if not row_ids:
            return
        marks = ", ".join("?" * len(row_ids))
        self._sql.run(
            f"UPDATE charges SET override_reason = ?, updated_at = ? WHERE id IN ({marks}) "
            f"AND state IN {_OPEN_SQL} AND override_reason IS NULL",
            (safe_text(reason), time.time(), *row_ids),
        )

    # -- reading ---------------------------------------------------------------------------------

    def get(self, merchant_uid: str) -> JournalRow | None:
        """The charge row (not refunds) with this order id."""
        return self._get_locked(merchant_uid)

    def by_id(self, row_id: int) -> JournalRow | None:
        return self._by_id_locked(row_id)

    def open_rows(self, origin: str | None = None) -> list[JournalRow]:
        where = "WHERE state IN ('pending', 'sent', 'unknown')"
        args: tuple[object, ...] = ()
        if origin is not None:
            where += " AND origin = ?"
            args = (origin,)
        return self._select_locked(where + " ORDER BY created_at, id", args)

    def to_recheck(self, origin: str | None, now: float) -> list[JournalRow]:
        """Void charge rows settled by a 404 that are still looked up again (late payments)."""
        where = "WHERE state = 'void' AND kind != 'refund' AND recheck_until > ?"
        args: tuple[object, ...] = (now,)
        if origin is not None:
            where += " AND origin = ?"
            args = (now, origin)
        return self._select_locked(where + " ORDER BY created_at, id", args)

    def open_refunds_of(self, imp_uid: str) -> list[JournalRow]:
        return self._select_locked(
            f"WHERE kind = 'refund' AND imp_uid = ? AND state IN {_OPEN_SQL} "
            "ORDER BY created_at, id",
            (imp_uid,),
        )

    def charges_like(self, prefix: str, customer_uid: str, amount: int) -> list[JournalRow]:
        """Charges of this amount to this customer whose order id starts with `prefix` (a
        billing period's ids), paid or maybe paid."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return self._select_locked(
            "WHERE kind != 'refund' AND customer_uid = ? AND amount = ? "
            "AND merchant_uid LIKE ? ESCAPE '\\' "
            f"AND state IN ('paid', {_OPEN_SQL[1:-1]}) ORDER BY created_at, id",
            (customer_uid, amount, escaped + "%"),
        )

    def open_for_customer(
        self, customer_uid: str, *, include_overridden: bool = False
    ) -> list[JournalRow]:
        where = "WHERE customer_uid = ? AND state IN ('pending', 'sent', 'unknown')"
        if not include_overridden:
            where += " AND override_reason IS NULL"
        return self._select_locked(where + " ORDER BY created_at, id", (customer_uid,))

    def recent_charge(self, customer_uid: str, amount: int, since: float) -> JournalRow | None:
        """The newest charge of this amount to this customer since `since` (paid or maybe paid)."""
        rows = self._select_locked(
            "WHERE customer_uid = ? AND amount = ? AND kind != 'refund' AND created_at >= ? "
            "AND state IN ('pending', 'sent', 'unknown', 'paid') "
            "ORDER BY created_at DESC LIMIT 1",
            (customer_uid, amount, since),
        )
        return rows[0] if rows else None

    def rows_between(self, start: float, end: float | None = None) -> list[JournalRow]:
        where, args = "WHERE created_at >= ?", [start]
        if end is not None:
            where += " AND created_at < ?"
            args.append(end)
        return self._select_locked(where + " ORDER BY created_at, id", tuple(args))

    def refunds_of(self, imp_uid: str) -> list[JournalRow]:
        return self._select_locked(
            "WHERE kind = 'refund' AND imp_uid = ? ORDER BY created_at", (imp_uid,)
        )

    def all_rows(self) -> list[JournalRow]:
        return self._select_locked("ORDER BY created_at, id", ())

    def rows_after(self, after_id: int, limit: int = 1000) -> list[JournalRow]:
        """Rows in id order after `after_id` (copying a journal somewhere else in batches)."""
        return self._select_locked("WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit))

    # -- helpers ---------------------------------------------------------------------------------

    def _select_locked(self, tail: str, args: Iterable[object]) -> list[JournalRow]:
        rows = self._sql.rows(f"SELECT {_COLUMNS} FROM charges {tail}", tuple(args))
        return list(map(JournalRow._make, rows))

    def _get_locked(self, merchant_uid: str) -> JournalRow | None:
        rows = self._select_locked("WHERE merchant_uid = ? AND kind != 'refund'", (merchant_uid,))
        return rows[0] if rows else None

    def _by_id_locked(self, row_id: int) -> JournalRow | None:
        rows = self._select_locked("WHERE id = ?", (row_id,))
        return rows[0] if rows else None


def customer_key(customer_uid: str) -> str:
    """The key of `Journal.exclusive` that serialises charging one customer."""
    return f"customer:{customer_uid}"


_customer_key = customer_key
