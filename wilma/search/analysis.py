"""German text analysis for the search index.

Both the indexed text and the query go through the same chain, so spellings meet: lower-case, then
umlauts, accents and ß folded together with their transliterations (ä/ae -> a, ö/oe -> o, ü/ue -> u
except after q, ß -> ss, as in the Snowball "german2" variant; other letters as ``core.folding`` does),
German stop words dropped, then the Snowball German stemmer. "Straße" and "Strasse", "Müller" and
"Mueller", "Häuser" and "Haus" meet.

Names (the people search) are folded the same way but not stemmed, and are matched by prefix at query
time ("Muel" finds "Müller").
"""

import re

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stemmer_for_language, stopwords_for_language

from wilma.core.folding import fold_text

_DIGRAPHS = re.compile(r"ae|oe|(?<!q)ue")
_DIGRAPH_MAP = {"ae": "a", "oe": "o", "ue": "u"}

# Runs of letters and digits; hyphens and dots separate words (E-Mail -> e, mail).
WORD_PATTERN = r"\w+"


def fold_german(text: str) -> str:
    """Fold case, accents, ß and letters like ı (``core.folding``, as the people directory does), then
    the two-letter umlaut spellings, into one form."""
    return _DIGRAPHS.sub(lambda m: _DIGRAPH_MAP[m.group(0)], fold_text(text))


class GermanFoldingFilter(Filter):
    """A Whoosh filter applying :func:`fold_german` to every token."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold_german(token.text)
            yield token


def _folded_stopwords() -> frozenset[str]:
    return frozenset(fold_german(word) for word in stopwords_for_language("de"))


def german_analyzer():
    """Tokenize, lower-case, fold, drop stop words, stem (Snowball German)."""
    return (RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | GermanFoldingFilter()
            | StopFilter(stoplist=_folded_stopwords(), minsize=1)
            | StemFilter(stemfn=stemmer_for_language("de"), lang=None, cachesize=50000))


def name_analyzer():
    """Names: tokenize, lower-case and fold, no stemming or stop words (prefix matching happens at query time)."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | GermanFoldingFilter()
