"""``portal export [PATH] -o FILE`` and ``portal import FILE [--into PATH]``."""

from __future__ import annotations

import os
import sys

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..blobs import store_for
from ..models import Node, Site
from .archive import DEFAULT_MAX_BLOB, ArchiveError, Reader
from .export import export
from .import_ import TransferError, import_archive


def add_parser(sub) -> None:
    exp = sub.add_parser("export", help="xuất một nhánh nội dung (mọi trạng thái) ra một tệp lưu trữ")
    exp.add_argument("path", nargs="?", default="/", help="đường dẫn mục cần xuất (mặc định: cả trang)")
    exp.add_argument("-o", "--output", required=True, help="tệp lưu trữ sẽ ghi (.zip)")
    exp.add_argument("--site", default="default", help="tên trang (mặc định: default)")
    exp.set_defaults(func=cmd_export)
    imp = sub.add_parser("import", help="nhập một tệp lưu trữ vào một thư mục (chạy lại không tạo trùng)")
    imp.add_argument("file", help="tệp lưu trữ do portal export tạo")
    imp.add_argument("--into", default="/", help="thư mục nhận (mặc định: gốc trang)")
    imp.add_argument("--site", default="default", help="tên trang (mặc định: default)")
    imp.add_argument(
        "--owner",
        default=None,
        help="người nhận các mục có người sở hữu không có ở đây (mặc định: quản trị đầu tiên)",
    )
    imp.set_defaults(func=cmd_import)


def normal_path(path: str) -> str:
    path = "/" + (path or "").split("@@")[0].strip().strip("/")
    return path if path == "/" else path + "/"


def find_node(db: Session, site_name: str, path: str, error):
    site = db.scalar(select(Site).where(Site.name == site_name))
    if site is None:
        raise error(f"không có trang '{site_name}'")
    node = db.scalar(select(Node).where(Node.site_id == site.id, Node.path == normal_path(path)))
    if node is None:
        raise error(f"không có mục '{normal_path(path)}' trong trang '{site_name}'")
    return node


def _types(settings, engine):
    from .. import make_config

    config = make_config({**settings, "portal.db_bind": engine})
    config.commit()
    return config.registry["portal.types"]


def cmd_export(args, settings) -> None:
    # Imported here: portal.cli imports this module to build its parser.
    from ..cli import CLIError, _engine, _require_schema

    engine = _engine(settings)
    _require_schema(engine)
    types = _types(settings, engine)
    target = args.output
    if os.path.isdir(target):
        raise CLIError(f"{target} là một thư mục")
    tmp = f"{target}.tmp-{os.getpid()}"
    try:
        with Session(engine) as db, db.begin():
            top = find_node(db, args.site, args.path, CLIError)
            result = export(db, types, store_for(settings), top, tmp)
        os.replace(tmp, target)  # never leave half an archive under the wanted name
    except OSError as e:
        raise CLIError(f"không ghi được {target}: {e.strerror or e}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    print(f"Đã xuất {result.items} mục, {result.blobs} tệp ({result.bytes} byte) vào {target}.")


def cmd_import(args, settings) -> None:
    from ..cli import CLIError, _engine, _require_schema

    try:
        limit = int(settings.get("portal.transfer.max_blob_bytes") or DEFAULT_MAX_BLOB)
    except ValueError:
        raise CLIError("portal.transfer.max_blob_bytes phải là một số byte") from None
    try:
        reader = Reader(args.file, max_blob_bytes=limit)
    except ArchiveError as e:
        raise CLIError(str(e)) from None
    except Exception as e:  # a last resort: one line, never a traceback
        raise CLIError(f"{args.file}: tệp lưu trữ không đọc được ({type(e).__name__})") from None
    try:
        engine = _engine(settings)
        _require_schema(engine)
        types = _types(settings, engine)
        with Session(engine) as db, db.begin():
            into = find_node(db, args.site, args.into, CLIError)
            result = import_archive(db, types, store_for(settings), reader, into, args.owner)
            where = into.path
    except (ArchiveError, TransferError) as e:
        raise CLIError(str(e)) from None
    finally:
        reader.close()
    for warning in result.warnings:
        print(f"portal: chú ý: {warning}", file=sys.stderr)
    print(
        f"Đã nhập {result.created + result.updated} mục vào {where} ({result.created} mới, "
        f"{result.updated} cập nhật), {result.blobs_added} tệp mới."
    )
