"""QR codes as SVG images served by the portal (segno; no third-party service).

A citizen reading a procedure on a screen at the one-stop office scans the code
with a phone to reach the online filing page. The SVG is made once per process
for each distinct text and sent with a long public cache lifetime: the URL that
serves it carries the text's hash, so a changed text gets a new URL.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache

from pyramid.response import Response

MAX_TEXT = 2048  # a URL; segno would refuse more than a version-40 code holds anyway


@lru_cache(maxsize=512)
def qr_svg(text: str) -> bytes:
    import segno

    buf = io.BytesIO()
    # Medium error correction survives a smudged print-out; the quiet zone (border)
    # is what phone cameras need to find the code.
    segno.make(text, error="m", micro=False).save(
        buf, kind="svg", scale=4, border=4, xmldecl=False, svgclass=None, lineclass=None
    )
    return buf.getvalue()


@lru_cache(maxsize=512)
def qr_size(text: str) -> int:
    """The square image's side in CSS pixels, for the <img> width and height."""
    import segno

    return segno.make(text[:MAX_TEXT], error="m", micro=False).symbol_size(scale=4, border=4)[0]


def qr_key(text: str) -> str:
    """A short fingerprint of ``text`` for the image URL (cache busting)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def qr_response(request, text: str) -> Response:
    body = qr_svg(text[:MAX_TEXT])  # the same cut as qr_size
    response = Response(body=body, content_type="image/svg+xml")
    response.headers["X-Content-Type-Options"] = "nosniff"
    if request.identity_obj is None:
        response.cache_control.public = True
        response.cache_control.max_age = 86400
    return response
