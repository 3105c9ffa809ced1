"""The audit chain: every kind of tampering an attacker with the SQLite file can do is named."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pos_app.store.audit import GENESIS, AuditLog, entry_hash


def _log(tmp_path: Path, entries: int = 6) -> AuditLog:
    log = AuditLog(tmp_path / "audit.sqlite3")
    for i in range(entries):
        log.append(1_700_000_000.0 + i, "T1", "kim", "charge", {"merchant_uid": f"m{i}"})
    return log


def _attack(path: Path, *statements: str) -> None:
    """What someone with the file and the sqlite3 shell does: triggers dropped first."""
    conn = sqlite3.connect(path)
    conn.executescript(
        "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;"
        "DROP TRIGGER IF EXISTS audit_head_forward; DROP TRIGGER IF EXISTS audit_head_kept;"
        + ";".join(statements)
    )
    conn.commit()
    conn.close()


def _insert(path: Path, fields: tuple[int, float, str, str, str, str, str]) -> None:
    """A forged entry whose own hash is right (the algorithm is no secret)."""
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (*fields, entry_hash(*fields))
    )
    conn.commit()
    conn.close()


def test_intact_chain(tmp_path: Path) -> None:
    with _log(tmp_path) as log:
        check = log.verify()
        assert check.ok and check.entry_count == 6 and check.head_seq == 6
        first = log.entries()[0]
        assert first.prev_hash == GENESIS
        assert first.hash == entry_hash(*first[:7])


def test_empty_trail_is_intact(tmp_path: Path) -> None:
    with AuditLog(tmp_path / "audit.sqlite3") as log:
        assert log.verify().ok


def test_program_cannot_change_or_delete(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    _log(tmp_path).close()
    conn = sqlite3.connect(path)
    for statement in (
        "UPDATE audit SET person = 'lee' WHERE seq = 2",
        "DELETE FROM audit WHERE seq = 6",
        "DELETE FROM audit_head",
        "UPDATE audit_head SET seq = 3",
    ):
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute(statement)
    conn.close()


@pytest.mark.parametrize(
    ("statements", "seq", "problem"),
    [
        (['UPDATE audit SET details = \'{"merchant_uid":"other"}\' WHERE seq = 3'], 3, "edited"),
        (["UPDATE audit SET at = at + 60 WHERE seq = 2"], 2, "edited"),
        (["DELETE FROM audit WHERE seq = 3"], 3, "missing"),
        (["DELETE FROM audit WHERE seq = 1"], 1, "missing"),
        (["DELETE FROM audit WHERE seq >= 5"], 5, "truncated"),
        (["DELETE FROM audit WHERE seq = 6"], 6, "truncated"),
        (["DELETE FROM audit_head", "DELETE FROM audit WHERE seq = 6"], 5, "head_missing"),
        (["UPDATE audit SET person = 'lee' WHERE seq = 6"], 6, "edited"),
    ],
)
def test_tampering_is_named(tmp_path: Path, statements: list[str], seq: int, problem: str) -> None:
    path = tmp_path / "audit.sqlite3"
    _log(tmp_path).close()
    _attack(path, *statements)
    with AuditLog(path) as log:
        check = log.verify()
    assert not check.ok
    assert (check.broken_seq, check.problem) == (seq, problem)


def test_edit_with_its_hash_recomputed_breaks_the_next_link(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    with _log(tmp_path) as log:
        e = log.entries()[2]
    forged = e._replace(details='{"merchant_uid":"other"}')
    digest = entry_hash(*forged[:7])
    _attack(path, f"UPDATE audit SET details = '{forged.details}', hash = '{digest}' WHERE seq = 3")
    with AuditLog(path) as log:
        check = log.verify()
    assert (check.broken_seq, check.problem) == (4, "unlinked")


def test_inserted_entry_in_the_middle(tmp_path: Path) -> None:
    """Renumbered to make room, the forged entry chained properly to the one before it."""
    path = tmp_path / "audit.sqlite3"
    with _log(tmp_path) as log:
        before = log.entries()[1]
    _attack(
        path,
        "UPDATE audit SET seq = -seq WHERE seq >= 3",
        "UPDATE audit SET seq = 1 - seq WHERE seq < 0",
    )
    _insert(path, (3, before.at + 0.5, "T1", "kim", "refund", "{}", before.hash))
    with AuditLog(path) as log:
        check = log.verify()
    assert (check.broken_seq, check.problem) == (4, "unlinked")


def test_entry_appended_outside_the_program(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    with _log(tmp_path) as log:
        last = log.entries()[-1]
    _insert(path, (7, last.at + 1, "T1", "kim", "refund", "{}", last.hash))
    with AuditLog(path) as log:
        assert (log.verify().broken_seq, log.verify().problem) == (7, "beyond_head")
        # The program carries on after it, and says so inside the chain: the evidence stays.
        log.append(last.at + 2, "T1", "lee", "sign_in")
        check = log.verify()
    assert (check.broken_seq, check.problem) == (8, "outside_append")


def test_appending_after_truncation_keeps_the_gap(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    _log(tmp_path).close()
    _attack(path, "DELETE FROM audit WHERE seq >= 5")
    with AuditLog(path) as log:
        entry = log.append(1_800_000_000.0, "T1", "lee", "sign_in")
        assert entry.seq == 7
        check = log.verify()
    assert (check.broken_seq, check.problem, check.last_missing) == (5, "missing", 6)


def test_rewritten_chain_caught_only_by_an_anchor(tmp_path: Path) -> None:
    """The limit of a chain without a secret: rewrite every entry and the head, and only a hash
    noted elsewhere shows it."""
    path = tmp_path / "audit.sqlite3"
    with _log(tmp_path) as log:
        anchor = (4, log.entries()[3].hash[:16])
        kept = log.entries()[:3]
    _attack(path, "DELETE FROM audit WHERE seq > 3", "DELETE FROM audit_head")
    with AuditLog(path) as log:
        # The attacker's rewrite goes through the program's own append, so it chains properly.
        for i in range(3):
            log.append(kept[-1].at + 10 + i, "T1", "kim", "charge", {"merchant_uid": "forged"})
        assert log.verify().ok is False  # the missing head left its note ...
    _attack(path, "DELETE FROM audit WHERE seq > 3", "DELETE FROM audit_head")
    conn = sqlite3.connect(path)
    prev = kept[-1].hash
    for seq in range(4, 7):
        args = (seq, 1.0 * seq, "T1", "kim", "charge", "{}", prev)
        digest = entry_hash(*args)
        conn.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (*args, digest))
        prev = digest
    conn.execute("INSERT INTO audit_head VALUES (1, 6, ?)", (prev,))
    conn.commit()
    conn.close()
    with AuditLog(path) as log:
        assert log.verify().ok  # ... but a careful rewrite is self-consistent
        check = log.verify(anchor)
    assert (check.broken_seq, check.problem) == (4, "anchor_mismatch")


def test_anchor_beyond_a_shortened_trail(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    with _log(tmp_path) as log:
        anchor = (6, log.entries()[5].hash[:16])
        fifth = log.entries()[4]
    _attack(
        path, "DELETE FROM audit WHERE seq = 6", f"UPDATE audit_head SET seq=5, hash='{fifth.hash}'"
    )
    with AuditLog(path) as log:
        assert log.verify().ok
        check = log.verify(anchor)
    assert (check.broken_seq, check.problem) == (6, "anchor_missing")


def test_no_card_number_reaches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    with AuditLog(path) as log:
        log.append(1.0, "T1", "kim", "charge", {"order_name": "4242 4242 4242 4242", "n": 3})
        assert "4242" not in log.entries()[0].details
        assert log.verify().ok
    assert b"4242 4242" not in path.read_bytes()


def test_two_processes_appending_at_once_keep_one_chain(tmp_path: Path) -> None:
    """Window and command line (or two windows) writing at the same moment, 300 times each."""
    import subprocess
    import sys

    path = tmp_path / "audit.sqlite3"
    AuditLog(path).close()
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from pos_app.store.audit import AuditLog\n"
        "log = AuditLog(Path(sys.argv[1]))\n"
        "for i in range(300):\n"
        "    log.append(time.time(), sys.argv[2], 'kim', 'charge', {'n': i})\n"
        "log.close()\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(path), name]) for name in ("T1", "T2")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with AuditLog(path) as log:
        check = log.verify()
        terminals = [e.terminal for e in log.entries()]
    assert check.ok and check.entry_count == 600
    assert terminals.count("T1") == terminals.count("T2") == 300
