"""One store interface, two backends: what a till keeps its records in.

- **SQLite** (the default, one counter): `journal.sqlite3` and `customers.sqlite3` in the mode's
  folder, checked on open (store/integrity.py), with an OS file lock as the sender's lease
  (store/leases.py). Exactly what a single counter has always had.
- **PostgreSQL** (a shop with several counters): the same journal and customer index as tables on
  the shop's store server (store/postgres.py), with the counter's lease held on the server
  (store/pg_lease.py), so every counter sees, guards and settles the same charges.

Both give a `Journal`, a `CustomerIndex` and a `Lease`; the tables' SQL is written once against
`store.sql.Sql`. A store that cannot be opened raises StorageError; a server store never falls
back to local files (two truths are worse than none).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pos_app.store.audit import AuditLog
from pos_app.store.customers import CustomerIndex
from pos_app.store.journal import Journal
from pos_app.store.leases import Lease, SenderLease
from pos_app.store.staff import StaffStore

if TYPE_CHECKING:
    from pos_app.store.postgres import ServerAddress, SharedStore

Mode = Literal["sandbox", "live"]


@dataclass
class Store:
    journal: Journal
    customers: CustomerIndex
    lease: Lease
    # The store server's connection when the store is shared; None for the SQLite files.
    server: SharedStore | None = None

    @property
    def shared(self) -> bool:
        """Other counters keep their records here too."""
        return self.server is not None

    @property
    def where(self) -> str:
        """Where the records are, for people: the server, or the journal file."""
        if self.server is not None:
            return self.server.where
        return str(self.journal.path or "")

    def close(self) -> None:
        try:
            self.journal.close()
            self.customers.close()
        finally:
            try:
                self.lease.release()
            finally:
                if self.server is not None:
                    self.server.close()


def open_files(folder: Path, customers_file: str = "customers.sqlite3") -> Store:
    """The single counter's SQLite files in a mode's folder (`customers_file`: the index of the
    PortOne API in use, services/places.customers_path)."""
    lease = SenderLease(folder / "senders")
    try:
        journal = Journal(folder / "journal.sqlite3")
        try:
            customers = CustomerIndex(folder / customers_file)
        except BaseException:
            journal.close()
            raise
    except BaseException:
        lease.release()
        raise
    return Store(journal, customers, lease)


def open_server(
    address: ServerAddress,
    mode: Mode,
    *,
    terminal: str,
    customers_table: str = "customers",
    lock_wait_s: float = 30.0,
    with_lease: bool = True,
) -> Store:
    """The shop's store server for `mode`: schema brought up to date, this counter's lease
    taken (`with_lease` off for a command that only reads, such as `pos-app db status`).
    `customers_table`: the customer index of the PortOne API in use (customers.TABLES)."""
    from pos_app.store.pg_lease import CounterLease
    from pos_app.store.postgres import open_shared

    server = open_shared(address, mode, lock_wait_s=lock_wait_s)
    try:
        lease: Lease = (
            CounterLease(address, mode, server.sql, terminal) if with_lease else _NoLease(server)
        )
    except BaseException:
        server.close()
        raise
    customers = CustomerIndex(server.sql, table=customers_table)
    return Store(Journal(server.sql), customers, lease, server)


def open_audit(address: ServerAddress, *, lock_wait_s: float = 30.0) -> AuditLog:
    """The shop's audit trail on the store server (schema pos_shop, brought up to date): one
    chain every counter appends to. Its connection closes with it."""
    from pos_app.store.postgres import SHOP_POOL_MAX, open_shared

    server = open_shared(address, "shop", lock_wait_s=lock_wait_s, pool_max=SHOP_POOL_MAX)
    return AuditLog(server.sql, owner=server)


def open_staff(
    address: ServerAddress, *, lock_wait_s: float = 30.0, beside: AuditLog | None = None
) -> StaffStore:
    """The shop's staff on the store server; over `beside`'s connection when that trail is on
    the server too (it must then be closed after the staff store), else a connection of its own
    that closes with it."""
    from pos_app.store.postgres import SHOP_POOL_MAX, open_shared

    if beside is not None and beside.shared_sql is not None:
        return StaffStore(beside.shared_sql)
    server = open_shared(address, "shop", lock_wait_s=lock_wait_s, pool_max=SHOP_POOL_MAX)
    return StaffStore(server.sql, owner=server)


class _NoLease:
    """A reader's stand-in: it sends nothing, so it names no rows; others' leases it can test."""

    owner = ""

    def __init__(self, server: SharedStore) -> None:
        self._server = server

    def alive(self, owner: str | None) -> bool:
        from pos_app.store.pg_lease import alive_on

        return alive_on(self._server.sql, owner)

    def renew(self) -> bool:
        return True

    def release(self) -> None:
        pass
