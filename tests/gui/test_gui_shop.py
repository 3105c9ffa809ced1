"""Two counters on one store server, one of them a real window: what the other counter does
shows up in the window's list without anyone asking; the same-amount question names the counter
that charged; the server pulled out from under the window stops charging with a banner and a
list marked stale, and everything comes back by itself."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import WAIT_MS, OpenWindow
from pg_cluster import Cluster
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from staff_helpers import (
    MANAGER,
    MANAGER_PIN,
    add_staff,
    dialog_named,
    sign_in_dialog,
    try_sign_in,
)

from pos_app.core.card import KeyInCard
from pos_app.gateway.client import PortOneClient
from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET
from pos_app.store.journal import JournalRow
from pos_app.ui.guard_dialogs import duplicate_text


def _other_counter(home: Path, store_url: str, sandbox_url: str, *args: str) -> str:
    """`pos-app ARGS` at counter T2 (its own data folder), as a process."""
    env = {
        **os.environ,
        "POS_APP_HOME": str(home),
        "POS_APP_TERMINAL": "T2",
        "POS_APP_DATABASE_URL": store_url,
        "POS_APP_API_BASE": sandbox_url,
    }
    done = subprocess.run(
        [sys.executable, "-m", "pos_app", *args], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _save_card(sandbox_url: str, customer_uid: str) -> None:
    with PortOneClient(sandbox_url, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
        client.issue_billing_key(
            customer_uid, KeyInCard.parse("4242424242424242", "12/39", "880101", "12")
        )


def test_another_counters_customers_and_charges_show_up_live(
    qtbot: QtBot, open_window: OpenWindow, shared_store: str, sandbox_url: str, tmp_path: Path
) -> None:
    window = open_window()
    model = window.customers.model
    assert model.find("live_kim") is None
    _save_card(sandbox_url, "live_kim")
    uids = tmp_path / "uids.txt"
    uids.write_text("live_kim\n", encoding="utf-8")
    other = tmp_path / "counter-2"
    _other_counter(other, shared_store, sandbox_url, "customers", "import", str(uids))
    # Nobody pressed anything in the window: the store server told it.
    qtbot.waitUntil(lambda: model.find("live_kim") is not None, timeout=WAIT_MS)
    shown = model.find("live_kim")
    assert shown is not None and shown.last_charge_at is None
    _other_counter(
        other,
        shared_store,
        sandbox_url,
        "charge",
        "--customer-uid",
        "live_kim",
        "--amount",
        "55000",
        "--name",
        "회원권",
    )
    qtbot.waitUntil(
        lambda: (row := model.find("live_kim")) is not None and row.last_charge_at is not None,
        timeout=WAIT_MS,
    )


def test_another_counter_deleting_the_chosen_member_leaves_nobody_chosen_here(
    qtbot: QtBot, open_window: OpenWindow, shared_store: str
) -> None:
    """The live feed changes one row at a time (no rebuild): others coming and going keep this
    counter's chosen member chosen; that member going leaves nobody chosen, never the
    neighbour that takes its row (재결제 would then name a member nobody chose)."""
    from sample_customers import rows_for_test

    from pos_app.store.backend import open_server
    from pos_app.store.postgres import parse_address

    members = list(rows_for_test(3000))
    other = open_server(parse_address(shared_store), "sandbox", terminal="T2", with_lease=False)
    try:
        other.customers.upsert_many(members)
        window = open_window()
        model = window.customers.model
        qtbot.waitUntil(lambda: model.total() == 3000, timeout=WAIT_MS)
        resets: list[int] = []
        model.modelReset.connect(lambda: resets.append(1))
        said: list[str] = []
        window.customers.customerSelected.connect(said.append)
        chosen = members[1500].customer_uid
        window.customers.select(chosen)
        above = members[1499].customer_uid
        other.customers.remove(above)
        other.customers.upsert_many([members[0]._replace(customer_uid="live_new", name="새회원")])
        qtbot.waitUntil(
            lambda: model.find(above) is None and model.find("live_new") is not None,
            timeout=WAIT_MS,
        )
        assert window.customers.selected_uid() == chosen
        assert model.row(model.view_row_of(chosen) - 1).customer_uid == members[1498].customer_uid
        other.customers.remove(chosen)
        qtbot.waitUntil(lambda: model.find(chosen) is None, timeout=WAIT_MS)
        assert window.customers.selected_uid() == ""
        assert window.customers.table.selectionModel().selectedRows() == []
        assert said == [chosen, ""]  # chosen here, then nobody; never a neighbour
        assert resets == [] and model.total() == 2999
    finally:
        other.close()


def test_the_same_amount_question_names_the_other_counter() -> None:
    row = JournalRow(
        1, "m", "charge_again", "live", "kim", 55000, 0, "x", "T2", "paid",
        None, None, "", "", "", None, None, 0.0, None, None, None, 0.0,
    )  # fmt: skip
    assert "계산대 T2에서" in duplicate_text("kim", row)


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    cluster = Cluster()
    cluster.start()
    yield cluster
    cluster.remove()


def test_the_server_gone_stops_charging_marks_the_list_and_comes_back(
    qtbot: QtBot,
    open_window: OpenWindow,
    own_cluster: Cluster,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POS_APP_DATABASE_URL", own_cluster.new_database("shop"))
    window = open_window()
    qtbot.waitUntil(lambda: window.charge_button.isEnabled(), timeout=WAIT_MS)
    own_cluster.stop()
    qtbot.waitUntil(lambda: window.customers.stale_label.isVisible(), timeout=WAIT_MS)
    assert window.banner.property("mode") == "failed"
    assert "매장 서버" in window.banner.text()
    assert not window.charge_button.isEnabled() and not window.issue_button.isEnabled()
    own_cluster.start()
    qtbot.waitUntil(lambda: not window.customers.stale_label.isVisible(), timeout=WAIT_MS)
    assert window.banner.property("mode") == "sandbox"
    assert window.charge_button.isEnabled()


def test_a_window_started_while_the_server_is_down_says_so_and_tries_again(
    qtbot: QtBot,
    own_cluster: Cluster,
    monkeypatch: pytest.MonkeyPatch,
    pos_app_home: Path,
) -> None:
    """No local file is started in its place; 다시 시도 once the server is back opens the till."""
    from PySide6.QtWidgets import QAbstractButton

    from pos_app.app import build_window

    monkeypatch.setenv("POS_APP_DATABASE_URL", own_cluster.new_database("shop"))
    own_cluster.stop()
    window = build_window(None)
    window.show()
    try:
        qtbot.waitUntil(lambda: window.till_actions.storage_dialog is not None, timeout=WAIT_MS)
        box = window.till_actions.storage_dialog
        assert box is not None
        qtbot.waitUntil(box.isVisible, timeout=WAIT_MS)
        assert "매장 서버에 연결할 수 없습니다" in box.text()
        assert "PortOne" not in window.banner.text()
        assert not window.charge_button.isEnabled()
        assert not list(pos_app_home.glob("**/journal.sqlite3"))
        own_cluster.start()
        retry = box.findChild(QAbstractButton, "storageRetryButton")
        assert retry is not None
        retry.click()
        qtbot.waitUntil(lambda: window.settled_at_start, timeout=WAIT_MS)
        assert window.charge_button.isEnabled()
        # The staff list it could not read at start (the window stayed shut at sign-in) is
        # read now: a shop without staff is open again.
        qtbot.waitUntil(lambda: dialog_named(window, "signInDialog") is None, timeout=WAIT_MS)
        central = window.centralWidget()
        assert central is not None
        qtbot.waitUntil(central.isVisible, timeout=WAIT_MS)
    finally:
        window.close()


def test_a_manager_added_at_another_counter_brings_sign_in_here(
    qtbot: QtBot, open_window: OpenWindow, shared_store: str, sandbox_url: str, tmp_path: Path
) -> None:
    """One staff list for the shop: the window (no staff yet, open to anyone) hears that counter
    T2 added a manager and asks for sign-in; the new names are the ones offered."""
    window = open_window()
    qtbot.waitUntil(lambda: window.charge_button.isEnabled(), timeout=WAIT_MS)
    assert dialog_named(window, "signInDialog") is None
    other = tmp_path / "counter-2"
    env = {
        **os.environ,
        "POS_APP_HOME": str(other),
        "POS_APP_TERMINAL": "T2",
        "POS_APP_DATABASE_URL": shared_store,
        "POS_APP_API_BASE": sandbox_url,
    }
    added = subprocess.run(
        [sys.executable, "-m", "pos_app", "staff", "add", MANAGER, "--role", "manager"],
        env=env,
        input=f"{MANAGER_PIN}\n{MANAGER_PIN}\n",
        capture_output=True,
        text=True,
    )
    assert added.returncode == 0, added.stderr
    dialog = sign_in_dialog(qtbot, window)
    assert window.staff.managed and [m.name for m in window.staff.members] == [MANAGER]
    assert dialog.isVisible()
    try_sign_in(qtbot, window, MANAGER, MANAGER_PIN)
    qtbot.waitUntil(lambda: window.staff.person is not None, timeout=WAIT_MS)


def test_a_counters_own_manager_keeps_the_window_shut_on_a_server_without_one(
    qtbot: QtBot, open_window: OpenWindow, shared_store: str, pos_app_home: Path
) -> None:
    """Choosing a store server whose staff has no manager does not switch sign-in off: the
    window says to copy this counter's staff there first."""
    add_staff(pos_app_home)  # this data folder's own files
    window = open_window()
    dialog = sign_in_dialog(qtbot, window)
    error = dialog.findChild(QLabel, "signInDialogError")
    assert error is not None
    qtbot.waitUntil(error.isVisible, timeout=WAIT_MS)
    assert "pos-app db import-sqlite" in error.text()
    assert window.staff.person is None
