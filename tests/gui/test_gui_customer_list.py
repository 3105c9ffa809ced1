"""The customer table model: search as you type, narrowing, sorting, 100,000 rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sample_customers import rows_for_test

from pos_app.store.customers import CustomerRow
from pos_app.ui.customer_model import CustomerTableModel
from pos_app.ui.customer_table import CustomerPanel

ROWS = [
    CustomerRow(
        "gildong_4242", "홍길동", "010-1234-5678", "", "**** 4242", "신한카드", 0, 100, 300
    ),
    CustomerRow(
        "minsu_4444", "김민수", "010-9999-0000", "", "**** 4444", "KB국민카드", 0, 200, 200
    ),
    CustomerRow("corp_0005", "Acme", "02-555-0101", "", "**** 0005", "AMEX", 0, 300, 100, 50.0),
]


def uids(model: CustomerTableModel) -> list[str]:
    return [model.row(i).customer_uid for i in range(model.rowCount())]


def test_search_matches_uid_name_phone_and_last_four() -> None:
    model = CustomerTableModel()
    model.set_rows(ROWS)
    for query, expected in (
        ("GILDONG", ["gildong_4242"]),
        ("김민", ["minsu_4444"]),
        ("010-1234", ["gildong_4242"]),
        ("01012345678", ["gildong_4242"]),
        ("0005", ["corp_0005"]),
        ("4", ["gildong_4242", "minsu_4444"]),
        ("", ["gildong_4242", "minsu_4444", "corp_0005"]),
        ("nobody", []),
    ):
        model.set_query(query)
        assert uids(model) == expected, query


def test_extending_the_query_narrows_and_shortening_widens() -> None:
    model = CustomerTableModel()
    model.set_rows(rows_for_test(2000))
    model.set_query("member00")
    wide = model.rowCount()
    model.set_query("member001")
    narrow = uids(model)
    assert 0 < len(narrow) < wide
    assert all("member001" in uid for uid in narrow)
    model.set_query("member00")
    assert model.rowCount() == wide


def test_sorting_by_column_keeps_the_filter() -> None:
    model = CustomerTableModel()
    model.set_rows(ROWS)
    model.sort(5, Qt.SortOrder.AscendingOrder)  # updated
    assert uids(model) == ["corp_0005", "minsu_4444", "gildong_4242"]
    model.set_query("4")
    assert uids(model) == ["minsu_4444", "gildong_4242"]
    model.sort(1, Qt.SortOrder.DescendingOrder)  # name
    assert uids(model) == ["gildong_4242", "minsu_4444"]


def test_shows_formatted_times_and_masked_cards_only() -> None:
    model = CustomerTableModel()
    model.set_rows(ROWS[2:])
    shown = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert shown[2] == "**** 0005"
    assert shown[4] and shown[4][:4] == "1970"
    assert shown[6]  # last charge time


def test_upsert_and_remove_update_the_view() -> None:
    model = CustomerTableModel()
    model.set_rows(ROWS)
    model.upsert(ROWS[0]._replace(name="홍길순"))
    assert model.find("gildong_4242").name == "홍길순"  # type: ignore[union-attr]
    model.upsert(CustomerRow("new_1111", "새고객"))
    assert model.rowCount() == 4
    model.remove("minsu_4444")
    assert "minsu_4444" not in uids(model)


def test_panel_with_100000_customers_searches_and_selects(qtbot: QtBot) -> None:
    panel = CustomerPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_rows(list(rows_for_test(100_000)))
    assert panel.model.rowCount() == 100_000
    assert panel.count.text() == "100,000명"
    qtbot.keyClicks(panel.search, "member099999")
    assert panel.model.rowCount() == 1
    assert panel.count.text() == "1 / 100,000명"
    with qtbot.waitSignal(panel.customerSelected) as selected:
        panel.table.selectRow(0)
    assert selected.args == ["member099999_9999"]
    qtbot.keyClicks(panel.search, "x")
    assert panel.model.rowCount() == 0
    assert panel.selected_uid() == ""
