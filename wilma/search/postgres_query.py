"""The query language of the Whoosh backend, for PostgreSQL full-text search.

People type the same syntax whichever backend runs (words, "phrases", AND/OR/NOT, prefix*), and get the
same helpful messages for malformed queries: the text is checked and parsed by the Whoosh parser
(``whoosh_query``), with analyzers that fold and drop stop words but do not stem. The resulting tree is
translated into a ``tsquery`` expression: PostgreSQL's ``wilma_german`` configuration stems the words of
titles and bodies; names are matched by prefix, unstemmed.

Indexed text is prepared by :func:`index_text` / :func:`names_vector`: tokenized and folded in Python
exactly as the Whoosh analysis does (Straße = Strasse, Müller = Mueller, stop words dropped), so both
sides of a match were prepared by the same code. Title words get weight A and body words C (for the
ranking); names are lexemes of their own, written ``=muller`` with weight B, so that a name prefix
(``'=mul':*``) looks only at names in the GIN index and never at the words of every text.
"""

import re

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.fields import TEXT, Schema
from whoosh.query import And, AndMaybe, AndNot, Every, Not, NullQuery, Or, Phrase, Prefix, Term, Wildcard

from wilma.search.analysis import (
    WORD_PATTERN,
    GermanFoldingFilter,
    _folded_stopwords,
    fold_german,
    german_analyzer,
    name_analyzer,
)
from wilma.search.whoosh_query import Snippets as WhooshSnippets
from wilma.search.whoosh_query import make_parser, parse_query

FIELDS = ("title", "body", "names")
# ts_rank's weights in the order {D, C, B, A}: names 3, title 2, body 1 as the Whoosh field boosts.
RANK_WEIGHTS = "{0.1, 0.33, 1.0, 0.67}"
NAME_MARK = "="
# Every lexeme we index carries weight A, B or C: one restricted to D never matches.
NOTHING = "CAST('nothing:D' AS tsquery)"
MAX_INDEXED_CHARS = 200_000  # a tsvector holds at most 1 MB; nobody searches for the 200,001st letter
MAX_POSITION = 16383  # PostgreSQL's largest position

_WORD = re.compile(WORD_PATTERN)
_STOPWORDS = _folded_stopwords()
# One instance of each for every search: the stemmer keeps a cache of the words it has seen.
_GERMAN_ANALYZER = german_analyzer()
_NAME_ANALYZER = name_analyzer()


def index_text(text: str | None) -> str:
    """Words of a title or body, folded and without stop words, ready for ``to_tsvector``."""
    words = (fold_german(word) for word in _WORD.findall((text or "")[:MAX_INDEXED_CHARS].lower()))
    return " ".join(word for word in words if word not in _STOPWORDS)


