"""Form building blocks: the labelled row (label with buddy and accessible name, the input,
extras, an error line), action buttons, and the labels and line edits the dialogs share."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.card import InvalidInput

# Between the key-in form's rows: the card, customer and amount forms share one column that has
# to fit, buttons included, in the 690 lines a 768-line counter screen leaves (issue 13).
KEYIN_SPACING = 3


class FieldRow:
    """Adds `edit` to `form` under `label_text`; `show_error`/`clear_error` use the line below.

    The error line sits right under the input so a cashier sees what to fix where it is typed.
    """

    def __init__(
        self,
        form: QFormLayout,
        label_text: str,
        edit: QWidget,
        *extras: QWidget,
        name: str | None = None,
    ) -> None:
        base = name or edit.objectName().removesuffix("Edit").removesuffix("Combo")
        self.label = QLabel(label_text)
        self.label.setObjectName(f"{base}Label")
        self.label.setBuddy(edit)
        self.edit = edit
        edit.setAccessibleName(label_text)
        self.error = QLabel()
        self.error.setObjectName(f"{base}Error")
        self.error.setProperty("role", "fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        line = QHBoxLayout()
        line.setSpacing(8)
        line.addWidget(edit, 1)
        for extra in extras:
            line.addWidget(extra)
        if edit.maximumWidth() < 1000:
            line.addStretch(1)  # a short field (PIN) sits left, under the others
        column.addLayout(line)
        column.addWidget(self.error)
        form.addRow(self.label, box)
        # An error says what was wrong with what was typed; once it is edited the message is
        # stale (it would stand beside a corrected value), so it goes.
        if isinstance(edit, QLineEdit):
            edit.textEdited.connect(self.clear_error)
        elif isinstance(edit, QComboBox):
            edit.activated.connect(self.clear_error)

    def set_label(self, text: str) -> None:
        self.label.setText(text)
        self.edit.setAccessibleName(text)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        set_style_property(self.edit, "invalid", True)

    def clear_error(self) -> None:
        if not self.edit.property("invalid"):
            return  # re-polishing costs time on every action; skip rows that were fine
        self.error.clear()
        self.error.hide()
        set_style_property(self.edit, "invalid", False)


def set_style_property(widget: QWidget, name: str, value: object) -> None:
    # The style sheet selects on these ([outcome="failed"]); it reads them only when re-polished.
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def new_form(vertical_spacing: int = 6) -> QFormLayout:
    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setHorizontalSpacing(12)
    form.setVerticalSpacing(vertical_spacing)
    return form


def show_field_errors(
    rows: dict[str, FieldRow], errors: list[InvalidInput], lang: str
) -> list[str]:
    """Each error under its field, focus on the first; returns the messages for the panel."""
    messages = []
    for error in errors:
        message = error.message(lang)
        messages.append(message)
        row = rows.get(error.field)
        if row is not None:
            row.show_error(message)
    first = rows.get(errors[0].field) if errors else None
    if first is not None:
        first.edit.setFocus()
    return messages


def with_shortcut(text: str, key: str) -> str:
    """A button's text with its key, as the cashier sees it: "재결제 (F5)"."""
    return f"{text} ({key})"


def action_button(text: str, name: str, role: str = "", key: str = "") -> QPushButton:
    """An action button, disabled until the till is open and nothing else runs; `key` (F2...)
    presses it and is shown on it."""
    button = QPushButton(with_shortcut(text, key) if key else text)
    button.setObjectName(name)
    button.setAccessibleName(text)
    if key:
        button.setShortcut(QKeySequence(key))
    button.setAutoDefault(True)  # Enter runs the focused action, not only Space
    button.setProperty("role", role)
    button.setEnabled(False)
    return button


def note_label(parent: QWidget, name: str, text: str) -> QLabel:
    """A wrapped label whose text can be selected (and so copied into a support request)."""
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def error_note(parent: QWidget, name: str) -> QLabel:
    """A note label styled as an error, hidden until there is something to say."""
    label = note_label(parent, name, "")
    label.setProperty("role", "error")
    label.hide()
    return label


def named_line_edit(parent: QWidget, name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def wipe_secret(edit: QLineEdit) -> None:
    # Overwrite before clearing, as Electrum's PasswordLineEdit does; setText drops undo history.
    edit.setText("\0" * len(edit.text()))
    edit.clear()


# Room for the title bar and frame that the window manager adds around a window's inside.
WINDOW_FRAME = QSize(16, 40)


def fitted_size(widget: QWidget, preferred: QSize) -> QSize:
    """`preferred`, or what `widget`'s screen has room for (less a title bar and frame) if
    that is less: a window or dialog must never open larger than a counter's screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return preferred
    room = screen.availableGeometry().size() - WINDOW_FRAME
    return preferred.boundedTo(room).expandedTo(QSize(1, 1))
