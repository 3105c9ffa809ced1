"""The charge journal: one row per charge or refund attempt, written before the request leaves.

States (docs/journal.md): pending (committed, maybe not sent) -> sent -> paid | declined |
refused | unknown; reconciliation settles pending/sent/unknown into paid, declined or void
(PortOne never saw it) and stamps `resolved_at`. Refund rows end in refunded instead of paid.
Never card data: the card column holds at most the last four digits.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from typing import Literal, NamedTuple

from pos_app.core.card_mask import card_tail
from pos_app.store.db import StoreFile, safe_text

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
    "created_at, sent_at, answered_at, resolved_at, updated_at"
)

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
    updated_at REAL NOT NULL
);
-- One charge row per order id; refunds point at the order they refund, so they may repeat it.
CREATE UNIQUE INDEX IF NOT EXISTS charges_merchant_uid
    ON charges (merchant_uid) WHERE kind != 'refund';
CREATE INDEX IF NOT EXISTS charges_customer ON charges (customer_uid, created_at);
CREATE INDEX IF NOT EXISTS charges_open ON charges (state)
    WHERE state IN ('pending', 'sent', 'unknown');
CREATE INDEX IF NOT EXISTS charges_created ON charges (created_at);
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

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class AlreadyJournaled(Exception):
    """A charge row with this merchant_uid exists; the caller decides from its state."""

    def __init__(self, row: JournalRow) -> None:
        super().__init__(f"merchant_uid {row.merchant_uid} is already in the journal ({row.state})")
        self.row = row


class Journal(StoreFile):
    schema = _SCHEMA

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
    ) -> JournalRow:
        """Commit the intent (state pending). Raises AlreadyJournaled for a known charge id."""
        now = time.time()
        with self._lock:
            try:
                cur = self._conn.execute(
                    "INSERT INTO charges (merchant_uid, kind, origin, customer_uid, amount, "
                    "tax_free, order_name, terminal, state, imp_uid, checksum, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)",
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
                    ),
                )
            except sqlite3.IntegrityError:
                existing = self._get_locked(merchant_uid)
                if existing is None:
                    raise
                raise AlreadyJournaled(existing) from None
            row = self._by_id_locked(cur.lastrowid or 0)
        assert row is not None
        return row

    def restart(self, row_id: int) -> JournalRow:
        """A void row (PortOne never saw it) goes back to pending before it is sent again."""
        now = time.time()
        with self._lock:
            self._conn.execute(
                "UPDATE charges SET state = 'pending', imp_uid = NULL, apply_num = NULL, "
                "reason = '', sent_at = NULL, answered_at = NULL, resolved_at = NULL, "
                "updated_at = ? WHERE id = ? AND state = 'void'",
                (now, row_id),
            )
            row = self._by_id_locked(row_id)
        assert row is not None
        return row

    def mark_sent(self, row_id: int) -> None:
        now = time.time()
        with self._lock:
            self._conn.execute(
                "UPDATE charges SET state = 'sent', sent_at = ?, updated_at = ? "
                "WHERE id = ? AND state = 'pending'",
                (now, now, row_id),
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
    ) -> JournalRow:
        """Record the answer. `resolved` marks a settlement found by asking PortOne afterwards."""
        now = time.time()
        with self._lock:
            self._conn.execute(
                "UPDATE charges SET state = ?, imp_uid = COALESCE(?, imp_uid), "
                "apply_num = COALESCE(?, apply_num), card_number = COALESCE(?, card_number), "
                "card_name = COALESCE(?, card_name), reason = COALESCE(?, reason), "
                "answered_at = COALESCE(answered_at, ?), resolved_at = ?, updated_at = ? "
                "WHERE id = ?",
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
                    row_id,
                ),
            )
            row = self._by_id_locked(row_id)
        assert row is not None
        return row

    def override(self, customer_uid: str, reason: str) -> list[JournalRow]:
        """A manager lets a customer be charged despite unsettled rows; the reason is kept."""
        now = time.time()
        with self._lock:
            with self._transaction():
                self._conn.execute(
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

    # -- reading ---------------------------------------------------------------------------------

    def get(self, merchant_uid: str) -> JournalRow | None:
        """The charge row (not refunds) with this order id."""
        with self._lock:
            return self._get_locked(merchant_uid)

    def by_id(self, row_id: int) -> JournalRow | None:
        with self._lock:
            return self._by_id_locked(row_id)

    def open_rows(self, origin: str | None = None) -> list[JournalRow]:
        where = "WHERE state IN ('pending', 'sent', 'unknown')"
        args: tuple[object, ...] = ()
        if origin is not None:
            where += " AND origin = ?"
            args = (origin,)
        with self._lock:
            return self._select_locked(where + " ORDER BY created_at, id", args)

    def open_for_customer(
        self, customer_uid: str, *, include_overridden: bool = False
    ) -> list[JournalRow]:
        where = "WHERE customer_uid = ? AND state IN ('pending', 'sent', 'unknown')"
        if not include_overridden:
            where += " AND override_reason IS NULL"
        with self._lock:
            return self._select_locked(where + " ORDER BY created_at, id", (customer_uid,))

    def recent_charge(self, customer_uid: str, amount: int, since: float) -> JournalRow | None:
        """The newest charge of this amount to this customer since `since` (paid or maybe paid)."""
        with self._lock:
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
        with self._lock:
            return self._select_locked(where + " ORDER BY created_at, id", tuple(args))

    def refunds_of(self, imp_uid: str) -> list[JournalRow]:
        with self._lock:
            return self._select_locked(
                "WHERE kind = 'refund' AND imp_uid = ? ORDER BY created_at", (imp_uid,)
            )

    def all_rows(self) -> list[JournalRow]:
        with self._lock:
            return self._select_locked("ORDER BY created_at, id", ())

    # -- helpers (lock held) -----------------------------------------------------------------------

    def _select_locked(self, tail: str, args: Iterable[object]) -> list[JournalRow]:
        cur = self._conn.execute(f"SELECT {_COLUMNS} FROM charges {tail}", tuple(args))
        return list(map(JournalRow._make, cur.fetchall()))

    def _get_locked(self, merchant_uid: str) -> JournalRow | None:
        rows = self._select_locked("WHERE merchant_uid = ? AND kind != 'refund'", (merchant_uid,))
        return rows[0] if rows else None

    def _by_id_locked(self, row_id: int) -> JournalRow | None:
        rows = self._select_locked("WHERE id = ?", (row_id,))
        return rows[0] if rows else None
