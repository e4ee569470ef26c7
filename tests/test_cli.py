"""The ``portal`` command, run for real in a subprocess against a fresh data directory.

Each test gets its own PORTAL_DATA_DIR (so SQLite under it), with every other
PORTAL_* variable removed from the environment (no PORTAL_CONFIG, no
PORTAL_DATABASE_URL unless a test sets one).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from migrations.schema import target_metadata
from portal import migrate
from portal.db import make_engine
from portal.demo import DEMO
from portal.models import LocalRole, Node, User, WorkflowHistory
from portal.permissions import Roles
from portal.security import verify_password

TIMEOUT = 90  # seconds, for any one command
ADMIN_PASSWORD = "mat-khau-quan-tri-01"
ANNOUNCEMENT = "Đã tạo tài khoản quản trị 'admin'"

_script = Path(sys.executable).with_name("portal")
PORTAL = [str(_script)] if _script.exists() else [sys.executable, "-m", "portal.cli"]


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env["PORTAL_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def portal(data_dir: Path, *args: str, input: str | None = None, cwd: Path | None = None, **env):
    return subprocess.run(
        [*PORTAL, *args],
        env=_env(data_dir, **env),
        input=input if input is not None else "",
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=cwd or data_dir.parent,
    )


def ok(result) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def fails_with_one_line(result, *fragments: str) -> str:
    """Exit status 1 and exactly one line on stderr: the error, no traceback."""
    assert result.returncode == 1, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("portal: lỗi"), line
    for fragment in fragments:
        assert fragment in line, line
    return line


def db_path(data_dir: Path) -> Path:
    return data_dir / "portal.sqlite"


class Database:
    """The data directory's SQLite file, opened from the test process."""

    def __init__(self, data_dir: Path):
        self.engine = make_engine(f"sqlite:///{db_path(data_dir)}")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.engine.dispose()

    def session(self) -> Session:
        return Session(self.engine)

    def user(self, login: str) -> User | None:
        with self.session() as db:
            return db.scalar(select(User).where(User.login == login))

    def tables(self) -> set[str]:
        return set(inspect(self.engine).get_table_names())


ALL_TABLES = set(target_metadata().tables) | {"alembic_version"}


@pytest.fixture
def data_dir(tmp_path) -> Path:
    # Not created: ``portal init`` must create it.
    return tmp_path / "data"


@pytest.fixture
def initialised(data_dir) -> Path:
    ok(portal(data_dir, "init", PORTAL_ADMIN_PASSWORD=ADMIN_PASSWORD))
    return data_dir


# --- init --------------------------------------------------------------------


def test_init_creates_the_database_and_shows_a_generated_password_once(data_dir):
    assert not data_dir.exists()
    first = ok(portal(data_dir, "init"))
    assert db_path(data_dir).is_file()
    assert (data_dir / "secret").stat().st_mode & 0o777 == 0o600

    lines = first.stdout.splitlines()
    announced = [i for i, line in enumerate(lines) if line.startswith(ANNOUNCEMENT)]
    assert len(announced) == 1, first.stdout
    password = lines[announced[0] + 1].strip()
    assert len(password) >= 12 and " " not in password
    assert first.stdout.count(password) == 1

    with Database(data_dir) as database:
        assert database.tables() == ALL_TABLES
        admin = database.user("admin")
        assert admin is not None and verify_password(admin, password)
        hash_before = admin.password_hash

    second = ok(portal(data_dir, "init"))
    assert ANNOUNCEMENT not in second.stdout
    assert password not in second.stdout and password not in second.stderr
    with Database(data_dir) as database:
        admin = database.user("admin")
        assert admin.password_hash == hash_before
        with database.session() as db:
            assert db.scalar(select(func.count()).select_from(User)) == 1


def test_init_with_admin_password_from_the_environment(data_dir):
    result = ok(portal(data_dir, "init", PORTAL_ADMIN_PASSWORD=ADMIN_PASSWORD))
    assert ANNOUNCEMENT not in result.stdout
    assert ADMIN_PASSWORD not in result.stdout and ADMIN_PASSWORD not in result.stderr
    with Database(data_dir) as database:
        admin = database.user("admin")
        assert verify_password(admin, ADMIN_PASSWORD)
        assert not verify_password(admin, ADMIN_PASSWORD + "x")
        with database.session() as db:
            root = db.scalar(select(Node).where(Node.parent_id.is_(None)))
            roles = set(
                db.scalars(
                    select(LocalRole.role).where(
                        LocalRole.node_id == root.id, LocalRole.principal == admin.principal
                    )
                )
            )
    assert roles == {Roles.SiteAdministrator}


