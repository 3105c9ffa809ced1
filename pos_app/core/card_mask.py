"""What of PortOne's masked card number the app shows and keeps: the last four positions, as
PortOne gave them.

PortOne's `card_number` is masked by the PG, and PGs mask differently (portone-v1.md §7):

    "424242******4242"   KCP-like: first six and last four digits
    "53651019****3392"   first eight and last four
    "524242*********0"   KG Inicis: first six and ONE trailing digit

The app never shows or stores the leading (BIN) digits, and never more than the last four
positions. Within those four positions it shows exactly what PortOne gave: a digit where PortOne
shows a digit, `*` where PortOne hides one. It never fills a hidden position with a digit taken
from elsewhere in the string, so "524242*********0" becomes "**** ***0", not "**** 2420".
"""

from __future__ import annotations

SHOWN_POSITIONS = 4
# Written between the groups of a masked number; they are not positions.
_SEPARATORS = frozenset(" -")


def card_tail(masked: str | None) -> str:
    """The card as the app shows it: "**** 4242", "**** ***0", or "" when PortOne showed no
    digit in the last four positions (or gave no card number at all).

    Idempotent: a value this function returned maps to itself, so rows stored earlier (in this
    form) can be passed through it again.
    """
    if not masked:
        return ""
    positions = [ch for ch in masked.strip() if ch not in _SEPARATORS]
    if not positions:
        return ""
    # A stored "**** 4242" has 8 positions; a bare "4242" has 4; fewer than 4 are still only
    # the trailing positions PortOne gave, padded on the left with hidden ones.
    tail = positions[-SHOWN_POSITIONS:]
    shown = "".join(ch if ch.isascii() and ch.isdigit() else "*" for ch in tail)
    if not any(ch.isdigit() for ch in shown):
        return ""
    return "**** " + shown.rjust(SHOWN_POSITIONS, "*")


def tail_digits(masked: str | None) -> str:
    """Only the digits `card_tail` shows ("4242", "0", ""), e.g. for searching a list."""
    return "".join(ch for ch in card_tail(masked) if ch.isdigit())
