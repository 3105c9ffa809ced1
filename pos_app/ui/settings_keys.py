"""The settings dialog's PortOne V1 REST API key box: the keychain's state, imp_key and
imp_secret.

The pair goes only to the keychain, through the dialog's worker; once saved it is never shown
again (the fields stay empty, saying "saved"; typing a new pair replaces it). The dialog owns the
choice between V1 and V2 (V2's box: ui/settings_v2.py), the check button and Save.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit, QWidget

from pos_app.services.credentials import Credentials
from pos_app.ui.fields import (
    error_note,
    named_line_edit,
    note_label,
    set_style_property,
    wipe_secret,
)


class KeysBox(QGroupBox):
    # Texts are translated in the dialog's context ("SettingsDialog"), where they have always
    # lived in the catalogue.

    def __init__(self, parent: QWidget) -> None:
        super().__init__(
            QCoreApplication.translate("SettingsDialog", "PortOne REST API 키"), parent
        )
        keys = QFormLayout(self)
        self.keychain_status = note_label(
            parent,
            "keychainStatus",
            QCoreApplication.translate("SettingsDialog", "키체인 확인 중…"),
        )
        keys.addRow(self.keychain_status)
        self.imp_key = named_line_edit(parent, "impKey", "")
        self.imp_secret = named_line_edit(parent, "impSecret", "")
        self.imp_secret.setEchoMode(QLineEdit.EchoMode.Password)
        for edit in (self.imp_key, self.imp_secret):
            edit.setInputMethodHints(
                Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText
            )
            edit.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
            edit.setDragEnabled(False)
            # Room for a key to be seen while typed, next to the other column.
            edit.setMinimumWidth(edit.fontMetrics().averageCharWidth() * 24)
        keys.addRow(
            QCoreApplication.translate("SettingsDialog", "REST API 키 (imp_key)"), self.imp_key
        )
        keys.addRow(
            QCoreApplication.translate("SettingsDialog", "REST API 시크릿 (imp_secret)"),
            self.imp_secret,
        )
        self.credentials_error = error_note(parent, "credentialsError")
        keys.addRow(self.credentials_error)

    def show_keychain(self, text: str, *, problem: bool) -> None:
        self.keychain_status.setText(text)
        set_style_property(self.keychain_status, "problem", problem)

    def show_saved(self, saved: bool, pending_clear: bool) -> None:
        """Whether a pair is saved (never the pair itself), or will be removed on Save."""
        if saved:
            hint = QCoreApplication.translate(
                "SettingsDialog", "저장됨 — 바꾸려면 새 값을 입력하세요"
            )
        elif pending_clear:
            hint = QCoreApplication.translate("SettingsDialog", "저장하면 키체인에서 삭제됩니다")
        else:
            hint = QCoreApplication.translate("SettingsDialog", "입력하세요")
        self.imp_key.setPlaceholderText(hint)
        self.imp_secret.setPlaceholderText(hint)

    def typed(self) -> tuple[Credentials | None, str | None]:
        """The pair typed (None when nothing is), or why what is typed cannot be one."""
        key, secret = self.imp_key.text().strip(), self.imp_secret.text().strip()
        if not key and not secret:
            return None, None
        if not key or not secret:
            return None, QCoreApplication.translate(
                "SettingsDialog", "API 키와 시크릿을 둘 다 입력하세요."
            )
        try:
            return Credentials(key, secret), None
        except ValueError:
            return None, QCoreApplication.translate(
                "SettingsDialog", "API 키와 시크릿은 한 줄로 입력하세요."
            )

    def typed_any(self) -> bool:
        return bool(self.imp_key.text().strip())

    def show_problem(self, problem: str | None) -> None:
        self.credentials_error.setText(problem or "")
        self.credentials_error.setVisible(problem is not None)

    def wipe(self) -> None:
        wipe_secret(self.imp_key)
        wipe_secret(self.imp_secret)
