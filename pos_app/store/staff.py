"""Staff: names, roles, PIN hashes, failed-PIN counts and the staff settings, in one SQLite file.

Never a PIN: only its salted hash (pos_app/core/staff_pin.py). Failed PINs are counted here, not
in memory, so a lockout survives closing and reopening the program. The SQL is kept plain (no
SQLite-only syntax but `BEGIN IMMEDIATE`) so that a second backend (issue 17) can hold the same
tables.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from pos_app.store.db import StoreFile

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


class StaffStore(StoreFile):
    schema = _SCHEMA

    def members(self) -> list[StaffMember]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT name, role, created_at, updated_at FROM staff ORDER BY role DESC, name"
            ).fetchall()
        return list(map(StaffMember._make, rows))

    def member(self, name: str) -> StaffMember | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT name, role, created_at, updated_at FROM staff WHERE name = ?", (name,)
            ).fetchone()
        return StaffMember._make(row) if row else None

    def pin_hash(self, name: str) -> str | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT pin_hash FROM staff WHERE name = ?", (name,)
            ).fetchone()
        return str(row[0]) if row else None

    def add(self, name: str, role: Role, pin_hash: str, now: float) -> StaffMember:
        with self._lock, self._transaction():
            if self._conn.execute("SELECT 1 FROM staff WHERE name = ?", (name,)).fetchone():
                raise StaffExists(name)
            self._conn.execute(
                "INSERT INTO staff (name, role, pin_hash, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (name, role, pin_hash, now, now),
            )
            # A name used before (removed, then added again) starts with a clean count.
            self._conn.execute("DELETE FROM pin_failures WHERE name = ?", (name,))
        return StaffMember(name, role, now, now)

    def set_pin(self, name: str, pin_hash: str, now: float) -> None:
        with self._lock, self._transaction():
            cur = self._conn.execute(
                "UPDATE staff SET pin_hash = ?, updated_at = ? WHERE name = ?",
                (pin_hash, now, name),
            )
            if cur.rowcount == 0:
                raise NoSuchStaff(name)
            self._conn.execute("DELETE FROM pin_failures WHERE name = ?", (name,))

    def remove(self, name: str) -> StaffMember:
        """Checked and removed in one transaction, so two windows cannot each remove one of
        the last two managers."""
        with self._lock, self._transaction():
            row = self._conn.execute(
                "SELECT name, role, created_at, updated_at FROM staff WHERE name = ?", (name,)
            ).fetchone()
            if row is None:
                raise NoSuchStaff(name)
            member = StaffMember._make(row)
            if member.is_manager:
                (managers,) = self._conn.execute(
                    "SELECT COUNT(*) FROM staff WHERE role = 'manager'"
                ).fetchone()
                if managers <= 1:
                    raise LastManager(name)
            self._conn.execute("DELETE FROM staff WHERE name = ?", (name,))
            self._conn.execute("DELETE FROM pin_failures WHERE name = ?", (name,))
        return member

    # -- failed PINs -------------------------------------------------------------------------------

    def failures(self, name: str) -> PinFailures:
        with self._lock:
            row = self._conn.execute(
                "SELECT failures, locked_until FROM pin_failures WHERE name = ?", (name,)
            ).fetchone()
        return PinFailures(int(row[0]), float(row[1])) if row else PinFailures(0, 0.0)

    def record_failure(self, name: str, now: float, limit: int, lock_s: float) -> PinFailures:
        """One more wrong PIN; the `limit`-th in a row locks the name until now + lock_s and
        starts the count again. One transaction: two windows guessing at once count every guess,
        and none past the one that locks."""
        with self._lock, self._transaction():
            row = self._conn.execute(
                "SELECT failures, locked_until FROM pin_failures WHERE name = ?", (name,)
            ).fetchone()
            locked_until = float(row[1]) if row else 0.0
            if locked_until > now:
                # Locked by a guess that finished first (another window): nothing more counts
                # until the lock ends, and this one is refused as locked too.
                return PinFailures(int(row[0]), locked_until)
            failures = (int(row[0]) if row else 0) + 1
            if failures >= limit:
                failures, locked_until = 0, now + lock_s
            if row is None:
                self._conn.execute(
                    "INSERT INTO pin_failures (name, failures, locked_until) VALUES (?, ?, ?)",
                    (name, failures, locked_until),
                )
            else:
                self._conn.execute(
                    "UPDATE pin_failures SET failures = ?, locked_until = ? WHERE name = ?",
                    (failures, locked_until, name),
                )
        return PinFailures(failures, locked_until)

    def clear_failures(self, name: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM pin_failures WHERE name = ?", (name,))

    # -- settings --------------------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT value FROM staff_settings WHERE key = ?", (key,)
            ).fetchone()
        return str(row[0]) if row else None

    def set_setting(self, key: str, value: str) -> None:
        with self._lock, self._transaction():
            self._conn.execute("DELETE FROM staff_settings WHERE key = ?", (key,))
            self._conn.execute(
                "INSERT INTO staff_settings (key, value) VALUES (?, ?)", (key, value)
            )
