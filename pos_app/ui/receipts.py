"""영수증 인쇄 (F8) from the result panel: the till's thread writes the slip (it needs the journal
and the saved settings: `Till.receipt`), the window prints it, asking first when the shop's name
or business number is missing (설정)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from pos_app.ui import till_tasks as tasks
from pos_app.ui.confirm import ask_print_without_shop, running_text
from pos_app.ui.till_requests import Failed, ReceiptReady, ReceiptRequest

if TYPE_CHECKING:
    from pos_app.gateway.models import Payment
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.worker import TillThread


class ReceiptFlow(QObject):
    def __init__(self, window: MainWindow, till: TillThread, ready: Callable[[], bool]) -> None:
        super().__init__(window)
        self.window = window
        self.till = till
        self._ready = ready

    def print_receipt(self, payment: Payment) -> None:
        if self._ready():
            self.window.say(running_text("receipt"))
            self.till.submit(tasks.receipt, ReceiptRequest(payment), self._answered)

    def _answered(self, answer: ReceiptReady | Failed) -> None:
        window = self.window
        window.hush()
        if isinstance(answer, Failed):
            window.say(answer.message, 10_000)
            return
        from pos_app.ui import receipt  # QtPrintSupport: only when printing

        not_printed = QCoreApplication.translate("MainWindow", "영수증을 인쇄하지 않았습니다")
        if answer.lacks_shop and not ask_print_without_shop(window):
            window.say(not_printed, 5000)
            return
        if receipt.print_with_dialog(answer.html, window):
            window.say(QCoreApplication.translate("MainWindow", "영수증을 인쇄했습니다"), 5000)
        else:
            window.say(not_printed, 5000)
