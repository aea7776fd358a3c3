"""Stored files: server-made names under ``WILMA_UPLOAD_DIR``, types checked from the content.

Images are decoded with Pillow (with a pixel-count limit against decompression bombs) and re-encoded,
which also drops metadata and anything hidden after the image data.
"""

import io
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from wilma.core.errors import TooLarge, ValidationError

MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


def upload_root() -> Path:
    root = Path(current_app.config["WILMA_UPLOAD_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def new_name(extension: str) -> str:
    return f"{secrets.token_hex(16)}.{extension}"


def path_for(area: str, name: str) -> Path:
    """The file ``name`` of ``area``; names are server-made, so anything else is refused."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValidationError(_("Unknown file."))
    return upload_root() / area / name


def read_limited(stream, max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(_("The file is larger than %(mb)d MB.", mb=max_bytes // (1024 * 1024)))
    return data


def open_image(data: bytes) -> Image.Image:
    """Decode ``data`` as an image or refuse it with a clear message."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in IMAGE_FORMATS:
            raise ValidationError(_("Please choose a PNG, JPEG, GIF or WebP image."))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("The image has too many pixels."))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(_("This file is not an image we can read.")) from None
    except Image.DecompressionBombError:
        raise ValidationError(_("The image has too many pixels.")) from None
    return image


def save_square_png(image: Image.Image, area: str, size: int) -> str:
    """Crop to a centred square, scale to ``size`` and store as PNG; returns the new name."""
    side = min(image.width, image.height)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    square = image.convert("RGBA").crop((left, top, left + side, top + side)).resize((size, size))
    name = new_name("png")
    target = path_for(area, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    square.save(target, "PNG", optimize=True)
    return name


def delete_stored(area: str, name: str | None) -> None:
    if name:
        path_for(area, name).unlink(missing_ok=True)
