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
