"""Reading a request body for the API: JSON, or multipart/form-data with a file.

Limits first (413), then the media type (415), then the syntax (400): a client learns
what is wrong without the server reading more than it must.
"""

from __future__ import annotations

import json
import secrets

from ..blobs import read_head, sniff, store_for
from ..i18n import _
from .errors import ApiError

JSON_MAX = 1024 * 1024  # bodies of fields only; files come as multipart
MULTIPART_SLACK = 1024 * 1024  # the fields beside the file


def upload_limit(request) -> int:
    return int(request.registry.settings.get("portal.upload.max_bytes", 20 * 1024 * 1024))


def _too_large():
    return ApiError(413, "too_large", _("Dữ liệu gửi lên quá lớn."))


def _check_length(request, limit: int) -> None:
    length = request.content_length
    if length is not None and length > limit:
        raise _too_large()
    if length is None and request.is_body_readable:
        # No length given (chunked): read at most one byte past the limit.
        data = request.body_file.read(limit + 1)
        if len(data) > limit:
            raise _too_large()
        request.body = data


def read_json(request, *, optional: bool = False) -> dict:
    """The body as a JSON object (``{}`` when optional and empty)."""
    _check_length(request, int(request.registry.settings.get("portal.api.max_json_bytes", JSON_MAX)))
    if optional and not request.body:
        return {}
    if request.content_type != "application/json":
        raise ApiError(415, "unsupported_media_type", _("Hãy gửi dữ liệu dạng application/json."))
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "bad_json", _("Dữ liệu JSON không hợp lệ.")) from None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json", _("Dữ liệu JSON phải là một đối tượng."))
    return data


def read_body(request) -> tuple[dict, dict | None]:
    """(fields, upload) from a JSON or multipart/form-data body. ``upload`` is the part
    named "file", already in the blob store and described like the form widget's
    upload (sha256, size, type read from the bytes), for the schema's validators."""
    if request.content_type == "multipart/form-data":
        _check_length(request, upload_limit(request) + MULTIPART_SLACK)
        fields: dict = {}
        upload = None
        for key, value in request.POST.items():
            if key == "file" and hasattr(value, "file"):
                upload = store_upload(request, value)
            elif isinstance(value, str):
                fields[key] = value
            else:
                raise ApiError(400, "bad_request", _("Chỉ phần “file” được là tệp."))
        return fields, upload
    return read_json(request), None


def store_upload(request, part) -> dict:
    store = store_for(request.registry.settings)
    fp = part.file
    fp.seek(0)
    head = read_head(fp)
    sniffed = sniff(head, fp, part.filename or "")
    fp.seek(0)
    sha, size = store.put(fp)
    return {
        "uid": secrets.token_hex(5),
        "filename": part.filename or "",
        "mimetype": sniffed,
        "sniffed": sniffed,
        "sha256": sha,
        "size": size,
        "fp": None,
    }
