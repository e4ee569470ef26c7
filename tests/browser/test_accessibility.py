"""axe-core (bundled by axe-playwright-python, nothing fetched) in Chromium on the real
pages with the demo content: zero WCAG 2.1 A and AA violations, at desktop width and on
a 375x812 phone, for anonymous visitors and for an editor's forms. Every checked page is
also saved as a screenshot in var/screenshots/ (git-ignored) for a person to look at."""

from __future__ import annotations

import pytest

from tests.browser.checked_pages import (
    ADMIN,
    EDITOR,
    PUBLIC,
    SCREENSHOTS,
    WIDTHS,
    log_in,
    new_context,
    resolve,
)

# Resolves once every image has loaded (or failed; at most 10 s); page.wait_for_function would need
# eval, which the portal's Content-Security-Policy forbids.
LOADED = """() => Promise.race([
    Promise.all(Array.from(document.images).filter(i => !i.complete).map(
        i => new Promise(done => { i.onload = i.onerror = done; }))),
    new Promise(done => setTimeout(done, 10000))])"""
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def contexts(browser, demo_server):
    """One browser context per (visitor, width), reused by every page of this module."""
    made = {}

    def get(who, width):
        if (who, width) not in made:
            context = new_context(browser, WIDTHS[width])
            if who != "anonymous":
                log_in(context, demo_server, who)
            page = context.new_page()
            page.errors = []
            page.on("pageerror", lambda e, page=page: page.errors.append(str(e)))
            made[who, width] = page
        return made[who, width]

    yield get
    for page in made.values():
        page.context.close()


def describe(violations) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            summary = node.get("failureSummary", "").splitlines()[-1:]
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
            lines.append(f"        {node['html'][:200]}")
    return "\n".join(lines)


CASES = (
    [("anonymous", *p) for p in PUBLIC] + [("editor", *p) for p in EDITOR] + [("admin", *p) for p in ADMIN]
)


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize(("who", "name", "path", "link"), CASES, ids=[c[1] for c in CASES])
def test_no_wcag_violations(contexts, axe, demo_server, who, name, path, link, width):
    page = contexts(who, width)
    url = resolve(page, demo_server, path, link)
    page.errors.clear()
    response = page.goto(url)
    assert response.status == (404 if name == "not-found" else 200), url
    page.wait_for_load_state("load")
    # Lazy images below the fold would be blank in a full-page screenshot.
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
    page.evaluate(LOADED)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = axe.run(page, options=options)
    violations = results.response["violations"]
    if violations:
        pytest.fail(f"{url} at {width} width:\n" + describe(violations), pytrace=False)
    assert page.errors == [], page.errors
