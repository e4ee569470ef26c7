"""``portal feeds add | list | remove | pull``: subscriptions from the command line.

``pull`` is meant for cron: each subscription is pulled and committed in its own
transaction, so one broken feed never rolls back another's import; it prints one
line per subscription and fails (status 1) when any feed did.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..models import Node, User, utcnow
from ..text import format_datetime, nfc
from .fetch import check_url
from .importer import pull, settings_for
from .models import FeedSubscription, ImportedEntry


def add_parser(sub) -> None:
    feeds = sub.add_parser("feeds", help="nhập tin từ nguồn RSS/Atom bên ngoài vào thư mục")
    fsub = feeds.add_subparsers(dest="feeds_command", required=True)
    fadd = fsub.add_parser("add", help="đăng ký nguồn tin cho một thư mục")
    fadd.add_argument("folder", help="đường dẫn thư mục, ví dụ /tin-tuc/tin-tinh/")
    fadd.add_argument("url", help="địa chỉ http(s) của nguồn tin RSS hoặc Atom")
    mode = fadd.add_mutually_exclusive_group()
    mode.add_argument("--publish", dest="publish", action="store_true", help="xuất bản ngay tin nhập về")
    mode.add_argument("--pending", dest="publish", action="store_false", help="để tin chờ duyệt (mặc định)")
    fadd.add_argument("--site", default="default", help="tên trang (mặc định: default)")
    fadd.add_argument("--owner", default="admin", help="người sở hữu tin nhập về (mặc định: admin)")
    fsub.add_parser("list", help="liệt kê các nguồn tin đã đăng ký")
    frm = fsub.add_parser("remove", help="hủy đăng ký một nguồn tin (giữ các tin đã nhập)")
    frm.add_argument("id", type=int)
    fpull = fsub.add_parser("pull", help="lấy tin mới từ mọi nguồn (dùng cho cron)")
    fpull.add_argument("--id", type=int, default=None, help="chỉ lấy nguồn tin này")
    feeds.set_defaults(func=cmd_feeds)


def cmd_feeds(args, settings) -> None:
    # Imported here: portal.cli imports this module to build its parser.
    from ..cli import CLIError as cli_error
    from ..cli import _engine, _require_schema

    engine = _engine(settings)
    _require_schema(engine)
    command = args.feeds_command
    if command == "add":
        _add(engine, args, settings, cli_error)
    elif command == "list":
        _list(engine)
    elif command == "remove":
        with Session(engine) as db, db.begin():
            sub = db.get(FeedSubscription, args.id)
            if sub is None:
                raise cli_error(f"không có nguồn tin số {args.id}")
            db.delete(sub)
            print(f"Đã hủy nguồn tin số {args.id} ({sub.url}); các tin đã nhập vẫn giữ nguyên.")
    else:
        _pull(engine, args, settings, cli_error)


def _folder_path(text: str) -> str:
    path = "/" + nfc(text).strip().strip("/") + "/"
    return "/" if path == "//" else path


def _add(engine, args, settings, cli_error) -> None:
    from .. import bootstrap
    from ..models import Site

    url = nfc(args.url).strip()
    try:
        url = check_url(url)
    except ValueError:
        raise cli_error(f"địa chỉ nguồn tin phải bắt đầu bằng http:// hoặc https://: {args.url}") from None
    if len(url) > 2048:
        raise cli_error("địa chỉ nguồn tin quá dài (tối đa 2048 ký tự)")
    path = _folder_path(args.folder)
    with Session(engine) as db, db.begin():
        if args.site == "default":
            root = bootstrap.ensure_site(db, settings)
            site_id = root.site_id
        else:
            site_id = db.scalar(select(Site.id).where(Site.name == args.site))
            if site_id is None:
                raise cli_error(f"không có trang '{args.site}'")
        # Columns only: the content types' mappers are not loaded by this command.
        folder = db.execute(
            select(Node.id, Node.type).where(Node.site_id == site_id, Node.path == path)
        ).first()
        if folder is None:
            raise cli_error(f"không có thư mục {path}")
        if folder.type != "folder":
            raise cli_error(f"{path} không phải thư mục")
        owner = db.scalar(select(User).where(User.login == args.owner))
        if owner is None:
            raise cli_error(f"không có người dùng '{args.owner}'")
        exists = db.scalar(
            select(FeedSubscription.id).where(
                FeedSubscription.folder_id == folder.id, FeedSubscription.url == url
            )
        )
        if exists is not None:
            raise cli_error(f"thư mục {path} đã đăng ký nguồn tin này (số {exists})")
        sub = FeedSubscription(
            folder_id=folder.id, url=url, publish_at_once=args.publish, created_by=owner.id, created=utcnow()
        )
        db.add(sub)
        db.flush()
        mode = "xuất bản ngay" if args.publish else "chờ duyệt"
        print(f"Đã đăng ký nguồn tin số {sub.id} cho {path} ({mode}).")


def _list(engine) -> None:
    with Session(engine) as db:
        counts = dict(
            db.execute(
                select(ImportedEntry.subscription_id, func.count()).group_by(ImportedEntry.subscription_id)
            ).all()
        )
        rows = db.execute(
            select(FeedSubscription, Node.path)
            .join(Node, Node.id == FeedSubscription.folder_id)
            .order_by(FeedSubscription.id)
        ).all()
        for sub, path in rows:
            mode = "xuất bản ngay" if sub.publish_at_once else "chờ duyệt"
            checked = format_datetime(sub.last_checked_at) or "chưa lấy"
            error = f"\tlỗi: {sub.last_error}" if sub.last_error else ""
            print(f"{sub.id}\t{path}\t{sub.url}\t{mode}\t{checked}\t{counts.get(sub.id, 0)} tin{error}")


def _pull(engine, args, settings, cli_error) -> None:
    from .. import make_config

    # The content types (the news model and its workflow) come from the registry.
    config = make_config({**settings, "portal.db_bind": engine})
    config.commit()
    types = config.registry["portal.types"]
    options = settings_for(settings)
    with Session(engine) as db:
        query = select(FeedSubscription.id).order_by(FeedSubscription.id)
        if args.id is not None:
            query = query.where(FeedSubscription.id == args.id)
        ids = db.scalars(query).all()
    if args.id is not None and not ids:
        raise cli_error(f"không có nguồn tin số {args.id}")
    failures = 0
    for sub_id in ids:
        # One transaction per subscription.
        url = ""
        try:
            with Session(engine) as db, db.begin():
                sub = db.get(FeedSubscription, sub_id)
                if sub is None:  # removed while we were pulling the others
                    continue
                url = sub.url
                result = pull(db, types, sub, **options)
        except SQLAlchemyError as e:
            failures += 1
            print(f"{sub_id}\t{url}\tlỗi: cơ sở dữ liệu: {str(e).splitlines()[0]}", flush=True)
            continue
        failures += 0 if result.ok else 1
        print(f"{sub_id}\t{url}\t{result.summary()}", flush=True)
    if failures:
        raise cli_error(f"{failures} nguồn tin bị lỗi (trên {len(ids)})")
