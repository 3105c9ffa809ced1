"""The key-in card fields: number (grouped live by brand), expiry, birth/business number, PIN."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QLineEdit, QWidget

from pos_app.core.card import Brand, InvalidInput, KeyInCard, brand_of, group_for_display, luhn_ok
from pos_app.core.card import validate_card as core_validate_card
from pos_app.ui.fields import KEYIN_SPACING, FieldRow, new_form
from pos_app.ui.repolish import repolish
from pos_app.ui.secure_edit import SecureLineEdit

CARD_MAX_DIGITS = 19
# Fewer digits than this cannot be a whole card number, so no Luhn verdict is shown yet.
CARD_MIN_DIGITS = 12


def format_expiry(digits: str) -> str:
    # The slash appears only after the third digit, so backspace never fights it.
    return digits if len(digits) <= 2 else f"{digits[:2]}/{digits[2:4]}"


def format_birth(digits: str) -> str:
    # Business numbers read as 123-45-67890; birth dates stay plain.
    if len(digits) <= 8:
        return digits
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:10]}"


def is_business_number(digits: str) -> bool:
    if len(digits) >= 9:
        return True
    return len(digits) > 6 and digits[:2] not in ("19", "20")


class CardForm(QGroupBox):
    """Card fields. `validate()` builds the KeyInCard; `wipe()` overwrites and clears the fields.

    After a refusal or a decline the digits stay in the fields (nowhere else) so the cashier can
    correct the one PortOne asked about: `keep_for_correction()` starts a timer that wipes them
    after `keep_ms` without a keystroke (60 s; tests shorten it), and `keptWiped` says so.
    """

    last4Changed = Signal(str)
    keptWiped = Signal()
    KEEP_MS = 60_000

    def __init__(self, parent: QWidget | None = None, *, keep_ms: int = KEEP_MS) -> None:
        super().__init__(parent)
        self.keep_timer = QTimer(self)
        self.keep_timer.setObjectName("cardKeepTimer")
        self.keep_timer.setSingleShot(True)
        self.keep_timer.setInterval(keep_ms)
        self.keep_timer.timeout.connect(self._keep_expired)
        self.setObjectName("cardForm")
        self.setTitle(self.tr("카드 정보"))
        form = new_form(KEYIN_SPACING)
        self.setLayout(form)

        self.number = SecureLineEdit(group_for_display, CARD_MAX_DIGITS)
        self.number.setObjectName("cardNumberEdit")
        self.number.setPlaceholderText("0000 0000 0000 0000")
        self.brand = QLabel()
        self.brand.setObjectName("cardBrandLabel")
        self.brand.setMinimumWidth(48)
        self.check = QLabel()
        self.check.setObjectName("cardCheckLabel")
        self.check.setMinimumWidth(76)
        self.number_row = FieldRow(form, self.tr("카드번호"), self.number, self.brand, self.check)

        self.expiry = SecureLineEdit(format_expiry, 4)
        self.expiry.setObjectName("expiryEdit")
        self.expiry.setPlaceholderText(self.tr("MM/YY"))
        self.expiry_row = FieldRow(form, self.tr("유효기간"), self.expiry)

        self.birth = SecureLineEdit(format_birth, 10)
        self.birth.setObjectName("birthEdit")
        self.birth.setPlaceholderText(self.tr("YYMMDD 또는 사업자번호 10자리"))
        self.birth_row = FieldRow(form, self.tr("생년월일"), self.birth)

        self.pin = SecureLineEdit(lambda digits: digits, 2)
        self.pin.setObjectName("pinEdit")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("앞 2자리"))
        self.pin.setMaximumWidth(120)
        self.pin_row = FieldRow(form, self.tr("비밀번호"), self.pin)

        self.rows = {
            "card_number": self.number_row,
            "expiry": self.expiry_row,
            "birth": self.birth_row,
            "pin": self.pin_row,
        }
        self._last4 = ""
        self.number.textChanged.connect(self._number_changed)
        self.birth.textChanged.connect(self._birth_changed)
        for edit in self.edits():
            edit.textEdited.connect(self.touch)
        self._number_changed()

    def edits(self) -> list[SecureLineEdit]:
        return [self.number, self.expiry, self.birth, self.pin]

    def last4(self) -> str:
        digits = self.number.digits()
        return digits[-4:] if len(digits) >= CARD_MIN_DIGITS else ""

    def validate(self, today: date | None = None) -> tuple[KeyInCard | None, list[InvalidInput]]:
        """The card from the fields, or every field error at once (the fields stay as typed)."""
        return core_validate_card(
            self.number.text(), self.expiry.text(), self.birth.text(), self.pin.text(), today
        )

    def wipe(self) -> None:
        self.keep_timer.stop()
        for edit in self.edits():
            edit.wipe()

    def keep_for_correction(self) -> None:
        """Leave the typed card for the cashier to correct, for `keep_ms` of no typing."""
        if any(edit.text() for edit in self.edits()):
            self.keep_timer.start()

    def is_kept(self) -> bool:
        return self.keep_timer.isActive()

    def touch(self) -> None:
        """Someone is typing: a kept card's idle time starts again."""
        if self.keep_timer.isActive():
            self.keep_timer.start()

    def _keep_expired(self) -> None:
        self.wipe()
        self.keptWiped.emit()

    def _number_changed(self) -> None:
        digits = self.number.digits()
        brand = brand_of(digits)
        self.brand.setText("" if brand is Brand.UNKNOWN else brand.label)
        if len(digits) < CARD_MIN_DIGITS:
            self.check.setText("")
            self.check.setProperty("state", "")
        elif luhn_ok(digits):
            self.check.setText(self.tr("✓ 번호 확인"))
            self.check.setProperty("state", "ok")
        else:
            self.check.setText(self.tr("✕ 번호 오류"))
            self.check.setProperty("state", "bad")
        self.check.setAccessibleName(self.check.text())
        repolish(self.check)
        last4 = self.last4()
        if last4 != self._last4:
            self._last4 = last4
            self.last4Changed.emit(last4)

    def _birth_changed(self) -> None:
        if is_business_number(self.birth.digits()):
            self.birth_row.set_label(self.tr("사업자등록번호"))
        else:
            self.birth_row.set_label(self.tr("생년월일"))
