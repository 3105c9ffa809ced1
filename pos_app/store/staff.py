"""Staff: names, roles, PIN hashes, failed-PIN counts and the staff settings, in one SQLite file.

Never a PIN: only its salted hash (pos_app/core/staff_pin.py). Failed PINs are counted here, not
in memory, so a lockout survives closing and reopening the program. The SQL is written once
against store/sql.py: on the shop's store server (PostgreSQL, issue 17) the same tables are
shared by every counter, so a lockout earned at one counter holds at all of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, NamedTuple, Self

from pos_app.store.db import StoreFile
from pos_app.store.sql import Closing, Sql

Role = Literal["cashier", "manager"]
ROLES: tuple[Role, ...] = ("cashier", "manager")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS staff (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
    pin_hash TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS pin_failures (
    name TEXT PRIMARY KEY,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS staff_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class StaffMember(NamedTuple):
    name: str
    role: Role
    created_at: float
    updated_at: float

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


class PinFailures(NamedTuple):
    failures: int  # wrong PINs in a row since the last right one (or the last lockout)
    locked_until: float  # unix s; 0 when not locked


class StaffExists(Exception):
    pass


class NoSuchStaff(Exception):
    pass


class LastManager(Exception):
    """Removing this person would leave staff with no manager to approve or manage them."""


class StaffFile(StoreFile):
    """The staff's SQLite file (a single counter's)."""

    schema = _SCHEMA


# Write transactions' keys (store/sql.py): on the store server, every counter changing the staff
# list waits for the others, and guesses at one name are counted one after another.
_ROSTER_KEY = "staff:roster"


def _pin_key(name: str) -> str:
    return f"staff:pin:{name}"


class StaffStore:
    """Staff on either backend: a SQLite file at `source` (one counter), or the `Sql` of the
    shop's store server (schema `pos_shop`), where every counter signs in against one list and
    one count of wrong PINs. `owner` is closed with the store (the server connection it
    opened)."""

    def __init__(self, source: Path | Sql, *, owner: Closing | None = None) -> None:
        self._file: StaffFile | None = None
        self.path: Path | None = None
        self._owner = owner
        if isinstance(source, Path):
            self._file = StaffFile(source)
            self.path = source
            self._sql: Sql = self._file.sql()
        else:
            self._sql = source

    def close(self) -> None:
        try:
            if self._file is not None:
                self._file.close()
        finally:
            if self._owner is not None:
                self._owner.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def members(self) -> list[StaffMember]:
        rows = self._sql.rows(
            "SELECT name, role, created_at, updated_at FROM staff ORDER BY role DESC, name"
        )
        return list(map(StaffMember._make, rows))

    def member(self, name: str) -> StaffMember | None:
        rows = self._sql.rows(
            "SELECT name, role, created_at, updated_at FROM staff WHERE name = ?", (name,)
        )
        return StaffMember._make(rows[0]) if rows else None

    def pin_hash(self, name: str) -> str | None:
        rows = self._sql.rows("SELECT pin_hash FROM staff WHERE name = ?", (name,))
        return str(rows[0][0]) if rows else None

    def add(self, name: str, role: Role, pin_hash: str, now: float) -> StaffMember:
        with self._sql.transaction(_ROSTER_KEY):
            if self._sql.rows("SELECT 1 FROM staff WHERE name = ?", (name,)):
                raise StaffExists(name)
            self._sql.run(
                "INSERT INTO staff (name, role, pin_hash, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (name, role, pin_hash, now, now),
            )
            # A name used before (removed, then added again) starts with a clean count.
            self._sql.run("DELETE FROM pin_failures WHERE name = ?", (name,))
        return StaffMember(name, role, now, now)

    def set_pin(self, name: str, pin_hash: str, now: float) -> None:
        with self._sql.transaction(_ROSTER_KEY):
            changed = self._sql.run(
                "UPDATE staff SET pin_hash = ?, updated_at = ? WHERE name = ?",
                (pin_hash, now, name),
            )
            if changed == 0:
                raise NoSuchStaff(name)
            self._sql.run("DELETE FROM pin_failures WHERE name = ?", (name,))

    def remove(self, name: str) -> StaffMember:
        """Checked and removed in one transaction, so two windows (or two counters) cannot each
        remove one of the last two managers."""
        with self._sql.transaction(_ROSTER_KEY):
            rows = self._sql.rows(
                "SELECT name, role, created_at, updated_at FROM staff WHERE name = ?", (name,)
            )
            if not rows:
                raise NoSuchStaff(name)
            member = StaffMember._make(rows[0])
            if member.is_manager:
                ((managers,),) = self._sql.rows("SELECT COUNT(*) FROM staff WHERE role = 'manager'")
                if managers <= 1:
                    raise LastManager(name)
            self._sql.run("DELETE FROM staff WHERE name = ?", (name,))
            self._sql.run("DELETE FROM pin_failures WHERE name = ?", (name,))
        return member

    # -- failed PINs -------------------------------------------------------------------------------

    def failures(self, name: str) -> PinFailures:
        rows = self._sql.rows(
            "SELECT failures, locked_until FROM pin_failures WHERE name = ?", (name,)
        )
        return PinFailures(int(rows[0][0]), float(rows[0][1])) if rows else PinFailures(0, 0.0)

    def record_failure(self, name: str, now: float, limit: int, lock_s: float) -> PinFailures:
        """One more wrong PIN; the `limit`-th in a row locks the name until now + lock_s and
        starts the count again. One transaction, exclusive for the name: two windows (or two
        counters) guessing at once count every guess, and none past the one that locks."""
        with self._sql.transaction(_pin_key(name)):
            rows = self._sql.rows(
                "SELECT failures, locked_until FROM pin_failures WHERE name = ?", (name,)
            )
            row = rows[0] if rows else None
            locked_until = float(row[1]) if row else 0.0
            if row is not None and locked_until > now:
                # Locked by a guess that finished first (another window): nothing more counts
                # until the lock ends, and this one is refused as locked too.
                return PinFailures(int(row[0]), locked_until)
            failures = (int(row[0]) if row else 0) + 1
            if failures >= limit:
                failures, locked_until = 0, now + lock_s
            if row is None:
                self._sql.run(
                    "INSERT INTO pin_failures (name, failures, locked_until) VALUES (?, ?, ?)",
                    (name, failures, locked_until),
                )
            else:
                self._sql.run(
                    "UPDATE pin_failures SET failures = ?, locked_until = ? WHERE name = ?",
                    (failures, locked_until, name),
                )
        return PinFailures(failures, locked_until)

    def clear_failures(self, name: str) -> None:
        self._sql.run("DELETE FROM pin_failures WHERE name = ?", (name,))

    # -- settings --------------------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        rows = self._sql.rows("SELECT value FROM staff_settings WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def settings(self) -> list[tuple[str, str]]:
        return [
            (str(k), str(v)) for k, v in self._sql.rows("SELECT key, value FROM staff_settings")
        ]

    def set_setting(self, key: str, value: str) -> None:
        with self._sql.transaction(_ROSTER_KEY):
            self._sql.run("DELETE FROM staff_settings WHERE key = ?", (key,))
            self._sql.run("INSERT INTO staff_settings (key, value) VALUES (?, ?)", (key, value))
