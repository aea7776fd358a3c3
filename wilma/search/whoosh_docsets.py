"""Exact counts and filters for Whoosh searches from cached sets of documents, one segment at a time.

Whoosh answers counts (per type, after the visibility filter) by stepping through every match in
Python: a second for a common word in 50,000 documents. Here a set of documents of one segment is a
Python ``int`` with one byte per document (1 = in the set), so intersecting, combining and counting
run in C (``&``, ``|``, ``int.bit_count``) over a few hundred kilobytes.

What is cached per term is its weight (frequency) in each document, one byte each; its set of
documents follows in C (``bytes.translate``), and the weights let :func:`rank` compute Whoosh's BM25F
score of a document without reading posting blocks again. A segment never changes (deletions are
applied afterwards with the segment's live set), so entries are keyed by the segment's id and survive
commits, new searchers and other processes' writes; only new segments are read. The cache is a
least-recently-used dictionary bounded in bytes (``WILMA_SEARCH_CACHE_MB``), shared by the threads
of a process: about 200 KB per term and field for 200,000 documents.
"""

import bisect
import threading
from collections import OrderedDict

from whoosh import query as q
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from wilma.search.whoosh_columns import length_bytes

_NONZERO = bytes([0] + [1] * 255)  # bytes.translate table: any weight -> 1


