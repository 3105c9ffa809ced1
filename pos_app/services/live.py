"""What the other counters just did, as it happens: the shop's store server tells every counter
(PostgreSQL LISTEN/NOTIFY, store/pg_schema.py's `notify_change` trigger) and `ShopFeed` turns
that into the rows a window shows, read off the GUI thread on a thread of its own.

It also keeps the counter's lease (store/pg_lease.py) and notices first when the server goes
away: `on_health(StoreHealth(False))` then, and when the server is back `on_health(True)` and
the whole list again (notifications sent meanwhile were lost with the connection). Reads of the
window keep showing the last list, marked stale; charges stop until the server is back
(nothing can be charged whose intent cannot be recorded first).

Notifications are gathered for a moment (`gather_s`) so a billing run's hundreds of rows become
a few refreshes, not hundreds.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos_app.store.errors import StorageError

if TYPE_CHECKING:
    from pos_app.store.backend import Store
    from pos_app.store.customers import CustomerRow

log = logging.getLogger(__name__)

# How long to wait for more notifications after the first one, and how often the lease is
# renewed (its heartbeat) while nothing happens.
GATHER_S = 0.05
# The shop's tables (schema pos_shop) whose changes a window follows.
_STAFF_TABLES = frozenset({"staff", "staff_settings"})
RENEW_EVERY_S = 5.0
RETRY_S = 1.0


@dataclass(frozen=True)
class ShopChange:
    """What changed on the server. `everything` (after a reconnect) replaces the whole list;
    otherwise `customers` changed or were added and `gone` were removed. `checking` is every
    customer with a charge not settled yet (None: unchanged); `charges` says some charge or
    refund changed (the day's totals); `staff`, that the staff list did."""

    customers: tuple[CustomerRow, ...] = ()
    gone: tuple[str, ...] = ()
    checking: frozenset[str] | None = None
    charges: bool = False
    everything: tuple[CustomerRow, ...] | None = None
    # The shop's staff list or its settings changed (another counter added or removed someone):
    # the window reads them again (ui/staff_gate.py).
    staff: bool = False


@dataclass(frozen=True)
class StoreHealth:
    reachable: bool
    error: StorageError | None = None


class ShopFeed:
    """The store server's changes for one counter, on a thread named `shop-feed`."""

    def __init__(
        self,
        store: Store,
        origin: str,
        on_change: Callable[[ShopChange], None],
        on_health: Callable[[StoreHealth], None],
        *,
        gather_s: float = GATHER_S,
    ) -> None:
        assert store.server is not None, "a feed needs the store server"
        self._store = store
        self._server = store.server
        self._origin = origin
        self._on_change = on_change
        self._on_health = on_health
        self._gather_s = gather_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="shop-feed", daemon=True)
        # Whether the server answered at the last try (a change is said once, not every second).
        self.reachable = True

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=15)

    def _run(self) -> None:
        import psycopg

        from pos_app.store.pg_schema import CHANGES_CHANNEL
        from pos_app.store.postgres import storage_error

        while not self._stop.is_set():
            try:
                with psycopg.connect(
                    self._server.address.connect_string(), autocommit=True
                ) as conn:
                    conn.execute(f"LISTEN {CHANGES_CHANNEL}")
                    if not self.reachable:
                        self._back()
                    self._listen(conn)
            except (psycopg.Error, StorageError) as exc:
                error = storage_error(exc, self._server.where)
                if self.reachable:
                    log.warning("store server unreachable: %s", error.reason)
                    self.reachable = False
                    self._on_health(StoreHealth(False, error))
                self._stop.wait(RETRY_S)
            except Exception:  # never let the feed die silently: log, wait, try again
                log.exception("shop feed failed")
                self._stop.wait(RETRY_S)

    def _back(self) -> None:
        """The server answers again: lease first (charges need it), then the whole list."""
        self._store.lease.renew()
        everything = tuple(self._store.customers.all_rows())
        checking = self._checking()
        self.reachable = True
        log.info("store server reachable again")
        self._on_health(StoreHealth(True))
        self._on_change(ShopChange(checking=checking, charges=True, everything=everything))

    def _listen(self, conn: object) -> None:
        import psycopg

        assert isinstance(conn, psycopg.Connection)
        from pos_app.store.pg_schema import SHOP_SCHEMA

        schema = self._server.schema
        customers_table = self._store.customers.table
        idle = 0.0
        while not self._stop.is_set():
            notes = list(conn.notifies(timeout=1.0, stop_after=1))
            if not notes:
                idle += 1.0
                if idle >= RENEW_EVERY_S:
                    idle = 0.0
                    self._store.lease.renew()
                continue
            notes += list(conn.notifies(timeout=self._gather_s))
            touched: set[str] = set()
            charges = staff = False
            for note in notes:
                try:
                    change = json.loads(note.payload)
                except ValueError:
                    continue
                table = change.get("table")
                if change.get("schema") == SHOP_SCHEMA:
                    staff = staff or table in _STAFF_TABLES
                    continue
                if change.get("schema") != schema:
                    continue  # the other mode's tables
                if table == "charges":
                    charges = True
                elif table != customers_table:
                    continue  # the other PortOne API's customer index
                uid = change.get("customer_uid")
                if uid:
                    touched.add(uid)
            if touched or charges:
                self._on_change(self._read(touched, charges, staff))
            elif staff:
                self._on_change(ShopChange(staff=True))

    def _read(self, touched: set[str], charges: bool, staff: bool = False) -> ShopChange:
        rows, gone = [], []
        for uid in sorted(touched):
            row = self._store.customers.get(uid)
            if row is None:
                gone.append(uid)
            else:
                rows.append(row)
        checking = self._checking() if charges else None
        # A charge to a customer this counter has no row for only changes the totals.
        return ShopChange(tuple(rows), tuple(gone), checking, charges, staff=staff)

    def _checking(self) -> frozenset[str]:
        return frozenset(
            r.customer_uid for r in self._store.journal.open_rows(self._origin) if r.customer_uid
        )
