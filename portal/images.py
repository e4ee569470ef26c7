"""Images: checked with Pillow on the way in, resized on demand for srcset.

Renditions are made once per (image, width) and kept beside the blobs, under
``<data dir>/renditions``; an image's bytes never change (content-addressed),
so a rendition never goes stale.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from .blobs import BlobStore

# Widths offered in srcset; anything else asked for is refused, so a visitor
# cannot make the server resize to arbitrary sizes.
WIDTHS = (320, 640, 1024, 1600)
MAX_PIXELS = 40_000_000  # refuse bigger images before decoding them whole

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "PNG", "image/webp": "WEBP"}
EXT = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


class BadImage(ValueError):
    pass


def inspect_image(fp) -> tuple[int, int]:
    """(width, height) of a well-formed image; BadImage if it is broken or too big."""
    pos = fp.tell()
    try:
        with Image.open(fp) as im:
            width, height = im.size
            if width * height > MAX_PIXELS:
                raise BadImage("too many pixels")
            im.verify()  # reads the whole file: truncated or corrupt data fails here
        fp.seek(pos)
        with Image.open(fp) as im:
            im.load()
        return width, height
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as e:
        raise BadImage(str(e)) from None
    finally:
        fp.seek(pos)


def rendition(store: BlobStore, root: Path, sha256: str, mime: str, width: int) -> Path:
    """The path of the image resized to ``width`` (never enlarged), made if missing."""
    fmt = FORMATS.get(mime, "JPEG")
    target = Path(root) / sha256[:2] / f"{sha256}-{width}{EXT[fmt]}"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with store.open(sha256) as fp, Image.open(fp) as im:
        im = ImageOps.exif_transpose(im)
        if im.width > width:
            im.thumbnail((width, width * 10), Image.Resampling.LANCZOS)
        if fmt == "JPEG" and im.mode not in ("RGB", "L"):
            im = im.convert("RGB")
        buf = io.BytesIO()
        im.save(buf, fmt, **({"quality": 82, "optimize": True} if fmt == "JPEG" else {}))
    fd, tmp = tempfile.mkstemp(dir=target.parent)
    with os.fdopen(fd, "wb") as out:
        out.write(buf.getvalue())
    os.replace(tmp, target)
    return target


def renditions_root(settings) -> Path:
    return Path(settings["portal.data_dir"]) / "renditions"


def rendition_response(request, sha256: str, mime: str, subpath, *, etag_prefix: str = ""):
    """The response for ``.../@@<view>/<width>``: a rendition in one of WIDTHS, cached
    publicly only for anonymous visitors (they got here only if the item is public)."""
    from pyramid.httpexceptions import HTTPNotFound
    from pyramid.response import FileResponse

    from .blobs import store_for

    try:
        width = int(subpath[0]) if subpath else WIDTHS[1]
    except ValueError:
        raise HTTPNotFound() from None
    if width not in WIDTHS or not sha256:
        raise HTTPNotFound()
    settings = request.registry.settings
    store = store_for(settings)
    if not store.exists(sha256):
        raise HTTPNotFound()
    path = rendition(store, renditions_root(settings), sha256, mime, width)
    content_type = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}[path.suffix]
    response = FileResponse(str(path), request=request, content_type=content_type)
    response.etag = f"{etag_prefix}{sha256[:16]}-{width}"
    response.conditional_response = True
    public = request.identity_obj is None
    response.cache_control = "public, max-age=86400" if public else "private, no-store"
    return response


def srcset_for(base_url: str, width: int, original_url: str) -> str:
    """srcset candidates: each rendition narrower than the image, then the original if
    it is small enough to send as it is, else the widest rendition."""
    entries = [f"{base_url}{w} {w}w" for w in WIDTHS if w < width]
    if width <= WIDTHS[-1]:
        entries.append(f"{original_url} {width}w")
    else:
        entries.append(f"{base_url}{WIDTHS[-1]} {WIDTHS[-1]}w")
    return ", ".join(entries)