# --- db ----------------------------------------------------------------------


def test_db_current_downgrade_and_upgrade_round_trip(initialised):
    head = migrate.head()
    current = ok(portal(initialised, "db", "current")).stdout.strip()
    assert current == f"{head} (mới nhất)"

    down = ok(portal(initialised, "db", "downgrade", "base"))
    assert down.stdout.strip() == "Phiên bản hiện tại: None"
    with Database(initialised) as database:
        assert database.tables() == {"alembic_version"}
    current = ok(portal(initialised, "db", "current")).stdout.strip()
    assert current == f"(chưa khởi tạo) (cần nâng cấp lên {head})"

    up = ok(portal(initialised, "db", "upgrade"))
    assert up.stdout.strip() == f"Phiên bản hiện tại: {head}"
    with Database(initialised) as database:
        assert database.tables() == ALL_TABLES
        assert migrate.current(database.engine) == head
    assert ok(portal(initialised, "db", "current")).stdout.strip() == f"{head} (mới nhất)"


# --- user --------------------------------------------------------------------


def _list(data_dir: Path) -> dict[str, list[str]]:
    out = ok(portal(data_dir, "user", "list")).stdout
    return {line.split("\t")[0]: line.split("\t") for line in out.splitlines()}


def test_user_add_list_and_passwd(initialised):
    added = ok(portal(initialised, "user", "add", "bob", "--role", "Editor", input="mat-khau-cua-bob\n"))
    assert "bob" in added.stdout

    rows = _list(initialised)
    assert rows["bob"] == ["bob", "", "Editor"]
    assert rows["admin"] == ["admin", "Quản trị", "SiteAdministrator"]

    with Database(initialised) as database:
        before = database.user("bob")
        assert verify_password(before, "mat-khau-cua-bob")

    ok(portal(initialised, "user", "passwd", "bob", input="mat-khau-moi-cua-bob\n"))
    with Database(initialised) as database:
        after = database.user("bob")
    assert after.password_hash != before.password_hash
    assert verify_password(after, "mat-khau-moi-cua-bob")
    assert not verify_password(after, "mat-khau-cua-bob")


def test_adding_a_user_twice_fails_and_changes_nothing(initialised):
    ok(portal(initialised, "user", "add", "bob", "--role", "Editor", input="mat-khau-cua-bob\n"))
    again = portal(initialised, "user", "add", "bob", "--role", "Reader", input="mat-khau-khac-nua\n")
    fails_with_one_line(again, "'bob'")
    with Database(initialised) as database:
        assert verify_password(database.user("bob"), "mat-khau-cua-bob")
    assert _list(initialised)["bob"] == ["bob", "", "Editor"]


@pytest.mark.parametrize(
    ("args", "password", "fragment"),
    [
        (("--role", "Boss"), "mat-khau-du-dai", "Boss"),
        (("--role", "Editor", "--role", "editor"), "mat-khau-du-dai", "editor"),
        (("--role", "Editor"), "ngan", "8"),
        (("--role", "Editor"), "", "mật khẩu"),
    ],
    ids=["unknown-role", "role-wrong-case", "short-password", "no-password"],
)
def test_user_add_rejects_bad_input(initialised, args, password, fragment):
    result = portal(initialised, "user", "add", "carol", *args, input=password + "\n" if password else "")
    fails_with_one_line(result, fragment)
    with Database(initialised) as database:
        assert database.user("carol") is None


def test_user_passwd_rejects_a_short_password_and_an_unknown_user(initialised):
    with Database(initialised) as database:
        before = database.user("admin").password_hash
    fails_with_one_line(portal(initialised, "user", "passwd", "admin", input="ngan\n"), "8")
    fails_with_one_line(
        portal(initialised, "user", "passwd", "khong-co", input="mat-khau-du-dai\n"), "khong-co"
    )
    with Database(initialised) as database:
        assert database.user("admin").password_hash == before


# --- demo --------------------------------------------------------------------


