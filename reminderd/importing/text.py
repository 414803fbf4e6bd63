"""Folding text for comparison: no diacritics, no case, đ → d, one space between words."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """'Sở Ngoại vụ ' → 'so ngoai vu' (punctuation kept, spaces collapsed)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return _SPACE.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """'KH&ĐT, Sở Công Thương' → ['kh', 'dt', 'so', 'cong', 'thuong']."""
    return [w for w in _NON_WORD.split(fold(text)) if w]


def squash(text: str) -> str:
    """Letters and digits only: 'I-ta-li-a' and 'Italia' both → 'italia'."""
    return "".join(words(text))


def cell(value: object) -> str:
    """A table cell as text: None → '', numbers without '.0', whitespace normalised per line."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    lines = [_SPACE.sub(" ", line).strip() for line in str(value).replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)
