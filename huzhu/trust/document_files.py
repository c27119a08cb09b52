"""Photos of identity documents on disk: checked, stored owner-only, read by moderators,
deleted once decided.

They live under MEDIA_ROOT/documents, which nothing serves: the only way to see one is
the staff-only view in the documents queue. A file's type is judged by its first bytes,
never by its name or the content type the browser claims.
"""

import logging
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from huzhu.errors import Invalid

logger = logging.getLogger(__name__)
FOLDER = "documents"
# The image formats a phone camera or screenshot produces, by their signatures.
SIGNATURES: tuple[tuple[str, str, bytes, int], ...] = (
    ("jpg", "image/jpeg", b"\xff\xd8\xff", 0),
    ("png", "image/png", b"\x89PNG\r\n\x1a\n", 0),
    ("webp", "image/webp", b"WEBP", 8),  # after "RIFF" and the length
)
CONTENT_TYPES = {extension: content_type for extension, content_type, _s, _o in SIGNATURES}


def _sniff(head: bytes) -> str | None:
    for extension, _type, signature, offset in SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            if extension == "webp" and not head.startswith(b"RIFF"):
                continue
            return extension
    return None


def _root() -> Path:
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def store(upload: UploadedFile) -> str:
    """Check `upload` and write it owner-only; return its path relative to MEDIA_ROOT."""
    limit = settings.HUZHU_DOCUMENT_MAX_BYTES
    if not upload.size:
        raise Invalid(_("Choose a photo of your document."), field="image")
    if upload.size > limit:
        raise Invalid(
            _("The photo is too large: at most %(mb)d MB.") % {"mb": limit // 1_000_000},
            field="image",
        )
    upload.seek(0)
    extension = _sniff(upload.read(16))
    if extension is None:
        raise Invalid(_("The photo must be a JPEG, PNG or WebP image."), field="image")
    upload.seek(0)
    name = f"{secrets.token_hex(16)}.{extension}"
    fd = os.open(_root() / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return f"{FOLDER}/{name}"


def absolute(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def content_type(relative: str) -> str:
    return CONTENT_TYPES.get(relative.rsplit(".", 1)[-1], "application/octet-stream")


def delete(relative: str) -> None:
    """Remove a stored photo; a file already gone is fine (a replay after a crash)."""
    if not relative:
        return
    try:
        absolute(relative).unlink()
    except FileNotFoundError:
        logger.info("document image %s was already gone", relative)
