"""The customer index: billing keys this app knows about, so the window can list them at once.

No card data: the card column keeps at most the last four digits. `all_rows()` is one SELECT
returning tuples, because the window loads 100,000 of them at start.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import NamedTuple

from pos_app.core.card_mask import card_tail
from pos_app.store.db import StoreFile

_SCHEMA = """
CREATE TABLE IF NOT EXISTS customers (
    customer_uid TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    tel TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    card_number TEXT NOT NULL DEFAULT '',
    card_name TEXT NOT NULL DEFAULT '',
    card_type INTEGER,
    registered INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    last_charge_at REAL
) WITHOUT ROWID;
"""

_COLUMNS = (
    "customer_uid, name, tel, email, card_number, card_name, card_type, registered, updated, "
    "last_charge_at"
)


class CustomerRow(NamedTuple):
    customer_uid: str
    name: str = ""
    tel: str = ""
    email: str = ""
    card_number: str = ""  # masked, last four digits at most
    card_name: str = ""
    card_type: int | None = None  # 0 credit, 1 check, None unknown
    registered: int = 0  # unix s, PortOne's `inserted`
    updated: int = 0  # unix s, PortOne's `updated`
    last_charge_at: float | None = None


class CustomerIndex(StoreFile):
    schema = _SCHEMA

    def all_rows(self) -> list[CustomerRow]:
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM customers ORDER BY customer_uid"
            ).fetchall()
        return list(map(CustomerRow._make, rows))

    def all_tuples(self) -> list[tuple[object, ...]]:
        """Plain tuples in CustomerRow field order: the cheapest load for a 100,000-row model."""
        with self._lock:
            return self._conn.execute(
                f"SELECT {_COLUMNS} FROM customers ORDER BY customer_uid"
            ).fetchall()

    def get(self, customer_uid: str) -> CustomerRow | None:
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_COLUMNS} FROM customers WHERE customer_uid = ?", (customer_uid,)
            ).fetchone()
        return CustomerRow._make(row) if row else None

    def count(self) -> int:
        with self._lock:
            (n,) = self._conn.execute("SELECT COUNT(*) FROM customers").fetchone()
        return int(n)

    def upsert(
        self,
        customer_uid: str,
        *,
        name: str = "",
        tel: str = "",
        email: str = "",
        card_number: str = "",
        card_name: str = "",
        card_type: int | None = None,
        registered: int = 0,
        updated: int = 0,
    ) -> CustomerRow:
        self.upsert_many(
            [
                CustomerRow(
                    customer_uid,
                    name,
                    tel,
                    email,
                    card_number,
                    card_name,
                    card_type,
                    registered,
                    updated,
                )
            ]
        )
        row = self.get(customer_uid)
        assert row is not None
        return row

    def upsert_many(self, rows: Iterable[CustomerRow]) -> int:
        """Insert or refresh in one transaction; the last charge time is the app's own, kept."""
        params = [
            (
                r.customer_uid,
                r.name or "",
                r.tel or "",
                r.email or "",
                card_tail(r.card_number),
                r.card_name or "",
                r.card_type,
                r.registered or int(time.time()),
                r.updated or r.registered or int(time.time()),
                r.last_charge_at,
            )
            for r in rows
        ]
        with self._lock, self._transaction():
            self._conn.executemany(
                f"INSERT INTO customers ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (customer_uid) DO UPDATE SET name = excluded.name, "
                "tel = excluded.tel, email = excluded.email, "
                "card_number = excluded.card_number, card_name = excluded.card_name, "
                "card_type = excluded.card_type, registered = excluded.registered, "
                "updated = excluded.updated, "
                "last_charge_at = COALESCE(excluded.last_charge_at, last_charge_at)",
                params,
            )
        return len(params)

    def remove(self, customer_uid: str) -> bool:
        with self._lock:
            cur = self._conn.execute(
                "DELETE FROM customers WHERE customer_uid = ?", (customer_uid,)
            )
        return cur.rowcount > 0

    def record_charge(self, customer_uid: str, at: float | None = None) -> None:
        """Remember when this customer was last charged (only moves forward)."""
        when = time.time() if at is None else at
        with self._lock:
            self._conn.execute(
                "UPDATE customers SET last_charge_at = MAX(COALESCE(last_charge_at, 0), ?) "
                "WHERE customer_uid = ?",
                (when, customer_uid),
            )
