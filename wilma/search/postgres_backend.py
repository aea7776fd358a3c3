"""Search in PostgreSQL's full-text search, for installations with several app servers.

``WILMA_SEARCH_BACKEND = "postgres"`` (PostgreSQL databases only). Every server process reads and writes
the same tables, so there is no index folder to share. The tables and the ``wilma_german`` text search
configuration come from migration ``0002`` (which needs the ``unaccent`` extension):

- ``search_documents``: one row per document with its ACL terms (``text[]``, GIN), type, group, date and a
  ``tsvector`` (GIN) of title (weight A), names (B, marked lexemes) and body (C), prepared by
  ``postgres_query``;
- ``search_progress``: the progress of the running or last rebuild, readable by every process.

Writers serialise on a transaction-level advisory lock (``pg_advisory_xact_lock``), taken before the
changes are loaded, as the Whoosh backend's writer lock. A rebuild fills ``search_documents_build``
(while search answers from the live table), replays what changed meanwhile under the writer lock, and
swaps the tables by renaming them in the same transaction.
"""

import json
import logging
import math
import queue
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from wilma.config import ConfigError
from wilma.extensions import db
from wilma.search.backend import Filters, Hit, IndexBusy, RebuildReport, SearchBackend, SearchPage, register_backend
from wilma.search.postgres_query import MAX_INDEXED_CHARS, RANK_WEIGHTS, Snippets, index_text, names_vector, translate
from wilma.search.registry import Document, split_key

logger = logging.getLogger("wilma.search")
LIVE = "search_documents"
BUILD = "search_documents_build"
LOCK_SPACE = 0x57494C4D  # "WILM": the first key of our advisory locks
WRITER_LOCK, REBUILD_LOCK = 1, 2
BATCH = 500
LOCK_NOT_AVAILABLE = "55P03"
# SQL below is put together from these constant table names and from ``postgres_query``'s tsquery
# expression, whose every word is a bind parameter (hence the ``noqa: S608``); values are always bound.

_UPSERT = """
INSERT INTO {table} (key, type, object_id, group_id, acl, created_at, title, body, tsv)
SELECT v.key, v.type, v.object_id, v.group_id, string_to_array(v.acl, ' '), v.created_at, v.title, v.body,
       setweight(to_tsvector('wilma_german'::regconfig, v.t), 'A')
       || CAST(v.n AS tsvector)
       || setweight(to_tsvector('wilma_german'::regconfig, v.b), 'C')
FROM unnest(CAST(:keys AS text[]), CAST(:types AS text[]), CAST(:ids AS bigint[]), CAST(:groups AS bigint[]),
            CAST(:acls AS text[]), CAST(:created AS timestamptz[]), CAST(:titles AS text[]),
            CAST(:bodies AS text[]), CAST(:t AS text[]), CAST(:b AS text[]), CAST(:n AS text[]))
     AS v(key, type, object_id, group_id, acl, created_at, title, body, t, b, n)
ON CONFLICT (key) DO UPDATE SET type = EXCLUDED.type, object_id = EXCLUDED.object_id,
    group_id = EXCLUDED.group_id, acl = EXCLUDED.acl, created_at = EXCLUDED.created_at,
    title = EXCLUDED.title, body = EXCLUDED.body, tsv = EXCLUDED.tsv
"""


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _clean(value: str | None) -> str:
    return (value or "")[:MAX_INDEXED_CHARS].replace("\x00", " ")


def document_rows(documents: Iterable[Document]) -> dict[str, list]:
    """The columns of ``documents`` as arrays for one ``unnest`` insert (folded in Python)."""
    names = ("keys", "types", "ids", "groups", "acls", "created", "titles", "bodies", "t", "b", "n")
    columns: dict[str, list] = {name: [] for name in names}
    for doc in documents:
        columns["keys"].append(doc.key)
        columns["types"].append(doc.type)
        columns["ids"].append(doc.object_id)
        columns["groups"].append(doc.group_id if doc.group_id is not None else doc.member_group_id)
        columns["acls"].append(" ".join(doc.acl_tokens()))
        columns["created"].append(_utc(doc.created_at))
        columns["titles"].append(_clean(doc.title))
        columns["bodies"].append(_clean(doc.body))
        columns["t"].append(index_text(_clean(doc.title)))
        columns["b"].append(index_text(_clean(doc.body)))
        columns["n"].append(names_vector(_clean(doc.names)))
    return columns


