"""The archive: one zip file.

    manifest.json     {"format": "portal-export", "version": 1, "site", "site_title",
                       "path", "exported_at", "items", "blobs"}
    content.jsonl     one item a line, parents before children, siblings by position
    blobs/<sha256>    the bytes of every file the lines refer to

Zip rather than tar.gz: members are read by name (an import checks every blob it
needs before touching the database), and both sides copy them in chunks, so neither
holds a whole file in memory. Blobs are stored, not deflated (PDFs, images and
videos are compressed already); the JSON lines are deflated.
"""

from __future__ import annotations

import json
import shutil
import zipfile

from ..blobs import CHUNK
from .spec import SHA256

FORMAT = "portal-export"
VERSION = 1
MANIFEST = "manifest.json"
CONTENT = "content.jsonl"
BLOB_DIR = "blobs/"


class TransferError(Exception):
    """Export or import cannot go on; the message is one line for the user."""


# The archive itself is unreadable (not a zip, bad JSON on a line, a missing blob).
ArchiveError = TransferError


class Writer:
    def __init__(self, path):
        self.zip = zipfile.ZipFile(path, "w", allowZip64=True)
        self.bytes = 0

    def content(self):
        """A writable stream for content.jsonl (bytes)."""
        return self._deflated(CONTENT)

    def _deflated(self, name):
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        return self.zip.open(info, "w", force_zip64=True)

    def add_blob(self, sha256: str, source) -> int:
        """Copy an open file into ``blobs/<sha256>``; return its size."""
        info = zipfile.ZipInfo(BLOB_DIR + sha256, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        with self.zip.open(info, "w", force_zip64=True) as out:
            shutil.copyfileobj(source, out, CHUNK)
        size = self.zip.getinfo(BLOB_DIR + sha256).file_size
        self.bytes += size
        return size

    def manifest(self, data: dict) -> None:
        with self._deflated(MANIFEST) as out:
            out.write(
                json.dumps(
                    {"format": FORMAT, "version": VERSION, **data}, ensure_ascii=False, indent=1
                ).encode()
            )

    def close(self) -> None:
        self.zip.close()


class Reader:
    def __init__(self, path):
        try:
            self.zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise ArchiveError(f"không tìm thấy tệp: {path}") from None
        except IsADirectoryError:
            raise ArchiveError(f"{path} là một thư mục, không phải tệp lưu trữ") from None
        except (zipfile.BadZipFile, OSError):
            raise ArchiveError(f"{path} không phải tệp lưu trữ xuất từ cổng (zip)") from None
        names = set(self.zip.namelist())
        if MANIFEST not in names or CONTENT not in names:
            raise ArchiveError(f"{path} thiếu {MANIFEST} hoặc {CONTENT}: không phải tệp xuất từ cổng")
        self.blobs = {n[len(BLOB_DIR) :] for n in names if n.startswith(BLOB_DIR)}
        try:
            self.manifest = json.loads(self.zip.read(MANIFEST))
        except (ValueError, zipfile.BadZipFile) as e:
            raise ArchiveError(f"{MANIFEST} hỏng: {e}") from None
        if not isinstance(self.manifest, dict) or self.manifest.get("format") != FORMAT:
            raise ArchiveError(f"{path} không phải tệp xuất từ cổng")
        if self.manifest.get("version") != VERSION:
            raise ArchiveError(
                f"phiên bản định dạng {self.manifest.get('version')!r} không đọc được (cần {VERSION})"
            )

    def lines(self):
        """(line number, parsed object) for each non-empty line of content.jsonl."""
        try:
            with self.zip.open(CONTENT) as stream:
                for number, raw in enumerate(stream, 1):
                    if not raw.strip():
                        continue
                    try:
                        item = json.loads(raw)
                    except ValueError as e:
                        raise ArchiveError(f"{CONTENT} dòng {number}: JSON không hợp lệ ({e})") from None
                    if not isinstance(item, dict):
                        raise ArchiveError(f"{CONTENT} dòng {number}: không phải một đối tượng JSON")
                    yield number, item
        except zipfile.BadZipFile as e:
            raise ArchiveError(f"tệp lưu trữ hỏng: {e}") from None

    def open_blob(self, sha256: str):
        if not SHA256.match(sha256) or sha256 not in self.blobs:
            raise ArchiveError(f"thiếu tệp blobs/{sha256} trong tệp lưu trữ")
        return self.zip.open(BLOB_DIR + sha256)

    def close(self) -> None:
        self.zip.close()
