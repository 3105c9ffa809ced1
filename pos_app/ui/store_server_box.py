"""설정 → 매장 서버: the shop's PostgreSQL server that several counters share (docs/counters.md).

Host, port, database, user and TLS mode go to the settings file's `[store_server]` section; the
password only to the OS keychain (services/credentials.py), through the settings dialog's worker
thread, like the PortOne key pair. 연결 확인 connects once on that thread and says what
answered. An empty host means this counter keeps its own files (the default). The till reads the
section when it opens: like the mode and the keys, a change applies from the next start.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from pos_app.services.settings import SettingsNotSaved
from pos_app.services.store_server import (
    DEFAULT_PORT,
    SSL_MODES,
    StoreServerSettings,
    checked,
    collect_store_errors,
    save_store_settings,
    saved_store_settings,
)
from pos_app.ui import settings_worker as work
from pos_app.ui.fields import (
    error_note,
    named_line_edit,
    note_label,
    set_style_property,
    wipe_secret,
)
from pos_app.ui.settings_worker import ChangeResult, ConnectionResult
from pos_app.ui.task_thread import TaskThread


class StoreServerBox(QGroupBox):
    """The 매장 서버 group of the settings dialog. `attach(tasks)` before use."""

    checked = Signal(object)  # ConnectionResult, for tests

    def __init__(self, parent: QWidget | None = None, lang: str = "ko") -> None:
        super().__init__(parent)
        self.setObjectName("storeServerBox")
        self.setTitle(self.tr("매장 서버 (여러 계산대 공유)"))
        self._lang = lang
        self._tasks: TaskThread | None = None
        form = QFormLayout(self)
        form.addRow(
            note_label(
                self,
                "storeServerNote",
                self.tr(
                    "비워 두면 이 계산대만의 기록을 씁니다. 계산대가 여러 대면 모두 같은 서버를 "
                    "입력하세요."
                ),
            )
        )
        self.host = named_line_edit(self, "storeHost", self.tr("예: 10.0.0.5"))
        self.port = named_line_edit(self, "storePort", DEFAULT_PORT)
        self.database = named_line_edit(self, "storeDatabase", self.tr("예: shop"))
        self.user = named_line_edit(self, "storeUser", self.tr("예: pos"))
        self.sslmode = QComboBox(self)
        self.sslmode.setObjectName("storeSslMode")
        self.sslmode.addItems(list(SSL_MODES))
        self.password = named_line_edit(self, "storePassword", "")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData)
        self._errors: dict[str, QLabel] = {}
        for field, text, widget in (
            ("host", self.tr("서버 주소"), self.host),
            ("port", self.tr("포트"), self.port),
            ("database", self.tr("데이터베이스"), self.database),
            ("user", self.tr("사용자"), self.user),
        ):
            form.addRow(text, widget)
            self._errors[field] = error_note(self, f"store{field.capitalize()}Error")
            form.addRow(self._errors[field])
        form.addRow(self.tr("TLS 모드"), self.sslmode)
        self._errors["sslmode"] = error_note(self, "storeSslmodeError")
        form.addRow(self._errors["sslmode"])
        form.addRow(self.tr("비밀번호 (키체인에 저장)"), self.password)
        self._errors["missing"] = error_note(self, "storeMissingError")
        form.addRow(self._errors["missing"])
        self.check_button = QPushButton(self.tr("서버 연결 확인"), self)
        self.check_button.setObjectName("checkStoreServer")
        form.addRow(self.check_button)
        self.result = note_label(self, "storeServerResult", "")
        form.addRow(self.result)
        self.check_button.clicked.connect(self._check)
        self._show(saved_store_settings())

    def attach(self, tasks: TaskThread) -> None:
        """The settings dialog's worker, which this box's checks and password go through."""
        self._tasks = tasks

    def _show(self, settings: StoreServerSettings) -> None:
        self.host.setText(settings.host)
        self.port.setText(settings.port)
        self.database.setText(settings.database)
        self.user.setText(settings.user)
        self.sslmode.setCurrentText(settings.sslmode)

    def entered(self) -> dict[str, str]:
        return {
            "host": self.host.text(),
            "port": self.port.text(),
            "database": self.database.text(),
            "user": self.user.text(),
            "sslmode": self.sslmode.currentText(),
        }

    def validate(self) -> StoreServerSettings | None:
        """The settings typed, or None (each problem shown under its field)."""
        errors = {e.field: e for e in collect_store_errors(self.entered())}
        for field, label in self._errors.items():
            error = errors.get(field)
            label.setText("" if error is None else error.message(self._lang))
            label.setVisible(error is not None)
        return None if errors else checked(self.entered())

    def _check(self) -> None:
        settings = self.validate()
        if settings is None:
            return
        self.check_button.setEnabled(False)
        set_style_property(self.result, "outcome", "checking")
        self.result.setText(self.tr("매장 서버에 연결하는 중…"))
        password = self.password.text()
        assert self._tasks is not None
        self._tasks.submit(lambda: work.check_store(settings, password), self._on_checked)

    def _on_checked(self, answer: ConnectionResult) -> None:
        self.check_button.setEnabled(True)
        set_style_property(self.result, "outcome", "ok" if answer.ok else "failed")
        self.result.setText(answer.message)
        self.checked.emit(answer)

    def save(self, settings: StoreServerSettings, then: Callable[[str | None], None]) -> None:
        """Keep the settings; a typed password goes to the keychain first (on the worker). `then`
        gets None, or why the keychain refused it (nothing saved then)."""
        typed = self.password.text()
        if not typed:
            then(self._keep(settings))
            return

        def saved(answer: ChangeResult) -> None:
            if not answer.ok:
                assert answer.problem is not None
                then(answer.problem.message(self._lang))
                return
            wipe_secret(self.password)
            then(self._keep(settings))

        assert self._tasks is not None
        self._tasks.submit(lambda: work.save_store_password(typed), saved)

    def _keep(self, settings: StoreServerSettings) -> str | None:
        """Write them to the settings file; why not, when it cannot be written."""
        try:
            save_store_settings(settings)
        except SettingsNotSaved as exc:
            return exc.message(self._lang)
        return None

    def shutdown(self) -> None:
        """The dialog is closing (its worker stops, dropping answers not in yet)."""
        wipe_secret(self.password)
