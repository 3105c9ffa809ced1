"""The main window's menus: the day's sales (매출 내역 · 마감), connection settings (keychain,
mode, language) and quitting."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow


def install_menus(window: QMainWindow) -> QAction:
    """Returns the day's-sales action, disabled: it needs the open till (TillActions enables it
    and says what it does)."""
    sales = window.menuBar().addMenu(QCoreApplication.translate("menus", "매출"))
    sales.setObjectName("salesMenu")  # ui/staff_gate.py adds 기록 here
    day_sales = QAction(QCoreApplication.translate("menus", "매출 내역 · 마감…"), window)
    day_sales.setObjectName("daySalesAction")
    day_sales.setShortcut(QKeySequence("F9"))
    day_sales.setEnabled(False)
    sales.addAction(day_sales)
    menu = window.menuBar().addMenu(QCoreApplication.translate("menus", "설정"))
    menu.setObjectName("settingsMenu")  # ui/staff_gate.py adds 직원 and 잠금 here
    settings = QAction(QCoreApplication.translate("menus", "PortOne 연결 설정…"), window)
    settings.setObjectName("openSettingsAction")
    settings.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences))
    settings.triggered.connect(lambda: _open_settings(window))
    menu.addAction(settings)
    menu.addSeparator()
    quit_action = QAction(QCoreApplication.translate("menus", "끝내기"), window)
    quit_action.setObjectName("quitAction")
    quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
    quit_action.triggered.connect(window.close)
    menu.addAction(quit_action)
    return day_sales


def _open_settings(window: QMainWindow) -> None:
    from pos_app.ui.settings_dialog import SettingsDialog
    from pos_app.ui.staff_gate import StaffGate

    # A cashier needs a manager's PIN to change settings; the gate records what changed.
    gate = window.findChild(StaffGate)
    if gate is not None and not gate.approve("settings"):
        return
    dialog = SettingsDialog(window)
    if gate is not None:
        gate.watch_settings(dialog)
    # Mode, keys and language are read when the till opens: they apply from the next start.
    dialog.settingsSaved.connect(
        lambda _settings: window.statusBar().showMessage(
            QCoreApplication.translate("menus", "저장했습니다. 다시 시작하면 적용됩니다."), 10_000
        )
    )
    dialog.exec()
    dialog.deleteLater()
