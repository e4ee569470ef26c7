"""The response for a stored file: one place for the headers every download needs.

Type as sniffed on upload (never from the name), the original name in RFC 5987
form beside a plain-ASCII fallback for old clients, nosniff, an ETag from the
content hash, Range and conditional requests, and a cache policy that lets a
shared cache keep only what anonymous visitors may fetch.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import FileResponse

from .blobs import store_for
from .text import fold

# Shown in the browser rather than saved: safe types only (never HTML or SVG).
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})


def blob_response(
    request,
    sha256: str,
    mime_type: str,
    filename: str = "",
    *,
    inline: bool = False,
    modified: dt.datetime | None = None,
    max_age: int = 3600,
    fallback: str = "tep",
):
    """Serve the blob ``sha256``; 404 if it is not in the store. ``inline`` is honoured
    only for INLINE_TYPES. Without ``filename`` no Content-Disposition is sent (media
    played or shown by the page itself)."""
    store = store_for(request.registry.settings)
    if not sha256 or not store.exists(sha256):
        raise HTTPNotFound()
    response = FileResponse(
        str(store.path(sha256)), request=request, content_type=mime_type or "application/octet-stream"
    )
    if filename:
        disposition = "inline" if inline and mime_type in INLINE_TYPES else "attachment"
        ascii_name = fold(filename).encode("ascii", "ignore").decode().replace('"', "").replace("\\", "")
        response.headers["Content-Disposition"] = (
            f"{disposition}; filename=\"{ascii_name or fallback}\"; filename*=UTF-8''{quote(filename)}"
        )
    response.etag = sha256
    if modified is not None:
        response.last_modified = modified
    response.conditional_response = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    # An anonymous request got here only if the item and its lineage are public.
    public = request.identity_obj is None
    response.cache_control = f"public, max-age={max_age}" if public else "private, no-store"
    return response
