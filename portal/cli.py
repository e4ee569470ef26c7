"""The ``portal`` command.

    portal [-c FILE.ini] serve [--host H] [--port P] [--demo]
    portal init | demo
    portal db upgrade [REV] | current | downgrade REV
    portal user add LOGIN [--role ROLE ...] [--fullname NAME] [--email E]
    portal user passwd LOGIN | list
    portal group add NAME [--title T] [--role ROLE ...] | member NAME LOGIN | list
    portal site add NAME [--title T] [--host H ...] | list
    portal reindex
    portal feeds add FOLDER URL [--publish|--pending] | list | remove ID | pull [--id ID]
    portal i18n update | check
    portal token create USER [--name NAME] | list USER | revoke ID
    portal export [PATH] -o FILE [--site S]
    portal import FILE [--into PATH] [--site S] [--owner LOGIN]

Errors end the command with a non-zero status and one line on stderr.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import re
import sys
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from . import bootstrap, migrate
from .api import cli as api_cli
from .citizen.dossiers import cli as dossiers_cli
from .db import make_engine
from .feedimport import cli as feedimport_cli
from .permissions import GRANTABLE_ROLES
from .settings import resolve
from .text import nfc
from .transfer import cli as transfer_cli


class CLIError(Exception):
    pass


def load_settings(config_file: str | None) -> dict:
    config_file = config_file or os.environ.get("PORTAL_CONFIG")
    raw: dict = {}
    if config_file:
        if not os.path.exists(config_file):
            raise CLIError(f"không tìm thấy tệp cấu hình: {config_file}")
        from pyramid.paster import get_appsettings, setup_logging

        setup_logging(config_file)
        raw = dict(get_appsettings(config_file))
    else:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
        logging.getLogger("alembic").setLevel(logging.WARNING)
    return resolve(raw)


def _engine(settings):
    try:
        return make_engine(settings["sqlalchemy.url"])
    except ImportError as e:
        raise CLIError(
            f"thiếu trình điều khiển cơ sở dữ liệu ({e.name}); với PostgreSQL hãy dùng "
            "postgresql+psycopg://... và cài: pip install -e '.[postgresql]'"
        ) from None
    except ArgumentError as e:
        raise CLIError(f"địa chỉ cơ sở dữ liệu không hợp lệ: {e}") from None


def _require_schema(engine) -> None:
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and not os.path.exists(url.database):
        raise CLIError("cơ sở dữ liệu chưa được khởi tạo; hãy chạy: portal init")
    if migrate.current(engine) is None:
        raise CLIError("cơ sở dữ liệu chưa được khởi tạo; hãy chạy: portal init")


@contextmanager
def _schema_session(settings):
    """A session in one transaction on an initialised database (else a clear error)."""
    engine = _engine(settings)
    _require_schema(engine)
    with Session(engine) as db, db.begin():
        yield db


def _read_password(prompt_twice: bool = True) -> str:
    env = os.environ.get("PORTAL_USER_PASSWORD")
    if env:
        return env
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise CLIError("không có mật khẩu trên đầu vào chuẩn")
        return line
    first = getpass.getpass("Mật khẩu: ")
    if prompt_twice and getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise CLIError("hai lần nhập mật khẩu không khớp")
    return first


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise CLIError("mật khẩu phải có ít nhất 8 ký tự")


def _admin_password() -> str | None:
    password = os.environ.get("PORTAL_ADMIN_PASSWORD") or None
    if password is not None:
        _check_password(password)
    return password


def cmd_init(args, settings) -> None:
    engine = _engine(settings)
    generated = bootstrap.initialise(settings, engine, _admin_password())
    print(
        f"Cơ sở dữ liệu: {engine.url.render_as_string(hide_password=True)} "
        f"(phiên bản {migrate.current(engine)})"
    )
    _announce_admin(generated)


def _announce_admin(generated: str | None) -> None:
    if generated:
        print("Đã tạo tài khoản quản trị 'admin' với mật khẩu (chỉ hiện một lần):")
        print(f"    {generated}")


def _load_demo(settings, engine) -> int:
    from sqlalchemy.orm import Session as S

    from . import make_config
    from .demo import load_demo
    from .models import User

    config = make_config({**settings, "portal.db_bind": engine})
    config.commit()
    types = config.registry["portal.types"]
    with S(engine) as db, db.begin():
        root = bootstrap.ensure_site(db, settings)
        owner = db.scalar(select(User).where(User.login == "admin"))
        return load_demo(db, types, root, owner)


def cmd_demo(args, settings) -> None:
    engine = _engine(settings)
    _require_schema(engine)
    count = _load_demo(settings, engine)
    print(f"Đã nạp dữ liệu mẫu: {count} mục mới.")


def cmd_serve(args, settings) -> None:
    from . import make_config, server

    engine = _engine(settings)
    generated = bootstrap.initialise(settings, engine, _admin_password())
    _announce_admin(generated)
    if args.demo:
        count = _load_demo(settings, engine)
        print(f"Đã nạp dữ liệu mẫu: {count} mục mới.")
    app = make_config({**settings, "portal.db_bind": engine}).make_wsgi_app()
    print(f"Cổng thông tin chạy tại http://{args.host}:{args.port}/", flush=True)
    server.serve(
        app,
        host=args.host,
        port=args.port,
        threads=8,
        ident="portal",
        max_request_body_size=int(settings["portal.max_request_body"]),
        **proxy_options(settings),
    )


def proxy_options(settings) -> dict:
    proxy = settings.get("portal.trusted_proxy", "").strip()
    if not proxy:
        return {}
    return {
        "trusted_proxy": proxy,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-host", "x-forwarded-proto"},
        "clear_untrusted_proxy_headers": True,
    }


def cmd_reindex(args, settings) -> None:
    """Rebuild the full-text index from the database (the search package's job: the
    core only finds its entry point in the registry)."""
    from . import make_config

    engine = _engine(settings)
    _require_schema(engine)
    config = make_config({**settings, "portal.db_bind": engine})
    config.commit()
    reindex = config.registry.get("portal.search.reindex")
    if reindex is None:
        raise CLIError("tìm kiếm chưa được bật (thiếu 'search' trong portal.includes)")
    try:
        count = reindex()
    except RuntimeError as e:
        raise CLIError(f"không xây dựng lại được chỉ mục tìm kiếm: {e}") from None
    name = settings.get("portal.search.engine", "tantivy")
    print(f"Đã xây dựng lại chỉ mục tìm kiếm ({name}): {count} mục.")


def cmd_db(args, settings) -> None:
    engine = _engine(settings)
    if args.db_command == "upgrade":
        migrate.upgrade(engine, args.revision)
        print(f"Phiên bản hiện tại: {migrate.current(engine)}")
    elif args.db_command == "downgrade":
        migrate.downgrade(engine, args.revision)
        print(f"Phiên bản hiện tại: {migrate.current(engine)}")
    else:
        rev = migrate.current(engine)
        head = migrate.head()
        state = "mới nhất" if rev == head else f"cần nâng cấp lên {head}"
        print(f"{rev or '(chưa khởi tạo)'} ({state})")


def cmd_user(args, settings) -> None:
    from .models import LocalRole, User

    with _schema_session(settings) as db:
        if args.user_command == "list":
            root = bootstrap.ensure_site(db, settings)
            roles: dict[str, list[str]] = {}
            for principal, role in db.execute(
                select(LocalRole.principal, LocalRole.role).where(LocalRole.node_id == root.id)
            ):
                roles.setdefault(principal, []).append(role)
            for user in db.scalars(select(User).order_by(User.login)):
                status = "" if user.active else " (đã khóa)"
                held = ",".join(sorted(roles.get(user.principal, [])))
                print(f"{user.login}\t{user.fullname}\t{held}{status}")
            return
        user = db.scalar(select(User).where(User.login == args.login))
        if args.user_command == "add":
            if user is not None:
                raise CLIError(f"người dùng '{args.login}' đã tồn tại")
            bad = [r for r in args.role if r not in GRANTABLE_ROLES]
            if bad:
                raise CLIError(
                    f"vai trò không hợp lệ: {', '.join(bad)} (chọn trong: {', '.join(GRANTABLE_ROLES)})"
                )
            password = _read_password()
            _check_password(password)
            root = bootstrap.ensure_site(db, settings)
            bootstrap.create_user(
                db,
                args.login,
                password,
                fullname=args.fullname,
                email=args.email,
                roles=tuple(args.role),
                root=root,
            )
            print(f"Đã tạo người dùng '{args.login}'.")
        elif args.user_command == "passwd":
            if user is None:
                raise CLIError(f"không có người dùng '{args.login}'")
            password = _read_password()
            _check_password(password)
            from .security import end_login_sessions, hash_password

            user.password_hash = hash_password(password)
            end_login_sessions(db, user.id)
            print(f"Đã đổi mật khẩu của '{args.login}'.")


def cmd_group(args, settings) -> None:
    from .models import Group, GroupMember, LocalRole, User

    with _schema_session(settings) as db:
        if args.group_command == "list":
            for group in db.scalars(select(Group).order_by(Group.name)):
                members = db.scalars(
                    select(User.login)
                    .join(GroupMember, GroupMember.user_id == User.id)
                    .where(GroupMember.group_id == group.id)
                    .order_by(User.login)
                ).all()
                print(f"{group.name}\t{group.title}\t{','.join(members)}")
            return
        group = db.scalar(select(Group).where(Group.name == args.name))
        if args.group_command == "add":
            if group is not None:
                raise CLIError(f"nhóm '{args.name}' đã tồn tại")
            bad = [r for r in args.role if r not in GRANTABLE_ROLES]
            if bad:
                raise CLIError(f"vai trò không hợp lệ: {', '.join(bad)}")
            group = Group(name=args.name, title=args.title)
            db.add(group)
            db.flush()
            root = bootstrap.ensure_site(db, settings)
            for role in args.role:
                db.add(LocalRole(node_id=root.id, principal=group.principal, role=role))
            print(f"Đã tạo nhóm '{args.name}'.")
            return
        if group is None:
            raise CLIError(f"không có nhóm '{args.name}'")
        user = db.scalar(select(User).where(User.login == args.login))
        if user is None:
            raise CLIError(f"không có người dùng '{args.login}'")
        if db.get(GroupMember, (group.id, user.id)) is None:
            db.add(GroupMember(group_id=group.id, user_id=user.id))
        print(f"Đã thêm '{args.login}' vào nhóm '{args.name}'.")


def cmd_site(args, settings) -> None:
    from .models import Site, SiteHost

    with _schema_session(settings) as db:
        if args.site_command == "list":
            for site in db.scalars(select(Site).order_by(Site.name)):
                hosts = db.scalars(select(SiteHost.host).where(SiteHost.site_id == site.id)).all()
                print(f"{site.name}\t{site.title}\t{','.join(sorted(hosts)) or '(mọi tên miền khác)'}")
            return
        if not SITE_NAME.match(args.name):
            raise CLIError("tên trang chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang")
        exists = db.scalar(select(Site).where(Site.name == args.name))
        if exists is not None:
            raise CLIError(f"trang '{args.name}' đã tồn tại")
        hosts = [h.strip().lower() for h in args.host if h.strip()]
        taken = db.scalars(select(SiteHost.host).where(SiteHost.host.in_(hosts))).all()
        if taken:
            raise CLIError(f"tên miền đã thuộc trang khác: {', '.join(taken)}")
        root = bootstrap.ensure_site(
            db, {**settings, "portal.site_name": args.title or args.name}, name=args.name
        )
        for host in hosts:
            db.add(SiteHost(host=host, site_id=root.site_id))
        print(f"Đã tạo trang '{args.name}' cho: {', '.join(hosts) or '(chưa có tên miền)'}.")


def cmd_i18n(args, settings) -> None:
    """Extract the UI strings (Babel) into portal/locale/portal.pot and each language's
    portal.po, or check that every one is translated (see portal/i18n_catalog.py)."""
    from pathlib import Path

    from . import i18n_catalog as cat

    locale_dir = Path(args.locale_dir) if args.locale_dir else cat.LOCALE_DIR
    if not locale_dir.is_dir():
        raise CLIError(f"không có thư mục bản dịch: {locale_dir}")
    if args.i18n_command == "update":
        for locale, (total, added, dropped) in cat.update(locale_dir=locale_dir).items():
            left = len(cat.check(locale, locale_dir=locale_dir).untranslated)
            print(f"{locale}: {total} chuỗi, {added} mới, {dropped} bỏ; còn {left} chưa dịch.")
        return
    messages = cat.extract()
    failures = []
    pot = cat.pot_path(locale_dir)
    if not pot.exists() or pot.read_text(encoding="utf-8") != cat.pot_text(messages):
        failures.append("portal.pot chưa cập nhật theo mã nguồn (chạy: portal i18n update)")
    for locale in cat.target_locales(locale_dir):
        problems = cat.check(locale, locale_dir=locale_dir, messages=messages)
        for msgid in problems.untranslated:
            print(f"{locale}: chưa dịch: {msgid}")
        for msgid in problems.bad_placeholders:
            print(f"{locale}: biến ${{...}} không khớp: {msgid}")
        if problems.untranslated or problems.bad_placeholders:
            missing = len(problems.missing_msgids)
            hint = f" ({missing} chưa có trong tệp: chạy portal i18n update)" if missing else ""
            failures.append(
                f"{locale}: {len(problems.untranslated)} chuỗi chưa dịch{hint}, "
                f"{len(problems.bad_placeholders)} sai biến trong {cat.po_path(locale, locale_dir)}"
            )
    if failures:
        raise CLIError("; ".join(failures))
    print(f"Đã dịch đủ {len(messages)} chuỗi: {', '.join(cat.target_locales(locale_dir))}.")


SITE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="portal", description="Cổng thông tin điện tử")
    parser.add_argument("-c", "--config", help="tệp cấu hình .ini (mặc định: biến PORTAL_CONFIG)")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="khởi tạo nếu cần rồi chạy máy chủ")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=6543)
    serve.add_argument("--demo", action="store_true", help="nạp dữ liệu mẫu")
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("init", help="tạo hoặc nâng cấp cơ sở dữ liệu, tạo quản trị").set_defaults(func=cmd_init)
    sub.add_parser("demo", help="nạp dữ liệu mẫu (chạy lại không tạo trùng)").set_defaults(func=cmd_demo)
    sub.add_parser("reindex", help="xây dựng lại chỉ mục tìm kiếm từ cơ sở dữ liệu").set_defaults(
        func=cmd_reindex
    )

    db = sub.add_parser("db", help="di trú lược đồ cơ sở dữ liệu")
    dbsub = db.add_subparsers(dest="db_command", required=True)
    up = dbsub.add_parser("upgrade")
    up.add_argument("revision", nargs="?", default="head")
    down = dbsub.add_parser("downgrade")
    down.add_argument("revision")
    dbsub.add_parser("current")
    db.set_defaults(func=cmd_db)

    user = sub.add_parser("user", help="quản lý người dùng")
    usub = user.add_subparsers(dest="user_command", required=True)
    add = usub.add_parser("add")
    add.add_argument("login")
    add.add_argument(
        "--role",
        action="append",
        default=[],
        help=f"vai trò toàn trang ({', '.join(GRANTABLE_ROLES)})",
    )
    add.add_argument("--fullname", default="")
    add.add_argument("--email", default="")
    pw = usub.add_parser("passwd")
    pw.add_argument("login")
    usub.add_parser("list")
    user.set_defaults(func=cmd_user)

    group = sub.add_parser("group", help="quản lý nhóm")
    gsub = group.add_subparsers(dest="group_command", required=True)
    gadd = gsub.add_parser("add")
    gadd.add_argument("name")
    gadd.add_argument("--title", default="")
    gadd.add_argument("--role", action="append", default=[], help="vai trò toàn trang của nhóm")
    gmem = gsub.add_parser("member")
    gmem.add_argument("name")
    gmem.add_argument("login")
    gsub.add_parser("list")
    group.set_defaults(func=cmd_group)

    site = sub.add_parser("site", help="nhiều trang trên một cài đặt, chọn theo tên miền")
    ssub = site.add_subparsers(dest="site_command", required=True)
    sadd = ssub.add_parser("add")
    sadd.add_argument("name")
    sadd.add_argument("--title", default="")
    sadd.add_argument("--host", action="append", default=[], help="tên miền (lặp lại được)")
    ssub.add_parser("list")
    site.set_defaults(func=cmd_site)

    i18n = sub.add_parser("i18n", help="trích chuỗi giao diện (Babel), kiểm tra bản dịch")
    isub = i18n.add_subparsers(dest="i18n_command", required=True)
    for name, text in (
        ("update", "cập nhật portal.pot và portal.po của mỗi ngôn ngữ"),
        ("check", "báo lỗi nếu còn chuỗi chưa dịch"),
    ):
        p = isub.add_parser(name, help=text)
        p.add_argument("--locale-dir", default="", help="thư mục bản dịch (mặc định: portal/locale)")
    i18n.set_defaults(func=cmd_i18n)

    # Feed import (issue 5) declares its own subcommands.
    feedimport_cli.add_parser(sub)
    # API tokens (issue 6): shown once when created, only their hash is stored.
    api_cli.add_parser(sub)
    # Export and import of a subtree as one archive (issue 6).
    transfer_cli.add_parser(sub)
    # Dossier statuses from the one-stop office (issue 7) and receipt QR codes.
    dossiers_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Names are compared with what forms store: NFC, as everything on the way in.
    for attr in ("login", "name", "title", "fullname"):
        if isinstance(getattr(args, attr, None), str):
            setattr(args, attr, nfc(getattr(args, attr)).strip())
    try:
        settings = load_settings(args.config)
        args.func(args, settings)
    except CLIError as e:
        print(f"portal: lỗi: {e}", file=sys.stderr)
        return 1
    except OperationalError as e:
        text = str(e.orig).strip()
        reason = text.splitlines()[0] if text else "?"
        print(f"portal: lỗi: không kết nối được cơ sở dữ liệu ({reason})", file=sys.stderr)
        return 1
    except SQLAlchemyError as e:
        print(f"portal: lỗi: cơ sở dữ liệu: {str(e).splitlines()[0]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    # Run as portal.cli, not __main__: sub-commands raise portal.cli.CLIError, which
    # this module's copy under the name __main__ would not catch.
    from portal.cli import main as portal_main

    sys.exit(portal_main())
