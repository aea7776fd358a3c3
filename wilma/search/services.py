"""Searching with visibility, rebuilding and the status of the index.

Visibility is decided at query time with the one function of ``wilma.core.security``
(``readable_group_ids``), so a group made secret or a member removed is reflected at once. Three
layers keep what a user may not see out of results *and* counts:

1. the index query carries the user's access terms (public, the readable groups, the member groups for
   group chat, their own DMs);
2. keys whose change is still in the outbox are masked when the change hides them (deleted, moved);
3. the hits of the page are loaded again from the database and checked with the same rule, and their
   titles and snippets are made from that fresh text, never from the index.
"""

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update

from wilma.core.models import utcnow
from wilma.extensions import db
from wilma.search.backend import Filters, IndexBusy, QuerySyntaxError, RebuildReport, get_backend
from wilma.search.fragments import clean_fragments
from wilma.search.models import SearchOutbox
from wilma.search.outbox import current_documents, deferred_reads, pending_count
from wilma.search.registry import Document, load_keys, providers

PER_PAGE = 20
MASK_LOAD_LIMIT = 200
MASK_DELETE_LIMIT = 5000
REPLAY_MARGIN = timedelta(seconds=60)


@dataclass
class ResultItem:
    key: str
    type: str
    object_id: int
    title_html: str
    snippet_html: str
    url: str | None
    group_id: int | None
    created_at: datetime | None
    document: Document


@dataclass
class Results:
    query: str
    items: list[ResultItem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    page: int = 1
    pages: int = 0


def readable_group_ids(user) -> set[int]:
    """The groups whose content ``user`` may read, from ``wilma.core.security`` (empty until it exists)."""
    from wilma.core import security

    function = getattr(security, "readable_group_ids", None)
    if function is None or user is None:
        return set()
    return set(function(user))


def member_group_ids(user) -> set[int]:
    """The groups ``user`` is a member of (group chat is for members only), from ``wilma.core.security``."""
    from wilma.core import security

    function = getattr(security, "member_group_ids", None)
    if function is None or user is None:
        return set()
    return set(function(user))


def access_terms(user_id: int | None, groups: set[int], members: set[int] = frozenset()) -> list[str]:
    """The index ACL terms this user's query may match (see :meth:`Document.acl_tokens`)."""
    return (["public"] + [f"g{gid}" for gid in sorted(groups)] + [f"m{gid}" for gid in sorted(members)]
            + ([f"u{user_id}"] if user_id else []))


def hidden_pending_keys(user_id: int | None, groups: set[int], members: set[int] = frozenset()) -> set[str]:
    """Keys whose queued (not yet applied) change hides them from this user."""
    rows = db.session.execute(
        select(SearchOutbox.id, SearchOutbox.key, SearchOutbox.op, SearchOutbox.created_at)
        .where(SearchOutbox.processed_at.is_(None)).order_by(SearchOutbox.id.desc()).limit(MASK_DELETE_LIMIT)).all()
    latest: dict[str, str] = {}
    for row in rows:  # newest first: the latest queued operation of a key decides
        latest.setdefault(row.key, row.op)
    hidden = {key for key, op in latest.items() if op == "delete"}
    to_check = [key for key, op in latest.items() if op != "delete"][:MASK_LOAD_LIMIT]
    if to_check:
        documents, missing = _pending_documents(tuple(tuple(row) for row in rows), to_check)
        hidden.update(missing)
        hidden.update(doc.key for doc in documents if not doc.visible_to(user_id, groups, members))
    return hidden


def _pending_documents(rows: tuple, keys: list[str]) -> tuple[list[Document], list[str]]:
    """``current_documents(keys)``, read again only when the queue changed: every change of an object
    queues a new row, so the same pending rows mean the same documents (their visibility to a person is
    still decided per search, from that person's groups). Searches in a busy installation usually find
    the same few pending rows; this saves reading their objects for each of them. One answer per app."""
    from flask import current_app

    cache = current_app.extensions.setdefault("wilma_search_pending", [None])
    entry = cache[0]  # (pending rows, answer), replaced whole
    if entry is not None and entry[0] == rows:
        return entry[1]
    answer = current_documents(keys)
    cache[0] = (rows, answer)
    return answer


def search(user, query: str, *, type_name: str | None = None, group_id: int | None = None,
           date_from: datetime | None = None, date_to: datetime | None = None, page: int = 1,
           per_page: int = PER_PAGE) -> Results:
    """What ``user`` may see that matches ``query``; :class:`QuerySyntaxError` for a malformed query."""
    user_id = getattr(user, "id", None)
    groups = readable_group_ids(user)
    members = member_group_ids(user)
    if type_name is not None and type_name not in providers():
        get_backend().search(query, Filters(acl=[]))  # still report malformed syntax
        return Results(query=query)
    filters = Filters(acl=access_terms(user_id, groups, members), type=type_name, group_id=group_id,
                      date_from=date_from, date_to=date_to, hidden_keys=hidden_pending_keys(user_id, groups, members))
    found = get_backend().search(query, filters, page=page, per_page=per_page)
    fresh = load_keys([hit.key for hit in found.hits])
    shown, parts = [], []
    for hit in found.hits:
        doc = fresh.get(hit.key)
        if doc is None or not doc.visible_to(user_id, groups, members):
            continue
        snippets = hit.highlight
        title_text = doc.title or _shorten(doc.body, 80)  # posts and messages have no title of their own
        title = (snippets.title(title_text) if snippets else "") or _escape(title_text)
        body = (snippets.body(doc.body) if snippets else "") or _escape(_shorten(doc.body))
        shown.append((hit, doc))
        parts.extend((title, body))
    cleaned = clean_fragments(parts)
    items = [ResultItem(key=hit.key, type=hit.type, object_id=hit.object_id, title_html=cleaned[2 * n],
                        snippet_html=cleaned[2 * n + 1], url=doc.url,
                        group_id=doc.group_id if doc.group_id is not None else doc.member_group_id,
                        created_at=doc.created_at, document=doc)
             for n, (hit, doc) in enumerate(shown)]
    return Results(query=query, items=items, counts=found.counts, total=found.total, page=found.page,
                   pages=found.pages)


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text or ""))


