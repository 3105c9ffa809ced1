"""The shop's store server: PostgreSQL shared by every counter (psycopg 3 and its pool).

A counter with a store server keeps no journal of its own: every charge's intent, every answer
and the customer index live in one database, so counter B sees at once that counter A charged a
member, can settle A's charge whose answer was lost, and two counters cannot both pass the guard
for one member (`PgSql.transaction(key)` takes a transaction-scoped advisory lock on the key).

Sandbox and live never share tables: each mode has its own schema (`pos_sandbox`, `pos_live`),
created and kept current by versioned migrations applied on connect (store/pg_schema.py).

Every psycopg failure leaves here as a `StorageError` (store/errors.py): "unreachable" when the
server cannot be reached (nothing is charged then, and nothing falls back to a local file),
"locked" when another counter held a lock longer than POS_APP_LOCK_WAIT_S, "io" otherwise.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import psycopg
import psycopg.errors
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool, PoolTimeout

from pos_app.store.errors import StorageError
from pos_app.store.sql import Dialect, DuplicateKey, Row

if TYPE_CHECKING:
    from pos_app.store.pg_lease import CounterLease

log = logging.getLogger(__name__)

Mode = Literal["sandbox", "live"]
# A mode's records (journal, customer indexes, counters), or the shop's own (staff, audit trail:
# one for the shop whatever the mode, store/pg_schema.py).
Area = Literal["sandbox", "live", "shop"]

# Advisory lock classes (the first of the two int4 keys), so the app's locks never collide with
# each other or with anything else on the server that uses advisory locks.
GUARD_LOCK_CLASS = 0x504F5301  # a transaction's key (a customer, a payment's refunds)
LEASE_LOCK_CLASS = 0x504F5302  # a counter's lease, held by its session for its whole life
MIGRATION_LOCK_CLASS = 0x504F5303  # migrations of one schema

# How quickly a counter notices that the server is gone, and the server that a counter is gone
# (TCP keepalives both ways: a powered-off counter's lease ends within about half a minute).
CONNECT_TIMEOUT_S = 5
_CLIENT_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}
_SERVER_KEEPALIVES = (
    "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; "
    "SET tcp_keepalives_count = 3; SET tcp_user_timeout = 30000"
)
# The pool's size per counter: the till's thread, the live feed's reads, a check. The lease and
# the LISTEN connection are one more, outside the pool.
POOL_MAX = 3
# The staff and audit trail's pool (the shop's schema): the window's staff worker is one thread,
# a command appends once.
SHOP_POOL_MAX = 2

SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


def schema_for(area: Area) -> str:
    return f"pos_{area}"


@dataclass(frozen=True)
class ServerAddress:
    """Where the store server is: a libpq connection string or URL without the password (which
    comes from the OS keychain, or libpq's own PGPASSWORD / .pgpass)."""

    conninfo: str
    password: str | None = field(default=None, repr=False)

    def params(self) -> dict[str, Any]:
        return conninfo_to_dict(self.conninfo)

    def describe(self) -> str:
        """host:port/database as a person would say it (never the password)."""
        params = self.params()
        host = params.get("host") or params.get("hostaddr") or "localhost"
        port = params.get("port") or "5432"
        return f"{host}:{port}/{params.get('dbname') or params.get('user') or ''}"

    def connect_string(self, **extra: Any) -> str:
        """The conninfo with the password, timeouts and keepalives (for psycopg only: never
        logged or shown)."""
        values: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S, **_CLIENT_KEEPALIVES}
        values.update(self.params())
        if self.password and "password" not in values:
            values["password"] = self.password
        values.update(extra)
        return make_conninfo("", **values)

    def with_password(self, password: str | None) -> ServerAddress:
        return ServerAddress(self.conninfo, password)


def parse_address(text: str) -> ServerAddress:
    """A `postgresql://user@host:port/db?sslmode=...` URL or a `host=... dbname=...` string.
    A password written into it stays in it (libpq reads it), but the settings never hold one."""
    try:
        conninfo_to_dict(text)
    except psycopg.ProgrammingError as exc:
        raise ValueError(f"not a PostgreSQL address: {exc}") from None
    return ServerAddress(text)


