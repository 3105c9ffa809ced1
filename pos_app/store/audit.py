"""The audit trail: who did what at this counter, append-only, each entry chained to the one
before by a SHA-256 hash.

Entry n stores `hash = sha256(canonical(n, at, terminal, person, action, details, prev_hash))`,
where prev_hash is entry n-1's hash (64 zeros for the first). A separate one-row table, the head,
holds the last entry's number and hash, written in the same transaction as the entry. `check_chain`
walks the entries and names the first one that is out of place: changed (its hash no longer
matches), inserted or reordered (it does not follow the one before), missing (the numbers jump),
or the last ones gone (the head is ahead of the table). Triggers refuse UPDATE and DELETE, so
nothing in the program (or a casual `sqlite3` session) can change an entry by accident.

What a chain without a secret cannot prove: whoever can write this file and read this module can
rewrite every entry after the one they change, and the head with them. Only a copy of a later
entry's hash kept somewhere else (an anchor: `pos-app audit verify` prints one) shows that; see
docs/staff.md. No card data and no PIN ever reaches `details`: every text is passed through the
card-number filter before it is stored.

`check_chain` and `entry_hash` are plain functions over plain rows, and the log's SQL is written
once against store/sql.py: the shop's store server (PostgreSQL, issue 17) keeps the same chain
in the same columns, checked the same way, with the same triggers (store/pg_schema.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Generator, Iterable, Mapping
from pathlib import Path
from typing import NamedTuple, Self

from pos_app.store.db import StoreFile, safe_text
from pos_app.store.sql import Closing, Sql

GENESIS = "0" * 64
# The key of the one write transaction every appender takes (store/sql.py: on the store server a
# lock shared by every counter; on a SQLite file BEGIN IMMEDIATE serialises anyway).
APPEND_KEY = "audit:append"
# Written into an entry's details when the program appends after entries that its head does not
# know (added outside it, or the head row removed): the evidence stays in the chain.
CHAIN_NOTE = "chain_note"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    terminal TEXT NOT NULL,
    person TEXT NOT NULL,
    action TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
CREATE INDEX IF NOT EXISTS audit_action ON audit (action);
CREATE TABLE IF NOT EXISTS audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_head_forward BEFORE UPDATE ON audit_head
WHEN NEW.seq <= OLD.seq
BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward'); END;
CREATE TRIGGER IF NOT EXISTS audit_head_kept BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'the audit head cannot be removed'); END;
"""

_COLUMNS = "seq, at, terminal, person, action, details, prev_hash, hash"

Detail = str | int | float | bool | None


class AuditEntry(NamedTuple):
    seq: int
    at: float  # unix s
    terminal: str
    person: str
    action: str
    details: str  # a JSON object, keys sorted
    prev_hash: str
    hash: str

    def detail_map(self) -> dict[str, object]:
        try:
            value = json.loads(self.details)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


class ChainCheck(NamedTuple):
    """`ok`, or the first entry out of place (`broken_seq`) and why (`problem`):
    edited, unlinked, missing (entries broken_seq..last_missing gone), outside_append,
    head_missing, truncated (entries broken_seq..head_seq gone from the end), beyond_head,
    head_mismatch, anchor_mismatch, anchor_missing."""

    ok: bool
    entry_count: int  # entries read before the first problem (all of them when ok)
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    problem: str = ""
    last_missing: int | None = None


# Order and payment ids, kept as the journal keeps them: an order id starts with its date and
# time ("20261205T003623909-T1-…"), which the card-number filter would blank. Likewise a data
# folder's random id and another trail's head (hex digits), noted by `pos-app db import-sqlite`.
IDENTIFIERS = frozenset(
    {"merchant_uid", "imp_uid", "customer_uid", "bill_id", "folder_id", "audit_head"}
)


