"""Page weight, measured from the browser's own network events: every checked page,
without its images, transfers under 150 KB (a citizen on a slow phone connection), and
no script blocks the first render (a <script src> in <head> without defer/async)."""

from __future__ import annotations

import pytest

from tests.browser.checked_pages import ADMIN, EDITOR, PHONE, PUBLIC, log_in, new_context, resolve

BUDGET = 150 * 1024

# Scripts in <head> that are neither deferred nor async, nor modules (deferred by
# default): each one stops the parser until it has been fetched and run.
BLOCKING_SCRIPTS = """() => Array.from(document.head.querySelectorAll('script[src]'))
    .filter(s => !s.defer && !s.async && s.type !== 'module').map(s => s.src)"""


@pytest.fixture(scope="module")
def contexts(browser, demo_server):
    made = {}

    def get(who):
        if who not in made:
            context = new_context(browser, PHONE)
            if who != "anonymous":
                log_in(context, demo_server, who)
            made[who] = context
        return made[who]

    yield get
    for context in made.values():
        context.close()


def transferred(context, url) -> tuple[int, list[str]]:
    """Bytes on the wire (headers and encoded bodies) of everything but images, for one
    fresh load of ``url`` with the cache off, and a line per response for the message."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    kinds, sizes = {}, {}
    def seen(e):
        kinds[e["requestId"]] = (e["type"], e["response"]["url"])

    cdp.on("Network.responseReceived", seen)
    cdp.on("Network.loadingFinished", lambda e: sizes.update({e["requestId"]: e["encodedDataLength"]}))
    page.goto(url, wait_until="networkidle")
    blocking = page.evaluate(BLOCKING_SCRIPTS)
    page.close()
    total, lines = 0, []
    for request_id, size in sizes.items():
        kind, resource = kinds.get(request_id, ("Other", "?"))
        if kind in ("Image", "Media"):
            continue
        total += size
        lines.append(f"{size:>8} {kind:<10} {resource}")
    return total, sorted(lines, reverse=True), blocking


CASES = (
    [("anonymous", *p) for p in PUBLIC] + [("editor", *p) for p in EDITOR] + [("admin", *p) for p in ADMIN]
)


@pytest.mark.parametrize("who,name,path,link", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_page_weight_and_no_render_blocking_script(contexts, demo_server, who, name, path, link):
    context = contexts(who)
    probe = context.new_page()
    url = resolve(probe, demo_server, path, link)
    probe.close()
    total, lines, blocking = transferred(context, url)
    print(f"page weight {who}-{name}: {total} bytes")  # for the record (pytest -s)
    assert total > 0, "no network events seen"
    assert total < BUDGET, f"{name}: {total} bytes without images (budget {BUDGET}):\n" + "\n".join(lines)
    assert blocking == [], f"{name}: render-blocking scripts in <head>: {blocking}"
