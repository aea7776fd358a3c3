"""Files attached to wiki pages, and the editors of the city-wide wiki.

Attachments use ``wilma.core.uploads``: server-made names under the area ``wiki``; images are decoded
and re-encoded with Pillow, other files are stored as they are and always served as downloads. Reading
an attachment needs read access to its page (a secret group's files answer 404 to outsiders).
"""

import mimetypes

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from wilma.accounts.models import User
from wilma.core import uploads
from wilma.core.audit import audit
from wilma.core.database import commit
from wilma.core.errors import NotFound, ValidationError
from wilma.core.security import ensure_admin
from wilma.extensions import db
from wilma.wiki import access
from wilma.wiki.models import WikiAttachment, WikiEditor

AREA = "wiki"


def _safe_filename(name: str) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')
    return name.strip()[:200] or "file"


def add_attachment(user, page_id: int, file_storage) -> WikiAttachment:
    """Attach an uploaded file (``werkzeug`` ``FileStorage``) to a page the person may edit."""
    page = access.readable_page(user, page_id)
    access.ensure_write(user, page.group_id)
    if file_storage is None or not file_storage.filename:
        raise ValidationError(_("Please choose a file."), field="file")
    limit = int(current_app.config["WILMA_MAX_UPLOAD_MB"]) * 1024 * 1024
    data = uploads.read_limited(file_storage.stream, limit)
    filename = _safe_filename(file_storage.filename)
    try:
        image = uploads.open_image(data)
    except ValidationError:
        image = None
    if image is not None:
        extension = uploads.IMAGE_FORMATS[image.format]
        stored = uploads.new_name(extension)
        target = uploads.path_for(AREA, stored)
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(target, image.format)
        content_type = image_mime(extension)
    else:
        stored = uploads.new_name("bin")
        target = uploads.path_for(AREA, stored)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        if content_type.startswith(("image/", "text/html", "application/xhtml")) or "xml" in content_type:
            content_type = "application/octet-stream"  # only re-encoded images are shown inline
    attachment = WikiAttachment(page_id=page.id, stored_name=stored, filename=filename,
                                content_type=content_type, size=target.stat().st_size, uploaded_by_id=user.id)
    db.session.add(attachment)
    commit()
    return attachment


def image_mime(extension: str) -> str:
    return {"jpg": "image/jpeg"}.get(extension, f"image/{extension}")


def page_attachments(page) -> list[WikiAttachment]:
    return list(db.session.scalars(select(WikiAttachment).where(WikiAttachment.page_id == page.id)
                                   .order_by(WikiAttachment.created_at)))


def get_attachment(user, attachment_id: int) -> WikiAttachment:
    """An attachment of a page the person may read; 404 otherwise."""
    attachment = db.session.get(WikiAttachment, attachment_id)
    if attachment is None:
        raise NotFound()
    access.readable_page(user, attachment.page_id)
    return attachment


def delete_attachment(user, attachment_id: int) -> None:
    attachment = get_attachment(user, attachment_id)
    page = access.readable_page(user, attachment.page_id)
    access.ensure_write(user, page.group_id)
    name = attachment.stored_name
    audit("wiki.attachment.delete", actor=user, target={"type": "wiki_attachment", "id": attachment.id,
                                                        "label": attachment.filename},
          detail={"page_id": page.id, "group_id": page.group_id})
    db.session.delete(attachment)
    commit()
    uploads.delete_stored(AREA, name)


def name_editor(admin, user_id: int) -> WikiEditor:
    """An admin names someone editor of the city-wide wiki."""
    ensure_admin(admin)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    editor = db.session.get(WikiEditor, user.id)
    if editor is None:
        editor = WikiEditor(user_id=user.id, named_by_id=admin.id)
        db.session.add(editor)
        commit()
    return editor


def remove_editor(admin, user_id: int) -> None:
    ensure_admin(admin)
    editor = db.session.get(WikiEditor, user_id)
    if editor is not None:
        db.session.delete(editor)
        commit()