def encode_details(details: Mapping[str, Detail] | None) -> str:
    """Canonical JSON (sorted keys, no spaces), every other text through the card-number
    filter."""
    clean: dict[str, Detail] = {}
    for key, value in (details or {}).items():
        if isinstance(value, str) and key not in IDENTIFIERS:
            value = safe_text(value)
        clean[safe_text(key)] = value
    return json.dumps(clean, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(
    seq: int, at: float, terminal: str, person: str, action: str, details: str, prev_hash: str
) -> str:
    payload = json.dumps(
        [seq, at, terminal, person, action, details, prev_hash],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _own_hash(entry: AuditEntry) -> str:
    return entry_hash(*entry[:7])


def check_chain(
    entries: Iterable[AuditEntry],
    head: tuple[int, str] | None,
    anchor: tuple[int, str] | None = None,
) -> ChainCheck:
    """Walk `entries` in order of seq; `anchor` is (seq, hash or a prefix of at least 8 hex
    digits) noted earlier somewhere else."""
    head_seq, head_hash = head if head is not None else (0, "")
    expected, prev, count = 1, GENESIS, 0

    def broken(seq: int, problem: str, last_missing: int | None = None) -> ChainCheck:
        return ChainCheck(False, count, head_seq, head_hash, seq, problem, last_missing)

    for entry in entries:
        if entry.seq != expected:
            if entry.seq < expected:
                return broken(entry.seq, "unlinked")
            return broken(expected, "missing", entry.seq - 1)
        if entry.prev_hash != prev:
            return broken(entry.seq, "unlinked")
        if _own_hash(entry) != entry.hash:
            return broken(entry.seq, "edited")
        if f'"{CHAIN_NOTE}"' in entry.details and CHAIN_NOTE in entry.detail_map():
            return broken(entry.seq, "outside_append")
        if anchor is not None and entry.seq == anchor[0] and not entry.hash.startswith(anchor[1]):
            return broken(entry.seq, "anchor_mismatch")
        prev, expected, count = entry.hash, expected + 1, count + 1
    if head is None:
        if count:
            return broken(count, "head_missing")
    elif head_seq > count:
        return broken(count + 1, "truncated", head_seq)
    elif head_seq < count:
        return broken(head_seq + 1, "beyond_head")
    elif head_hash != prev:
        return broken(count, "head_mismatch")
    if anchor is not None and anchor[0] > count:
        return broken(anchor[0], "anchor_missing")
    return ChainCheck(True, count, head_seq, head_hash)


class AuditFile(StoreFile):
    """The audit trail's SQLite file (a single counter's)."""

    schema = _SCHEMA


class AuditLog:
    """The audit trail on either backend: a SQLite file at `source` (one counter), or the `Sql`
    of the shop's store server (store/postgres.py, schema `pos_shop`), where every counter of the
    shop appends to one chain. `owner` is closed with the log (the server connection it
    opened)."""

    def __init__(self, source: Path | Sql, *, owner: Closing | None = None) -> None:
        self._file: AuditFile | None = None
        self.path: Path | None = None
        self._owner = owner
        if isinstance(source, Path):
            self._file = AuditFile(source)
            self.path = source
            self._sql: Sql = self._file.sql()
        else:
            self._sql = source

    @property
    def shared_sql(self) -> Sql | None:
        """The store server's `Sql` this trail is on (others of the shop's tables may share its
        connection), or None for a SQLite file."""
        return None if self._file is not None else self._sql

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

    def append(
        self,
        at: float,
        terminal: str,
        person: str,
        action: str,
        details: Mapping[str, Detail] | None = None,
    ) -> AuditEntry:
        """One entry, chained to the last; the head moves in the same transaction. Appenders
        are serialised: by BEGIN IMMEDIATE on the SQLite file, and on the store server by a
        transaction-scoped lock on the trail that every counter takes before it reads the head
        (so two counters never chain to the same entry)."""
        notes = dict(details or {})
        terminal, person, action = safe_text(terminal), safe_text(person), safe_text(action)
        with self._sql.transaction(APPEND_KEY):
            head = self._head()
            last = self._sql.rows("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
            if head is not None and (not last or head[0] >= last[0][0]):
                # The normal case; when entries were removed from the end, carrying on from the
                # head leaves the gap in the numbers, where `check_chain` finds it.
                seq, prev = head[0] + 1, head[1]
            elif last:
                seq, prev = int(last[0][0]) + 1, str(last[0][1])
                notes[CHAIN_NOTE] = (
                    f"head at {head[0]} but entries up to {last[0][0]}"
                    if head is not None
                    else f"no head but entries up to {last[0][0]}"
                )
            else:
                seq, prev = 1, GENESIS
            text = encode_details(notes)
            digest = entry_hash(seq, at, terminal, person, action, text, prev)
            self._sql.run(
                f"INSERT INTO audit ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, at, terminal, person, action, text, prev, digest),
            )
            if head is None:
                self._sql.run(
                    "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)", (seq, digest)
                )
            else:
                self._sql.run("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (seq, digest))
        return AuditEntry(seq, at, terminal, person, action, text, prev, digest)

    def head(self) -> tuple[int, str] | None:
        return self._head()

    def entries(self, since: float | None = None) -> list[AuditEntry]:
        """Oldest first; from `since` (unix s) when given."""
        where, args = ("WHERE at >= ?", (since,)) if since is not None else ("", ())
        rows = self._sql.rows(f"SELECT {_COLUMNS} FROM audit {where} ORDER BY seq", args)
        return list(map(AuditEntry._make, rows))

    def entries_of(self, action: str) -> list[AuditEntry]:
        """Every entry of one action, oldest first."""
        rows = self._sql.rows(
            f"SELECT {_COLUMNS} FROM audit WHERE action = ? ORDER BY seq", (action,)
        )
        return list(map(AuditEntry._make, rows))

    def verify(self, anchor: tuple[int, str] | None = None) -> ChainCheck:
        # One read snapshot: the head and the entries agree, even while another process (or
        # another counter) appends.
        with self._sql.snapshot():
            pages = self._pages()
            try:
                return check_chain(pages, self._head(), anchor)
            finally:
                pages.close()

    def _pages(self, batch: int = 5000) -> Generator[AuditEntry, None, None]:
        """Every entry in order of seq, a batch at a time (a trail of 100,000 entries is never
        in memory at once)."""
        after: int | None = None
        while True:
            where, args = ("WHERE seq > ?", (after,)) if after is not None else ("", ())
            rows = self._sql.rows(
                f"SELECT {_COLUMNS} FROM audit {where} ORDER BY seq LIMIT ?", (*args, batch)
            )
            yield from map(AuditEntry._make, rows)
            if len(rows) < batch:
                return
            after = int(rows[-1][0])

    def _head(self) -> tuple[int, str] | None:
        rows = self._sql.rows("SELECT seq, hash FROM audit_head WHERE id = 1")
        return (int(rows[0][0]), str(rows[0][1])) if rows else None
