"""Line edits for card data and for numbers that regroup themselves while the cashier types."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QLineEdit, QWidget


def digits_in(text: str) -> str:
    return "".join(ch for ch in text if "0" <= ch <= "9")


class GroupedDigitsEdit(QLineEdit):
    """Keeps only digits and shows them through `formatter` (card groups, MM/YY, 12,000).

    Typing and pasting both end in `textEdited`, so regrouping there covers both; the cursor is
    put back after the same number of digits so editing in the middle feels natural.
    """

    def __init__(
        self, formatter: Callable[[str], str], max_digits: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._formatter = formatter
        self._max_digits = max_digits
        self.textEdited.connect(self._regroup)

    def digits(self) -> str:
        return digits_in(self.text())

    def _regroup(self, text: str) -> None:
        digits_before_cursor = len(digits_in(text[: self.cursorPosition()]))
        digits = digits_in(text)[: self._max_digits]
        shown = self._formatter(digits)
        if shown == text:
            return
        self.setText(shown)
        # Place the cursor right after the same count of digits as before regrouping.
        position, seen = 0, 0
        while position < len(shown) and seen < digits_before_cursor:
            if "0" <= shown[position] <= "9":
                seen += 1
            position += 1
        self.setCursorPosition(position)


class SecureLineEdit(GroupedDigitsEdit):
    """A card field: nothing leaves it by copy, cut, drag, context menu or X11 selection.

    `wipe()` overwrites the text before clearing it (in the spirit of Electrum's
    PasswordLineEdit); setText also drops the undo history, which would otherwise keep the digits.
    """

    def __init__(
        self, formatter: Callable[[str], str], max_digits: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(formatter, max_digits, parent)
        self.setDragEnabled(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.setInputMethodHints(
            Qt.InputMethodHint.ImhDigitsOnly
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhSensitiveData
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy) or event.matches(
            QKeySequence.StandardKey.Cut
        ):
            event.accept()  # swallowed: card digits never reach the clipboard
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        event.accept()  # the stock menu offers Copy; there is no menu at all

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        # On X11 QLineEdit copies a mouse selection to the selection clipboard on release.
        clipboard = QGuiApplication.clipboard()
        if event.button() == Qt.MouseButton.LeftButton and clipboard.supportsSelection():
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def wipe(self) -> None:
        self.setText("0" * len(self.text()))
        self.setText("")


class PinEdit(SecureLineEdit):
    """A staff PIN: digits only, shown as dots, never copied; `wipe()` after every use."""

    def __init__(self, max_digits: int = 8, parent: QWidget | None = None) -> None:
        super().__init__(str, max_digits, parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setMaxLength(max_digits)
