"""The theme: Jinja2 templates and static assets, all served by the portal itself."""

from __future__ import annotations

from pyramid.events import NewResponse, subscriber

STATIC_MAX_AGE = 7 * 24 * 3600

# Every asset is ours; inline scripts only from deform's widgets. A view that
# embeds an allow-listed video player widens frame-src for its own response.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; frame-ancestors 'self'; form-action 'self'"
)


@subscriber(NewResponse)
def security_headers(event):
    headers = event.response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    headers.setdefault("Content-Security-Policy", CSP)
    request = event.request
    has_session = "portal_session" in request.cookies or "Set-Cookie" in headers
    if "Cache-Control" not in headers and has_session:
        # Pages seen with a session (logged-in users, forms) are never stored
        # by a shared cache.
        headers["Cache-Control"] = "private, no-store"
    if event.response.content_type == "text/html":
        # A page's language follows the portal_lang cookie (the language switch):
        # a shared cache must not hand an English page to a Vietnamese visitor.
        vary = list(event.response.vary or ())
        if "Cookie" not in vary:
            event.response.vary = (*vary, "Cookie")


def includeme(config):
    config.include("pyramid_jinja2")
    config.add_jinja2_renderer(".html")
    config.add_static_view("static", "themes:default/static", cache_max_age=STATIC_MAX_AGE)
    config.scan(__name__)
