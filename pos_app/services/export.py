"""CSV for spreadsheets that cannot be turned into formulas: every file the app writes for a
person to open in Excel or LibreOffice goes through `SpreadsheetWriter`.

A spreadsheet runs a cell that starts with "=", "+", "-" or "@" (and, in some, a leading tab or
carriage return) as a formula, so an order name such as `=cmd|' /C calc'!A0` would run on the
owner's PC. Text cells that start so get a leading "'" (OWASP's CSV injection advice: the
spreadsheet shows the text, the apostrophe only marks it as text); numbers are written as
numbers, so a refund's -5,000 stays a number that SUM adds up.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

Cell = str | int | float | None


def safe_cell(value: Cell) -> str | int | float:
    """The value as a spreadsheet should receive it: numbers as they are, None as empty, text
    that would start a formula behind a "'"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)  # not a number to add up
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SpreadsheetWriter:
    """csv.writer whose every cell passes `safe_cell` (header included)."""

    def __init__(self, stream: TextIO) -> None:
        self._writer = csv.writer(stream, lineterminator="\n")

    def writerow(self, cells: Iterable[Cell]) -> None:
        self._writer.writerow([safe_cell(c) for c in cells])

    def writerows(self, rows: Iterable[Iterable[Cell]]) -> None:
        for row in rows:
            self.writerow(row)


__all__ = ["FORMULA_STARTS", "SpreadsheetWriter", "safe_cell"]
