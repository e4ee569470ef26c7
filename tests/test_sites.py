"""One install, several sites: the Host header picks the site's tree."""

from portal.bootstrap import ensure_site
from portal.models import SiteHost


def test_host_picks_its_site_and_others_get_default(app, db, settings, make):
    commune = ensure_site(db, {**settings, "portal.site_name": "Xã Tân An"}, name="tan-an")
    db.add(SiteHost(host="tanan.example.vn", site_id=commune.site_id))
    commune.title = "Trang chủ Xã Tân An"
    make("page", title="Trang của phường", state="published")
    db.commit()

    res = app.get("/", extra_environ={"HTTP_HOST": "tanan.example.vn"})
    assert "Trang chủ Xã Tân An" in res.text
    assert "Trang của phường" not in res.text
    # The default site's page does not exist under the commune's host.
    app.get("/trang-cua-phuong/", extra_environ={"HTTP_HOST": "tanan.example.vn"}, status=404)
    app.get("/trang-cua-phuong/", extra_environ={"HTTP_HOST": "other.example.vn:8080"}, status=200)


def test_site_command_adds_a_site_answering_its_host(tmp_path):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "PORTAL_DATA_DIR": str(tmp_path), "HOME": str(tmp_path)}

    def portal(*args):
        return subprocess.run(
            [sys.executable, "-m", "portal.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert portal("init").returncode == 0
    res = portal("site", "add", "tan-an", "--title", "Xã Tân An", "--host", "TanAn.example.vn")
    assert res.returncode == 0, res.stderr
    listing = portal("site", "list").stdout
    assert "tan-an\tXã Tân An\ttanan.example.vn" in listing
    assert "default" in listing
    again = portal("site", "add", "khac", "--host", "tanan.example.vn")
    assert again.returncode == 1 and again.stderr.count("\n") == 1
    assert "tên miền đã thuộc trang khác" in again.stderr
    bad = portal("site", "add", "Tên Sai")
    assert bad.returncode == 1 and "tên trang" in bad.stderr


def test_group_command_gives_its_members_the_groups_roles(tmp_path):
    import subprocess
    import sys

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from portal.db import make_engine
    from portal.models import Group, GroupMember, LocalRole, User

    env = {"PATH": "/usr/bin:/bin", "PORTAL_DATA_DIR": str(tmp_path), "HOME": str(tmp_path),
           "PORTAL_USER_PASSWORD": "mat-khau-dai-du"}  # fmt: skip

    def portal(*args):
        return subprocess.run(
            [sys.executable, "-m", "portal.cli", *args], env=env, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip

    assert portal("init").returncode == 0
    assert portal("user", "add", "lan").returncode == 0
    res = portal("group", "add", "bien-tap", "--title", "Tổ biên tập", "--role", "Editor")
    assert res.returncode == 0, res.stderr
    assert portal("group", "member", "bien-tap", "lan").returncode == 0
    assert "bien-tap\tTổ biên tập\tlan" in portal("group", "list").stdout
    for bad in (
        ("group", "add", "bien-tap"),
        ("group", "member", "khong-co", "lan"),
        ("group", "member", "bien-tap", "khong-co"),
        ("group", "add", "x", "--role", "Boss"),
    ):
        res = portal(*bad)
        assert res.returncode == 1 and res.stderr.count("\n") == 1, (bad, res.stderr)  # fmt: skip

    engine = make_engine(f"sqlite:///{tmp_path / 'portal.sqlite'}")
    with Session(engine) as db:
        group = db.scalar(select(Group).where(Group.name == "bien-tap"))
        lan = db.scalar(select(User).where(User.login == "lan"))
        assert db.get(GroupMember, (group.id, lan.id)) is not None
        roles = db.scalars(select(LocalRole.role).where(LocalRole.principal == group.principal))
        assert list(roles) == ["Editor"]
    engine.dispose()
