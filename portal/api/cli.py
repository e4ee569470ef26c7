"""``portal token create USER [--name NAME] | list USER | revoke ID``: API tokens."""

from __future__ import annotations

from sqlalchemy import select

from ..models import ApiToken, User
from ..text import format_datetime
from .tokens import create_token, revoke, user_tokens


def add_parser(sub) -> None:
    token = sub.add_parser("token", help="mã truy cập API của người dùng")
    tsub = token.add_subparsers(dest="token_command", required=True)
    create = tsub.add_parser("create", help="tạo mã mới (chỉ in ra một lần)")
    create.add_argument("login", metavar="USER")
    create.add_argument("--name", default="", help="tên gợi nhớ của mã")
    tlist = tsub.add_parser("list", help="liệt kê mã của một người dùng")
    tlist.add_argument("login", metavar="USER")
    trevoke = tsub.add_parser("revoke", help="thu hồi một mã")
    trevoke.add_argument("id", type=int)
    token.set_defaults(func=cmd_token)


def cmd_token(args, settings) -> None:
    # Imported here: portal.cli imports this module to build its parser.
    from ..cli import CLIError, _schema_session

    with _schema_session(settings) as db:
        if args.token_command == "revoke":
            row = db.get(ApiToken, args.id)
            if row is None:
                raise CLIError(f"không có mã số {args.id}")
            revoke(db, row)
            print(f"Đã thu hồi mã số {row.id}.")
            return
        user = db.scalar(select(User).where(User.login == args.login))
        if user is None:
            raise CLIError(f"không có người dùng '{args.login}'")
        if args.token_command == "create":
            row, secret = create_token(db, user, args.name)
            print(f"Đã tạo mã số {row.id} cho '{user.login}' (chỉ hiện một lần):")
            print(secret)
            return
        for row in user_tokens(db, user.id):
            status = f"đã thu hồi {format_datetime(row.revoked_at)}" if row.revoked_at else "đang dùng"
            used = format_datetime(row.last_used_at) if row.last_used_at else "chưa dùng"
            print(f"{row.id}\t{row.name or '-'}\t{format_datetime(row.created_at)}\t{used}\t{status}")
