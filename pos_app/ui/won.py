"""Amounts as the window shows them: "12,000원" in Korean, "KRW 12,000" in English.

core.money.format_krw is the one form for files and the command line; the window's texts go
through the translation catalogue like every other word on screen (issue 13: "원" was left
Korean in the English window).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def won(amount: int) -> str:
    return QCoreApplication.translate("won", "%1원").replace("%1", f"{amount:,}")
