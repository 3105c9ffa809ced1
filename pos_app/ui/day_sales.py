"""매출 내역 · 마감 (F9): the day's sales in their dialog, read and exported on the till's thread.

The dialog asks for a day or a CSV file; the answers come back to it while it is open (one
closed meanwhile has nothing to show them in). On a shared store, another counter's charge
makes the day's list stale: it is asked again (at once, or after the answer in flight). An order
id chosen in the list is looked up at PortOne once the dialog closes (`look_up`), shown in the
result panel, where it can be refunded or its receipt printed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from pos_app.ui import till_tasks as tasks
from pos_app.ui.confirm import running_text
from pos_app.ui.till_requests import DayExported, DaySalesRequest, ExportDay, Failed

if TYPE_CHECKING:
    from pos_app.services.report import DaySales
    from pos_app.ui.day_dialog import DaySalesDialog
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.worker import TillThread


class DaySalesFlow(QObject):
    def __init__(
        self,
        window: MainWindow,
        till: TillThread,
        ready: Callable[[], bool],
        look_up: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.till = till
        self._ready = ready
        self._look_up = look_up
        # The dialog while it is open, the day last asked for it, and whether another counter
        # changed a charge while an answer was in flight.
        self.dialog: DaySalesDialog | None = None
        self._asked_day: date | None = None
        self._stale = False

    def open(self) -> None:
        if not self._ready():
            return
        from pos_app.ui.day_dialog import DaySalesDialog  # loaded when first opened (F9)

        dialog = DaySalesDialog(self.window, self.window.lang)
        dialog.dayRequested.connect(self._ask_day)
        dialog.exportRequested.connect(self._export_day)
        self.dialog = dialog
        self._ask_day(date.today())
        try:
            dialog.exec()
        finally:
            self.dialog = None
        lookup = dialog.lookup_uid
        dialog.deleteLater()
        if lookup:
            self._look_up(lookup)

    def charges_changed(self) -> None:
        """Another counter changed a charge or refund: the day shown is asked again."""
        if self.dialog is None or self._asked_day is None:
            return
        if self._ready():
            self._ask_day(self._asked_day)
        else:
            self._stale = True  # asked again once the answer in flight is in

    def _ask_day(self, day: date) -> None:
        if self.dialog is not None and self._ready():
            self._asked_day = day
            text = running_text("day_report")
            self.dialog.set_busy(text)
            self.window.say(text)
            self.till.submit(tasks.day_sales, DaySalesRequest(day), self._day_answered)

    def _export_day(self, day: date, path: str) -> None:
        if self.dialog is not None and self._ready():
            text = running_text("export_day")
            self.dialog.set_busy(text)
            self.window.say(text)
            request = ExportDay(day, path, self.window.lang)
            self.till.submit(tasks.export_day, request, self._day_answered)

    def _day_answered(self, answer: DaySales | DayExported | Failed) -> None:
        self.window.hush()
        dialog = self.dialog
        if dialog is not None:  # else closed while the till was reading: nowhere to show it
            if isinstance(answer, DayExported):
                dialog.show_exported(answer.path)
            elif isinstance(answer, Failed):
                dialog.show_failed(answer.message)
            elif self._asked_day is not None:
                dialog.show_day(self._asked_day, answer.rows, answer.totals)
        if self._stale and self._asked_day is not None:
            self._stale = False
            self._ask_day(self._asked_day)