def _is_lock_timeout(err: DBAPIError) -> bool:
    return getattr(err.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE


class PostgresBackend(SearchBackend):
    """:class:`SearchBackend` on PostgreSQL tables; one instance per app, used from many threads."""

    def __init__(self, config: dict):
        url = str(config.get("SQLALCHEMY_DATABASE_URI") or config.get("WILMA_DATABASE_URL") or "")
        if not url.startswith("postgresql"):
            raise ConfigError("WILMA_SEARCH_BACKEND = 'postgres' needs a PostgreSQL database "
                              "(WILMA_DATABASE_URL = 'postgresql+psycopg://...'); use 'whoosh' with SQLite.")
        self.lock_timeout = float(config.get("WILMA_SEARCH_LOCK_TIMEOUT", 10))
        self._schema_checked = False

    # --- connections and locks -----------------------------------------------------------------------

    def _engine(self):
        engine = db.engine
        if not self._schema_checked:
            with engine.connect() as conn:
                missing = conn.execute(text("SELECT to_regclass(:t) IS NULL OR to_regclass(:p) IS NULL"),
                                       {"t": LIVE, "p": "search_progress"}).scalar()
            if missing:
                raise RuntimeError("The PostgreSQL search tables are missing: run `flask db upgrade` "
                                   "(migration 0002 needs the unaccent extension).")
            self._schema_checked = True
        return engine

    @contextmanager
    def writer_lock(self, timeout: float | None = None):
        """A transaction holding the writer lock (``IndexBusy`` when not free within ``timeout``)."""
        timeout = self.lock_timeout if timeout is None else timeout
        with self._engine().connect() as conn:
            try:
                conn.execute(text(f"SET LOCAL lock_timeout = '{max(int(timeout * 1000), 1)}ms'"))
                conn.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": LOCK_SPACE, "b": WRITER_LOCK})
                conn.execute(text("SET LOCAL lock_timeout = 0"))
            except DBAPIError as err:
                conn.rollback()
                if _is_lock_timeout(err):
                    raise IndexBusy("search writer lock") from None
                raise
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    @staticmethod
    def _write(conn, table: str, documents: Iterable[Document], delete_keys: Iterable[str]) -> int:
        documents, delete_keys = list(documents), list(delete_keys)
        gone = list(delete_keys) + [doc.key for doc in documents if doc.deleted]
        live = [doc for doc in documents if not doc.deleted]
        if gone:
            conn.execute(text(f"DELETE FROM {table} WHERE key = ANY(CAST(:keys AS text[]))"), {"keys": gone})  # noqa: S608
        for start in range(0, len(live), BATCH):
            conn.execute(text(_UPSERT.format(table=table)), document_rows(live[start:start + BATCH]))
        return len(documents) + len(delete_keys)

    # --- writing -------------------------------------------------------------------------------------

    def update(self, load_changes: Callable[[], tuple[list[Document], list[str]]]) -> int:
        with self.writer_lock() as conn:
            documents, delete_keys = load_changes()
            if not documents and not delete_keys:
                return 0
            return self._write(conn, LIVE, documents, delete_keys)

    # --- rebuild -------------------------------------------------------------------------------------

    @contextmanager
    def _rebuild_lock(self):
        conn = self._engine().connect()
        got = conn.execute(text("SELECT pg_try_advisory_lock(:a, :b)"), {"a": LOCK_SPACE, "b": REBUILD_LOCK}).scalar()
        conn.commit()
        if not got:
            conn.close()
            raise IndexBusy("search rebuild lock")
        try:
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:a, :b)"), {"a": LOCK_SPACE, "b": REBUILD_LOCK})
                conn.commit()
        except BaseException:
            conn.invalidate()  # never hand a connection that may still hold the lock back to the pool
            raise
        finally:
            conn.close()

    def rebuild_running(self) -> bool:
        with self._engine().connect() as conn:
            return bool(conn.execute(text(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = :a AND objid = :b AND objsubid = 2"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))"),
                {"a": LOCK_SPACE, "b": REBUILD_LOCK}).scalar())

    def rebuild(self, documents: Iterable[Document], progress: Callable[[int], None] | None = None,
                replay: Callable[[], tuple[list[Document], list[str]]] | None = None) -> RebuildReport:
        started = time.monotonic()
        engine = self._engine()
        with self._rebuild_lock():
            indexes = self._create_build_table(engine)
            try:
                counts = self._load(engine, documents, progress)
                with engine.begin() as conn:
                    conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
                    for _name, definition in indexes:
                        conn.execute(text(definition))
                    conn.execute(text(f"ANALYZE {BUILD}"))
                with self.writer_lock(timeout=max(self.lock_timeout, 60)) as conn:
                    if replay is not None:
                        changed, deleted = replay()
                        if changed or deleted:
                            self._write(conn, BUILD, changed, deleted)
                    conn.execute(text(f"DROP TABLE {LIVE}"))
                    conn.execute(text(f"ALTER TABLE {BUILD} RENAME TO {LIVE}"))
                    conn.execute(text(f"ALTER TABLE {LIVE} RENAME CONSTRAINT pk_{BUILD} TO pk_{LIVE}"))
                    for name, _definition in indexes:
                        conn.execute(text(f"ALTER INDEX {name}_build RENAME TO {name}"))
            except BaseException:
                with engine.begin() as conn:
                    conn.execute(text(f"DROP TABLE IF EXISTS {BUILD}"))
                raise
        return RebuildReport(documents=sum(counts.values()), seconds=time.monotonic() - started, counts=counts)

    @staticmethod
    def _create_build_table(engine) -> list[tuple[str, str]]:
        """An empty copy of the live table with its primary key; answers the live table's other
        indexes as (name, statement creating the same index on the copy), to run after loading."""
        with engine.begin() as conn:
            conn.execute(text(f"DROP TABLE IF EXISTS {BUILD}"))  # left over by a crashed rebuild
            conn.execute(text(f"CREATE TABLE {BUILD} (LIKE {LIVE} INCLUDING DEFAULTS)"))
            conn.execute(text(f"ALTER TABLE {BUILD} ADD CONSTRAINT pk_{BUILD} PRIMARY KEY (key)"))
            rows = conn.execute(text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                " AND tablename = :t AND indexname <> :pk ORDER BY indexname"), {"t": LIVE, "pk": f"pk_{LIVE}"}).all()
        return [(name, definition.replace(f"INDEX {name} ON", f"INDEX {name}_build ON", 1)
                 .replace(f".{LIVE} ", f".{BUILD} ", 1).replace(f" {LIVE} USING", f" {BUILD} USING", 1))
                for name, definition in rows]

    def _load(self, engine, documents: Iterable[Document], progress) -> dict[str, int]:
        """Fill the build table: this thread reads and folds the documents, a second thread sends the
        batches, so PostgreSQL analyses one batch while Python prepares the next (both cores)."""
        batches: queue.Queue = queue.Queue(maxsize=2)
        failure: list[BaseException] = []

        def send():
            try:
                with engine.connect() as conn:
                    while (rows := batches.get()) is not None:
                        if not failure:
                            conn.execute(text(_UPSERT.format(table=BUILD)), rows)
                            conn.commit()
            except BaseException as err:  # reported by the reading thread
                failure.append(err)
                while batches.get() is not None:
                    pass

        sender = threading.Thread(target=send, name="wilma-search-rebuild", daemon=True)
        sender.start()
        counts: dict[str, int] = {}
        done, pending = 0, []
        try:
            for doc in documents:
                if failure:
                    break
                done += 1
                if not doc.deleted:
                    pending.append(doc)
                    counts[doc.type] = counts.get(doc.type, 0) + 1
                if len(pending) >= BATCH:
                    batches.put(document_rows(pending))
                    pending = []
                if progress is not None and done % 100 == 0:
                    progress(done)
            if pending and not failure:
                batches.put(document_rows(pending))
        finally:
            batches.put(None)
            sender.join()
        if failure:
            raise failure[0]
        if progress is not None:
            progress(done)
        return counts

    def save_progress(self, values: dict) -> None:
        with self._engine().begin() as conn:
            conn.execute(text("INSERT INTO search_progress (id, data, updated_at) VALUES (1, :data, now())"
                              " ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, updated_at = now()"),
                         {"data": json.dumps(values, default=str)})

    def load_progress(self) -> dict:
        with self._engine().connect() as conn:
            raw = conn.execute(text("SELECT data FROM search_progress WHERE id = 1")).scalar()
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return {}

    # --- reading -------------------------------------------------------------------------------------

    def search(self, query: str, filters: Filters, page: int = 1, per_page: int = 20) -> SearchPage:
        translated = translate(query)
        if translated is None or not filters.acl:
            return SearchPage(hits=[], total=0, counts={}, page=1, pages=0)
        params = dict(translated.params, acl=list(filters.acl))
        where = ["d.acl && CAST(:acl AS text[])"]
        if translated.sql is not None:
            where.append(f"d.tsv @@ {translated.sql}")
        if filters.group_id is not None:
            where.append("d.group_id = :group_id")
            params["group_id"] = filters.group_id
        if filters.date_from is not None:
            where.append("d.created_at >= :date_from")
            params["date_from"] = _utc(filters.date_from)
        if filters.date_to is not None:
            where.append("d.created_at <= :date_to")
            params["date_to"] = _utc(filters.date_to)
        if filters.hidden_keys:
            where.append("NOT (d.key = ANY(CAST(:hidden AS text[])))")
            params["hidden"] = sorted(filters.hidden_keys)
        condition = " AND ".join(where)
        score = (f"ts_rank('{RANK_WEIGHTS}'::float4[], d.tsv, {translated.sql})"
                 if translated.sql is not None else "0")
        page = max(1, page)
        with self._engine().connect() as conn:
            counts, rows = self._matches(conn, condition, score, params, filters.type, per_page, page)
            total = counts.get(filters.type, 0) if filters.type else sum(counts.values())
            pages = math.ceil(total / per_page) if total else 0
            if page > max(pages, 1):  # past the end: the last page, as Whoosh answers
                page = max(pages, 1)
                counts, rows = self._matches(conn, condition, score, params, filters.type, per_page, page)
        snippets = Snippets(translated.marks)
        hits = []
        for row in rows:
            parsed_key = split_key(row.key)
            if parsed_key is not None:
                hits.append(Hit(key=row.key, type=parsed_key[0], object_id=parsed_key[1], score=float(row.score),
                                highlight=snippets))
        return SearchPage(hits=hits, total=total, counts=counts, page=page, pages=pages)

    @staticmethod
    def _matches(conn, condition: str, score: str, params: dict, type_name: str | None, per_page: int,
                 page: int) -> tuple[dict[str, int], list]:
        """Counts per type and the hits of ``page`` in one statement: every match is read and ranked
        once (``ts_rank`` reads the whole tsvector), then counted and cut to the page."""
        rows = conn.execute(text(
            f"WITH m AS MATERIALIZED (SELECT d.key, d.type, {score} AS score FROM {LIVE} d WHERE {condition})"  # noqa: S608
            " (SELECT type AS key, count(*)::float8 AS score, true AS is_count FROM m GROUP BY type)"
            " UNION ALL (SELECT key, score, false FROM m WHERE CAST(:type AS text) IS NULL OR type = :type"
            " ORDER BY score DESC, key LIMIT :limit OFFSET :offset)"),
            dict(params, type=type_name, limit=per_page, offset=(page - 1) * per_page)).all()
        counts = {row.key: int(row.score) for row in rows if row.is_count}
        return counts, [row for row in rows if not row.is_count]

    def all_keys(self) -> set[str]:
        with self._engine().connect() as conn:
            return set(conn.scalars(text(f"SELECT key FROM {LIVE}")))  # noqa: S608

    def status(self) -> dict:
        with self._engine().connect() as conn:
            counts = {row.type: row.n for row in conn.execute(
                text(f"SELECT type, count(*) AS n FROM {LIVE} GROUP BY type"))}  # noqa: S608
            size = conn.execute(text(f"SELECT pg_total_relation_size('{LIVE}')")).scalar() or 0
            database = conn.execute(text("SELECT current_database()")).scalar()
        return {"documents": sum(counts.values()), "counts": counts, "size_bytes": int(size),
                "path": f"PostgreSQL {database}.{LIVE}", "rebuild": self.load_progress()}


register_backend("postgres", PostgresBackend)
