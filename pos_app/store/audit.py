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

`check_chain` and `entry_hash` are plain functions over plain rows so that a second backend
(issue 17) checks its rows the same way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Generator, Iterable, Mapping
from typing import NamedTuple

from pos_app.store.db import StoreFile, safe_text

GENESIS = "0" * 64
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
# time ("20261205T003623909-T1-…"), which the card-number filter would blank.
IDENTIFIERS = frozenset({"merchant_uid", "imp_uid", "customer_uid", "bill_id"})


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


class AuditLog(StoreFile):
    schema = _SCHEMA

    def append(
        self,
        at: float,
        terminal: str,
        person: str,
        action: str,
        details: Mapping[str, Detail] | None = None,
    ) -> AuditEntry:
        """One entry, chained to the last; the head moves in the same transaction. Two
        processes appending at once are serialised by BEGIN IMMEDIATE."""
        notes = dict(details or {})
        terminal, person, action = safe_text(terminal), safe_text(person), safe_text(action)
        with self._lock, self._transaction():
            head = self._head_locked()
            last = self._conn.execute(
                "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            if head is not None and (last is None or head[0] >= last[0]):
                # The normal case; when entries were removed from the end, carrying on from the
                # head leaves the gap in the numbers, where `check_chain` finds it.
                seq, prev = head[0] + 1, head[1]
            elif last is not None:
                seq, prev = int(last[0]) + 1, str(last[1])
                notes[CHAIN_NOTE] = (
                    f"head at {head[0]} but entries up to {last[0]}"
                    if head is not None
                    else f"no head but entries up to {last[0]}"
                )
            else:
                seq, prev = 1, GENESIS
            text = encode_details(notes)
            digest = entry_hash(seq, at, terminal, person, action, text, prev)
            self._conn.execute(
                f"INSERT INTO audit ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, at, terminal, person, action, text, prev, digest),
            )
            if head is None:
                self._conn.execute(
                    "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)", (seq, digest)
                )
            else:
                self._conn.execute(
                    "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (seq, digest)
                )
        return AuditEntry(seq, at, terminal, person, action, text, prev, digest)

    def head(self) -> tuple[int, str] | None:
        with self._lock:
            return self._head_locked()

    def entries(self, since: float | None = None) -> list[AuditEntry]:
        """Oldest first; from `since` (unix s) when given."""
        where, args = ("WHERE at >= ?", (since,)) if since is not None else ("", ())
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM audit {where} ORDER BY seq", args
            ).fetchall()
        return list(map(AuditEntry._make, rows))

    def entries_of(self, action: str) -> list[AuditEntry]:
        """Every entry of one action, oldest first."""
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM audit WHERE action = ? ORDER BY seq", (action,)
            ).fetchall()
        return list(map(AuditEntry._make, rows))

    def verify(self, anchor: tuple[int, str] | None = None) -> ChainCheck:
        # One read transaction: the head and the entries are one snapshot, even while another
        # process appends.
        with self._lock:
            self._conn.execute("BEGIN")
            entries = self._iter_locked()
            try:
                return check_chain(entries, self._head_locked(), anchor)
            finally:
                entries.close()
                self._conn.execute("COMMIT")

    def _iter_locked(self, batch: int = 5000) -> Generator[AuditEntry, None, None]:
        cur = self._conn.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY seq")
        try:
            while rows := cur.fetchmany(batch):
                yield from map(AuditEntry._make, rows)
        finally:
            cur.close()

    def _head_locked(self) -> tuple[int, str] | None:
        row = self._conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        return (int(row[0]), str(row[1])) if row else None
