"""/ngon-ngu/<code>: the language switch. Remembers the choice in a cookie and
goes back to the page the visitor came from (a path on this site only)."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.view import view_config

from ..i18n import AVAILABLE_KEY, LANG_COOKIE
from ..settings import as_bool
from .auth import safe_redirect

COOKIE_MAX_AGE = 365 * 24 * 3600


@view_config(route_name="language", request_method=("GET", "HEAD"), require_csrf=False)
def switch_language(request):
    code = request.matchdict["code"]
    if code not in request.registry.get(AVAILABLE_KEY, ()):
        raise HTTPNotFound()
    response = HTTPFound(safe_redirect(request, request.params.get("came_from", "/")))
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=COOKIE_MAX_AGE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=as_bool(request.registry.settings["portal.session_secure"]),
    )
    # The redirect depends on the query string and sets a cookie: never stored.
    response.cache_control = "private, no-store"
    return response
