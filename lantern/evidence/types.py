"""What may be uploaded, decided by the content (magic numbers, `filetype`), never by the
file's name: the formats of evidence files (documents, photos, recordings)."""

from __future__ import annotations

import filetype

ALLOWED = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "video/mp4": ".mp4",
    "audio/mpeg": ".mp3",
    "audio/x-wav": ".wav",
}


def detect(head: bytes) -> str | None:
    """The MIME type the content shows, or None when it is not one we accept."""
    kind = filetype.guess(head)
    return kind.mime if kind is not None and kind.mime in ALLOWED else None
