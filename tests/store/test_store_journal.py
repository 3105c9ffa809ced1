"""The journal: intent committed before sending, states, guards' queries, no card data."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.store.journal import AlreadyJournaled, Journal


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


def _file(journal: Journal) -> Path:
    """The journal's SQLite file (these tests open the single counter's journal)."""
    assert journal.path is not None
    return journal.path


def _begin(journal: Journal, uid: str = "M1", **kw: object) -> int:
    fields: dict[str, object] = {
        "origin": "sandbox",
        "amount": 12000,
        "customer_uid": "c_1",
        "order_name": "1월 회비",
    }
    fields.update(kw)
    return journal.begin(uid, "charge_again", **fields).id  # type: ignore[arg-type]


def test_pragmas_make_commits_durable(journal: Journal) -> None:
    conn = sqlite3.connect(_file(journal))
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    # synchronous and secure_delete are per-connection: read them from the journal's own.
    assert journal._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert journal._conn.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_intent_is_visible_to_another_connection_before_any_answer(journal: Journal) -> None:
    _begin(journal)
    other = Journal(_file(journal))
    try:
        row = other.get("M1")
        assert row is not None and row.state == "pending" and row.amount == 12000
    finally:
        other.close()


def test_states_move_pending_sent_answered(journal: Journal) -> None:
    row_id = _begin(journal)
    journal.mark_sent(row_id)
    row = journal.by_id(row_id)
    assert row is not None and row.state == "sent" and row.sent_at is not None
    row = journal.settle(
        row_id,
        "paid",
        imp_uid="imp_123456789012",
        apply_num="30012345",
        card_number="53651019****3392",
        card_name="KB국민카드",
    )
    assert (row.state, row.imp_uid, row.card_number) == ("paid", "imp_123456789012", "**** 3392")
    assert row.resolved_at is None and not row.is_open


def test_a_merchant_uid_is_journaled_once(journal: Journal) -> None:
    _begin(journal)
    with pytest.raises(AlreadyJournaled) as seen:
        _begin(journal)
    assert seen.value.row.merchant_uid == "M1"


def test_refund_rows_may_repeat_the_order_id(journal: Journal) -> None:
    _begin(journal)
    for _ in range(2):
        journal.begin(
            "M1", "refund", origin="sandbox", amount=1000, imp_uid="imp_1", checksum=12000
        )
    assert len(journal.refunds_of("imp_1")) == 2
    assert journal.get("M1") is not None and journal.get("M1").kind == "charge_again"  # type: ignore[union-attr]


def test_open_rows_and_customer_block_with_override(journal: Journal) -> None:
    a = _begin(journal, "M1")
    b = _begin(journal, "M2", origin="live")
    journal.settle(b, "unknown", reason="timeout")
    c = _begin(journal, "M3", customer_uid="c_2")
    journal.settle(c, "paid")
    assert [r.merchant_uid for r in journal.open_rows()] == ["M1", "M2"]
    assert [r.merchant_uid for r in journal.open_rows("live")] == ["M2"]
    assert [r.merchant_uid for r in journal.open_for_customer("c_1")] == ["M1", "M2"]
    rows = journal.override("c_1", "점장 승인: 고객 확인함")
    assert {r.override_reason for r in rows} == {"점장 승인: 고객 확인함"}
    assert journal.open_for_customer("c_1") == []
    assert len(journal.open_for_customer("c_1", include_overridden=True)) == 2
    # Overriding does not settle anything: reconciliation still has the rows.
    assert len(journal.open_rows()) == 2
    journal.settle(a, "void", resolved=True)
    assert journal.by_id(a).resolved_at is not None  # type: ignore[union-attr]


def test_recent_charge_finds_same_amount_within_window(journal: Journal) -> None:
    row_id = _begin(journal, "M1")
    journal.settle(row_id, "paid")
    declined = _begin(journal, "M2", amount=5000)
    journal.settle(declined, "declined")
    now = time.time()
    assert journal.recent_charge("c_1", 12000, now - 300).merchant_uid == "M1"  # type: ignore[union-attr]
    assert journal.recent_charge("c_1", 5000, now - 300) is None  # a decline took no money
    assert journal.recent_charge("c_1", 12000, now + 1) is None
    assert journal.recent_charge("c_2", 12000, now - 300) is None


def test_restart_only_from_void(journal: Journal) -> None:
    row_id = _begin(journal)
    journal.settle(row_id, "paid")
    assert journal.restart(row_id).state == "paid"
    other = _begin(journal, "M2")
    journal.settle(other, "void", reason="없음", resolved=True)
    row = journal.restart(other)
    assert (row.state, row.reason, row.resolved_at) == ("pending", "", None)


def test_card_shaped_text_never_stored(journal: Journal) -> None:
    row_id = _begin(journal, order_name="4111 1111 1111 1111 order")
    journal.settle(
        row_id, "refused", reason="card 4111-1111-1111-1111 bad", card_number="4111111111111111"
    )
    journal.close()
    for path in _file(journal).parent.iterdir():
        data = path.read_bytes()
        assert b"41111111" not in data and b"1111-1111" not in data and b"1111 1111" not in data


def test_an_inicis_mask_is_journaled_as_given(journal: Journal) -> None:
    row_id = _begin(journal)
    journal.mark_sent(row_id)
    row = journal.settle(row_id, "paid", imp_uid="imp_566377906932", card_number="524242*********0")
    assert row.card_number == "**** ***0"  # not "**** 2420"
