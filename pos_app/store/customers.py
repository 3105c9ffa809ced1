"""The customer index: billing keys this app knows about, so the window can list them at once,
and each member's plan (what to charge every month, on which day).

No card data: the card column keeps at most the last four digits; a plan is an amount, an order
name, a day and months. `all_rows()` is one SELECT returning tuples, because the window loads
100,000 of them at start.

Plans were added after the first release: their columns are added to an older file when it is
opened (the open hook, under the folder's open lock, in one write transaction), and to the store
server's tables by its migration 3 (store/pg_schema.py). Refreshing a customer from PortOne never
touches its plan.

With PortOne V2 a member's saved card is also known by the billing key PortOne chose for it;
the member's current one is kept in `billing_key` (an id, not card data; "" under V1, where
the customer_uid itself names the card).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Literal, NamedTuple, Self

from pos_app.core.card_mask import card_tail
from pos_app.store.db import StoreFile
from pos_app.store.sql import Sql

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
# Columns an index from an earlier version lacks; added on open (ALTER TABLE ... ADD COLUMN).
_ADDED_COLUMNS = (("billing_key", "TEXT NOT NULL DEFAULT ''"),)

# What PortOne says of a customer (refreshed from it), then the app's own plan columns.
_KEY_COLUMNS = (
    "customer_uid, name, tel, email, card_number, card_name, card_type, registered, updated, "
    "last_charge_at, billing_key"
)
PLAN_COLUMNS = (
    ("plan_amount", "INTEGER"),
    ("plan_name", "TEXT NOT NULL DEFAULT ''"),
    ("plan_day", "INTEGER NOT NULL DEFAULT 0"),
    ("plan_active", "INTEGER NOT NULL DEFAULT 0"),
    ("plan_start", "TEXT"),
    ("plan_end", "TEXT"),
    ("plan_since", "TEXT"),
    ("plan_mode", "TEXT NOT NULL DEFAULT 'counter'"),
)
_COLUMNS = _KEY_COLUMNS + ", " + ", ".join(name for name, _ in PLAN_COLUMNS)

PlanMode = Literal["counter", "portone"]


class MemberPlan(NamedTuple):
    """What a member is charged every month: `amount` won named `name`, on `day` (1–28, or 31
    for 말일: core.billing_day), while `active`, from `start` to `end` month ("2026-03", or
    None: open). `since` is the day the plan was last switched on ("2026-03-05"); due dates
    before it are not charged. `mode`: "counter" (this program charges it) or "portone"
    (registered as schedules at PortOne, which charges it: services/schedules.py)."""

    amount: int
    name: str
    day: int
    active: bool = True
    start: str | None = None
    end: str | None = None
    since: str | None = None
    mode: PlanMode = "counter"


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
    billing_key: str = ""  # PortOne V2's key for the member's current card ("" under V1)
    # The member's plan (MemberPlan's fields; plan_amount None: no plan).
    plan_amount: int | None = None
    plan_name: str = ""
    plan_day: int = 0
    plan_active: int = 0
    plan_start: str | None = None
    plan_end: str | None = None
    plan_since: str | None = None
    plan_mode: str = "counter"

    @property
    def plan(self) -> MemberPlan | None:
        if self.plan_amount is None:
            return None
        mode: PlanMode = "portone" if self.plan_mode == "portone" else "counter"
        return MemberPlan(
            self.plan_amount,
            self.plan_name,
            self.plan_day,
            bool(self.plan_active),
            self.plan_start,
            self.plan_end,
            self.plan_since,
            mode,
        )


class CustomerFile(StoreFile):
    """The customer index's SQLite file."""

    schema = _SCHEMA

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """The schema, then the columns an index from an earlier version lacks (under the
        folder's open lock, in one write transaction: safe with two processes opening it)."""
        super()._prepare(conn)
        conn.execute("BEGIN IMMEDIATE")
        try:
            have = {r[1] for r in conn.execute("PRAGMA table_info(customers)")}
            for name, declaration in (*_ADDED_COLUMNS, *PLAN_COLUMNS):
                if name not in have:
                    conn.execute(f"ALTER TABLE customers ADD COLUMN {name} {declaration}")
            conn.execute(
                "CREATE INDEX IF NOT EXISTS customers_plans ON customers (plan_day) "
                "WHERE plan_amount IS NOT NULL"
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


# The store server's table for each PortOne API (store/pg_schema.py, migration 2); a single
# counter keeps them in two files instead (services/places.customers_path), each a `customers`.
TABLES = {"v1": "customers", "v2": "customers_v2"}


class CustomerIndex:
    """The customer index on either backend: a SQLite file at `source`, or the `Sql` of the
    shop's shared store (store/postgres.py), in `table` (V1's or V2's, TABLES)."""

    def __init__(self, source: Path | Sql, *, table: str = "customers") -> None:
        if table not in TABLES.values():
            raise ValueError(f"not a customer index table: {table!r}")
        self._file: CustomerFile | None = None
        self.path: Path | None = None
        # Only names from TABLES, so it can go into the SQL as it is.
        self.table = "customers"
        if isinstance(source, Path):
            self._file = CustomerFile(source)
            self.path = source
            self._sql: Sql = self._file.sql()
        else:
            self._sql = source
            self.table = table

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def billing_key_of(self, customer_uid: str) -> str | None:
        """The member's current V2 billing key, or None (unknown member, or none recorded)."""
        rows = self._sql.rows(
            f"SELECT billing_key FROM {self.table} WHERE customer_uid = ?", (customer_uid,)
        )
        return str(rows[0][0]) if rows and rows[0][0] else None

    def all_rows(self) -> list[CustomerRow]:
        return list(map(CustomerRow._make, self.all_tuples()))

    def all_tuples(self) -> list[tuple[object, ...]]:
        """Plain tuples in CustomerRow field order: the cheapest load for a 100,000-row model."""
        return self._sql.rows(f"SELECT {_COLUMNS} FROM {self.table} ORDER BY customer_uid")

    def get(self, customer_uid: str) -> CustomerRow | None:
        rows = self._sql.rows(
            f"SELECT {_COLUMNS} FROM {self.table} WHERE customer_uid = ?", (customer_uid,)
        )
        return CustomerRow._make(rows[0]) if rows else None

    def count(self) -> int:
        ((n,),) = self._sql.rows(f"SELECT COUNT(*) FROM {self.table}")
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
                r.billing_key or "",
            )
            for r in rows
        ]
        if not params:
            return 0
        # A row without a billing key (V1, or a V2 answer that did not name one) keeps the one
        # recorded.
        self._sql.run_many(
            f"INSERT INTO {self.table} ({_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (customer_uid) DO UPDATE SET name = excluded.name, "
            "tel = excluded.tel, email = excluded.email, "
            "card_number = excluded.card_number, card_name = excluded.card_name, "
            "card_type = excluded.card_type, registered = excluded.registered, "
            "updated = excluded.updated, "
            f"last_charge_at = COALESCE(excluded.last_charge_at, {self.table}.last_charge_at), "
            f"billing_key = CASE WHEN excluded.billing_key = '' THEN {self.table}.billing_key "
            "ELSE excluded.billing_key END",
            params,
        )
        return len(params)

    def remove(self, customer_uid: str) -> bool:
        return (
            self._sql.run(f"DELETE FROM {self.table} WHERE customer_uid = ?", (customer_uid,)) > 0
        )

    def record_charge(self, customer_uid: str, at: float | None = None) -> None:
        """Remember when this customer was last charged (only moves forward)."""
        when = time.time() if at is None else at
        later = "MAX" if self._sql.dialect == "sqlite" else "GREATEST"
        self._sql.run(
            f"UPDATE {self.table} SET last_charge_at = {later}(COALESCE(last_charge_at, 0), ?) "
            "WHERE customer_uid = ?",
            (when, customer_uid),
        )

    # -- plans -------------------------------------------------------------------------------------
    def set_plan(self, customer_uid: str, plan: MemberPlan | None) -> bool:
        """Give a member a plan, change it, or (None) remove it. False when the index does not
        know the member (save the card first)."""
        return not self.set_plans([(customer_uid, plan)])

    def set_plans(self, plans: Iterable[tuple[str, MemberPlan | None]]) -> list[str]:
        """Several plans in one transaction; the customer_uids the index does not know (their
        plans are not saved)."""
        unknown = []
        with self._sql.transaction():
            for customer_uid, plan in plans:
                values: tuple[object, ...]
                if plan is None:
                    values = (None, "", 0, 0, None, None, None, "counter")
                else:
                    values = (
                        plan.amount,
                        plan.name,
                        plan.day,
                        int(plan.active),
                        plan.start,
                        plan.end,
                        plan.since,
                        plan.mode,
                    )
                changed = self._sql.run(
                    f"UPDATE {self.table} SET plan_amount = ?, plan_name = ?, plan_day = ?, "
                    "plan_active = ?, plan_start = ?, plan_end = ?, plan_since = ?, "
                    "plan_mode = ? WHERE customer_uid = ?",
                    (*values, customer_uid),
                )
                if changed == 0:
                    unknown.append(customer_uid)
        return unknown

    def with_plans(self) -> list[CustomerRow]:
        """Members with a plan (active or paused), by customer_uid."""
        rows = self._sql.rows(
            f"SELECT {_COLUMNS} FROM {self.table} WHERE plan_amount IS NOT NULL "
            "ORDER BY customer_uid"
        )
        return list(map(CustomerRow._make, rows))
