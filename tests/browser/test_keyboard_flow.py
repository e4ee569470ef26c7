"""The editor flow with the keyboard only (Tab, Shift+Tab, Enter, Space, typing): an
editor adds a news article with a lead image and its caption and submits it, a reviewer
publishes it, and it is on the home page. Every control of the add form is reachable,
focus is always visible, and nothing traps it (the rich-text editor included)."""

from __future__ import annotations

import io

from PIL import Image

from tests.browser.conftest import PASSWORD

# What has the focus, and whether a sighted keyboard user can see it: an outline or a
# box shadow on the element, or (TinyMCE) the focus ring its frame draws around itself.
FOCUS = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  const ring = (el) => { const c = getComputedStyle(el);
    return (c.outlineStyle !== 'none' && parseFloat(c.outlineWidth) > 0) || c.boxShadow !== 'none'; };
  const box = e.closest('.tox-tinymce');
  // The calendar button inside a date field takes the focus itself (the field loses
  // :focus) and computed styles cannot see it: the theme must style it.
  const styled = (sheet) => { try {
      return Array.from(sheet.cssRules).some(r => (r.selectorText || '').includes('picker-indicator:focus'));
    } catch (x) { return false; } };
  const picker = /^(date|datetime-local|time|month|week)$/.test(e.type) && !e.matches(':focus')
    && Array.from(document.styleSheets).some(styled);
  const framed = !!box && !!(box.matches('.tox-edit-focus') || box.querySelector('.tox-edit-focus'));
  return {tag: e.tagName, name: e.getAttribute('name') || '', id: e.id || '', type: e.type || '',
          label: (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 40),
          editor: e.tagName === 'IFRAME' && !!box,
          visible: e.tagName === 'BODY' || picker || ring(e) || framed};
}"""

# Every control a user could operate in the page's main content.
CONTROLS = """() => Array.from(document.querySelectorAll(
    'main input:not([type=hidden]), main select, main textarea, main button, main a[href]'))
  .filter(e => e.offsetParent !== null || e.type === 'file')
  .map(e => e.getAttribute('name') || e.id || e.getAttribute('href'))"""


def jpeg(tmp_path):
    path = tmp_path / "tiep-dan.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (1200, 675), (160, 60, 40)).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return path


def settled_focus(page):
    """The focus once it has settled: when Tab lands on the rich-text field, TinyMCE
    hides the textarea (the focus drops to the page for a moment) and then puts the
    caret in its own frame; a person waits for the editor before typing, so do we."""
    info = page.evaluate(FOCUS)
    for _ in range(40):
        if info["tag"] != "BODY" and info["visible"]:
            break
        page.wait_for_timeout(100)
        info = page.evaluate(FOCUS)
    return info


def tab_to(page, name, *, key="Tab", limit=120):
    """Press Tab (or Shift+Tab) until the control named ``name`` has the focus, checking
    at every step that the focus can be seen."""
    path = []
    for _ in range(limit):
        page.keyboard.press(key)
        info = settled_focus(page)
        path.append(f"{info['tag']}[{info['name'] or info['id']}] {info['label']!r}")
        assert info["visible"], "focus not visible on " + path[-1]
        if name in (info["name"], info["id"]) or (name == "body" and info["editor"]):
            return info
    raise AssertionError(f"{name!r} not reached with {key}; focus went through:\n" + "\n".join(path))


def keyboard_log_in(page, base, user):
    page.goto(base + "/dang-nhap")
    tab_to(page, "login")
    page.keyboard.type(user)
    tab_to(page, "password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")


def keyboard_log_out(page, base):
    """The log-out page's one button, reached by Tab and pressed with Space."""
    page.goto(base + "/dang-xuat")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('main form button')"):
            break
    else:
        raise AssertionError("the log-out button was never reached with Tab")
    page.keyboard.press("Space")
    page.wait_for_url(base + "/")


def submit_workflow(page, base, path, transition):
    page.goto(base + path + "@@workflow")
    tab_to(page, transition)
    page.keyboard.press("Enter")
    page.wait_for_url(base + path)


def test_every_control_of_the_add_form_is_reachable_and_nothing_traps_focus(page, server):
    keyboard_log_in(page, server, "editor")
    page.goto(server + "/@@add?type=news")
    controls = set(page.evaluate(CONTROLS))
    reached, steps = set(), 0
    page.keyboard.press("Tab")
    first = settled_focus(page)
    while steps < 300:
        info = settled_focus(page)
        assert info["visible"], f"focus not visible on {info}"
        reached.update({info["name"], info["id"]})
        if info["editor"]:
            reached.add("body")
        page.keyboard.press("Tab")
        steps += 1
        now = settled_focus(page)
        if steps > 3 and all(now[k] == first[k] for k in ("name", "id", "label")):
            break  # round the whole page and back to the start: no trap
    else:
        raise AssertionError(f"focus never came back to the start in 300 Tabs (stuck on {now})")
    missing = {c for c in controls if c and not c.startswith(("/", "http", "#"))} - reached
    assert not missing, f"never reached with Tab: {sorted(missing)}"
    # Shift+Tab goes back the same way.
    tab_to(page, "title")
    tab_to(page, "title", key="Shift+Tab", limit=300)


def test_editor_adds_an_illustrated_article_with_the_keyboard_only(page, server, tmp_path):
    keyboard_log_in(page, server, "editor")
    page.goto(server + "/@@add?type=folder")
    tab_to(page, "title")
    page.keyboard.type("Tin bàn phím")
    page.keyboard.press("Enter")  # Enter in a text field submits the form
    page.wait_for_url(server + "/tin-ban-phim/")

    page.goto(server + "/tin-ban-phim/@@add?type=news")
    tab_to(page, "title")
    page.keyboard.type("Tiếp dân bằng bàn phím")
    tab_to(page, "lead")
    page.keyboard.type("Bản tin soạn hoàn toàn bằng bàn phím.")
    tab_to(page, "body")  # the rich-text editor starts and takes the caret
    for _ in range(50):
        if page.evaluate("!!(window.tinymce && tinymce.activeEditor && tinymce.activeEditor.initialized)"):
            break
        page.wait_for_timeout(100)
    page.keyboard.type("Lịch tiếp công dân vào thứ Năm.")
    image = tab_to(page, "upload")  # Tab leaves the editor again
    assert image["type"] == "file"
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(jpeg(tmp_path)))
    tab_to(page, "image_caption")
    page.keyboard.type("Quầy tiếp dân")
    tab_to(page, "save")
    page.keyboard.press("Enter")
    url = server + "/tin-ban-phim/tiep-dan-bang-ban-phim/"
    page.wait_for_url(url)
    assert "Lịch tiếp công dân vào thứ Năm." in page.inner_text("main")
    assert "Quầy tiếp dân" in page.inner_text("figure.lead-image figcaption")

    for path in ("/tin-ban-phim/", "/tin-ban-phim/tiep-dan-bang-ban-phim/"):
        submit_workflow(page, server, path, "submit")
    keyboard_log_out(page, server)
    keyboard_log_in(page, server, "reviewer")
    for path in ("/tin-ban-phim/", "/tin-ban-phim/tiep-dan-bang-ban-phim/"):
        submit_workflow(page, server, path, "publish")
    keyboard_log_out(page, server)

    page.goto(server + "/tin-ban-phim/")
    assert "Tiếp dân bằng bàn phím" in page.inner_text("main")
    assert page.errors == []