def storage_error(exc: BaseException, where: str) -> StorageError:
    """The StorageError a psycopg (or pool) failure stands for."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, PoolTimeout | psycopg.OperationalError | psycopg.InterfaceError):
        if isinstance(exc, psycopg.errors.LockNotAvailable | psycopg.errors.QueryCanceled):
            return StorageError("locked", server=where, detail=type(exc).__name__)
        return StorageError("unreachable", server=where, detail=type(exc).__name__)
    if isinstance(exc, psycopg.Error):
        code = getattr(exc, "sqlstate", None) or ""
        return StorageError("io", server=where, detail=f"{type(exc).__name__} {code}".strip())
    return StorageError("io", server=where, detail=type(exc).__name__)


@contextmanager
def translated(where: str) -> Iterator[None]:
    """psycopg's errors as StorageError; anything else (a ChargeBlocked raised by the caller
    inside a transaction) passes untouched."""
    try:
        yield
    except (psycopg.Error, PoolTimeout) as exc:
        raise storage_error(exc, where) from exc


def _pg(sql: str) -> bytes:
    """`?` placeholders (the store's one dialect of SQL) as psycopg's `%s`."""
    return sql.replace("%", "%%").replace("?", "%s").encode()


class PgSql:
    """`Sql` (store/sql.py) over a connection pool, in one schema. Inside `transaction()` the
    calls made on the same thread use the transaction's connection; outside, each call borrows
    one from the pool (autocommit)."""

    dialect: Dialect = "postgresql"

    def __init__(self, pool: ConnectionPool[psycopg.Connection[Row]], where: str) -> None:
        self._pool = pool
        self.where = where
        self._bound = threading.local()

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection[Row]]:
        bound: psycopg.Connection[Row] | None = getattr(self._bound, "conn", None)
        if bound is not None:
            yield bound
            return
        with translated(self.where), self._pool.connection() as conn:
            yield conn

    def rows(self, sql: str, args: Sequence[object] = ()) -> list[Row]:
        with self._conn() as conn, translated(self.where):
            return conn.execute(_pg(sql), tuple(args)).fetchall()

    def run(self, sql: str, args: Sequence[object] = ()) -> int:
        with self._conn() as conn, translated(self.where):
            return conn.execute(_pg(sql), tuple(args)).rowcount

    def run_many(self, sql: str, args: Iterable[Sequence[object]]) -> None:
        with self._conn() as conn, translated(self.where), conn.transaction():
            conn.cursor().executemany(_pg(sql), [tuple(a) for a in args])

    def insert(self, sql: str, args: Sequence[object] = ()) -> int:
        with self._conn() as conn, translated(self.where):
            try:
                # A savepoint when inside a transaction: a duplicate must not spoil the rest.
                with conn.transaction():
                    row = conn.execute(_pg(sql + " RETURNING id"), tuple(args)).fetchone()
            except psycopg.errors.UniqueViolation as exc:
                raise DuplicateKey(str(exc)) from None
            assert row is not None
            return int(row[0])

    @contextmanager
    def transaction(self, key: str | None = None) -> Iterator[None]:
        if getattr(self._bound, "conn", None) is not None:
            yield  # nested: part of the transaction already open on this thread
            return
        with self._conn() as conn, translated(self.where), conn.transaction():
            self._bound.conn = conn
            try:
                if key is not None:
                    conn.execute(
                        "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (GUARD_LOCK_CLASS, key)
                    )
                yield
            finally:
                self._bound.conn = None

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        if getattr(self._bound, "conn", None) is not None:
            yield
            return
        with self._conn() as conn, translated(self.where), conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            self._bound.conn = conn
            try:
                yield
            finally:
                self._bound.conn = None


def _configure(schema: str, lock_wait_s: float) -> Any:
    def configure(conn: psycopg.Connection[Row]) -> None:
        conn.execute(_SERVER_KEEPALIVES)
        conn.execute(
            "SELECT set_config('search_path', %s, false), set_config('lock_timeout', %s, false)",
            (schema, f"{max(1, int(lock_wait_s * 1000))}ms"),
        )

    return configure


@dataclass
class SharedStore:
    """An open connection to the store server for one mode: the pool, its `Sql`, and this
    counter's lease (store/pg_lease.py)."""

    address: ServerAddress
    mode: Area
    pool: ConnectionPool[psycopg.Connection[Row]]
    sql: PgSql
    version: int
    lease: CounterLease | None = None

    @property
    def schema(self) -> str:
        return schema_for(self.mode)

    @property
    def where(self) -> str:
        return self.address.describe()

    def close(self) -> None:
        try:
            if self.lease is not None:
                self.lease.release()
        finally:
            self.pool.close()


def open_shared(
    address: ServerAddress,
    mode: Area,
    *,
    lock_wait_s: float = 30.0,
    wait_s: float = float(CONNECT_TIMEOUT_S),
    pool_max: int = POOL_MAX,
) -> SharedStore:
    """Connect, bring the mode's schema up to date (once, under a lock: several counters may
    start together), and return the store. Raises StorageError (unreachable, io)."""
    from pos_app.store.pg_schema import migrate

    where = address.describe()
    schema = schema_for(mode)
    pool: ConnectionPool[psycopg.Connection[Row]] = ConnectionPool(
        address.connect_string(),
        min_size=1,
        max_size=pool_max,
        kwargs={"autocommit": True},
        configure=_configure(schema, lock_wait_s),
        check=ConnectionPool.check_connection,
        timeout=wait_s,
        reconnect_timeout=24 * 3600.0,  # a counter waits for its server for as long as it runs
        open=False,
        name=f"pos-app-{mode}",
    )
    try:
        with translated(where):
            pool.open(wait=True, timeout=wait_s)
            with pool.connection() as conn:
                version = migrate(conn, schema)
    except BaseException:
        pool.close()
        raise
    return SharedStore(address, mode, pool, PgSql(pool, where), version)
