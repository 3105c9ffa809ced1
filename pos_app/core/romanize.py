"""Hangul to Latin letters (Revised Romanization, simplified) and ASCII folding, for ids.

Only good enough to make a readable customer_uid from a name ("홍길동" -> "honggildong"); the
sound-change rules beyond linking a final consonant to a following vowel are left out.
"""

from __future__ import annotations

import unicodedata


def _table(names: str) -> tuple[str, ...]:
    # "-" stands for "no letters" (silent ㅇ initial, no final consonant).
    return tuple(name.replace("-", "") for name in names.split())


# Indexes follow Unicode's syllable order: 19 initials, 21 vowels, 28 finals (0 = none).
_INITIALS = _table("g kk n d tt r m b pp s ss - j jj ch k t p h")
_VOWELS = _table("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i")
# A final consonant at the end of a word or before a consonant.
_FINALS = _table("- k k k n n n t l k m l l l p l m p p t t ng t t k t p t")
# The same final carried over to a following vowel (linking: 길이 -> giri).
_FINALS_LINKED = _table("- g kk gs n nj nh d r lg lm lb ls lt lp lh m b bs s ss ng j ch k t p h")
_SILENT_INITIAL = 11  # ㅇ

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3


def _syllable(char: str) -> tuple[int, int, int] | None:
    code = ord(char)
    if not _HANGUL_FIRST <= code <= _HANGUL_LAST:
        return None
    index = code - _HANGUL_FIRST
    return index // 588, (index % 588) // 28, index % 28


def romanize(text: str) -> str:
    """Hangul syllables romanized, anything else ASCII-folded ("é" -> "e") or dropped."""
    out: list[str] = []
    for position, char in enumerate(text):
        parts = _syllable(char)
        if parts is None:
            out.append(
                unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
            )
            continue
        initial, vowel, final = parts
        out.append(_INITIALS[initial] + _VOWELS[vowel])
        following = _syllable(text[position + 1]) if position + 1 < len(text) else None
        vowel_follows = following is not None and following[0] == _SILENT_INITIAL
        tail = (_FINALS_LINKED if vowel_follows else _FINALS)[final]
        out.append(tail)
    return "".join(out)
