"""The settings dialog's PortOne V2 fields: the API secret (to the keychain only, through the
dialog's worker; never shown again once saved), the store id and the key-in channel key.

The dialog owns the choice between V1 and V2 and shows this box when V2 is chosen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit, QWidget

from pos_app.services.credentials import V2Secret
from pos_app.services.settings import TillSettings
from pos_app.ui.fields import error_note, named_line_edit, note_label, wipe_secret

AddRows = Callable[..., None]


class V2Fields(QGroupBox):
    """PortOne V2: API secret, store id, channel key. `add_rows(form, *(field, label, widget))`
    is the dialog's, so each field gets its label, accessible name and error line the same way
    as the dialog's own."""

    def __init__(self, parent: QWidget, add_rows: AddRows) -> None:
        super().__init__(self.tr("PortOne V2 API"), parent)
        self.setObjectName("v2Box")
        form = QFormLayout(self)
        self.secret = named_line_edit(parent, "v2Secret", "")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setInputMethodHints(
            Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.secret.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.secret.setDragEnabled(False)
        self.secret.setMinimumWidth(self.secret.fontMetrics().averageCharWidth() * 24)
        self.secret.setAccessibleName(self.tr("V2 API 시크릿"))
        form.addRow(self.tr("V2 API 시크릿"), self.secret)
        self.secret_error = error_note(parent, "v2SecretError")
        form.addRow(self.secret_error)
        self.store_id = named_line_edit(parent, "storeId", self.tr("예: store-4f1a… (선택 사항)"))
        self.channel_key = named_line_edit(
            parent, "v2ChannelKey", self.tr("수기결제 채널의 채널 키")
        )
        add_rows(
            form,
            ("store_id", self.tr("상점 아이디"), self.store_id),
            ("v2_channel_key", self.tr("채널 키 (수기결제)"), self.channel_key),
        )
        form.addRow(
            note_label(
                parent,
                "v2Note",
                self.tr(
                    "V2는 채널 키로 보낼 곳을 정합니다: 카드 등록과 수기결제 모두 이 채널로 "
                    "갑니다. 시크릿은 키체인에만 저장됩니다."
                ),
            )
        )

    def show_settings(self, settings: TillSettings) -> None:
        self.store_id.setText(settings.store_id)
        self.channel_key.setText(settings.v2_channel_key)

    def entered(self) -> dict[str, str]:
        return {"store_id": self.store_id.text(), "v2_channel_key": self.channel_key.text()}

    def show_saved(self, saved: bool, pending_clear: bool) -> None:
        if saved:
            hint = self.tr("저장됨 — 바꾸려면 새 값을 입력하세요")
        elif pending_clear:
            hint = self.tr("저장하면 키체인에서 삭제됩니다")
        else:
            hint = self.tr("입력하세요")
        self.secret.setPlaceholderText(hint)

    def typed_secret(self) -> tuple[V2Secret | None, str | None]:
        """(the typed secret or None when nothing was typed, a problem to show or None)."""
        text = self.secret.text().strip()
        if not text:
            return None, None
        try:
            return V2Secret(text), None
        except ValueError:
            return None, self.tr("V2 API 시크릿은 한 줄로 입력하세요.")

    def show_secret_problem(self, problem: str | None) -> None:
        self.secret_error.setText(problem or "")
        self.secret_error.setVisible(problem is not None)

    def wipe(self) -> None:
        wipe_secret(self.secret)
