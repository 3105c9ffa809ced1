"""Helpers for driving the real main window the way a person would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from pos_app.ui.main_window import MainWindow

# Generous: the shared CI machine may be slow; nothing here asserts speed.
WAIT_MS = 30_000

# open_window(api_base=<the test's sandbox>, lang=None) -> a shown main window, its Till open
OpenWindow = Callable[..., MainWindow]


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type like a person: key clicks (Hangul goes as text key events; QTest knows only ASCII)."""
    widget.setFocus()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                )


def fill_card(
    qtbot: QtBot,
    window: MainWindow,
    number: str,
    expiry: str = "1230",
    birth: str = "880315",
    pin: str = "12",
) -> None:
    for edit, text in (
        (window.card.number, number),
        (window.card.expiry, expiry),
        (window.card.birth, birth),
        (window.card.pin, pin),
    ):
        if text:
            # Typed over whatever is there (a refused card stays in its fields to correct), as a
            # cashier selects the field and types.
            edit.selectAll()
            type_into(qtbot, edit, text)


def fill_amount(qtbot: QtBot, window: MainWindow, amount: str, name: str = "Membership") -> None:
    type_into(qtbot, window.amount.amount, amount)
    if name:
        type_into(qtbot, window.amount.order_name, name)


def run_action(qtbot: QtBot, window: MainWindow, button: QWidget) -> str:
    """Click like a person and wait for the result panel; returns its outcome. 재결제's own
    question (who, which card, how much) is answered yes."""
    if button.objectName() == "chargeAgainButton":
        answer_charge_again(yes=True)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.result.outcome() != "", timeout=WAIT_MS)
    return window.result.outcome()


def sandbox_get(base: str, path: str) -> Any:
    answer = httpx.get(base + path, timeout=10)
    answer.raise_for_status()
    return answer.json()["response"]


def sandbox_post(base: str, path: str, body: dict[str, Any]) -> None:
    httpx.post(base + path, json=body, timeout=10).raise_for_status()


@contextmanager
def elsewhere(base: str) -> Iterator[httpx.Client]:
    """A client acting outside the window (PortOne's console, another till): token already set."""
    from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET

    with httpx.Client(base_url=base, timeout=10) as client:
        token = client.post(
            "/users/getToken", json={"imp_key": TEST_IMP_KEY, "imp_secret": TEST_IMP_SECRET}
        ).json()["response"]["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


def requests_seen(base: str) -> list[dict[str, Any]]:
    return list(sandbox_get(base, "/__sandbox__/requests"))


def answer_next_dialog(yes: bool, name: str = "confirm") -> list[str]:
    """Answer the next `{name}Dialog` box when it opens (confirm: replacing or deleting a card,
    the same amount again; chargeAgain: 재결제's who-and-how-much); returns the texts it showed."""
    seen: list[str] = []
    box_name = f"{name}Dialog"

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != box_name:
            QTimer.singleShot(10, poll)
            return
        seen.append(box.text())
        button = box.findChild(QAbstractButton, f"{name}YesButton" if yes else f"{name}NoButton")
        assert button is not None
        button.click()

    QTimer.singleShot(0, poll)
    return seen


def answer_charge_again(yes: bool = True) -> list[str]:
    """Answer 재결제's question (who, which card, how much) when it opens."""
    return answer_next_dialog(yes, "chargeAgain")
