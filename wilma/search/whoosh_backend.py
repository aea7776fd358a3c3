"""The embedded search backend: Whoosh in ``WILMA_SEARCH_INDEX_DIR`` (see ``whoosh_store`` for the layout).

Writes take the store's writer lock, so one process writes at a time and nobody ever meets Whoosh's
``LockError``; callers that cannot get the lock in time get :class:`IndexBusy` and retry later.
A rebuild writes a new directory with two processes (``procs=2, multisegment=True``), replays the
changes made meanwhile under the writer lock, then switches ``CURRENT`` atomically.
"""

import logging
import math
import os
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from whoosh import index as whoosh_index
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.query import DateRange, NumericRange, Term

from wilma.search import whoosh_columns  # noqa: F401 - cheaper column reads (patches Whoosh once)
from wilma.search.analysis import german_analyzer, name_analyzer
from wilma.search.backend import Filters, Hit, IndexBusy, RebuildReport, SearchBackend, SearchPage, register_backend
from wilma.search.registry import Document, split_key
from wilma.search.whoosh_docsets import DocsetCache, SegmentSets, rank
from wilma.search.whoosh_query import Snippets, collect_terms, make_parser, parse_query
from wilma.search.whoosh_store import IndexStore

logger = logging.getLogger("wilma.search")
BATCH = 500


def build_schema() -> Schema:
    german = german_analyzer()
    return Schema(
        key=ID(stored=True, unique=True),
        type=ID(),  # the key says the type and the object id; only the key is stored
        title=TEXT(analyzer=german, field_boost=2.0),
        body=TEXT(analyzer=german),
        names=TEXT(analyzer=name_analyzer()),
        acl=KEYWORD(),
        group_id=ID(),
        # Seconds since 1970 (UTC), in four tiers of 16 bits for ranges: DATETIME's microseconds in
        # eight tiers gave every document five terms of its own, about a sixth of a rebuild's work.
        created_at=NUMERIC(int, bits=64, shift_step=16),
    )


def _dates_in_seconds(schema) -> bool:
    """Whether an index keeps ``created_at`` in seconds (indexes built before that keep a DATETIME
    until the next rebuild, and are written and searched as such)."""
    return not isinstance(schema["created_at"], DATETIME)


