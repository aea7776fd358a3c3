"""The query language of the Whoosh backend, for PostgreSQL full-text search.

People type the same syntax whichever backend runs (words, "phrases", AND/OR/NOT, prefix*), and get the
same helpful messages for malformed queries: the text is checked and parsed by the Whoosh parser
(``whoosh_query``), with analyzers that fold and drop stop words but do not stem. The resulting tree is
translated into a ``tsquery`` expression: PostgreSQL's ``wilma_german`` configuration stems the words of
titles and bodies, names are matched by prefix without stemming (``simple``).

Indexed text goes through :func:`index_text` / :func:`names_text`: tokenized and folded in Python
exactly as the Whoosh analysis does (Straße = Strasse, Müller = Mueller, stop words dropped), so both
sides of a match were prepared by the same code. Weights: title A, names B, body C.
"""

import re

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.fields import TEXT, Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter, WholeFragmenter, highlight
from whoosh.query import And, AndMaybe, AndNot, Every, Not, NullQuery, Or, Phrase, Prefix, Term, Wildcard

from wilma.search.analysis import (
    WORD_PATTERN,
    GermanFoldingFilter,
    _folded_stopwords,
    fold_german,
    german_analyzer,
    name_analyzer,
)
from wilma.search.whoosh_query import make_parser, parse_query

GERMAN = "wilma_german"
SIMPLE = "simple"
WEIGHTS = {"title": "A", "names": "B", "body": "C"}
CONFIGS = {"title": GERMAN, "body": GERMAN, "names": SIMPLE}
# ts_rank's weights in the order {D, C, B, A}: names 3, title 2, body 1 as the Whoosh field boosts.
RANK_WEIGHTS = "{0.1, 0.33, 1.0, 0.67}"
# Our lexemes all carry weight A, B or C: a lexeme restricted to D never matches.
NOTHING = (SIMPLE, "'nothing':D")
MAX_INDEXED_CHARS = 200_000  # a tsvector holds at most 1 MB; nobody searches for the 200,001st letter

_WORD = re.compile(WORD_PATTERN)
_STOPWORDS = _folded_stopwords()


def index_text(text: str | None) -> str:
    """Words of a title or body, folded and without stop words, ready for ``to_tsvector``."""
    words = (fold_german(word) for word in _WORD.findall((text or "")[:MAX_INDEXED_CHARS].lower()))
    return " ".join(word for word in words if word not in _STOPWORDS)


def names_text(text: str | None) -> str:
    """Names folded, stop words kept ("Dieter" is a name)."""
    return " ".join(fold_german(word) for word in _WORD.findall((text or "")[:MAX_INDEXED_CHARS].lower()))


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
        self.marks: dict[str, tuple[set[str], set[str]]] = {f: (set(), set()) for f in WEIGHTS}
        self.sql: str | None = None
        self.everything = False

    def leaf(self, config: str, text: str) -> str:
        name = f"q{len(self.params)}"
        self.params[name] = text
        return f"to_tsquery('{config}'::regconfig, :{name})"


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


def _quoted(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _node(node, out: Translated) -> str | None:
    """SQL for ``node``; ``None`` stands for "every document"."""
    if isinstance(node, Term | Prefix | Wildcard | Phrase) and node.fieldname not in WEIGHTS:
        return out.leaf(*NOTHING)
    if isinstance(node, Term):
        out.marks[node.fieldname][0].add(node.text)
        return out.leaf(CONFIGS[node.fieldname], f"{_quoted(node.text)}:{WEIGHTS[node.fieldname]}")
    if isinstance(node, Prefix | Wildcard):
        # tsquery has prefixes but no inner wildcards: "ver*ung" and "te?t" match as "ver*" and "te*".
        start = re.split(r"[*?]", node.text, maxsplit=1)[0]
        if not start:
            return None
        out.marks[node.fieldname][1].add(start)
        # Not stemmed, like Whoosh's prefixes: the start of the indexed stems ("verwalt*").
        return out.leaf(SIMPLE, f"{_quoted(start)}:*{WEIGHTS[node.fieldname]}")
    if isinstance(node, Phrase):
        out.marks[node.fieldname][0].update(node.words)
        weight = WEIGHTS[node.fieldname]
        return out.leaf(CONFIGS[node.fieldname], " <-> ".join(f"{_quoted(w)}:{weight}" for w in node.words))
    if isinstance(node, Every):
        return None
    if isinstance(node, AndNot):
        positive, negative = _node(node.a, out), _node(node.b, out)
        if negative is None:
            return out.leaf(*NOTHING)
        return f"(!!{negative})" if positive is None else f"({positive} && !!{negative})"
    if isinstance(node, AndMaybe):
        return _node(node.a, out)  # the optional part only changes the order in Whoosh
    if isinstance(node, Not):
        inner = _node(node.query, out)
        return out.leaf(*NOTHING) if inner is None else f"(!!{inner})"
    if isinstance(node, And | Or):
        parts = [_node(child, out) for child in node.subqueries if child is not NullQuery]
        if isinstance(node, Or) and None in parts:
            return None
        if not parts:
            return out.leaf(*NOTHING)
        parts = [part for part in parts if part is not None]
        if not parts:
            return None
        return "(" + (" && " if isinstance(node, And) else " || ").join(parts) + ")"
    return out.leaf(*NOTHING)  # nothing else comes out of our parser; never widen a query by mistake


class Snippets:
    """Marks what the query matched in fresh text: the ``highlight`` object of a :class:`Hit`.

    The text is analyzed as the Whoosh backend does (stemmed for titles and bodies, folded for names)
    and every token equal to a query word's stem, or starting with a prefix, is marked."""

    def __init__(self, marks: dict[str, tuple[set[str], set[str]]]):
        stems: dict[str, set[str]] = {}
        analyzer = german_analyzer()
        for field in ("title", "body"):
            stems[field] = {t.text for word in marks[field][0] for t in analyzer(word)}
        stems["names"] = set(marks["names"][0])
        self.marks = {field: (stems[field], tuple(marks[field][1])) for field in marks}
        self.analyzers = {"title": analyzer, "body": analyzer, "names": name_analyzer()}
        self.formatter = HtmlFormatter(tagname="mark", between=" … ")

    def _marked(self, field: str, text: str, fragmenter, top: int) -> str:
        exact, prefixes = self.marks[field]
        if not text or not (exact or prefixes):
            return ""
        analyzer = self.analyzers[field]
        words = set(exact)
        if prefixes:
            words.update(t.text for t in analyzer(text) if t.text.startswith(prefixes))
        return highlight(text, frozenset(words), analyzer, fragmenter, self.formatter, top=top) if words else ""

    def title(self, text: str) -> str:
        for field in ("names", "title"):
            marked = self._marked(field, text, WholeFragmenter(), 1)
            if marked:
                return marked
        return ""

    def body(self, text: str, maxchars: int = 220) -> str:
        return self._marked("body", text, ContextFragmenter(maxchars=maxchars, surround=60), 2)


__all__ = ["RANK_WEIGHTS", "Snippets", "Translated", "index_text", "names_text", "translate"]
