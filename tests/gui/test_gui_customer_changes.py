"""One customer added, changed or removed in a 100,000-row list: the model takes the one change
(no rebuild), and the result is exactly what a full rebuild would show — same order, same
search — while the chosen member stays chosen, or nobody is chosen once that member's row goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from gui_helpers import WAIT_MS, OpenWindow, answer_next_dialog, fill_card, run_action, type_into
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot
from sample_customers import rows_for_test

from pos_app.store.customers import CustomerIndex, CustomerRow
from pos_app.ui.customer_model import (
    ONE_BY_ONE_AT_MOST,
    PLAN_COLUMN,
    STATUS_COLUMN,
    CustomerTableModel,
    PreparedRows,
)
from pos_app.ui.customer_rows import find, place, sort_key, sorted_slots
from pos_app.ui.customer_table import CustomerPanel

COUNT = 100_000
NAME, CARD, UPDATED, LAST_CHARGE = 1, 2, 5, 6
ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
# (column, order, search): as loaded; by name both ways; by last charge newest first (with None
# among them); by plan; by card with a search; by updated with a Hangul name search.
ORDERS = [
    (-1, ASC, ""),
    (NAME, ASC, ""),
    (NAME, DESC, "김민준"),
    (LAST_CHARGE, DESC, ""),
    (PLAN_COLUMN, ASC, "010-"),
    (CARD, ASC, "4242"),
    (UPDATED, DESC, "이서연1"),
]


@pytest.fixture(scope="module")
def rows() -> list[CustomerRow]:
    made = list(rows_for_test(COUNT))
    # A few plans, so sorting by plan has ties and differences to keep.
    for i in range(0, COUNT, 97):
        made[i] = made[i]._replace(plan_amount=(i % 5) * 10_000, plan_day=1, plan_active=1)
    return made


def uids(model: CustomerTableModel) -> list[str]:
    return [model.row(i).customer_uid for i in range(model.rowCount())]


def found(model: CustomerTableModel, customer_uid: str) -> CustomerRow:
    row = model.find(customer_uid)
    assert row is not None, customer_uid
    return row


def rebuilt(
    rows: Sequence[CustomerRow], column: int, order: Qt.SortOrder, search: str
) -> list[str]:
    """What a full rebuild shows for these rows: the reference every change is held to."""
    model = CustomerTableModel()
    model.set_rows(rows)
    model.sort(column, order)
    model.set_query(search)
    return uids(model)


class Heard:
    """What the view was told: one change must never be a reset."""

    def __init__(self, model: CustomerTableModel) -> None:
        self.calls: list[str] = []
        model.modelReset.connect(lambda: self.calls.append("reset"))
        model.rowsInserted.connect(lambda _p, first, last: self.calls.append(f"insert {first}"))
        model.rowsRemoved.connect(lambda _p, first, last: self.calls.append(f"remove {first}"))
        model.rowsMoved.connect(lambda *_: self.calls.append("move"))

    def take(self) -> list[str]:
        calls, self.calls = self.calls, []
        return calls


def loaded(
    rows: Sequence[CustomerRow], column: int, order: Qt.SortOrder, search: str
) -> tuple[CustomerTableModel, Heard]:
    model = CustomerTableModel()
    model.set_rows(PreparedRows(rows))
    model.sort(column, order)
    model.set_query(search)
    return model, Heard(model)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", [-1, *range(STATUS_COLUMN + 1)])
def test_the_binary_search_agrees_with_a_full_sort_on_ties_and_blanks(
    column: int, descending: bool
) -> None:
    """Few distinct values (many ties), blanks (None, ""), every column: a row placed by the
    binary search lands exactly where sorting every row again puts it."""
    import random

    chance = random.Random(column * 2 + descending)
    rows = [
        CustomerRow(
            f"u{i:03d}",
            chance.choice(["", "가", "b", "B", "나"]),
            card_number=chance.choice(["", "**** 1111", "**** 2222"]),
            card_name=chance.choice(["", "BC카드", "신한카드"]),
            registered=chance.choice([0, 5, 9]),
            updated=chance.choice([0, 5]),
            last_charge_at=chance.choice([None, 1.0, 2.5]),
            plan_amount=chance.choice([None, 0, 10_000]),
        )
        for i in range(300)
    ]
    checking = {r.customer_uid for r in rows if chance.random() < 0.2}
    key = sort_key(column, checking)
    for count in range(1, len(rows)):
        before = sorted_slots(rows[:count], key, descending)
        after = sorted_slots(rows[: count + 1], key, descending)
        at = place(before, count, rows, key, descending)
        assert after == [*before[:at], count, *before[at:]], count
        some = chance.randrange(count)
        assert find(before, some, rows, key, descending) == before.index(some)


@pytest.mark.parametrize(("column", "order", "search"), ORDERS)
def test_one_customer_added_goes_where_a_rebuild_puts_it(
    rows: list[CustomerRow], column: int, order: Qt.SortOrder, search: str
) -> None:
    model, heard = loaded(rows, column, order, search)
    # A name and a time in the middle of the others; its uid sorts last, its slot is new.
    added = rows[4321]._replace(
        customer_uid="zz_new_4321", name="김민준50000", last_charge_at=rows[50_000].last_charge_at
    )
    model.upsert(added)
    now = [*rows, added]
    assert uids(model) == rebuilt(now, column, order, search)
    assert model.total() == COUNT + 1
    shown = model.view_row_of("zz_new_4321")
    assert heard.take() == ([f"insert {shown}"] if shown >= 0 else [])
    # A second one with the very same sort key: after the first, as a stable sort puts it.
    twin = added._replace(customer_uid="zz_new_twin")
    model.upsert(twin)
    assert uids(model) == rebuilt([*now, twin], column, order, search)


@pytest.mark.parametrize(("column", "order", "search"), ORDERS)
def test_one_customer_removed_leaves_what_a_rebuild_shows(
    rows: list[CustomerRow], column: int, order: Qt.SortOrder, search: str
) -> None:
    model, heard = loaded(rows, column, order, search)
    gone = [rows[7].customer_uid, rows[50_001].customer_uid, rows[-1].customer_uid]
    for uid in gone:
        shown = model.view_row_of(uid)
        model.remove(uid)
        assert heard.take() == ([f"remove {shown}"] if shown >= 0 else [])
        assert model.find(uid) is None and model.view_row_of(uid) == -1
    left = [r for r in rows if r.customer_uid not in gone]
    assert uids(model) == rebuilt(left, column, order, search)
    assert model.total() == COUNT - 3
    model.remove("nobody")
    assert heard.take() == []
    # A sort after removals starts from the rows left (the removed ones' slots are dropped).
    model.sort(NAME, DESC)
    assert uids(model) == rebuilt(left, NAME, DESC, search)
    # ... and a customer removed, then saved again, comes back where a rebuild puts it.
    model.upsert(rows[50_001])
    assert uids(model) == rebuilt([*left, rows[50_001]], NAME, DESC, search)


@pytest.mark.parametrize(("column", "order", "search"), ORDERS)
def test_one_customer_changed_moves_in_or_out_as_a_rebuild_would(
    rows: list[CustomerRow], column: int, order: Qt.SortOrder, search: str
) -> None:
    model, heard = loaded(rows, column, order, search)
    now = list(rows)
    newest = max(r.last_charge_at or 0.0 for r in rows)
    changes = {
        # Renamed to the far end of a name sort, and out of (or into) a name search.
        123: now[123]._replace(name="가가가"),
        456: now[456]._replace(name="힣힣힣"),
        789: now[789]._replace(name="김민준0"),
        # Charged just now (one had never been): to the top of "newest first".
        60_000: now[60_000]._replace(last_charge_at=newest + 1),
        60_001: now[60_001]._replace(last_charge_at=newest + 2),
        # A plan, and a new card and phone (in the search text).
        99_998: now[99_998]._replace(plan_amount=99_000, plan_day=31, plan_active=1),
        31_337: now[31_337]._replace(card_number="555555******4444", tel="02-0000-0000"),
    }
    for i, change in changes.items():
        now[i] = change
        model.upsert(change)
        assert model.find(change.customer_uid) == change
        assert "reset" not in heard.take()
    assert uids(model) == rebuilt(now, column, order, search)
    assert model.total() == COUNT


def test_a_change_that_keeps_its_place_only_repaints_its_row(rows: list[CustomerRow]) -> None:
    model, heard = loaded(rows, NAME, ASC, "")
    painted: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last: painted.append((first.row(), last.row())))
    charged = rows[20_000]._replace(last_charge_at=1.0)
    row = model.view_row_of(charged.customer_uid)
    model.upsert(charged)
    assert heard.take() == [] and painted == [(row, row)]
    assert model.view_row_of(charged.customer_uid) == row


def test_a_list_sorted_by_status_keeps_its_order_while_badges_change(
    rows: list[CustomerRow],
) -> None:
    """상태 sorts by the badges of its last sort (rows do not jump under the pointer); a customer
    added meanwhile still goes where a rebuild with those badges puts it."""
    model = CustomerTableModel()
    model.set_rows(rows[:2000])
    first = rows[500].customer_uid
    model.set_checking({first})
    model.sort(STATUS_COLUMN, ASC)
    assert uids(model)[0] == first
    model.set_checking({rows[900].customer_uid})  # the badges change; the order does not
    assert uids(model)[0] == first
    added = rows[1000]._replace(customer_uid="zz_added")
    model.upsert(added)
    expected = CustomerTableModel()
    expected.set_rows([*rows[:2000], added])
    expected.set_checking({first})
    expected.sort(STATUS_COLUMN, ASC)
    assert uids(model) == uids(expected)


@pytest.mark.parametrize("many", [False, True])
def test_a_batch_from_the_live_feed_ends_as_a_rebuild_would(
    rows: list[CustomerRow], many: bool
) -> None:
    """A moment's changes one at a time; an import's thousands by one rebuild (cheaper)."""
    count = ONE_BY_ONE_AT_MOST + 1 if many else 40
    model, heard = loaded(rows, NAME, DESC, "010-")
    changed = [rows[i]._replace(name=f"바뀜{i}") for i in range(0, 2 * count, 4)]
    added = [rows[i]._replace(customer_uid=f"zz_{i:06d}") for i in range(1, 2 * count, 4)]
    gone = [rows[i].customer_uid for i in range(2, 2 * count, 4)]
    model.apply([*changed, *added], gone)
    now = {r.customer_uid: r for r in rows}
    now.update((r.customer_uid, r) for r in changed)
    expected = [r for r in now.values() if r.customer_uid not in gone] + added
    assert uids(model) == rebuilt(expected, NAME, DESC, "010-")
    assert model.total() == len(expected)
    assert ("reset" in heard.take()) == many


# -- the chosen member, in the real panel ---------------------------------------------------


@pytest.fixture
def panel(qtbot: QtBot, rows: list[CustomerRow]) -> CustomerPanel:
    shown = CustomerPanel()
    qtbot.addWidget(shown)
    shown.resize(720, 600)
    shown.show()
    shown.set_rows(PreparedRows(rows))
    return shown


def chosen(panel: CustomerPanel) -> list[str]:
    """The rows the table highlights, as customer_uids."""
    selection = panel.table.selectionModel()
    return [panel.model.row(index.row()).customer_uid for index in selection.selectedRows()]


@pytest.fixture
def said(panel: CustomerPanel) -> list[str]:
    heard: list[str] = []
    panel.customerSelected.connect(heard.append)
    return heard


def test_the_chosen_member_stays_chosen_through_others_coming_going_and_moving(
    qtbot: QtBot, panel: CustomerPanel, said: list[str], rows: list[CustomerRow]
) -> None:
    panel.table.sortByColumn(NAME, ASC)
    type_into(qtbot, panel.search, "김민준")
    member = rows[40_000].customer_uid  # 김민준40000
    panel.select(member)
    said.clear()
    at = panel.model.view_row_of(member)
    above, below = panel.model.row(at - 1), panel.model.row(at + 1)
    panel.model.remove(above.customer_uid)  # the row above goes: the member moves up one
    panel.model.remove(below.customer_uid)  # the row below goes: nothing moves
    panel.model.upsert(rows[0]._replace(customer_uid="a_new", name="김민준3"))  # before it
    panel.model.upsert(rows[1]._replace(customer_uid="z_new", name="김민준5"))  # after it
    # The member itself renamed (another counter): it moves, and stays chosen.
    panel.model.upsert(found(panel.model, member)._replace(name="김민준00"))
    assert chosen(panel) == [member] and panel.model.view_row_of(member) < at
    panel.model.upsert(found(panel.model, member)._replace(name="김민준99999"))
    assert chosen(panel) == [member] and panel.model.view_row_of(member) > at
    assert panel.selected_uid() == member
    assert panel.table.selectionModel().currentIndex().row() == panel.model.view_row_of(member)
    assert said == []  # nobody was told of another choice, not even for a moment
    shown = [r for r in rows if "김민준" in r.name]
    assert panel.count.text() == f"{len(shown):,} / {COUNT:,}명"  # two gone, two new


def test_the_chosen_members_row_going_leaves_nobody_chosen_not_the_neighbour(
    panel: CustomerPanel, said: list[str], rows: list[CustomerRow]
) -> None:
    """Qt's single-selection view would select the next row in its place (and 재결제 would then
    name a member nobody chose)."""
    member = rows[50_000].customer_uid
    panel.select(member)
    said.clear()
    panel.model.remove(member)
    assert said == [""]
    assert chosen(panel) == [] and panel.selected_uid() == ""
    assert not panel.table.selectionModel().currentIndex().isValid()
    assert panel.count.text() == f"{COUNT - 1:,}명"
    assert panel.describe_selected(panel.selected_uid()) is None


def test_the_current_row_going_with_nobody_chosen_chooses_nobody(
    panel: CustomerPanel, said: list[str], rows: list[CustomerRow]
) -> None:
    """A row merely current (reached by keyboard, not highlighted) going must not make Qt
    highlight its neighbour either."""
    from PySide6.QtCore import QItemSelectionModel

    index = panel.model.index(panel.model.view_row_of(rows[10].customer_uid), 0)
    panel.table.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
    panel.model.remove(rows[10].customer_uid)
    assert chosen(panel) == [] and said == []


def test_the_chosen_member_leaving_the_search_is_no_longer_chosen(
    qtbot: QtBot, panel: CustomerPanel, said: list[str], rows: list[CustomerRow]
) -> None:
    type_into(qtbot, panel.search, "박도윤")
    member = rows[2].customer_uid  # 박도윤2
    panel.select(member)
    said.clear()
    panel.model.upsert(rows[2]._replace(name="박도윤 (탈퇴)"))  # still matches: stays chosen
    assert chosen(panel) == [member] and said == []
    panel.model.upsert(rows[2]._replace(name="이름 바뀜"))  # no longer matches the search
    assert said == [""] and chosen(panel) == []
    assert panel.model.view_row_of(member) == -1 and panel.model.find(member) is not None


def test_an_import_from_another_counter_keeps_the_chosen_member_or_chooses_nobody(
    panel: CustomerPanel, said: list[str], rows: list[CustomerRow]
) -> None:
    """The rebuild for a big batch keeps the chosen member chosen, or nobody if it went."""
    many = [rows[i]._replace(customer_uid=f"imported_{i}") for i in range(ONE_BY_ONE_AT_MOST)]
    member, neighbour = rows[70_000].customer_uid, rows[70_001].customer_uid
    panel.select(member)
    said.clear()
    panel.model.apply([*many, rows[70_000]._replace(name="바뀐 이름")], [neighbour])
    assert chosen(panel) == [member] and said == []
    panel.model.apply(many, [member])
    assert said == [""] and chosen(panel) == [] and panel.selected_uid() == ""


def test_no_change_ever_resets_the_panels_view(
    panel: CustomerPanel, rows: list[CustomerRow]
) -> None:
    resets: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    layout: list[int] = []
    panel.model.layoutChanged.connect(lambda: layout.append(1))
    panel.model.upsert(rows[0]._replace(customer_uid="new_one"))
    panel.model.upsert(rows[5]._replace(name="가"))
    panel.model.remove(rows[6].customer_uid)
    panel.model.set_checking({rows[7].customer_uid})
    assert resets == [] and layout == []
    assert panel.model.index(0, 0).parent() == QModelIndex()


# -- through the real window, with the customer index in real SQLite ------------------------


@pytest.fixture
def saved_members(pos_app_home: Path) -> list[CustomerRow]:
    """20,000 members already in this counter's customer list (SQLite) when the window opens."""
    from pos_app.services import places

    made = list(rows_for_test(20_000))
    with CustomerIndex(places.customers_path("sandbox")) as index:
        index.upsert_many(made)
    return made