class DocsetCache:
    """``(segment id, what) -> value`` with a byte budget (least recently used first out)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value: int, size: int) -> None:
        with self.lock:
            if key in self.items:
                return
            self.items[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes and len(self.items) > 1:
                _, (_, old_size) = self.items.popitem(last=False)
                self.bytes -= old_size


def _ids_into(matcher, into: bytearray | None, weights: "Weights | None" = None) -> None:
    """Mark every document of ``matcher`` in ``into`` (and its weight in ``weights``); whole posting
    blocks at a time where possible."""
    while isinstance(matcher, FilterMatcher):  # deletions are applied later with the live set
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            matcher._read_ids()  # noqa: SLF001 - the block's ids, decoded once (Whoosh-Reloaded 2.7)
            if into is not None:
                for docnum in matcher._ids:  # noqa: SLF001
                    into[docnum] = 1
            if weights is not None:
                matcher._read_weights()  # noqa: SLF001
                weights.add_block(matcher._ids, matcher._weights)  # noqa: SLF001
            matcher._next_block()  # noqa: SLF001
        return
    while matcher.is_active():
        docnum = matcher.id()
        if into is not None:
            into[docnum] = 1
        if weights is not None:
            weights.add_block((docnum,), (matcher.weight(),))
        matcher.next()


class Weights:
    """A term's weight (frequency) in each document of a segment: one byte each, larger or fractional
    weights aside."""

    def __init__(self, size: int):
        self.small = bytearray(size)
        self.other: dict[int, float] = {}

    def add_block(self, docnums, weights) -> None:
        small, other = self.small, self.other
        for docnum, weight in zip(docnums, weights, strict=True):
            if 0 < weight < 255 and weight == int(weight):
                small[docnum] = int(weight)
            else:
                small[docnum] = 255
                other[docnum] = weight

    def get(self, docnum: int) -> float:
        weight = self.small[docnum]
        return self.other[docnum] if weight == 255 else weight


class SegmentSets:
    """The document sets of one segment (a leaf searcher), with the shared cache."""

    def __init__(self, searcher, cache: DocsetCache):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.cache = cache
        self.size = self.reader.doc_count_all()
        self.segid = self.reader.segment().segment_id()
        self.all = self.cached(("all",), lambda: int.from_bytes(b"\x01" * self.size, "little"))
        self._live = None

    def cached(self, what, build):
        key = (self.segid, what)
        found = self.cache.get(key)
        if found is not None:
            return found[0]
        value = build()
        self.cache.put(key, value, self.size + 64)
        return value

    def from_ids(self, fill) -> int:
        marks = bytearray(self.size)
        fill(marks)
        return int.from_bytes(marks, "little")

    @property
    def live(self) -> int:
        """The documents not deleted (deletions only ever grow within a segment)."""
        if self._live is None:
            deleted = self.reader.segment().deleted_count()
            self._live = self.cached(("live", deleted), lambda: self.all ^ self.from_ids(self._fill_deleted))
        return self._live

    def _fill_deleted(self, marks: bytearray) -> None:
        for docnum in self.reader.segment().deleted_docs():
            marks[docnum] = 1

    def term(self, fieldname: str, text) -> int:
        weights = self.term_weights(fieldname, text)
        return 0 if weights is None else int.from_bytes(weights.small.translate(_NONZERO), "little")

    def term_weights(self, fieldname: str, text) -> "Weights | None":
        """A term's weight in each document of the segment (0: not there); its documents follow from it
        (:meth:`term`), so only the weights are kept."""
        def build():
            try:
                matcher = self.reader.postings(fieldname, text)
            except TermNotFound:
                return None
            weights = Weights(self.size)
            _ids_into(matcher, None, weights)
            return weights

        if fieldname not in self.reader.schema or (fieldname, text) not in self.reader:
            return None
        return self.cached(("term", fieldname, text), build)

    def lengths(self, fieldname: str) -> bytes | None:
        """Whoosh's length byte of ``fieldname`` for each document, read in one piece (``None`` where
        the column cannot be read so: the scorer then asks Whoosh per document)."""
        def build():
            perdoc = getattr(self.reader, "_perdoc", None)
            return None if perdoc is None else length_bytes(perdoc, fieldname, self.size)

        return self.cached(("lengths", fieldname), build)

    def terms(self, fieldname: str, texts) -> int:
        result = 0
        for text in texts:
            result |= self.term(fieldname, text)
        return result

    def matches(self, query) -> int:
        """The documents ``query`` matches (deleted ones included: callers intersect with ``live``)."""
        if type(query) is q.Term:
            return self.term(query.fieldname, query.text)
        kind = type(query)  # exact types: Ordered is an And, Sequence a Phrase-like And...
        if kind in (q.And, q.Require):
            result = self.all
            for sub in query.children():
                result &= self.matches(sub)
                if not result:
                    break
            return result
        if kind is q.Or and not query.minmatch or kind is q.DisjunctionMax:
            result = 0
            for sub in query.children():
                result |= self.matches(sub)
            return result
        if kind is q.AndNot:
            return self.matches(query.a) & ~self.matches(query.b)
        if kind is q.AndMaybe:
            return self.matches(query.a)
        if kind is q.Not:
            return self.all & ~self.matches(query.query)
        if kind is q.ConstantScoreQuery:
            return self.matches(query.child)
        if kind is q.Every and query.fieldname in (None, "", "*"):
            return self.all
        if query is q.NullQuery or kind is type(q.NullQuery):
            return 0
        if kind in (q.Prefix, q.Wildcard, q.FuzzyTerm, q.Variations):
            return self.terms(query.field(), list(query._btexts(self.reader)))  # noqa: SLF001
        return self.walk(query)

    def walk(self, query) -> int:
        """Any other query (phrases, ranges): Whoosh's own matcher, stepped through once."""
        matcher = query.matcher(self.searcher)
        return self.from_ids(lambda marks: _ids_into(matcher, marks))

    def keys(self, keys) -> int:
        """The documents of the given ``key`` terms (not cached: these change all the time)."""
        def fill(marks):
            for key in keys:
                if ("key", key) in self.reader:
                    _ids_into(self.reader.postings("key", key), marks)

        return self.from_ids(fill)

    def to_bytes(self, value: int) -> bytes:
        return value.to_bytes(self.size, "little")


def _plain_terms(query) -> list | None:
    """The terms of a query made only of terms, AND and OR (what plain words become), else ``None``:
    its score is then the sum of its matching terms' scores, which :func:`rank` computes directly."""
    kind = type(query)
    if kind in (q.Term, q.Prefix):  # a prefix only when it matches nothing here (see _segment_scores)
        return [query]
    if kind in (q.And, q.Or) and query.boost == 1.0 and not getattr(query, "minmatch", 0):
        terms = []
        for sub in query.children():
            found = _plain_terms(sub)
            if found is None:
                return None
            terms.extend(found)
        return terms
    return None


