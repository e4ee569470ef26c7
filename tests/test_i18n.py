"""Languages: the catalogue is complete, the switch, the item's own language, and
caches that never serve a page in the wrong language."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from portal import i18n_catalog as cat

from .conftest import login

_script = Path(sys.executable).with_name("portal")
PORTAL = [str(_script)] if _script.exists() else [sys.executable, "-m", "portal.cli"]

ENGLISH_HOME = ("Skip to main content", "Log in", "Main navigation", ">Home<")
VIETNAMESE_HOME = ("Bỏ qua đến nội dung chính", "Đăng nhập", "Điều hướng chính", ">Trang chủ<")


def assert_english(res):
    assert '<html lang="en">' in res.text
    for text in ENGLISH_HOME[:3]:
        assert text in res.text, text
    for text in VIETNAMESE_HOME[:3]:
        assert text not in res.text, text
    # The switch back, named in its own language.
    assert 'lang="vi" hreflang="vi"' in res.text and "Tiếng Việt</a>" in res.text


def assert_vietnamese(res):
    assert '<html lang="vi">' in res.text
    for text in VIETNAMESE_HOME[:3]:
        assert text in res.text, text
    for text in ENGLISH_HOME[:3]:
        assert text not in res.text, text
    assert 'lang="en" hreflang="en"' in res.text and "English</a>" in res.text


# --- the catalogue -----------------------------------------------------------


@pytest.fixture(scope="module")
def messages():
    return cat.extract()


def test_every_msgid_has_an_english_translation_with_the_same_placeholders(messages):
    assert len(messages) > 300  # the extraction found the UI (Python and templates)
    assert "Bỏ qua đến nội dung chính" in messages  # a template's
    assert "Không tìm thấy trang" in messages  # Python's
    problems = cat.check("en", messages=messages)
    assert problems.missing_msgids == [], "run: portal i18n update"
    assert problems.untranslated == [], f"{len(problems.untranslated)} msgids without English"
    assert problems.bad_placeholders == []


def test_the_pot_file_is_up_to_date_with_the_source(messages):
    assert cat.pot_path().read_text(encoding="utf-8") == cat.pot_text(messages), (
        "portal/locale/portal.pot is stale: run `portal i18n update`"
    )


def test_placeholders_are_compared():
    assert cat.placeholders("Xóa “${title}”?") == {"${title}"}
    assert cat.placeholders("Delete “${name}”?") != cat.placeholders("Xóa “${title}”?")


# --- the language switch -----------------------------------------------------


def test_switch_sets_the_cookie_and_goes_back_to_a_same_site_path(app):
    res = app.get("/ngon-ngu/en", params={"came_from": "/dang-nhap?x=1"}, status=302)
    assert res.location == "http://localhost/dang-nhap?x=1"
    cookie = res.headers["Set-Cookie"]
    assert cookie.startswith("portal_lang=en;") and "HttpOnly" in cookie and "Max-Age=" in cookie
    assert res.headers["Cache-Control"] == "private, no-store"
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""):
        res = app.get("/ngon-ngu/vi", params={"came_from": target}, status=302)
        assert res.location == "http://localhost/", target
    app.get("/ngon-ngu/vi", status=302)  # no came_from: home
    app.get("/ngon-ngu/fr", status=404)


def test_home_login_and_404_in_english_then_back_in_vietnamese(app):
    assert_vietnamese(app.get("/"))
    app.get("/ngon-ngu/en", params={"came_from": "/"}, status=302)
    home = app.get("/")
    assert_english(home)
    assert ">Home<" in home.text
    # The switch points back here.
    assert "/ngon-ngu/vi?came_from=%2F" in home.text

    page = app.get("/dang-nhap")
    assert '<html lang="en">' in page.text
    assert "User name" in page.text and "Password" in page.text and "Tên đăng nhập" not in page.text

    missing = app.get("/khong-co-trang-nay/", status=404)
    assert '<html lang="en">' in missing.text
    assert "Page not found" in missing.text and "Back to the home page" in missing.text

    app.get("/ngon-ngu/vi", status=302)
    assert_vietnamese(app.get("/"))
    missing = app.get("/khong-co-trang-nay/", status=404)
    assert "Không tìm thấy trang" in missing.text


def test_site_name_in_english_when_set(app, registry, monkeypatch):
    monkeypatch.setitem(registry.settings, "portal.site_name_en", "Test Ward")
    monkeypatch.setitem(registry.settings, "portal.site_level_en", "People's Committee of the ward")
    assert "Phường Thử Nghiệm" in app.get("/").text
    app.set_cookie("portal_lang", "en")
    home = app.get("/").text
    assert '<span class="brand-name">Test Ward</span>' in home
    assert "People&#39;s Committee of the ward · Test Ward" in home  # the footer
    assert "Ủy ban nhân dân phường" not in home
    assert "Số 1 đường Thử" in home  # no English address set: the Vietnamese one


def test_form_errors_in_english(app):
    """deform's and colander's own messages are English msgids (no catalogue needed);
    ours come from the English catalogue."""
    app.get("/ngon-ngu/en", status=302)
    page = app.get("/dang-nhap")
    form = page.forms["deform"]
    form["login"] = ""
    form["password"] = ""
    res = form.submit("do_login", status=400)
    assert "Required" in res.text
    assert "There was a problem with your submission" in res.text
    assert "Bắt buộc" not in res.text and "Có lỗi" not in res.text

    app.get("/ngon-ngu/vi", status=302)
    form = app.get("/dang-nhap").forms["deform"]
    res = form.submit("do_login", status=400)
    assert "Required" not in res.text


def test_an_english_item_speaks_english_without_the_cookie(app, make, db):
    folder = make("folder", title="English", state="published", language="en")
    contact = make(
        "page", folder, title="Contact", state="published", language="en", body="<p>Write to us.</p>"
    )
    assert contact.path == "/english/contact/"
    res = app.get(contact.path)
    assert '<html lang="en">' in res.text
    assert "Skip to main content" in res.text and "Posted on" in res.text
    assert "Write to us." in res.text
    # The rest of the site stays Vietnamese, in cache too.
    assert_vietnamese(app.get("/"))
    assert_english(app.get(folder.path))
    assert_vietnamese(app.get("/"))
    # A visitor who chose Vietnamese keeps the Vietnamese labels around the English page.
    app.get("/ngon-ngu/vi", status=302)
    assert '<html lang="vi">' in app.get(contact.path).text
    assert contact.language == "en"


def test_a_404_under_an_english_folder_does_not_tell_hidden_from_missing(app, make):
    folder = make("folder", title="English", state="published", language="en")
    hidden = make("page", folder, title="Draft", state="private", language="en")
    missing = app.get(folder.path + "no-such-page/", status=404)
    assert app.get(hidden.path, status=404).text == missing.text
    # The switch on an error page goes home, whatever the URL.
    assert "came_from=%2F&quot;" in missing.text or 'came_from=%2F"' in missing.text


def test_editing_an_english_item_keeps_the_editors_language(app, make):
    page = make("page", title="Contact", state="published", language="en")
    login(app, "admin")
    res = app.get(page.path + "@@edit")
    assert '<html lang="vi">' in res.text and "Tiêu đề" in res.text
    # The language is a field of every content form, set from the item.
    form = res.forms["deform"]
    assert form["language"].value == "en"
    assert page.language == "en"


def test_new_item_gets_its_folders_language_and_editors_can_change_it(app, make, db):
    from portal.models import Node

    folder = make("folder", title="English", state="published", language="en")
    login(app, "admin")
    form = app.get(folder.path + "@@add?type=page").forms["deform"]
    assert form["language"].value == "en"
    form["title"] = "Trang tiếng Việt"
    form["language"] = "vi"
    form.submit("save", status=302)
    db.expire_all()
    added = db.query(Node).filter(Node.parent_id == folder.id).one()
    assert added.language == "vi"


# --- caches ------------------------------------------------------------------


def test_cached_pages_and_blocks_are_kept_per_language(app, make):
    """Vietnamese, English, Vietnamese again: each from the page cache (home, a folder,
    an article page), each in its own language."""
    folder = make("folder", title="Giới thiệu", state="published")
    page = make("page", folder, title="Chức năng", state="published")
    for path in ("/", folder.path, page.path):
        app.reset()
        first = app.get(path)
        assert_vietnamese(first)
        assert_vietnamese(app.get(path))  # from the cache
        app.set_cookie("portal_lang", "en")
        assert_english(app.get(path))
        assert_english(app.get(path))
        app.set_cookie("portal_lang", "vi")
        again = app.get(path)
        assert_vietnamese(again)
        assert again.body == first.body


def test_pages_vary_on_the_cookie(app):
    res = app.get("/")
    assert "Cookie" in res.headers["Vary"]
    assert "Cache-Control" not in res.headers or "public" not in res.headers["Cache-Control"]


# --- the command -------------------------------------------------------------


def _portal(*args, cwd):
    return subprocess.run([*PORTAL, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_i18n_check_passes_on_the_tree_and_fails_on_a_missing_translation(tmp_path):
    ok = _portal("i18n", "check", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "470" in ok.stdout or "Đã dịch đủ" in ok.stdout

    copy = tmp_path / "locale"
    shutil.copytree(cat.LOCALE_DIR, copy)
    po = copy / "en" / "LC_MESSAGES" / "portal.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "Skip to main content"', 'msgstr ""', 1)
    po.write_text(text, encoding="utf-8")
    bad = _portal("i18n", "check", "--locale-dir", str(copy), cwd=tmp_path)
    assert bad.returncode == 1
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and "en: 1 chuỗi chưa dịch" in lines[0], bad.stderr
    assert "en: chưa dịch: Bỏ qua đến nội dung chính" in bad.stdout

    # update keeps translations, adds nothing new and leaves the gap to fill.
    upd = _portal("i18n", "update", "--locale-dir", str(copy), cwd=tmp_path)
    assert upd.returncode == 0, upd.stderr
    assert "0 mới" in upd.stdout and "còn 1 chưa dịch" in upd.stdout
    assert (copy / "portal.pot").read_text(encoding="utf-8") == cat.pot_path().read_text(encoding="utf-8")


def test_update_drops_obsolete_msgids_and_keeps_translations(tmp_path):
    copy = tmp_path / "locale"
    shutil.copytree(cat.LOCALE_DIR, copy)
    po = copy / "en" / "LC_MESSAGES" / "portal.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "Chuỗi đã bỏ"\nmsgstr "Gone"\n', encoding="utf-8")
    summary = cat.update(locale_dir=copy)
    total, added, dropped = summary["en"]
    assert (added, dropped) == (0, 1)
    assert "Chuỗi đã bỏ" not in po.read_text(encoding="utf-8")
    assert cat.check("en", locale_dir=copy).untranslated == []
