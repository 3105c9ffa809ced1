"""Moving a counter's SQLite journal, customer indexes and staff into the shop's store server,
and what the server can say about itself (`pos-app db import-sqlite`, `pos-app db status`).

A copied row keeps everything it had (times, state, sender, deadlines) and is marked
`imported_from = "<data folder id>:<row id>"`, unique on the server: copying the same journal
again finds every row already there, so running it twice adds nothing. A charge whose order id
the server already holds (the same bill row billed from two counters, say) is not copied either;
when the two disagree about its state it is listed, for someone to reconcile.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pos_app.store.customers import PLAN_COLUMNS, TABLES, CustomerRow
from pos_app.store.journal import JournalRow
from pos_app.store.postgres import PgSql, SharedStore

# A staff member as copied: name, role, PIN hash (never a PIN), created_at, updated_at.
StaffRow = tuple[str, str, str, float, float]

_COPIED = (
    "merchant_uid, kind, origin, customer_uid, amount, tax_free, order_name, terminal, state, "
    "imp_uid, apply_num, card_number, card_name, reason, checksum, override_reason, "
    "created_at, sent_at, answered_at, resolved_at, updated_at, "
    "sender, settle_after, recheck_until, card_quota, cancel_ref, note"
)


@dataclass
class CopyCounts:
    charges_copied: int = 0
    charges_there: int = 0
    customers_copied: int = 0
    customers_there: int = 0
    # Order ids the server already held in another state than the copied journal's.
    disagreeing: list[str] = field(default_factory=list)


def copy_journal(
    sql: PgSql,
    rows: Iterable[JournalRow],
    source: str,
    origin_of: Callable[[str], str],
    counts: CopyCounts,
) -> None:
    """Copy journal rows (each in its own statement, so one already there skips only itself)."""
    for row in rows:
        values = [getattr(row, name.strip()) for name in _COPIED.split(",")]
        values[2] = origin_of(row.origin)
        marks = ", ".join("?" * (len(values) + 1))
        changed = sql.run(
            f"INSERT INTO charges ({_COPIED}, imported_from) VALUES ({marks}) "
            "ON CONFLICT DO NOTHING",
            (*values, f"{source}:{row.id}"),
        )
        if changed:
            counts.charges_copied += 1
            continue
        counts.charges_there += 1
        if row.kind != "refund":
            there = sql.rows(
                "SELECT state FROM charges WHERE merchant_uid = ? AND kind != 'refund' "
                "AND (imported_from IS NULL OR imported_from != ?)",
                (row.merchant_uid, f"{source}:{row.id}"),
            )
            if there and there[0][0] != row.state:
                counts.disagreeing.append(row.merchant_uid)


def copy_customers(
    sql: PgSql, rows: Iterable[CustomerRow], counts: CopyCounts, table: str = "customers"
) -> None:
    """New customers are added to `table` (V1's or V2's index, customers.TABLES); one the server
    knows keeps the server's details (the shared truth), with the later of the two last-charge
    times, and gains the copied V2 billing key only when it had none."""
    if table not in TABLES.values():
        raise ValueError(f"not a customer index table: {table!r}")
    # A member's plan comes along when the server has none for them (it keeps its own).
    plans = ", ".join(
        f"{name} = CASE WHEN {table}.plan_amount IS NULL THEN excluded.{name} "
        f"ELSE {table}.{name} END"
        for name, _ in PLAN_COLUMNS
    )
    for row in rows:
        existed = sql.rows(f"SELECT 1 FROM {table} WHERE customer_uid = ?", (row.customer_uid,))
        sql.run(
            f"INSERT INTO {table} ({', '.join(CustomerRow._fields)}) "
            f"VALUES ({', '.join('?' * len(CustomerRow._fields))}) "
            "ON CONFLICT (customer_uid) DO UPDATE SET "
            f"last_charge_at = GREATEST({table}.last_charge_at, excluded.last_charge_at), "
            f"billing_key = CASE WHEN {table}.billing_key = '' THEN excluded.billing_key "
            f"ELSE {table}.billing_key END, {plans}",
            tuple(row),
        )
        if existed:
            counts.customers_there += 1
        else:
            counts.customers_copied += 1


@dataclass
class StaffCounts:
    copied: int = 0
    there: int = 0  # names the server's staff already had (kept as the server has them)
    settings_copied: int = 0


def copy_staff(
    sql: PgSql, members: Iterable[StaffRow], settings: Iterable[tuple[str, str]]
) -> StaffCounts:
    """A counter's staff (names, roles, PIN hashes) into the shop's: a name the server knows
    keeps the server's role and PIN; a staff setting the server has is kept. Failed-PIN counts
    are not copied (a lockout ends within minutes anyway). One transaction, under the lock every
    change of the staff list takes (store/staff.py)."""
    counts = StaffCounts()
    with sql.transaction("staff:roster"):
        for member in members:
            changed = sql.run(
                "INSERT INTO staff (name, role, pin_hash, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
                tuple(member),
            )
            if changed:
                counts.copied += 1
            else:
                counts.there += 1
        for key, value in settings:
            counts.settings_copied += sql.run(
                "INSERT INTO staff_settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO NOTHING",
                (key, value),
            )
    return counts


@dataclass(frozen=True)
class CounterSeen:
    terminal: str
    host: str
    pid: int | None
    started_at: float
    last_seen: float
    alive: bool


@dataclass(frozen=True)
class ServerStatus:
    where: str
    schema: str
    version: int
    latest: int
    counters: tuple[CounterSeen, ...]
    charges: int
    open_charges: int
    customers: int
    customers_v2: int


def server_status(server: SharedStore, *, seen_within_s: float = 30 * 24 * 3600.0) -> ServerStatus:
    """The schema's version and the counters seen on it lately (alive: holding their lease)."""
    from pos_app.store.pg_schema import latest_for
    from pos_app.store.postgres import LEASE_LOCK_CLASS

    sql = server.sql
    counters = sql.rows(
        "SELECT c.terminal, c.host, c.pid, c.started_at, c.last_seen, EXISTS (SELECT 1 FROM "
        "pg_locks l WHERE l.locktype = 'advisory' "
        f"AND l.classid = {LEASE_LOCK_CLASS}::oid AND l.objid = c.id::oid "
        "AND l.objsubid = 2 AND l.granted AND l.database = (SELECT oid FROM pg_database "
        "WHERE datname = current_database())) FROM counters c WHERE c.last_seen >= ? "
        "ORDER BY c.last_seen DESC",
        (time.time() - seen_within_s,),
    )
    ((charges, open_charges),) = sql.rows(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE state IN ('pending', 'sent', 'unknown')) "
        "FROM charges"
    )
    ((customers,),) = sql.rows("SELECT COUNT(*) FROM customers")
    ((customers_v2,),) = sql.rows("SELECT COUNT(*) FROM customers_v2")
    return ServerStatus(
        where=server.where,
        schema=server.schema,
        version=server.version,
        latest=latest_for(server.schema),
        counters=tuple(CounterSeen(*row) for row in counters),
        charges=int(charges),
        open_charges=int(open_charges),
        customers=int(customers),
        customers_v2=int(customers_v2),
    )


@dataclass(frozen=True)
class ShopStatus:
    """The shop's own schema: its version, the staff and the audit trail's length."""

    schema: str
    version: int
    latest: int
    staff: int
    managers: int
    audit_entries: int


def shop_status(shop: SharedStore) -> ShopStatus:
    from pos_app.store.pg_schema import latest_for

    ((staff, managers),) = shop.sql.rows(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE role = 'manager') FROM staff"
    )
    head = shop.sql.rows("SELECT seq FROM audit_head WHERE id = 1")
    return ShopStatus(
        schema=shop.schema,
        version=shop.version,
        latest=latest_for(shop.schema),
        staff=int(staff),
        managers=int(managers),
        audit_entries=int(head[0][0]) if head else 0,
    )
