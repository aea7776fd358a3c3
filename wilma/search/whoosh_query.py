"""Turning what people type into a Whoosh query, and snippets with the matches marked.

Whoosh's parser never refuses anything: an unclosed quote or ``AND OR (`` quietly becomes a different
query. We check the syntax first and answer with a message that says what to fix. Field prefixes
(``acl:...``) are not offered: they would only confuse, and the visibility filter is added separately.
"""

import re

from flask_babel import gettext as _
from whoosh import qparser
from whoosh.query import NullQuery, Prefix, Term

from wilma.search.backend import QuerySyntaxError
from wilma.search.marking import mark_passages, mark_whole

MAX_QUERY_LENGTH = 500
SEARCH_FIELDS = ["title", "body", "names"]
FIELD_BOOSTS = {"title": 2.0, "body": 1.0, "names": 3.0}
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_BINARY = _OPERATORS - {"NOT"}
_LEADING_WILDCARDS = re.compile(r"(^|[\s(\"])[*?]+(?=\S)")


def check_syntax(text: str) -> str:
    """The query with harmless oddities tidied, or :class:`QuerySyntaxError` with a helpful message."""
    text = (text or "").replace("\x00", " ").strip()
    if not text:
        raise QuerySyntaxError(_("Enter a word to search for."))
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(_("The search is too long: use at most %(n)d characters.", n=MAX_QUERY_LENGTH))
    if text.count('"') % 2:
        raise QuerySyntaxError(_('A quotation mark is not closed. Put a " after the phrase, or remove it.'))
    outside = " ".join(part for i, part in enumerate(text.split('"')) if i % 2 == 0)
    state = "start"
    for word in re.findall(r"\(|\)|[^\s()]+", outside):
        if word in _OPERATORS:
            if word in _BINARY and state in ("start", "(", "op"):
                raise QuerySyntaxError(_("AND, OR and NOT need words to combine, as in: Antrag AND Formular."))
            state = "op"
        elif word == ")":
            if state == "op":
                raise QuerySyntaxError(_("AND, OR and NOT need words to combine, as in: Antrag AND Formular."))
            if state == "(":
                raise QuerySyntaxError(_("There is an empty pair of brackets. Put words inside or remove it."))
            state = ")"
        else:
            state = "(" if word == "(" else "word"
    if state == "op":
        raise QuerySyntaxError(_("AND, OR and NOT need words to combine, as in: Antrag AND Formular."))
    depth = 0
    for char in outside:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            raise QuerySyntaxError(_("There is a ) without a matching (. Remove it or add the (."))
    if depth:
        raise QuerySyntaxError(_("A ( is not closed. Add the ) or remove the (."))
    # A leading * or ? would make the engine read every word of the index: search for the rest instead.
    return _LEADING_WILDCARDS.sub(r"\1", text)


def make_parser(schema) -> qparser.MultifieldParser:
    parser = qparser.MultifieldParser(SEARCH_FIELDS, schema, fieldboosts=FIELD_BOOSTS, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.FieldsPlugin)
    parser.remove_plugin_class(qparser.RangePlugin)
    parser.remove_plugin_class(qparser.GtLtPlugin)
    return parser


def _names_by_prefix(node):
    if isinstance(node, Term) and node.fieldname == "names":
        return Prefix("names", node.text, boost=node.boost)
    return node


def parse_query(parser, text: str):
    """The Whoosh query for ``text``; names match by prefix. ``None`` when nothing is left to search."""
    text = check_syntax(text)
    try:
        query = parser.parse(text)
    except Exception:  # the parser has its own corner cases; none of them may become a 500
        raise QuerySyntaxError(_("The search could not be understood. Try plain words.")) from None
    if query is NullQuery or isinstance(query, type(NullQuery)):
        return None
    return query.accept(_names_by_prefix)


class Snippets:
    """Marks the words a query matched in fresh text (escaped HTML with ``<mark>``; see ``marking``)."""

    def __init__(self, schema, terms: dict[str, set[str]]):
        self.terms = {field: frozenset(words) for field, words in terms.items()}

    def words(self, field: str, text: str) -> frozenset[str]:
        """The index terms to mark in ``text`` of ``field`` (other backends choose their own)."""
        return self.terms.get(field, frozenset()) if text else frozenset()

    def title(self, text: str) -> str:
        """The title with matches marked, or ``""`` when nothing in it matched."""
        for field in ("names", "title"):
            words = self.words(field, text)
            marked = mark_whole(text, words, stem=field != "names") if words else ""
            if marked:
                return marked
        return ""

    def body(self, text: str, maxchars: int = 220) -> str:
        """Up to two passages of ``text`` around the matches, or ``""`` when nothing in it matched."""
        words = self.words("body", text)
        return mark_passages(text, words, stem=True, maxchars=maxchars) if words else ""


def collect_terms(query, reader) -> dict[str, set[str]]:
    """The index terms the query matched, by field (prefixes expanded), for highlighting.

    (Whoosh's own ``existing_terms`` reuses its ``fieldname`` argument as a loop variable and so only
    looks at the first leaf of the query.)"""
    terms: dict[str, set[str]] = {}
    for leaf in query.leaves():
        try:
            pairs = list(leaf.expanded_terms(reader, phrases=True))
        except Exception:  # noqa: S112 - a leaf that cannot expand just marks nothing
            continue
        for field, text in pairs[:200]:
            if field not in FIELD_BOOSTS:
                continue
            text = text.decode("utf-8") if isinstance(text, bytes) else text
            if (field, text.encode("utf-8")) in reader:
                terms.setdefault(field, set()).add(text)
    return terms


__all__ = ["Snippets", "check_syntax", "collect_terms", "make_parser", "parse_query"]
