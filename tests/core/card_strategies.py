"""Hypothesis strategies for card numbers: valid ones per brand, and their many written forms."""

from __future__ import annotations

from hypothesis import strategies as st

from pos_app.core.card import luhn_ok

# (prefix, length) pairs that the rules accept, one or more per brand.
VALID_SHAPES = [
    ("4", 13),
    ("4", 16),
    ("4", 19),
    ("51", 16),
    ("55", 16),
    ("2221", 16),
    ("2720", 16),
    ("34", 15),
    ("37", 15),
    ("3528", 16),
    ("3589", 19),
    ("62", 16),
    ("62", 19),
    ("300", 14),
    ("305", 14),
    ("36", 14),
    ("38", 14),
    ("39", 14),
    ("9", 16),
]


def luhn_complete(partial: str) -> str:
    """`partial` plus the one check digit that makes it pass Luhn."""
    for check in "0123456789":
        if luhn_ok(partial + check):
            return partial + check
    raise AssertionError("unreachable: one check digit always fits")


@st.composite
def valid_numbers(draw: st.DrawFn) -> str:
    prefix, length = draw(st.sampled_from(VALID_SHAPES))
    body = draw(
        st.text("0123456789", min_size=length - len(prefix) - 1, max_size=length - len(prefix) - 1)
    )
    return luhn_complete(prefix + body)


@st.composite
def written_forms(draw: st.DrawFn, digits: str) -> str:
    """`digits` split at random places with spaces/dashes, with stray spaces around."""
    cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), max_size=len(digits) - 1)))
    separators = st.sampled_from([" ", "-", "  ", " - ", "\u00a0", "\u2013", "\t"])
    pieces, start = [], 0
    for cut in [*cuts, len(digits)]:
        pieces.append(digits[start:cut])
        start = cut
    text = pieces[0]
    for piece in pieces[1:]:
        text += draw(separators) + piece
    return draw(st.sampled_from(["", " ", "  "])) + text + draw(st.sampled_from(["", " ", "\n"]))
