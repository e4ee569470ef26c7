"""File uploads in forms: stored at once, kept across a failed submission.

deform's upload widget needs a temporary store so that a form re-rendered with
errors still holds the file the user chose. Ours writes the bytes to the blob
store when they arrive and keeps only their description in the session, so the
user never has to choose the file again, and nothing big sits in the cookie.
"""

from __future__ import annotations

import colander
import deform

from .blobs import DEFAULT_ALLOWED, read_head, safe_filename, sniff, store_for
from .i18n import _

SESSION_KEY = "uploads"
KEEP = 8  # descriptions kept in the session; older ones are forgotten


class SessionTmpStore:
    def __init__(self, request):
        self.request = request
        self.store = store_for(request.registry.settings)

    def _entries(self) -> dict:
        return self.request.session.get(SESSION_KEY, {})

    def __setitem__(self, uid, data):
        if "fp" in data and data.get("fp") is not None and "sha256" not in data:
            fp = data["fp"]
            fp.seek(0)
            head = read_head(fp)
            data["sniffed"] = sniff(head, fp, data.get("filename") or "")
            fp.seek(0)
            data["sha256"], data["size"] = self.store.put(fp)
        entry = {k: data.get(k) for k in ("uid", "filename", "sha256", "size", "sniffed")}
        entries = dict(self._entries())
        entries[uid] = entry
        while len(entries) > KEEP:
            entries.pop(next(iter(entries)))
        self.request.session[SESSION_KEY] = entries

    def get(self, uid, default=None):
        entry = self._entries().get(uid)
        if entry is None or not entry.get("sha256") or not self.store.exists(entry["sha256"]):
            return default
        data = deform.widget.filedict(entry)
        data["fp"] = self.store.open(entry["sha256"])
        data["mimetype"] = entry.get("sniffed")
        data["preview_url"] = None
        return data

    def __getitem__(self, uid):
        data = self.get(uid)
        if data is None:
            raise KeyError(uid)
        return data

    def __contains__(self, uid):
        return self.get(uid) is not None

    def preview_url(self, uid):
        return None


@colander.deferred
def upload_widget(node, kw):
    return deform.widget.FileUploadWidget(SessionTmpStore(kw["request"]))


def make_upload_validator(only_types: frozenset[str] | None = None, extra=None, refused=None):
    """A deferred validator: size limit, type read from the bytes (within the allowed
    types, and within ``only_types`` if given), then ``extra(request, node, value)``."""

    @colander.deferred
    def deferred(node, kw):
        return _upload_validator(kw["request"], only_types, extra, refused)

    return deferred


def _upload_validator(request, only_types, extra, refused):
    settings = request.registry.settings
    allowed = set(settings.get("portal.upload.allowed_types", DEFAULT_ALLOWED).split())
    if only_types is not None:
        allowed &= only_types
    limit = int(settings.get("portal.upload.max_bytes", 20 * 1024 * 1024))

    def validate(node, value):
        if not value or not value.get("sha256"):
            raise colander.Invalid(node, _("Không đọc được tệp tải lên. Vui lòng chọn lại."))
        if value["size"] > limit:
            raise colander.Invalid(
                node,
                _("Tệp quá lớn: tối đa ${mb} MB.", mapping={"mb": round(limit / 1024 / 1024, 1)}),
            )
        if value["size"] == 0:
            raise colander.Invalid(node, _("Tệp rỗng."))
        if value.get("sniffed") not in allowed:
            raise colander.Invalid(
                node,
                refused or _("Loại tệp không được phép (nhận PDF, Word, Excel, ảnh, video MP4/WebM)."),
            )
        value["filename"] = safe_filename(value.get("filename") or "", value["sniffed"])
        if extra is not None:
            extra(request, node, value)

    return validate


upload_validator = make_upload_validator()
