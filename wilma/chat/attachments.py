"""Files sent in chat, with the upload rules of the core (``wilma.core.uploads``).

Images (PNG, JPEG, GIF, WebP) are decoded with Pillow and re-encoded, which drops metadata and anything
hidden behind the image data; other files must be PDF, plain text or an office document, recognised from
their content, not their name. Every file is at most ``WILMA_MAX_UPLOAD_MB``, stored under a server-made
name in ``uploads/chat/`` and served only to the members of its channel (non-images as downloads).
"""

import io
import mimetypes
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from wilma.chat.models import ChatAttachment, ChatMessage
from wilma.chat.services import get_channel
from wilma.core.errors import NotFound, ValidationError
from wilma.core.uploads import IMAGE_FORMATS, new_name, open_image, path_for, read_limited
from wilma.extensions import db

AREA = "chat"
MAX_FILES = 5
OFFICE = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}
OFFICE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}


def _clean_filename(name: str) -> str:
    name = Path((name or "").replace("\\", "/")).name.strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')
    return name[:200] or "file"


def _kind(data: bytes, filename: str) -> tuple[str, str]:
    """``(extension, content type)`` for an accepted non-image file, else a ValidationError."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if data.startswith(b"PK\x03\x04") and ext in OFFICE:
        return ext, OFFICE_TYPES[ext]
    if ext in ("txt", "csv", "md") and b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return ext, "text/plain; charset=utf-8"
    raise ValidationError(_("Please send an image, a PDF, a text file or an office document."), field="file")


def prepare(storage) -> ChatAttachment:
    """Check and store an uploaded file; returns an unsaved ``ChatAttachment`` for ``send_message``."""
    max_bytes = int(current_app.config["WILMA_MAX_UPLOAD_MB"]) * 1024 * 1024
    data = read_limited(storage.stream, max_bytes)
    filename = _clean_filename(storage.filename)
    if not data:
        raise ValidationError(_("The file is empty."), field="file")
    if data[:8].startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF")):
        image = open_image(data)
        ext = IMAGE_FORMATS[image.format]
        fmt = image.format
        name = new_name(ext)
        target = path_for(AREA, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        out = io.BytesIO()
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, fmt)
        target.write_bytes(out.getvalue())
        content_type = mimetypes.types_map.get(f".{ext}", "image/png") if ext != "webp" else "image/webp"
        return ChatAttachment(stored_name=name, filename=filename, content_type=content_type,
                              size=len(out.getvalue()), is_image=True)
    ext, content_type = _kind(data, filename)
    name = new_name(ext)
    target = path_for(AREA, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return ChatAttachment(stored_name=name, filename=filename, content_type=content_type, size=len(data))


def discard(prepared: list[ChatAttachment]) -> None:
    """Remove stored files whose message was not saved."""
    for item in prepared:
        path_for(AREA, item.stored_name).unlink(missing_ok=True)


def stored_path(item: ChatAttachment) -> Path:
    return path_for(AREA, item.stored_name)


def readable(user, attachment_id: int) -> ChatAttachment:
    """The attachment, if ``user`` is in its channel and its message is not deleted (else 404)."""
    item = db.session.get(ChatAttachment, attachment_id)
    if item is None:
        raise NotFound()


    message = db.session.get(ChatMessage, item.message_id)
    if message is None or message.is_deleted:
        raise NotFound()
    get_channel(user, message.channel_id)
    return item
