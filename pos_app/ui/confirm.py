"""Questions asked before an action that cannot be undone (replacing or deleting a saved card)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def ask(parent: QWidget, title: str, text: str, yes: str) -> bool:
    """True only when the person chose `yes`; Esc, closing and Enter (the default) say no."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setObjectName("confirmDialog")
    accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    accept.setObjectName("confirmYesButton")
    cancel = box.addButton(
        QCoreApplication.translate("confirm", "취소"), QMessageBox.ButtonRole.RejectRole
    )
    cancel.setObjectName("confirmNoButton")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is accept
