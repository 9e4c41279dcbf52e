"""Vietnamese-aware text folding shared by search, matching and validation."""

import re
import unicodedata

# NFD strips tone marks as combining characters, but đ/Đ are letters of their own.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
_WORD = re.compile(r"[\w]+", re.UNICODE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case and remove every diacritic: 'Công nghệ Sấy ĐƯỜNG' -> 'cong nghe say duong'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()