def _quoted(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def names_vector(text: str | None) -> str:
    """Names as ``tsvector`` text: folded, stop words kept ("Dieter" is a name), marked, weight B."""
    words = _WORD.findall((text or "")[:MAX_INDEXED_CHARS].lower())
    return " ".join(f"{_quoted(NAME_MARK + fold_german(word))}:{min(n, MAX_POSITION)}B"
                    for n, word in enumerate(words, start=1))


def _parse_schema() -> Schema:
    folding = (RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | GermanFoldingFilter()
               | StopFilter(stoplist=_STOPWORDS, minsize=1))
    return Schema(title=TEXT(analyzer=folding), body=TEXT(analyzer=folding), names=TEXT(analyzer=name_analyzer()))


_PARSER = make_parser(_parse_schema())


class Translated:
    """A query as SQL: ``sql`` is a tsquery expression with ``params``; ``everything`` when it has no
    words to match (``*:*``); ``marks`` are what the highlighter looks for."""

    def __init__(self):
        self.params: dict[str, str] = {}
        self._leaves: dict[tuple[str, str], str] = {}
        self.marks: dict[str, tuple[set[str], set[str]]] = {f: (set(), set()) for f in FIELDS}
        self.sql: str | None = None
        self.everything = False

    def leaf(self, function: str, query_text: str) -> str:
        """``to_tsquery(...)`` (words to analyse) or ``CAST(... AS tsquery)`` (lexemes as they are)."""
        if (function, query_text) not in self._leaves:
            name = f"q{len(self.params)}"
            self.params[name] = query_text
            self._leaves[function, query_text] = (f"to_tsquery('{function}'::regconfig, :{name})"
                                                  if function != "cast" else f"CAST(:{name} AS tsquery)")
        return self._leaves[function, query_text]


def translate(text: str) -> Translated | None:
    """The tsquery for what was typed; ``None`` when nothing is left to search for.

    Raises :class:`~wilma.search.backend.QuerySyntaxError` as the Whoosh backend does."""
    parsed = parse_query(_PARSER, text)
    if parsed is None:
        return None
    out = Translated()
    sql = _node(parsed, out)
    if sql is None:
        out.everything = True
    else:
        out.sql = sql
    return out


def _start(pattern: str) -> str:
    # tsquery has prefixes but no inner wildcards: "ver*ung" and "te?t" match as "ver*" and "te*".
    return re.split(r"[*?]", pattern, maxsplit=1)[0]


def _leaf(node, out: Translated) -> str | None:
    field = node.fieldname
    names = field == "names"
    if isinstance(node, Term):
        out.marks[field][0].add(node.text)
        if names:
            return out.leaf("cast", _quoted(NAME_MARK + node.text))
        return out.leaf("wilma_german", _quoted(node.text))
    if isinstance(node, Prefix | Wildcard):
        start = _start(node.text)
        if not start:
            return None
        out.marks[field][1].add(start)
        # Not stemmed, like Whoosh's prefixes: the start of the indexed stems ("verwalt*").
        return out.leaf("cast" if names else "simple", _quoted((NAME_MARK if names else "") + start) + ":*")
    out.marks[field][0].update(node.words)  # a Phrase
    if names:  # names have no phrases of their own: all of the words
        return out.leaf("cast", " & ".join(_quoted(NAME_MARK + word) for word in node.words))
    return out.leaf("wilma_german", " <-> ".join(_quoted(word) for word in node.words))


def _node(node, out: Translated) -> str | None:
    """SQL for ``node``; ``None`` stands for "every document"."""
    if isinstance(node, Term | Prefix | Wildcard | Phrase):
        return _leaf(node, out) if node.fieldname in FIELDS else NOTHING
    if isinstance(node, Every):
        return None
    if isinstance(node, AndNot):
        positive, negative = _node(node.a, out), _node(node.b, out)
        if negative is None:
            return NOTHING
        return f"(!!{negative})" if positive is None else f"({positive} && !!{negative})"
    if isinstance(node, AndMaybe):
        return _node(node.a, out)  # the optional part only changes the order in Whoosh
    if isinstance(node, Not):
        inner = _node(node.query, out)
        return NOTHING if inner is None else f"(!!{inner})"
    if isinstance(node, And | Or):
        parts = [_node(child, out) for child in node.subqueries if child is not NullQuery]
        if isinstance(node, Or) and None in parts:
            return None
        parts = list(dict.fromkeys(part for part in parts if part is not None))  # title and body: one leaf
        if not parts:
            return NOTHING if isinstance(node, Or) else None
        if len(parts) == 1:
            return parts[0]
        return "(" + (" && " if isinstance(node, And) else " || ").join(parts) + ")"
    return NOTHING  # nothing else comes out of our parser; never widen a query by mistake


class Snippets(WhooshSnippets):
    """Marks what the query matched in fresh text: the ``highlight`` object of a :class:`Hit`.

    The text is analyzed as the Whoosh backend does (stemmed for titles and bodies, folded for names)
    and every token equal to a query word's stem, or starting with a prefix, is marked; ``title`` and
    ``body`` are the Whoosh backend's, only the choice of words to mark differs."""

    def __init__(self, marks: dict[str, tuple[set[str], set[str]]]):
        stems: dict[str, set[str]] = {}
        analyzer = _GERMAN_ANALYZER
        for field in ("title", "body"):
            stems[field] = {t.text for word in marks[field][0] for t in analyzer(word)}
        stems["names"] = set(marks["names"][0])
        self.marks = {field: (stems[field], tuple(marks[field][1])) for field in marks}
        self.analyzers = {"title": analyzer, "body": analyzer, "names": _NAME_ANALYZER}

    def words(self, field: str, text: str) -> frozenset[str]:
        exact, prefixes = self.marks[field]
        if not text or not (exact or prefixes):
            return frozenset()
        words = set(exact)
        if prefixes:
            words.update(t.text for t in self.analyzers[field](text) if t.text.startswith(prefixes))
        return frozenset(words)


__all__ = ["RANK_WEIGHTS", "Snippets", "Translated", "index_text", "names_vector", "translate"]
