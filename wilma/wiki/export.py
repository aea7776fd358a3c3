"""What the wiki holds about a person, for their data download: their revisions, watches and files."""

from sqlalchemy import select

from wilma.admin.export import register_exporter
from wilma.core import uploads
from wilma.extensions import db
from wilma.wiki.attachments import AREA
from wilma.wiki.models import WikiAttachment, WikiRevision, WikiWatch


def export_wiki(user) -> dict:
    revisions = db.session.scalars(select(WikiRevision).where(WikiRevision.author_id == user.id)
                                   .order_by(WikiRevision.id))
    watches = db.session.scalars(select(WikiWatch).where(WikiWatch.user_id == user.id))
    return {
        "revisions": [{"page_id": r.page_id, "number": r.number, "title": r.title, "body": r.body,
                       "summary": r.summary, "created_at": r.created_at} for r in revisions],
        "watching": [{"page_id": w.page_id} for w in watches],
        "attachments": [{"id": a.id, "page_id": a.page_id, "file_name": a.filename, "content_type": a.content_type,
                         "size": a.size, "created_at": a.created_at} for a in _attachments(user)],
    }


def _attachments(user):
    return db.session.scalars(select(WikiAttachment).where(WikiAttachment.uploaded_by_id == user.id)
                              .order_by(WikiAttachment.id))


def export_wiki_files(user):
    for attachment in _attachments(user):
        yield f"wiki/{attachment.id}-{attachment.filename}", str(uploads.path_for(AREA, attachment.stored_name))


register_exporter("wiki", export_wiki, files=export_wiki_files)
