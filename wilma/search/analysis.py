"""German text analysis for the search index.

Both the indexed text and the query go through the same chain, so spellings meet: lower-case, then
umlauts, accents and ß folded together with their transliterations (ä/ae -> a, ö/oe -> o, ü/ue -> u
except after q, ß -> ss, as in the Snowball "german2" variant; other letters as ``core.folding`` does),
German stop words dropped, then the Snowball German stemmer. "Straße" and "Strasse", "Müller" and
"Mueller", "Häuser" and "Haus" meet.

Names (the people search) are folded the same way but not stemmed, and are matched by prefix at query
time ("Muel" finds "Müller").

Indexing runs this chain for every word of every document, so :class:`CachedTokenizer` does the whole
chain in one step with a per-word cache: the same output as the filter chain (tokens, positions
renumbered past stop words, character offsets), about four times faster on German text.
"""

import re

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter, Token, Tokenizer
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


def german_chain():
    """The German chain as Whoosh filters: tokenize, lower-case, fold, drop stop words, stem (Snowball)."""
    return (RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | GermanFoldingFilter()
            | StopFilter(stoplist=_folded_stopwords(), minsize=1)
            | StemFilter(stemfn=stemmer_for_language("de"), lang=None, cachesize=50000))


_WORDS = re.compile(WORD_PATTERN)
WORD_PATTERN_RE = _WORDS  # the tokenizer's words, for marking matches (``marking``)
_CACHE_LIMIT = 200_000
_CACHES: dict[bool, dict[str, tuple[str, str | None]]] = {True: {}, False: {}}


def _normalise(word: str, stem: bool) -> tuple[str, str | None]:
    """``(folded, term)`` of one word; ``term`` is ``None`` for a stop word. Cached per process."""
    cache = _CACHES[stem]
    found = cache.get(word)
    if found is None:
        folded = fold_german(word.lower())
        if not stem:
            found = (folded, folded)
        elif not folded or folded in _stopwords():
            found = (folded, None)
        else:
            found = (folded, _stemmer()(folded))
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[word] = found
    return found


def normalise_word(word: str, stem: bool = True) -> str | None:
    """The index term of one word (``None`` for a stop word), as the analyzer makes it."""
    return _normalise(word, stem)[1]


_STATE: dict = {}


def _stopwords() -> frozenset[str]:
    if "stops" not in _STATE:
        _STATE["stops"] = _folded_stopwords()
    return _STATE["stops"]


def _stemmer():
    if "stem" not in _STATE:
        _STATE["stem"] = stemmer_for_language("de")
    return _STATE["stem"]


class CachedTokenizer(Tokenizer):
    """:func:`german_chain` (``stem=True``) or the name chain (``stem=False``) in one cached step."""

    def __init__(self, stem: bool = True):
        self.stem = stem

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.stem == other.stem

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        stem = self.stem
        pos = None
        for index, match in enumerate(_WORDS.finditer(value) if tokenize else [_Whole(value)]):
            raw = match.group(0)
            folded, term = _normalise(raw, stem)
            token.boost = 1.0
            if keeporiginal:
                token.original = raw
            if term is None:  # a stop word: dropped, or kept as "stopped" when asked (positions unchanged)
                if removestops:
                    continue
                token.text, token.stopped = folded, True
                if positions:
                    token.pos = start_pos + index
            else:
                token.text, token.stopped = term, False
                if positions:
                    pos = start_pos + index if pos is None else pos + 1
                    token.pos = pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class _Whole:
    """A whole value as one "match" (``tokenize=False``)."""

    def __init__(self, value: str):
        self.value = value

    def group(self, _):
        return self.value

    def start(self):
        return 0

    def end(self):
        return len(self.value)


def german_analyzer():
    """Tokenize, lower-case, fold, drop stop words, stem (Snowball German): :func:`german_chain`, cached."""
    return CachedTokenizer(stem=True)


def name_analyzer():
    """Names: tokenize, lower-case and fold, no stemming or stop words (prefix matching happens at query time)."""
    return CachedTokenizer(stem=False)
