"""Text folding for name searches: case, accents and German spellings, the same in Python and SQL.

``fold_text("Jörg Müller-Straße")`` is ``"jorg muller-strasse"``: lower case, accents removed, ß as
ss, and letters such as ı, ø, ł, æ written the way people type them. ``folded(column)`` is the same in
SQL: on SQLite a Python function registered by ``core.database``, on PostgreSQL ``lower`` with
``translate`` and ``replace`` built from the Python mapping, so both databases find the same rows.

``search_variants("mueller")`` also yields ``"muller"`` so that "ue" finds "ü", and
``search_variants("müller")`` yields ``"mueller"`` so that "ü" finds a name spelled with "ue".
"""

import unicodedata
from functools import lru_cache

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String

SQLITE_FUNCTION = "wilma_fold"
_SPECIAL = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ŧ": "t", "ŀ": "l",
                          "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})
_UMLAUTS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"))


@lru_cache(maxsize=100_000)
def fold_text(text: str | None) -> str:
    """``text`` folded for comparison (see the module docstring). Cached: on SQLite a directory search
    folds the same names, units and titles for every row and every typed word."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_SPECIAL)


def search_variants(word: str) -> set[str]:
    """The folded spellings a typed ``word`` may stand for."""
    folded_word = fold_text(word)
    contracted = folded_word
    for umlaut, spelled in _UMLAUTS:
        contracted = contracted.replace(spelled, umlaut)
    expanded = word.casefold()
    for umlaut, spelled in _UMLAUTS:
        expanded = expanded.replace(umlaut, spelled)
    return {folded_word, fold_text(contracted), fold_text(expanded)}


def _postgres_mapping() -> tuple[str, str, list[tuple[str, str]]]:
    """Latin letters, upper and lower case (``lower()`` may only know ASCII under the C locale): the
    one-to-one pairs for ``translate`` and the others for ``replace``."""
    source, target, replaces = [], [], []
    for code in [*range(0xC0, 0x250), 0x1E9E]:
        char = chr(code)
        folded_char = fold_text(char)
        if folded_char == char or not folded_char.isascii() or not folded_char:
            continue
        if len(folded_char) == 1:
            source.append(char)
            target.append(folded_char)
        else:
            replaces.append((char, folded_char))
    return "".join(source), "".join(target), replaces


_PG_FROM, _PG_TO, _PG_REPLACE = _postgres_mapping()


class folded(FunctionElement):  # noqa: N801 - reads like a SQL function
    """``folded(column)``: the column's text as ``fold_text`` would give it."""

    type = String()
    inherit_cache = True
    name = "folded"


@compiles(folded)
def _fold_default(element, compiler, **kw):
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _fold_postgresql(element, compiler, **kw):
    sql = compiler.process(element.clauses, **kw)
    for char, replacement in _PG_REPLACE:
        sql = f"replace({sql}, '{char}', '{replacement}')"
    return f"translate(lower({sql}), '{_PG_FROM}', '{_PG_TO}')"