def test_issuing_and_deleting_a_card_in_a_big_list_changes_one_row(
    qtbot: QtBot, open_window: OpenWindow, saved_members: list[CustomerRow]
) -> None:
    window = open_window()
    model = window.customers.model
    qtbot.waitUntil(lambda: model.total() == 20_000, timeout=WAIT_MS)
    window.customers.table.sortByColumn(NAME, ASC)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    said: list[str] = []
    window.customers.customerSelected.connect(said.append)

    fill_card(qtbot, window, "5555555555554444")
    type_into(qtbot, window.customer.name, "gildong")
    assert run_action(qtbot, window, window.issue_button) == "issued"
    assert resets == []  # one row in, no rebuild
    assert model.total() == 20_001 and window.customers.count.text() == "20,001명"
    # By name, "gildong" sorts before every Hangul name: the first row, and chosen.
    assert model.row(0).customer_uid == "gildong_4444"
    assert window.customers.selected_uid() == "gildong_4444" and said[-1] == "gildong_4444"

    answer_next_dialog(yes=True)
    assert run_action(qtbot, window, window.customers.delete_button) == "deleted"
    assert resets == []  # one row out, no rebuild
    assert model.find("gildong_4444") is None and model.total() == 20_000
    # Nobody is chosen: not 김민준0, who now has the first row.
    assert window.customers.selected_uid() == "" and said[-1] == ""
    assert window.customers.table.selectionModel().selectedRows() == []
    assert "선택하세요" in window.customers.selected_label.text()
    assert [model.row(i).customer_uid for i in range(3)] == sorted_by_name(saved_members)[:3]


def sorted_by_name(rows: Sequence[CustomerRow]) -> list[str]:
    return [r.customer_uid for r in sorted(rows, key=lambda r: r.name.casefold())]