class _TermScorer:
    """Whoosh's score of documents of one segment for a term, from the cached weights and lengths.

    BM25F depends on a document only through its weight (one byte here) and its field length (one
    byte in Whoosh's lengths column), so each (weight, length byte) pair is scored once per query
    with Whoosh's own function and remembered: the same floats, without a column read per document."""

    def __init__(self, leaf, sets: SegmentSets, term, weighting):
        self.weights = sets.term_weights(term.fieldname, term.text)
        self.scorer = weighting.scorer(leaf, term.fieldname, term.text) if self.weights is not None else None
        self.boost = term.boost
        self.usable = self.scorer is None or (hasattr(self.scorer, "dfl") and hasattr(self.scorer, "_score"))
        self.lengths = sets.lengths(term.fieldname) if self.scorer is not None and self.usable else None
        self.memo: dict[int, float] = {}

    def add_scores(self, docnums: list[int], scores: list[float]) -> None:
        """Add this term's score of each document to ``scores`` (a tight loop: the ranking's hot spot)."""
        small, lengths, memo = self.weights.small, self.lengths, self.memo
        for index, docnum in enumerate(docnums):
            weight = small[docnum]
            if not weight:
                continue
            if weight == 255 or lengths is None or not lengths[docnum]:
                scores[index] += self._direct(docnum, self.weights.get(docnum))
                continue
            key = weight << 8 | lengths[docnum]
            score = memo.get(key)
            if score is None:
                score = memo[key] = self._direct(docnum, weight)
            scores[index] += score

    def _direct(self, docnum: int, weight: float) -> float:
        score = self.scorer._score(weight, self.scorer.dfl(docnum))  # noqa: SLF001 - as scorer.score does
        return score * self.boost if self.boost != 1.0 else score


def _segment_scores(leaf, sets: SegmentSets, query, context):
    """A function ``[docnum] -> [score or None]`` for documents of one segment that ``query`` matches,
    in ascending order."""
    terms = _plain_terms(query)
    if terms is not None and all(type(term) is q.Term or not any(term._btexts(sets.reader))  # noqa: SLF001
                                 for term in terms):
        terms = [term for term in terms if type(term) is q.Term]
        scorers = [_TermScorer(leaf, sets, term, context.weighting) for term in terms]
        if all(scorer.usable for scorer in scorers):
            scorers = [scorer for scorer in scorers if scorer.scorer is not None]

            def by_terms(docnums):
                scores = [0.0] * len(docnums)  # 0.0 + a + b: the same float as Whoosh's sum
                for scorer in scorers:
                    scorer.add_scores(docnums, scores)
                return scores

            return by_terms
    matcher = query.matcher(leaf, context)

    def by_matcher(docnum):
        if not matcher.is_active():
            return None
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                return None
        return matcher.score() if matcher.id() == docnum else None

    return lambda docnums: [by_matcher(docnum) for docnum in docnums]


def _newest(marks: bytes, count: int) -> list[int]:
    """The positions of the last ``count`` marked documents, newest (highest) first."""
    found, position, find = [], len(marks), marks.rfind
    while len(found) < count:
        position = find(1, 0, position)
        if position < 0:
            break
        found.append(position)
    return found


def rank(searcher, query, segments: list[SegmentSets], marks: bytes, start: int, end: int,
         window: int) -> list[tuple[float, int]]:
    """``(score, docnum)`` of places ``start`` to ``end`` of the ranking of the marked documents.

    The ranking is Whoosh's (score, then document number) within windows of ``window`` documents,
    newest (highest document number) window first; ``window`` 0 ranks all matches as one window.
    Only the windows of the asked places are scored, each document once: the work is bounded by the
    window, not by how many documents match."""
    total = marks.count(1)
    window = total if window <= 0 or window >= total else window
    if not total or start >= total:
        return []
    context = searcher.context()
    leaves = searcher.leaf_searchers()
    first_window, last_window = start // window, (min(end, total) - 1) // window
    newest = _newest(marks, (last_window + 1) * window)
    offsets = [offset for _, offset in leaves]
    ranked = []
    for number in range(first_window, last_window + 1):
        positions = newest[number * window:(number + 1) * window][::-1]  # ascending
        items: list[tuple[float, int]] = []
        while positions:  # one segment's run of positions at a time
            segment = bisect.bisect_right(offsets, positions[0]) - 1
            limit = offsets[segment] + segments[segment].size
            cut = bisect.bisect_left(positions, limit)
            run, positions = positions[:cut], positions[cut:]
            offset = offsets[segment]
            scores = _segment_scores(leaves[segment][0], segments[segment], query, context)(
                [position - offset for position in run])
            items.extend((score, -position) for score, position in zip(scores, run, strict=True)
                         if score is not None)
        items.sort(reverse=True)
        best = items[:min(end - number * window, window)]
        ranked.extend((score, -negated) for score, negated in best)
    first_place = start - first_window * window
    return ranked[first_place:first_place + end - start]
