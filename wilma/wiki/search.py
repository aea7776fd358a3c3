"""Wiki pages in search (imported by ``wilma.search`` when that feature is installed).

A page is one document: its title and the text of its current revision, visible to the readers of its
group's wiki (``group_id``) or to everyone for the city-wide wiki. Pages in the trash are removed from
the index. ``services`` queues a page after every change (``queue_search``).
"""

from sqlalchemy import func, select

from wilma.extensions import db
from wilma.search.registry import Document, Provider, register_provider
from wilma.wiki.models import WikiPage, WikiRevision
from wilma.wiki.pages import page_url


def page_document(page: WikiPage, body: str | None = None) -> Document:
    if body is None:
        body = page.current_revision.body if page.current_revision is not None else ""
    return Document(type="wiki", object_id=page.id, title=page.title, body=body, url=page_url(page),
                    group_id=page.group_id, created_at=page.updated_at, deleted=page.deleted_at is not None)


def _with_body():
    return select(WikiPage, WikiRevision.body).outerjoin(WikiRevision, WikiRevision.id == WikiPage.current_revision_id)


def _iter_pages():
    query = _with_body().where(WikiPage.deleted_at.is_(None)).order_by(WikiPage.id).execution_options(yield_per=500)
    for page, body in db.session.execute(query):
        yield page_document(page, body or "")


def _load_pages(page_ids: list[int]) -> dict[int, Document]:
    """The pages with the text of their current revision, in one query (a results page, the outbox)."""
    rows = db.session.execute(_with_body().where(WikiPage.id.in_(page_ids))) if page_ids else []
    return {page.id: page_document(page, body or "") for page, body in rows}


def _count() -> int:
    return db.session.scalar(select(func.count(WikiPage.id)).where(WikiPage.deleted_at.is_(None))) or 0


register_provider(Provider(type="wiki", iter_documents=_iter_pages, load=lambda i: _load_pages([i]).get(i),
                           load_many=_load_pages, count=_count))
