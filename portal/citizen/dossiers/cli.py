"""``portal dossiers import FILE.csv [--site NAME]``, ``portal dossiers qr CODE SECRET
-o FILE.svg`` and ``portal dossiers prune --days N``: the one-stop office's export, the
receipt's QR code, and deleting dossiers finished long ago.

``import`` checks every line first: on any error it prints each bad line number and
its reasons to stderr (at most 50 lines, then a count) and exits 1 having written
nothing; otherwise it upserts every line in one transaction and prints one summary.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from .importer import describe, import_csv, max_import_bytes
from .rules import normalize_code, normalize_secret


def add_parser(sub) -> None:
    dossiers = sub.add_parser("dossiers", help="hồ sơ thủ tục hành chính (tra cứu tình trạng)")
    dsub = dossiers.add_subparsers(dest="dossiers_command", required=True)
    imp = dsub.add_parser("import", help="nhập tệp CSV xuất từ hệ thống một cửa (tất cả hoặc không dòng nào)")
    imp.add_argument("file", help="tệp CSV UTF-8, dòng đầu là tên cột (ma_ho_so, ma_bi_mat, thu_tuc, …)")
    imp.add_argument("--site", default="default", help="tên trang (mặc định: default)")
    prune = dsub.add_parser("prune", help="xóa hồ sơ đã kết thúc (từ chối, đã trả kết quả) quá N ngày")
    prune.add_argument("--days", type=int, required=True, help="số ngày giữ lại sau khi kết thúc")
    prune.add_argument("--site", default="default", help="tên trang (mặc định: default)")
    qr = dsub.add_parser("qr", help="mã QR in trên giấy biên nhận (mở trang tra cứu với mã hồ sơ)")
    qr.add_argument("code", help="mã hồ sơ")
    qr.add_argument("secret", help="mã tra cứu in trên giấy biên nhận")
    qr.add_argument("-o", "--output", required=True, help="tệp SVG ghi ra")
    qr.add_argument(
        "--base-url",
        default="",
        help="địa chỉ trang (mặc định: portal.dossiers.public_url hoặc http://localhost:6543)",
    )
    dossiers.set_defaults(func=cmd_dossiers)


def cmd_dossiers(args, settings) -> None:
    from portal.cli import CLIError

    # Errors are reported here rather than by portal.cli.main(): run as ``python -m
    # portal.cli`` that module is __main__, whose CLIError is another class than the
    # one imported here (and raised by portal.cli's helpers), so main() would not
    # catch it and a traceback would replace the one-line message.
    try:
        if args.dossiers_command == "qr":
            _qr(args, settings, CLIError)
        elif args.dossiers_command == "prune":
            _prune(args, settings, CLIError)
        else:
            _import(args, settings, CLIError)
    except CLIError as e:
        print(f"portal: lỗi: {e}", file=sys.stderr)
        raise SystemExit(1) from None


def _import(args, settings, cli_error) -> None:
    from portal.cli import _engine, _require_schema
    from portal.models import Site
    from portal.settings import ensure_secret

    path = Path(args.file)
    limit = max_import_bytes(settings)
    try:
        if path.stat().st_size > limit:
            raise cli_error(f"tệp quá lớn (tối đa {limit // (1024 * 1024)} MB): {path}")
        data = path.read_bytes()
    except OSError as e:
        raise cli_error(f"không đọc được tệp {path}: {e.strerror}") from None
    key = ensure_secret(settings)
    engine = _engine(settings)
    _require_schema(engine)
    with Session(engine) as db, db.begin():
        site_id = db.scalar(select(Site.id).where(Site.name == args.site))
        if site_id is None:
            raise cli_error(f"không có trang {args.site!r}")
        outcome = import_csv(db, site_id, key, data)
        if outcome.errors:
            for line in describe(outcome.errors):
                print(line, file=sys.stderr)
            # Raising rolls the transaction back; nothing was written anyway.
            raise cli_error(f"{len(outcome.errors)} dòng lỗi, không nhập hồ sơ nào.")
    print(f"Đã nhập {path.name}: {outcome.created} hồ sơ mới, {outcome.updated} hồ sơ cập nhật.")


def _qr(args, settings, cli_error) -> None:
    from portal.qr import qr_svg

    from .views import receipt_url

    code, secret = normalize_code(args.code), normalize_secret(args.secret)
    if code is None or secret is None:
        raise cli_error("mã hồ sơ (chữ, số, . - _ /) hoặc mã tra cứu (4–32 chữ, số) không hợp lệ")
    base = (args.base_url or settings.get("portal.dossiers.public_url") or "http://localhost:6543").rstrip(
        "/"
    )
    try:
        Path(args.output).write_bytes(qr_svg(receipt_url(base + "/tra-cuu-ho-so", code, secret)))
    except OSError as e:
        raise cli_error(f"không ghi được {args.output}: {e.strerror}") from None
    print(f"Đã ghi mã QR của hồ sơ {code} vào {args.output}.")


def _prune(args, settings, cli_error) -> None:
    from portal.cli import _engine, _require_schema
    from portal.models import Site

    from .retention import prune

    if args.days < 0:
        raise cli_error("số ngày phải từ 0 trở lên")
    engine = _engine(settings)
    _require_schema(engine)
    with Session(engine) as db, db.begin():
        site_id = db.scalar(select(Site.id).where(Site.name == args.site))
        if site_id is None:
            raise cli_error(f"không có trang {args.site!r}")
        count = prune(db, site_id, args.days)
    print(f"Đã xóa {count} hồ sơ kết thúc quá {args.days} ngày.")
