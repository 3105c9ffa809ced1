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
