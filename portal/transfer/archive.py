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
import zlib

from ..blobs import CHUNK
from .spec import SHA256

FORMAT = "portal-export"
VERSION = 1
MANIFEST = "manifest.json"
CONTENT = "content.jsonl"
BLOB_DIR = "blobs/"

# Limits checked on the zip's directory before a member is read, so that a small
# crafted file cannot take the memory or the disk: the manifest is read whole, a line
# of content.jsonl at once; a blob is copied in chunks but stored.
MAX_MANIFEST = 1 << 20
MAX_LINE = 16 << 20
DEFAULT_MAX_BLOB = 1 << 30
# Deflate packs repeated bytes up to ~1000:1; real JSON and files stay far below this.
MAX_RATIO = 200
RATIO_FROM = 1 << 20  # small members are not worth checking
# What a damaged or hostile zip raises while being read.
READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)


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
    def __init__(self, path, max_blob_bytes: int = DEFAULT_MAX_BLOB):
        self.max_blob_bytes = max_blob_bytes
        try:
            self.zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise ArchiveError(f"không tìm thấy tệp: {path}") from None
        except IsADirectoryError:
            raise ArchiveError(f"{path} là một thư mục, không phải tệp lưu trữ") from None
        except (*READ_ERRORS, ValueError):
            raise ArchiveError(f"{path} không phải tệp lưu trữ xuất từ cổng (zip)") from None
        names = set(self.zip.namelist())
        if MANIFEST not in names or CONTENT not in names:
            self.zip.close()
            raise ArchiveError(f"{path} thiếu {MANIFEST} hoặc {CONTENT}: không phải tệp xuất từ cổng")
        self.blobs = {n[len(BLOB_DIR) :] for n in names if n.startswith(BLOB_DIR)}
        try:
            self._check_sizes()
            self.manifest = json.loads(self.zip.read(MANIFEST))
        except ArchiveError:
            self.zip.close()
            raise
        except (ValueError, RecursionError, *READ_ERRORS) as e:
            self.zip.close()
            raise ArchiveError(f"{MANIFEST} hỏng: {_one_line(e)}") from None
        if not isinstance(self.manifest, dict) or self.manifest.get("format") != FORMAT:
            raise ArchiveError(f"{path} không phải tệp xuất từ cổng")
        if self.manifest.get("version") != VERSION:
            raise ArchiveError(
                f"phiên bản định dạng {self.manifest.get('version')!r} không đọc được (cần {VERSION})"
            )

    def _check_sizes(self) -> None:
        """Refuse, from the zip's directory alone, what would be too big to read."""
        for info in self.zip.infolist():
            name = info.filename
            if name == MANIFEST and info.file_size > MAX_MANIFEST:
                raise ArchiveError(f"{MANIFEST} quá lớn ({info.file_size} byte, tối đa {MAX_MANIFEST})")
            if name.startswith(BLOB_DIR) and info.file_size > self.max_blob_bytes:
                raise ArchiveError(
                    f"tệp {name} quá lớn ({info.file_size} byte, tối đa {self.max_blob_bytes}: "
                    "portal.transfer.max_blob_bytes)"
                )
            # content.jsonl is read a line at a time, each no longer than MAX_LINE.
            big = info.file_size > RATIO_FROM and name != CONTENT
            if big and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ArchiveError(
                    f"tệp {name} nén bất thường ({info.compress_size} byte thành {info.file_size}): "
                    "không nhập tệp này"
                )

    def lines(self):
        """(line number, parsed object) for each non-empty line of content.jsonl; a line
        longer than MAX_LINE is refused without being read whole."""
        try:
            with self.zip.open(CONTENT) as stream:
                number = 0
                while True:
                    raw = stream.readline(MAX_LINE + 1)
                    if not raw:
                        break
                    number += 1
                    if len(raw) > MAX_LINE:
                        raise ArchiveError(f"{CONTENT} dòng {number}: dòng dài quá {MAX_LINE} byte")
                    if not raw.strip():
                        continue
                    try:
                        item = json.loads(raw)
                    except RecursionError:
                        raise ArchiveError(f"{CONTENT} dòng {number}: JSON lồng nhau quá sâu") from None
                    except ValueError as e:
                        raise ArchiveError(f"{CONTENT} dòng {number}: JSON không hợp lệ ({e})") from None
                    if not isinstance(item, dict):
                        raise ArchiveError(f"{CONTENT} dòng {number}: không phải một đối tượng JSON")
                    yield number, item
        except READ_ERRORS as e:
            raise ArchiveError(f"tệp lưu trữ hỏng: {_one_line(e)}") from None

    def open_blob(self, sha256: str):
        if not SHA256.match(sha256) or sha256 not in self.blobs:
            raise ArchiveError(f"thiếu tệp blobs/{sha256} trong tệp lưu trữ")
        try:
            return self.zip.open(BLOB_DIR + sha256)
        except READ_ERRORS as e:
            raise ArchiveError(f"tệp blobs/{sha256} hỏng: {_one_line(e)}") from None

    def close(self) -> None:
        self.zip.close()


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:300] or type(error).__name__
