"""The settings dialog: sandbox or live, PortOne V1 or V2 and its credentials (V1's API key
pair, PG and API host; V2's API secret, store id and channel key: ui/settings_v2.py), terminal,
language, and the shop's name and business number for receipts.

The key pair goes only to the keychain, through the dialog's worker (its box:
ui/settings_keys.py); once saved it is never shown again. Everything else goes to the settings
file (services/settings.py). 연결 확인 asks PortOne on the worker (services/credentials.py, as
`pos-app credentials check` does) and shows the answer.

The worker is the window's one pattern (ui/task_thread.py): each keychain call or check is a
task with an id, its answer handled on the GUI thread; an answer to a check asked again since is
dropped. Closing waits `CLOSE_WAIT_MS` at most: a keychain waiting for a person to unlock it, or
a check waiting for PortOne, is left to finish on its own and its answer is dropped (a change
being saved still reaches the keychain; the dialog, closed, says nothing of it).

The window opens it from the 설정 menu (ui/menus.py); tests build `SettingsDialog` directly.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.card_fields import format_business_number
from pos_app.services.pacing import MAX_CONCURRENCY
from pos_app.services.setting_rules import API_HOST_PRESETS, InvalidSetting, validate_api_host
from pos_app.services.settings import (
    SettingsNotSaved,
    TillSettings,
    collect_errors,
    invalid_saved_api_host,
    load_till_settings,
    save_till_settings,
)
from pos_app.services.store_server import StoreServerSettings
from pos_app.ui import settings_worker as work
from pos_app.ui.fields import (
    error_note,
    named_line_edit,
    note_label,
    set_style_property,
)
from pos_app.ui.settings_keys import KeysBox
from pos_app.ui.settings_v2 import V2Fields
from pos_app.ui.settings_worker import (
    ChangeResult,
    ConnectionResult,
    CredentialsChange,
    KeychainState,
    V1Check,
    V2Check,
)
from pos_app.ui.task_thread import TaskThread

# How long closing the dialog waits for the keychain or a check in flight.
CLOSE_WAIT_MS = 2_000


class SettingsDialog(QDialog):
    """Emits `settingsSaved(TillSettings)` and closes when Save succeeds."""

    settingsSaved = Signal(object)
    # "saved" or "removed" once the keychain has taken the change (for the audit trail).
    credentialsChanged = Signal(str)
    # For tests and the window: the keychain state arrived / a connection check answered.
    keychainInspected = Signal(object)
    connectionChecked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("설정"))
        self.saved_settings: TillSettings | None = None
        self._keychain: KeychainState | None = None
        self._pending_clear = False
        self._pending_clear_v2 = False
        self._settings = TillSettings()
        self._store_server: StoreServerSettings | None = None
        self.tasks = TaskThread("settings-worker", self, stop_timeout_ms=CLOSE_WAIT_MS)
        self._check_task = 0  # the connection check asked last (an earlier one's answer is dropped)
        settings = load_till_settings()
        self._lang = settings.language  # for messages that come from the Qt-free layers
        self._build()
        self._show_settings(settings)
        bad_host = invalid_saved_api_host()
        if bad_host is not None:
            # Shown as saved, with why: the default put in its place must not be saved unseen.
            self.api_host.setEditText(bad_host[0])
            self._show_error("api_host", bad_host[1])
        self.store_box.attach(self.tasks)
        app = QCoreApplication.instance()
        if app is not None:
            # A running QThread must not outlive the application (Qt aborts the process).
            app.aboutToQuit.connect(self.shutdown)
        self.tasks.submit(work.inspect_keychain, self._on_keychain)

    # --- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        # Two columns (connection | till and receipt), so the dialog stays within a 768-pixel-high
        # counter screen; Save and Cancel span both.
        columns = QHBoxLayout()
        connection, till_column = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(connection, 1)
        columns.addLayout(till_column, 1)
        layout.addLayout(columns)

        mode_box = QGroupBox(self.tr("모드"), self)
        self.sandbox_mode = QRadioButton(self.tr("샌드박스 (연습, 실제 결제 없음)"), mode_box)
        self.sandbox_mode.setObjectName("sandboxMode")
        self.live_mode = QRadioButton(self.tr("실거래 (PortOne, 실제 카드 결제)"), mode_box)
        self.live_mode.setObjectName("liveMode")
        self._modes, mode_layout = QButtonGroup(self), QVBoxLayout(mode_box)
        for radio in (self.sandbox_mode, self.live_mode):
            self._modes.addButton(radio)
            mode_layout.addWidget(radio)
        connection.addWidget(mode_box)

        version_box = QGroupBox(self.tr("PortOne API"), self)
        self.api_v1 = QRadioButton(self.tr("V1 (아임포트 REST API 키)"), version_box)
        self.api_v1.setObjectName("apiV1")
        self.api_v2 = QRadioButton(self.tr("V2 (PortOne API 시크릿)"), version_box)
        self.api_v2.setObjectName("apiV2")
        self._versions, version_layout = QButtonGroup(self), QHBoxLayout(version_box)
        for radio in (self.api_v1, self.api_v2):
            self._versions.addButton(radio)
            version_layout.addWidget(radio)
        connection.addWidget(version_box)

        self.keys = KeysBox(self)
        self.clear_button = QPushButton(self.tr("저장된 키 삭제"), self)
        self.clear_button.setObjectName("clearCredentials")
        self.check_button = QPushButton(self.tr("연결 확인"), self)
        self.check_button.setObjectName("checkConnection")
        connection.addWidget(self.keys)
        self._errors: dict[str, QLabel] = {}
        self.v2 = V2Fields(self, self._add_rows)
        connection.addWidget(self.v2)
        # One check button and one answer for whichever API is chosen.
        check_row = QHBoxLayout()
        check_row.addWidget(self.clear_button)
        check_row.addStretch(1)
        check_row.addWidget(self.check_button)
        connection.addLayout(check_row)
        self.connection_result = note_label(self, "connectionResult", "")
        connection.addWidget(self.connection_result)
        connection.addStretch(1)

        till_box = QGroupBox(self.tr("결제 설정"), self)
        till = QFormLayout(till_box)
        self.pg = named_line_edit(
            self, "pg", self.tr("예: nice, kcp.A52CY (비우면 PortOne 기본 PG)")
        )
        self.channel_key = named_line_edit(self, "channelKey", self.tr("선택 사항"))
        self.terminal_id = named_line_edit(self, "terminalId", "T1")
        self.default_order_name = named_line_edit(self, "defaultOrderName", "")
        self.api_host = QComboBox(till_box)
        self.api_host.setObjectName("apiHost")
        self.api_host.setEditable(True)
        self.api_host.addItems(list(API_HOST_PRESETS))
        self.api_host.setToolTip(
            self.tr("방화벽에서 고정 IP만 허용하는 매장은 https://static-api.iamport.kr")
        )
        self.language = QComboBox(till_box)
        self.language.setObjectName("language")
        self.language.addItem("한국어", "ko")
        self.language.addItem("English", "en")
        self._till_form = till
        self._add_rows(
            till,
            ("pg", self.tr("PG"), self.pg),
            ("channel_key", self.tr("채널 키"), self.channel_key),
        )
        # Which field routes what (services.settings.routing_error refuses the one setup that
        # would send live key-in charges somewhere the person did not choose).
        self.routing_note = note_label(
            self,
            "routingNote",
            self.tr(
                "수기결제는 PG로만 보낼 곳이 정해지고, 채널 키는 카드 등록에만 쓰입니다. "
                "PG가 여러 개인 가맹점은 PG를 꼭 입력하세요."
            ),
        )
        till.addRow(self.routing_note)
        self._add_rows(
            till,
            ("terminal_id", self.tr("단말기 번호"), self.terminal_id),
            ("default_order_name", self.tr("기본 주문명"), self.default_order_name),
            ("api_host", self.tr("API 주소"), self.api_host),
        )
        till.addRow(self.tr("언어 (다시 시작하면 적용)"), self.language)
        # Charges a billing run keeps in flight at once (docs/billing-run.md).
        self.billing_concurrency = QSpinBox(till_box)
        self.billing_concurrency.setObjectName("billingConcurrency")
        self.billing_concurrency.setRange(1, MAX_CONCURRENCY)
        self.billing_concurrency.setToolTip(
            self.tr("PortOne에 동시에 보내는 정기 결제 수. 몇이든 초당 50건을 넘지 않습니다.")
        )
        self._add_rows(
            till, ("billing_concurrency", self.tr("정기 결제 동시 처리"), self.billing_concurrency)
        )
        till_column.addWidget(till_box)

        receipt_box = QGroupBox(self.tr("영수증"), self)
        receipt = QFormLayout(receipt_box)
        self.shop_name = named_line_edit(
            self, "shopNameEdit", self.tr("영수증에 인쇄할 이름 (선택 사항)")
        )
        self.business_number = named_line_edit(
            self, "businessNumberEdit", self.tr("예: 123-45-67890 (선택 사항)")
        )
        self._add_rows(
            receipt,
            ("shop_name", self.tr("상호"), self.shop_name),
            ("business_number", self.tr("사업자등록번호"), self.business_number),
        )
        till_column.addWidget(receipt_box)
        from pos_app.ui.store_server_box import StoreServerBox  # 매장 서버 (docs/counters.md)

        self.store_box = StoreServerBox(self, self._lang)
        till_column.addWidget(self.store_box)
        till_column.addStretch(1)

        self.form_message = error_note(self, "formMessage")
        layout.addWidget(self.form_message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveSettings")
        self.save_button.setEnabled(False)  # until the keychain state is known
        self.buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self._save)
        self.clear_button.clicked.connect(self._stage_clear)
        self.check_button.clicked.connect(self._check_connection)
        self.api_v2.toggled.connect(self._show_version)
        layout.addWidget(self.buttons)

    def _add_rows(self, form: QFormLayout, *rows: tuple[str, str, QWidget]) -> None:
        """Each field under its label (the label's buddy, and the field's accessible name), with
        its error line right below, hidden until Save finds a problem there."""
        for field, text, widget in rows:
            camel = "".join(p.capitalize() if i else p for i, p in enumerate(field.split("_")))
            label = QLabel(text, self)
            label.setObjectName(f"{camel}Label")
            label.setBuddy(widget)
            widget.setAccessibleName(text)
            form.addRow(label, widget)
            self._errors[field] = error_note(self, f"{camel}Error")
            form.addRow(self._errors[field])

    def _chosen_v2(self) -> bool:
        return self.api_v2.isChecked()

    def _show_version(self) -> None:
        """Only the chosen API's fields: V1's key pair, PG, channel key and API host, or V2's
        box."""
        v2 = self._chosen_v2()
        self.keys.setVisible(not v2)
        self.v2.setVisible(v2)
        for widget in (self.pg, self.channel_key, self.routing_note, self.api_host):
            self._till_form.setRowVisible(widget, not v2)
        self._show_saved_state()

    def _show_settings(self, settings: TillSettings) -> None:
        (self.live_mode if settings.live else self.sandbox_mode).setChecked(True)
        (self.api_v2 if settings.api_version == "v2" else self.api_v1).setChecked(True)
        self.v2.show_settings(settings)
        self._show_version()
        self.pg.setText(settings.pg)
        self.channel_key.setText(settings.channel_key)
        self.terminal_id.setText(settings.terminal_id)
        self.default_order_name.setText(settings.default_order_name)
        self.api_host.setEditText(settings.api_host)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.shop_name.setText(settings.shop_name)
        self.business_number.setText(format_business_number(settings.business_number))
        self.billing_concurrency.setValue(settings.billing_concurrency)

    def _on_keychain(self, state: KeychainState) -> None:
        self._keychain = state
        if state.usable:
            self.keys.show_keychain(self.tr("키체인: %s") % state.backend, problem=False)
        else:
            assert state.problem is not None
            self.keys.show_keychain(state.problem.message(self._lang), problem=True)
            self.sandbox_mode.setChecked(True)
        # The pair can still be typed and checked against PortOne; only keeping it needs the
        # keychain, and Save says so.
        self.live_mode.setEnabled(state.usable)
        self._show_saved_state()
        self.save_button.setEnabled(True)
        self.keychainInspected.emit(state)

    def _show_saved_state(self) -> None:
        self.v2.show_saved(self._has_saved_v2_secret(), self._pending_clear_v2)
        if self._chosen_v2():
            self.clear_button.setEnabled(self._has_saved_v2_secret())
            return
        saved = self._has_saved_credentials()
        self.keys.show_saved(saved, self._pending_clear)
        self.clear_button.setEnabled(saved)

    def _stage_clear(self) -> None:
        # Removing is applied on Save, so Cancel undoes a mistaken click.
        if self._chosen_v2():
            self._pending_clear_v2 = True
            self.v2.wipe()
        else:
            self._pending_clear = True
            self.keys.wipe()
        if self.live_mode.isChecked():
            self.sandbox_mode.setChecked(True)
        self._show_saved_state()

    # --- connection check ---------------------------------------------------------------------

    def _check_connection(self) -> None:
        if self._chosen_v2():
            self._check_v2_connection()
            return
        self._show_error("api_host", None)
        try:
            host = validate_api_host(self.api_host.currentText())
        except InvalidSetting as exc:
            self._show_error("api_host", exc)
            return
        credentials, problem = self.keys.typed()
        if problem is None and credentials is None and not self._has_saved_credentials():
            problem = self.tr("API 키와 시크릿을 먼저 입력하세요.")
        if problem is not None:
            self._set_connection("failed", problem)
            return
        # None means "the saved pair": the worker reads it from the keychain itself.
        self._check(V1Check(credentials, host))

    def _check_v2_connection(self) -> None:
        secret, problem = self.v2.typed_secret()
        if problem is None and secret is None and not self._has_saved_v2_secret():
            problem = self.tr("V2 API 시크릿을 먼저 입력하세요.")
        if problem is not None:
            self._set_connection("failed", problem)
            return
        entered = self.v2.entered()
        base = v2_check_base()
        self._check(
            V2Check(secret, entered["store_id"].strip(), entered["v2_channel_key"].strip(), base)
        )

    def _check(self, check: V1Check | V2Check) -> None:
        """One check at a time on screen: the answer to one asked before is dropped."""
        self.tasks.forget(self._check_task)
        self._set_connection("checking", self.tr("PortOne에 연결하는 중…"))
        self._check_task = self.tasks.submit(
            lambda: work.check_connection(check), self._on_connection
        )

    def _has_saved_credentials(self) -> bool:
        return self._keychain is not None and self._keychain.saved and not self._pending_clear

    def _has_saved_v2_secret(self) -> bool:
        keychain = self._keychain
        return keychain is not None and keychain.v2_saved and not self._pending_clear_v2

    def _on_connection(self, result: ConnectionResult) -> None:
        self._set_connection("ok" if result.ok else "failed", result.message)
        self.connectionChecked.emit(result)

    def _set_connection(self, outcome: str, text: str) -> None:
        set_style_property(self.connection_result, "outcome", outcome)
        self.connection_result.setText(text)
        self.check_button.setEnabled(outcome != "checking")

    # --- save ---------------------------------------------------------------------------------

    def _show_error(self, field: str, error: InvalidSetting | None) -> None:
        label = self._errors[field]
        label.setText("" if error is None else error.message(self._lang))
        label.setVisible(error is not None)

    def _form_message(self, text: str | None) -> None:
        self.form_message.setText(text or "")
        self.form_message.setVisible(bool(text))

    def _entered(self) -> dict[str, str]:
        return {
            "mode": "live" if self.live_mode.isChecked() else "sandbox",
            "pg": self.pg.text(),
            "channel_key": self.channel_key.text(),
            "terminal_id": self.terminal_id.text(),
            "default_order_name": self.default_order_name.text(),
            "api_host": self.api_host.currentText(),
            "language": str(self.language.currentData()),
            "shop_name": self.shop_name.text(),
            "business_number": self.business_number.text(),
            "api_version": "v2" if self._chosen_v2() else "v1",
            **self.v2.entered(),
            "billing_concurrency": str(self.billing_concurrency.value()),
        }

    def _save(self) -> None:
        entered = self._entered()
        errors = {e.field: e for e in collect_errors(**entered)}
        for field in self._errors:
            self._show_error(field, errors.get(field))
        credentials, problem = self.keys.typed()
        self.keys.show_problem(problem)
        v2_secret, v2_problem = self.v2.typed_secret()
        self.v2.show_secret_problem(v2_problem)
        self._form_message(None)
        self._store_server = self.store_box.validate()
        if errors or problem or v2_problem or self._store_server is None:
            return
        self._settings = TillSettings.checked(**entered)
        keychain_usable = self._keychain is not None and self._keychain.usable
        if self._settings.live and self._settings.api_version == "v2":
            if v2_secret is None and not self._has_saved_v2_secret():
                self._form_message(self.tr("V2 실거래 모드에는 V2 API 시크릿이 필요합니다."))
                return
        elif self._settings.live and credentials is None and not self._has_saved_credentials():
            self._form_message(self.tr("실거래 모드에는 API 키와 시크릿이 필요합니다."))
            return
        change = CredentialsChange(
            credentials,
            clear=self._pending_clear,
            v2_secret=v2_secret,
            clear_v2=self._pending_clear_v2,
        )
        if change == CredentialsChange():
            self._finish_save()
            return
        if not keychain_usable:
            self._form_message(self.tr("키체인을 쓸 수 없어 API 키를 저장할 수 없습니다."))
            return
        self.save_button.setEnabled(False)
        self.tasks.submit(lambda: work.apply_change(change), self._on_change)

    def _on_change(self, result: ChangeResult) -> None:
        self.save_button.setEnabled(True)
        if not result.ok:
            assert result.problem is not None
            self._form_message(result.problem.message(self._lang))
            return
        # A typed pair was stored (replacing any other); with none typed, the pair was removed.
        change = "saved" if self.keys.typed_any() else "removed"
        self.keys.wipe()
        self.v2.wipe()
        self.credentialsChanged.emit(change)
        self._finish_save()

    def _finish_save(self) -> None:
        if self._store_server is not None:
            # The store server's password goes to the keychain (on the worker) first.
            self.save_button.setEnabled(False)
            self.store_box.save(self._store_server, self._after_store_saved)
            return
        self._finish_till_save()

    def _after_store_saved(self, problem: str | None) -> None:
        self.save_button.setEnabled(True)
        if problem is not None:
            self._form_message(problem)
            return
        self._store_server = None
        self._finish_till_save()

    def _finish_till_save(self) -> None:
        try:
            save_till_settings(self._settings)
        except SettingsNotSaved as exc:
            self._form_message(exc.message(self._lang))
            return
        self.saved_settings = self._settings
        self.settingsSaved.emit(self._settings)
        self.accept()

    # --- closing ------------------------------------------------------------------------------

    def done(self, result: int) -> None:
        # Closing by any route (Save, Cancel, Esc, the window's close box) ends the worker.
        self.shutdown()
        super().done(result)

    def shutdown(self) -> None:
        """Wipe the typed secrets and stop the worker (CLOSE_WAIT_MS at most: see the module's
        docstring for what happens to a call in flight)."""
        self.keys.wipe()
        self.v2.wipe()
        self.store_box.shutdown()
        self.tasks.stop()


def v2_check_base() -> str:
    """Where 연결 확인 asks PortOne V2: PortOne itself, or the sandbox POS_APP_API_BASE names
    (which wins over live everywhere, so a check there never reaches PortOne)."""
    from pos_app.gateway.portone_v2 import LIVE_BASE_URL
    from pos_app.services import places

    sandbox = places.requested_sandbox()
    return places.check_loopback(sandbox) + "/v2" if sandbox else LIVE_BASE_URL
