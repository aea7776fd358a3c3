"""The search backend interface; callers use :func:`get_backend` and never a concrete engine.

Engines implement :class:`SearchBackend` and are chosen with ``WILMA_SEARCH_BACKEND``: ``whoosh`` (the
default, files in ``WILMA_SEARCH_INDEX_DIR``) or ``postgres`` (tables in the PostgreSQL database, for
installations with several app servers; see ``postgres_backend``).
"""

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app

from wilma.search.registry import Document


class QuerySyntaxError(ValueError):
    """The query cannot be understood; ``message`` says how to fix it (shown to the user)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IndexBusy(RuntimeError):
    """The index writer is held by another process; try again later (nothing is lost)."""


@dataclass
class Filters:
    """Restrictions every query carries: who asks (``acl``) and what they narrowed down to."""

    acl: list[str]
    type: str | None = None
    group_id: int | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    hidden_keys: set[str] = field(default_factory=set)


@dataclass
class Hit:
    key: str
    type: str
    object_id: int
    score: float
    # Marks the query's matches in fresh text: ``highlight.title(text)`` and ``highlight.body(text)``
    # answer escaped HTML with ``<mark>``, or "" when nothing matched.
    highlight: object | None = None


@dataclass
class SearchPage:
    hits: list[Hit]
    total: int
    counts: dict[str, int]
    page: int
    pages: int


@dataclass
class RebuildReport:
    documents: int
    seconds: float
    counts: dict[str, int]


class SearchBackend:
    """Index, delete, search, rebuild, status. Implementations must be safe across processes."""

    def index(self, documents: Iterable[Document]) -> int:
        """Add or replace documents (by key); answer how many. One ``update`` under the writer lock."""
        documents = list(documents)
        return self.update(lambda: (documents, []))

    def delete(self, keys: Iterable[str]) -> int:
        """Remove documents by key; answer how many. One ``update`` under the writer lock."""
        keys = list(keys)
        return self.update(lambda: ([], keys))

    def update(self, load_changes: Callable[[], tuple[list[Document], list[str]]]) -> int:
        """Take the writer lock, call ``load_changes`` and write what it answers in one commit.

        Loading under the lock is what keeps the index right with several workers: whoever reads the
        database later also writes later. Raises :class:`IndexBusy` when the lock is not free in time."""
        raise NotImplementedError

    def search(self, query: str, filters: Filters, page: int = 1, per_page: int = 20) -> SearchPage:
        """Hits of ``page`` with counts per type over every match the filters allow.

        Raises :class:`QuerySyntaxError` for a query that cannot be understood."""
        raise NotImplementedError

    def rebuild(self, documents: Iterable[Document], progress: Callable[[int], None] | None = None,
                replay: Callable[[], tuple[list[Document], list[str]]] | None = None) -> RebuildReport:
        """Build a new index from ``documents`` beside the live one and swap it in atomically.

        ``replay`` is called under the writer lock just before the swap, for the changes made while
        the rebuild ran; its documents and deletions go into the new index first."""
        raise NotImplementedError

    def status(self) -> dict:
        """``{"documents": n, "counts": {type: n}, "size_bytes": n, "path": ...}``."""
        raise NotImplementedError

    def all_keys(self) -> set[str]:
        """Every key in the live index (to check that database and index agree)."""
        raise NotImplementedError

    def rebuild_running(self) -> bool:
        """Whether a rebuild runs right now (in any process)."""
        raise NotImplementedError

    def save_progress(self, values: dict) -> None:
        """Record the progress of a rebuild where every process can read it."""
        raise NotImplementedError

    def load_progress(self) -> dict:
        raise NotImplementedError


_BACKENDS: dict[str, Callable[[dict], SearchBackend]] = {}
_BUILT_IN = {"whoosh": "wilma.search.whoosh_backend", "postgres": "wilma.search.postgres_backend"}


def register_backend(name: str, factory: Callable[[dict], SearchBackend]) -> None:
    _BACKENDS[name] = factory


def get_backend(app=None) -> SearchBackend:
    """The configured backend of ``app`` (one instance per app)."""
    app = app or current_app._get_current_object()
    backend = app.extensions.get("wilma_search_backend")
    if backend is None:
        name = app.config.get("WILMA_SEARCH_BACKEND") or "whoosh"
        if name not in _BACKENDS and name in _BUILT_IN:
            importlib.import_module(_BUILT_IN[name])  # registers itself
        if name not in _BACKENDS:
            raise RuntimeError(f"Unknown WILMA_SEARCH_BACKEND {name!r}; available: {', '.join(_BACKENDS)}")
        backend = _BACKENDS[name](app.config)
        app.extensions["wilma_search_backend"] = backend
    return backend
