"""Attachments: the type comes from the content, names are made by the server, access follows the post.

- Raster images (PNG, JPEG, GIF, WebP) are decoded with Pillow (pixel limit of ``core.uploads``) and get
  a thumbnail; they alone are served inline.
- A file whose name promises an image but whose content is none is refused.
- Other files get the type ``filetype`` sniffs from their first bytes, if it is on a short list of
  harmless document types; everything else is ``application/octet-stream``. Files are always served
  with ``Content-Disposition: attachment`` and ``X-Content-Type-Options: nosniff``: never HTML or SVG.
"""

import mimetypes
import unicodedata
from pathlib import PurePath

import filetype
from flask import current_app, send_file
from flask_babel import gettext as _
from PIL import Image

from wilma.core import uploads
from wilma.core.database import commit
from wilma.core.errors import NotFound, ValidationError
from wilma.extensions import db
from wilma.posts import access
from wilma.posts.limits import check_rate
from wilma.posts.models import Attachment

AREA = "posts"
THUMB_SIZE = (640, 640)
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg", ".tif", ".tiff", ".ico"}
SAFE_DOCUMENT_TYPES = {
    "application/pdf", "application/zip", "application/gzip", "application/x-7z-compressed",
    "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation", "audio/mpeg", "video/mp4",
}


def max_bytes() -> int:
    return int(current_app.config["WILMA_MAX_UPLOAD_MB"]) * 1024 * 1024


def clean_filename(name: str | None) -> str:
    """A display name: the last path part, no control characters, at most 200 characters."""
    base = PurePath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    return base.strip()[:200] or "file"


def _sniff(data: bytes) -> str:
    kind = filetype.guess(data[:8192])
    if kind is not None and kind.mime in SAFE_DOCUMENT_TYPES:
        return kind.mime
    return "application/octet-stream"


def store_upload(user, stream, filename: str | None) -> Attachment:
    """Store one uploaded file for ``user`` (not yet attached to a post)."""
    access.ensure_user(user)
    check_rate("uploads", user)
    data = uploads.read_limited(stream, max_bytes())
    if not data:
        raise ValidationError(_("The file is empty."), field="files")
    original = clean_filename(filename)
    suffix = PurePath(original).suffix.lower()
    image = None
    sniffed = filetype.guess(data[:8192])
    try:
        image = uploads.open_image(data)
    except ValidationError as err:
        if sniffed is not None and sniffed.mime in IMAGE_TYPES.values():
            err.field = "files"
            raise  # an image we refuse (too many pixels, broken): say why
        if suffix in IMAGE_EXTENSIONS:
            raise ValidationError(_("“%(name)s” is not a PNG, JPEG, GIF or WebP image.", name=original),
                                  field="files") from None
    if image is not None:
        content_type = IMAGE_TYPES[image.format]
        extension = uploads.IMAGE_FORMATS[image.format]
        thumb_name, width, height = _thumbnail(image), image.width, image.height
    else:
        content_type = _sniff(data)
        extension = (mimetypes.guess_extension(content_type) or ".bin").lstrip(".")
        thumb_name = width = height = None
    stored = uploads.new_name(extension)
    target = uploads.path_for(AREA, stored)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    attachment = Attachment(uploader_id=user.id, stored_name=stored, original_name=original,
                            content_type=content_type, size=len(data), thumbnail_name=thumb_name,
                            width=width, height=height)
    db.session.add(attachment)
    commit()
    return attachment


def _thumbnail(image: Image.Image) -> str:
    thumb = image.copy()
    if thumb.mode not in ("RGB", "RGBA"):
        thumb = thumb.convert("RGBA")
    thumb.thumbnail(THUMB_SIZE)
    name = uploads.new_name("png")
    target = uploads.path_for(AREA, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    thumb.save(target, "PNG", optimize=True)
    return name


def readable_attachment(user, attachment_id: int) -> Attachment:
    """The attachment when ``user`` may see its post (or uploaded it and it is not posted yet)."""
    access.ensure_user(user)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound()
    if attachment.post_id is None:
        if attachment.uploader_id != user.id:
            raise NotFound()
    else:
        access.readable_post(user, attachment.post_id)
    return attachment


def send_attachment(attachment: Attachment, *, thumbnail: bool = False):
    """The file response: inline only for raster images, a download for everything else."""
    if thumbnail and attachment.thumbnail_name:
        path, mimetype, inline = uploads.path_for(AREA, attachment.thumbnail_name), "image/png", True
    else:
        path, mimetype = uploads.path_for(AREA, attachment.stored_name), attachment.content_type
        inline = attachment.is_image and mimetype in IMAGE_TYPES.values()
    if not path.exists():
        raise NotFound()
    response = send_file(path, mimetype=mimetype, as_attachment=not inline,
                         download_name=attachment.original_name, conditional=True, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
