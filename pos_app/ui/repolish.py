"""Re-reading the style sheet after a dynamic property changed, only where it has been read.

The style sheet selects on dynamic properties (`[outcome="paid"]`, `[mode="sandbox"]`) and reads
them only when a widget is polished. A widget that was never shown has not been polished yet: its
first polish reads the property as it is then (Qt's own QWidget::setStyle skips unpolished
widgets the same way). Skipping it also keeps `widget.style()` out of the window's constructors:
the first QStyle seen from Python builds its enums (about 12 ms) before the first paint.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def repolish(*widgets: QWidget) -> None:
    for widget in widgets:
        if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
            style = widget.style()
            style.unpolish(widget)
            style.polish(widget)
