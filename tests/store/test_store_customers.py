"""The customer index: upsert, remove, last charge time, and a fast 100,000-row load."""

from __future__ import annotations

from pathlib import Path

from pos_app.store.customers import CustomerIndex, CustomerRow


def test_upsert_keeps_last_charge_and_masks_card(tmp_path: Path) -> None:
    with CustomerIndex(tmp_path / "c.sqlite3") as index:
        index.upsert("gildong_4242", name="홍길동", card_number="42424242****4242", card_type=0)
        index.record_charge("gildong_4242", 1_800_000_000.0)
        index.record_charge("gildong_4242", 1_700_000_000.0)  # older: ignored
        row = index.upsert("gildong_4242", name="홍길동", tel="010-1234-5678", updated=5)
        assert row.last_charge_at == 1_800_000_000.0
        assert row.tel == "010-1234-5678" and row.card_number == ""
        index.upsert("gildong_4242", card_number="42424242****4242")
        assert index.get("gildong_4242").card_number == "**** 4242"  # type: ignore[union-attr]
        assert index.remove("gildong_4242") and not index.remove("gildong_4242")
        assert index.all_rows() == [] and index.get("gildong_4242") is None


def test_hundred_thousand_rows_load_in_one_select(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    rows = [
        CustomerRow(f"member{i:06d}_1234", f"회원{i}", "", "", "1234", "신한카드", 0, 1, 1)
        for i in range(100_000)
    ]
    with CustomerIndex(path) as index:
        assert index.upsert_many(rows) == 100_000
    with CustomerIndex(path) as index:
        loaded = index.all_rows()
    assert len(loaded) == 100_000
    assert loaded[0].customer_uid == "member000000_1234" and loaded[0].card_number == "**** 1234"
    assert isinstance(loaded[-1], tuple)


def test_an_inicis_mask_keeps_its_one_trailing_digit(tmp_path: Path) -> None:
    # KG Inicis masks as "524242*********0" (portone-v1.md §7): the old "last four digits
    # anywhere" rule stored "**** 2420", digits the card company never showed in those places.
    with CustomerIndex(tmp_path / "c.sqlite3") as index:
        index.upsert("gildong_0", card_number="524242*********0")
        assert index.get("gildong_0").card_number == "**** ***0"  # type: ignore[union-attr]


def test_an_index_from_before_v2_gains_the_billing_key_column(tmp_path: Path) -> None:
    """An index written before PortOne V2 opens with its rows intact and a billing_key column;
    a refresh that names no key (V1) keeps the key recorded."""
    import sqlite3

    path = tmp_path / "customers.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        """
        CREATE TABLE customers (
            customer_uid TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '',
            tel TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
            card_number TEXT NOT NULL DEFAULT '', card_name TEXT NOT NULL DEFAULT '',
            card_type INTEGER, registered INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0, last_charge_at REAL
        ) WITHOUT ROWID;
        INSERT INTO customers (customer_uid, name) VALUES ('old_1234', '예전 회원');
        """
    )
    old.commit()
    old.close()
    with CustomerIndex(path) as index:
        (row,) = index.all_rows()
        assert (row.customer_uid, row.name, row.billing_key) == ("old_1234", "예전 회원", "")
        assert index.billing_key_of("old_1234") is None
        index.upsert_many([row._replace(billing_key="billing-key-1")])
        index.upsert_many([row._replace(name="새 이름")])  # no key named: the key stays
        assert index.billing_key_of("old_1234") == "billing-key-1"
        assert index.get("old_1234").name == "새 이름"  # type: ignore[union-attr]
