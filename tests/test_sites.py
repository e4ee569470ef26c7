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
