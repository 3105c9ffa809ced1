"""The strip across the top that says where money goes: amber and loud in the sandbox."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from pos_app.ui.repolish import repolish


class ModeBanner(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modeBanner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self._person = ""  # who is signed in, when the shop has staff
        self._text = ""
        self._set("starting", self.tr("PortOne 연결 준비 중…"))

    def show_mode(self, mode: str, api_base: str) -> None:
        if mode == "live":
            self._set("live", self.tr("실결제 모드 — 실제로 카드가 결제됩니다"))
        else:
            self._set("sandbox", self.tr("연습 모드 — 실제 결제가 되지 않습니다"))
        self.setToolTip(api_base)

    def show_failure(self, message: str) -> None:
        self._set("failed", self.tr("PortOne에 연결할 수 없습니다: %1").replace("%1", message))

    def show_store_down(self, where: str) -> None:
        """The shop's store server does not answer: nothing can be charged until it does."""
        self._set(
            "failed",
            self.tr(
                "매장 서버에 연결할 수 없습니다 (%1) — 결제를 멈췄습니다. 목록은 마지막으로 불러온 "
                "상태입니다. 서버가 돌아오면 저절로 다시 시작합니다."
            ).replace("%1", where),
        )

    def show_stopped(self, text: str) -> None:
        """The till did not open for a reason other than PortOne (storage, settings)."""
        self._set("failed", text)

    def set_person(self, person: str) -> None:
        """The person signed in, after the mode ("" when nobody is)."""
        self._person = person
        self._show()

    def _set(self, mode: str, text: str) -> None:
        self.setProperty("mode", mode)
        self._text = text
        self._show()
        repolish(self)

    def _show(self) -> None:
        text = self._text
        if self._person:
            text += "  ·  " + self.tr("로그인: %1").replace("%1", self._person)
        self.setText(text)
        self.setAccessibleName(text)
