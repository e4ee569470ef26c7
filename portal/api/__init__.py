"""The JSON API, version 1, under /api/v1/ (see docs/architecture.md, "JSON API").

Routes, not traversal: the content path is the route's ``*subpath``, resolved with
the site's own one-query lookup (``portal.resources.lookup``) on the site of the Host.
Every error under /api/ is JSON (``errors``); callers are anonymous, logged in with the
session cookie, or send a per-user token (``tokens``) as "Authorization: Bearer".
"""

from __future__ import annotations


def includeme(config):
    from .content import content_view
    from .openapi import openapi_view
    from .tokens_views import add_token_views
    from .types import types_view

    config.include(".errors")
    # Trailing slash and none both mean the site root; route_url("api_content_root")
    # is the base every API URL is built on.
    config.add_route("api_content_root", "/api/v1/content/")
    config.add_route("api_content_bare", "/api/v1/content")
    config.add_route("api_content", "/api/v1/content/*subpath")
    config.add_route("api_types", "/api/v1/types")
    config.add_route("api_openapi", "/api/v1/openapi.json")
    for route in ("api_content_root", "api_content_bare", "api_content"):
        # Views check permissions on the node they resolve, and CSRF themselves: a
        # bearer request needs none, a cookie-authenticated write needs X-CSRF-Token.
        config.add_view(content_view, route_name=route, renderer="json", require_csrf=False)
    config.add_view(types_view, route_name="api_types", renderer="json", request_method=("GET", "HEAD"))
    config.add_view(openapi_view, route_name="api_openapi", renderer="json", request_method=("GET", "HEAD"))
    add_token_views(config)
