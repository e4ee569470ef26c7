"""Files on disk, content-addressed: ``<data dir>/blobs/ab/cd/<sha256>``.

The same bytes are stored once whatever their name. A file's type is read from
its first bytes, never from its name. Metadata (name, type, size) lives in the
database with the content item that refers to the blob.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

CHUNK = 1 << 16

DEFAULT_ALLOWED = (
    "application/pdf image/jpeg image/png image/gif image/webp application/msword "
    "application/vnd.ms-excel "
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document "
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet "
    "application/vnd.oasis.opendocument.text application/vnd.oasis.opendocument.spreadsheet "
    "video/mp4 video/webm"
)


class BlobStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
            raise ValueError("not a sha256")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, fp) -> tuple[str, int]:
        """Store a file object's bytes; return (sha256, size). Atomic: a reader never
        sees half a file, and two writers of the same bytes end with one."""
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := fp.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            sha = digest.hexdigest()
            final = self.path(sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_name, final)
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise
        return sha, size

    def open(self, sha256: str):
        return self.path(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        try:
            return self.path(sha256).is_file()
        except ValueError:
            return False


def sniff(head: bytes, fp=None, filename: str = "") -> str:
    """The MIME type from the file's first bytes (and, for zip containers, its index)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # Old Office files share one container; the name only picks between them.
        return "application/vnd.ms-excel" if filename.lower().endswith(".xls") else "application/msword"
    if head.startswith(b"PK\x03\x04") and fp is not None:
        return _sniff_zip(fp)
    return "application/octet-stream"


def _sniff_zip(fp) -> str:
    pos = fp.tell()
    try:
        fp.seek(0)
        with zipfile.ZipFile(fp) as z:
            names = set(z.namelist())
            if "word/document.xml" in names:
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            if "xl/workbook.xml" in names:
                return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            if "mimetype" in names:
                kind = z.read("mimetype")[:100].decode("ascii", "replace").strip()
                if kind.startswith("application/vnd.oasis.opendocument."):
                    return kind
            return "application/zip"
    except (zipfile.BadZipFile, OSError, ValueError):
        return "application/octet-stream"
    finally:
        fp.seek(pos)


EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}


def safe_filename(name: str, mime: str) -> str:
    """A name safe to store and to send back: no path, no control characters, NFC,
    at most 150 characters, with the extension of the type the bytes really have."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"<>:|?*]", "", name).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    ext = EXTENSIONS.get(mime, "")
    stem = stem[: 150 - len(ext)] or "tep"
    return stem + ext


def read_head(fp, size: int = 64) -> bytes:
    pos = fp.tell()
    head = fp.read(size)
    fp.seek(pos)
    return head


def store_for(settings) -> BlobStore:
    return BlobStore(Path(settings["portal.data_dir"]) / "blobs")