def _seconds(value: datetime) -> int:
    return math.floor((value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp())


def _naive_utc(value):
    return value.astimezone(UTC).replace(tzinfo=None) if value is not None and value.tzinfo else value


def document_fields(doc: Document, dates_in_seconds: bool = True) -> dict:
    fields = {
        "key": doc.key, "type": doc.type, "title": doc.title or "",
        "body": doc.body or "", "names": doc.names or "", "acl": " ".join(doc.acl_tokens()),
        "group_id": str(doc.group_id if doc.group_id is not None else doc.member_group_id or "none"),
    }
    if doc.created_at is not None:
        fields["created_at"] = _seconds(doc.created_at) if dates_in_seconds else _naive_utc(doc.created_at)
    return fields


def date_query(schema, start: datetime | None, end: datetime | None):
    """Documents created from ``start`` to ``end`` (both included; either may be open), to the second."""
    if not _dates_in_seconds(schema):
        return DateRange("created_at", _naive_utc(start), _naive_utc(end))
    return NumericRange("created_at", None if start is None else _seconds(start),
                        None if end is None else _seconds(end))


class WhooshBackend(SearchBackend):
    """:class:`SearchBackend` on Whoosh files; one instance per app, used from many threads."""

    def __init__(self, config: dict):
        self.store = IndexStore(config["WILMA_SEARCH_INDEX_DIR"], build_schema)
        self.procs = int(config.get("WILMA_SEARCH_REBUILD_PROCS") or min(2, os.cpu_count() or 1))
        self.lock_timeout = float(config.get("WILMA_SEARCH_LOCK_TIMEOUT", 10))
        self._local = threading.local()
        self._parser = make_parser(build_schema())
        self.rank_window = int(config.get("WILMA_SEARCH_RANK_WINDOW", 2000))
        self.docsets = DocsetCache(int(config.get("WILMA_SEARCH_CACHE_MB", 128)) * 1048576)

    # --- reading -------------------------------------------------------------------------------------

    def _searcher(self, create: bool = True):
        """This thread's searcher of the live index, reopened after a swap or a new commit.

        With ``create=False`` (the request path) a missing index answers ``None`` instead of taking
        the writer lock to create it."""
        name = self.store.live_name() if not create else self.store.ensure_live()
        if name is None or not (self.store.root / name).is_dir():
            return None
        cached = getattr(self._local, "searcher", None)
        if cached is not None and cached[0] == name and cached[1].up_to_date():
            searcher = cached[1]
        else:
            # Not ``Searcher.refresh()``: it reuses the readers of unchanged segments with their old
            # deletion sets, so a deletion-only commit would stay invisible (counts of deleted items).
            if cached is not None:
                cached[1].close()
            searcher = self.store.open(name).searcher()
        self._local.searcher = (name, searcher)
        return searcher

    def close(self) -> None:
        cached = getattr(self._local, "searcher", None)
        if cached is not None:
            cached[1].close()
            self._local.searcher = None

    def search(self, query: str, filters: Filters, page: int = 1, per_page: int = 20) -> SearchPage:
        parsed = parse_query(self._parser, query)
        if parsed is None or not filters.acl:
            return SearchPage(hits=[], total=0, counts={}, page=1, pages=0)
        searcher = self._searcher(create=False)
        if searcher is None:
            return SearchPage(hits=[], total=0, counts={}, page=1, pages=0)
        # Exact counts and filters from cached document sets; the ranking (Whoosh's BM25F) from cached
        # term weights, bounded by the ranking window (see ``whoosh_docsets``).
        counts: dict[str, int] = {}
        marks, segments, total = [], [], 0
        for leaf, offset in searcher.leaf_searchers():
            sets = SegmentSets(leaf, self.docsets)
            segments.append(sets)
            found = sets.matches(parsed) & self._allowed(sets, filters)
            if found:
                for raw in leaf.reader().lexicon("type"):
                    type_name = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                    number = (found & sets.term("type", type_name)).bit_count()
                    if number:
                        counts[type_name] = counts.get(type_name, 0) + number
                if filters.type:
                    found &= sets.term("type", filters.type)
            total += found.bit_count()
            assert offset == sum(len(part) for part in marks)  # noqa: S101 - global numbers follow segments
            marks.append(sets.to_bytes(found))
        pages = -(-total // per_page)
        page = min(max(1, page), pages or 1)
        hits = []
        if total:
            snippets = Snippets(searcher.schema, collect_terms(parsed, searcher.reader()))
            stored = searcher.reader().stored_fields
            places = ((page - 1) * per_page, page * per_page)
            for score, docnum in rank(searcher, parsed, segments, b"".join(marks), *places, self.rank_window):
                key = stored(docnum)["key"]
                parsed_key = split_key(key)
                if parsed_key is not None:
                    hits.append(Hit(key=key, type=parsed_key[0], object_id=parsed_key[1], score=score,
                                    highlight=snippets))
        return SearchPage(hits=hits, total=total, counts=counts, page=page, pages=pages)

    @staticmethod
    def _allowed(sets: SegmentSets, filters: Filters) -> int:
        """The documents of one segment that ``filters`` let through (visibility first)."""
        acl = tuple(filters.acl)
        allowed = sets.live & sets.cached(("acl", acl), lambda: sets.terms("acl", acl))
        if filters.group_id is not None:
            allowed &= sets.term("group_id", str(filters.group_id))
        if filters.date_from or filters.date_to:
            start, end = filters.date_from, filters.date_to
            allowed &= sets.cached(("dates", start, end),
                                   lambda: sets.walk(date_query(sets.reader.schema, start, end)))
        if filters.hidden_keys and allowed:
            allowed &= ~sets.keys(filters.hidden_keys)
        return allowed

    # --- writing -------------------------------------------------------------------------------------

    def writer_lock(self, timeout: float | None = None):
        return self.store.writer_lock(self.lock_timeout if timeout is None else timeout)

    def _write(self, ix, documents: Iterable[Document], delete_keys: Iterable[str]) -> int:
        writer = ix.writer(timeout=self.lock_timeout)
        seconds = _dates_in_seconds(ix.schema)
        documents, delete_keys = list(documents), list(delete_keys)
        try:
            for key in delete_keys:
                writer.delete_by_term("key", key)
            for doc in documents:
                if doc.deleted:
                    writer.delete_by_term("key", doc.key)
                else:
                    writer.update_document(**document_fields(doc, seconds))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return len(documents) + len(delete_keys)

    def update(self, load_changes: Callable[[], tuple[list[Document], list[str]]]) -> int:
        name = self.store.ensure_live()
        with self.writer_lock():
            documents, delete_keys = load_changes()
            if not documents and not delete_keys:
                return 0
            return self._write(self.store.open(self.store.live_name() or name), documents, delete_keys)

    def rebuild_running(self) -> bool:
        try:
            with self.store.rebuild_lock():
                return False
        except IndexBusy:
            return True

    def save_progress(self, values: dict) -> None:
        self.store.write_progress(**values)

    def load_progress(self) -> dict:
        return self.store.read_progress()

    def rebuild(self, documents: Iterable[Document], progress: Callable[[int], None] | None = None,
                replay: Callable[[], tuple[list[Document], list[str]]] | None = None) -> RebuildReport:
        started = time.monotonic()
        counts: dict[str, int] = {}
        with self.store.rebuild_lock():
            name = self.store.new_directory()
            marker = self.store.root / name / ".building"
            marker.touch()
            try:
                ix = whoosh_index.create_in(str(self.store.root / name), build_schema())
                options = {"procs": self.procs, "multisegment": True, "limitmb": 128} if self.procs > 1 else {}
                writer = ix.writer(**options)
                done = 0
                try:
                    for doc in documents:
                        if not doc.deleted:
                            writer.add_document(**document_fields(doc))
                            counts[doc.type] = counts.get(doc.type, 0) + 1
                        done += 1
                        if progress is not None and done % 100 == 0:
                            progress(done)
                except BaseException:
                    writer.cancel()
                    raise
                writer.commit()
                if progress is not None:
                    progress(done)
                with self.writer_lock(timeout=max(self.lock_timeout, 60)):
                    if replay is not None:
                        changed, deleted = replay()
                        if changed or deleted:
                            self._write(self.store.open(name), changed, deleted)
                    previous = self.store.live_name()
                    marker.unlink()
                    self.store.point_to(name)
                self.store.remove_old(keep={name, previous} if previous else {name})
            except BaseException:
                self.store.remove_old(keep={self.store.live_name() or ""})
                marker.unlink(missing_ok=True)
                raise
        return RebuildReport(documents=sum(counts.values()), seconds=time.monotonic() - started, counts=counts)

    # --- status --------------------------------------------------------------------------------------

    def all_keys(self) -> set[str]:
        return {fields["key"] for fields in self._searcher().all_stored_fields()}

    def status(self) -> dict:
        name = self.store.ensure_live()
        searcher = self._searcher()
        counts = {}
        for raw in searcher.lexicon("type"):
            type_name = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            found = len(searcher.search(Term("type", type_name), limit=1))
            if found:
                counts[type_name] = found
        return {"documents": searcher.doc_count(), "counts": counts, "path": str(self.store.root / name),
                "size_bytes": self.store.size_bytes(name), "rebuild": self.store.read_progress()}


register_backend("whoosh", WhooshBackend)