def _shorten(text: str, limit: int = 220) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


# --- rebuild and status ----------------------------------------------------------------------------------


def count_documents() -> int | None:
    """How many objects a rebuild will read (``None`` when a provider cannot count)."""
    total = 0
    for provider in providers().values():
        if provider.count is None:
            return None
        total += provider.count()
    return total


def iter_all_documents():
    for provider in providers().values():
        yield from provider.iter_documents()


def rebuild_index(progress=None) -> RebuildReport:
    """Rebuild from the database beside the live index and swap; progress is saved for every process.

    ``progress(done, total)`` is called as documents are read. Raises :class:`IndexBusy` when a
    rebuild is already running."""
    with deferred_reads():
        report_, covered = _rebuild(progress)
    _mark_processed(covered)
    return report_


def _rebuild(progress) -> tuple[RebuildReport, list[int]]:
    backend = get_backend()
    started_at = utcnow()
    total = count_documents()
    clock = {"start": time.monotonic(), "saved": 0.0}

    def report(done: int) -> None:
        now = time.monotonic()
        if progress is not None:
            progress(done, total)
        if now - clock["saved"] >= 0.5 or done == total:
            clock["saved"] = now
            rate = done / max(now - clock["start"], 1e-6)
            backend.save_progress({"state": "running", "done": done, "total": total, "rate": round(rate, 1),
                                   "phase": "finishing" if total and done >= total else "reading",
                                   "started_at": started_at.isoformat(), "eta_seconds":
                                   round((total - done) / rate, 1) if total and rate else None})

    covered: list[int] = []

    def replay():
        db.session.commit()  # a fresh snapshot: the one the rebuild read from is older than the changes
        since = started_at - REPLAY_MARGIN
        keys = db.session.scalars(select(SearchOutbox.key).where(SearchOutbox.created_at >= since)).all()
        covered.extend(db.session.scalars(select(SearchOutbox.id).where(SearchOutbox.processed_at.is_(None))))
        changes = current_documents(list(dict.fromkeys(keys))) if keys else ([], [])
        db.session.commit()
        return changes

    previous = backend.load_progress()
    try:
        backend.save_progress({"state": "running", "done": 0, "total": total, "started_at": started_at.isoformat(),
                               "last_finished_at": previous.get("finished_at") or previous.get("last_finished_at")})
        report_ = backend.rebuild(iter_all_documents(), progress=report, replay=replay)
        db.session.commit()
    except IndexBusy:
        backend.save_progress(previous)
        raise
    except Exception as err:
        backend.save_progress({"state": "failed", "error": str(err)[:500], "started_at": started_at.isoformat(),
                               "finished_at": utcnow().isoformat()})
        raise
    backend.save_progress({"state": "done", "done": report_.documents, "total": total,
                           "started_at": started_at.isoformat(), "finished_at": utcnow().isoformat(),
                           "seconds": round(report_.seconds, 2), "counts": report_.counts,
                           "rate": round(report_.documents / max(report_.seconds, 1e-6), 1)})
    return report_, covered


def _mark_processed(ids: list[int]) -> None:
    """Rows that were pending at the swap are in the new index: the rebuild has done their work."""
    for start in range(0, len(ids), 500):
        db.session.execute(update(SearchOutbox).where(SearchOutbox.id.in_(ids[start:start + 500]))
                           .values(processed_at=utcnow()))
    db.session.commit()


def index_status() -> dict:
    """Documents per type, size, last rebuild and pending outbox rows."""
    status = get_backend().status()
    status["pending"] = pending_count()
    return status


__all__ = ["QuerySyntaxError", "Results", "index_status", "rebuild_index", "search"]