def _count(entries) -> int:
    return sum(1 + (_count(payload) if isinstance(payload, list) else 0) for *_, payload in entries)


DEMO_ITEMS = _count(DEMO)


@pytest.mark.parametrize("data_dir_exists", [True, False], ids=["empty-data-dir", "no-data-dir"])
def test_demo_before_init_says_to_run_init(data_dir, data_dir_exists):
    if data_dir_exists:
        data_dir.mkdir()
    fails_with_one_line(portal(data_dir, "demo"), "portal init")


def test_demo_twice_creates_nothing_the_second_time(initialised):
    first = ok(portal(initialised, "demo"))
    created = int(re.fullmatch(r"Đã nạp dữ liệu mẫu: (\d+) mục mới\.", first.stdout.strip()).group(1))
    # The core menu, then each content type's own demo items (news, procedures, ...).
    assert created > DEMO_ITEMS + 100
    second = ok(portal(initialised, "demo"))
    assert second.stdout.strip() == "Đã nạp dữ liệu mẫu: 0 mục mới."

    now = dt.datetime.now(dt.UTC)
    with Database(initialised) as database, database.session() as db:
        nodes = db.scalars(select(Node).where(Node.parent_id.is_not(None))).all()
        assert len(nodes) == created
        assert {n.state for n in nodes} == {"published"}
        assert all(n.effective is not None and n.effective <= now for n in nodes)
        assert db.scalar(select(func.count()).select_from(WorkflowHistory)) == created
        about = db.scalar(select(Node).where(Node.path == "/gioi-thieu/"))
        assert about.title == "Giới thiệu" and about.type == "folder"
        page = db.scalar(select(Node).where(Node.path == "/gioi-thieu/chuc-nang-nhiem-vu/"))
        assert page.type == "page" and page.parent_id == about.id
        admin = db.scalar(select(User).where(User.login == "admin"))
        assert {n.owner_id for n in nodes} == {admin.id}


# --- configuration and database errors ----------------------------------------


@pytest.mark.parametrize("how", ["option", "environment"])
def test_missing_config_file(data_dir, how):
    if how == "option":
        result = portal(data_dir, "-c", "missing.ini", "init")
    else:
        result = portal(data_dir, "init", PORTAL_CONFIG="missing.ini")
    fails_with_one_line(result, "missing.ini")
    assert result.stdout == ""
    assert not data_dir.exists()


SECRET = "mat-khau-csdl-bi-mat"


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://nobody:{SECRET}@127.0.0.1:1/x",  # nothing listens there
        f"postgresql://nobody:{SECRET}@127.0.0.1:1/x",  # SQLAlchemy's default driver (psycopg2)
        "khong-phai-dia-chi-csdl",  # not a URL at all
    ],
    ids=["refused", "default-driver", "malformed"],
)
def test_bad_database_url(data_dir, url):
    result = portal(data_dir, "init", PORTAL_DATABASE_URL=url)
    fails_with_one_line(result)
    assert result.stdout == ""
    assert SECRET not in result.stderr


# --- serve -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8")


def test_serve_with_demo_content(data_dir, tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    out = (tmp_path / "serve.out").open("w")
    err = (tmp_path / "serve.err").open("w")
    proc = subprocess.Popen(
        [*PORTAL, "serve", "--demo", "--port", str(port)],
        env=_env(data_dir),
        stdin=subprocess.DEVNULL,
        stdout=out,
        stderr=err,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"portal serve exited with {proc.returncode}:\n"
                    f"{(tmp_path / 'serve.out').read_text()}\n{(tmp_path / 'serve.err').read_text()}"
                )
            try:
                status, home = _get(base + "/")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail("portal serve did not answer in time")
                time.sleep(0.2)

        assert status == 200
        assert "Giới thiệu" in home

        status, about = _get(base + "/gioi-thieu/")
        assert status == 200
        assert "Giới thiệu" in about and "Chức năng, nhiệm vụ" in about

        status, page = _get(base + "/gioi-thieu/chuc-nang-nhiem-vu/")
        assert status == 200
        assert "Ủy ban nhân dân là cơ quan hành chính nhà nước ở địa phương" in page

        with pytest.raises(urllib.error.HTTPError) as missing:
            _get(base + "/khong-co-trang-nay/")
        assert missing.value.code == 404
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        out.close()
        err.close()
