"""``/quan-tri``: the staff pages of every package on one page, each shown only to
those who may open it, and the "Quản trị" link in the header that leads there.

Packages declare their pages with ``config.add_admin_page(route_name, title,
description, permission=...)`` (or ``allowed=fn(request) -> bool`` when a permission
is not the rule); the list keeps their include order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pyramid.httpexceptions import HTTPForbidden

from .i18n import _
from .permissions import Permissions

KEY = "portal.admin.pages"


@dataclass(frozen=True)
class AdminPage:
    route_name: str
    title: str
    description: str
    permission: str | None
    allowed: Callable | None

    def may_open(self, request) -> bool:
        if self.allowed is not None:
            return bool(self.allowed(request))
        return bool(request.has_permission(self.permission, request.root_node))


def add_admin_page(config, route_name, title, description="", permission=None, allowed=None):
    if (permission is None) == (allowed is None):
        raise ValueError(f"admin page {route_name!r}: give a permission or an allowed() check")
    page = AdminPage(route_name, title, description, permission, allowed)
    # A config action, so that a page declared twice is a configuration conflict.
    config.action(("portal.admin_page", route_name), lambda: config.registry[KEY].append(page))


def pages_for(request) -> list[AdminPage]:
    if request.identity_obj is None:
        return []
    return [p for p in request.registry.get(KEY, ()) if p.may_open(request)]


def admin_url(request) -> str | None:
    """The header's "Quản trị" link: only for users with at least one staff page."""
    return request.route_url("admin") if pages_for(request) else None


def admin_view(request):
    if request.identity_obj is None:
        raise HTTPForbidden()  # the forbidden view sends anonymous visitors to log in
    pages = [
        {"url": request.route_url(p.route_name), "title": p.title, "description": p.description}
        for p in pages_for(request)
    ]
    return {"title": request.t(_("Quản trị")), "pages": pages}


def includeme(config):
    config.registry[KEY] = []
    config.add_directive("add_admin_page", add_admin_page, action_wrap=False)
    config.add_request_method(admin_url, "admin_url", reify=True)
    config.add_fixed_page(
        "admin", "/quan-tri", admin_view, renderer="admin.html", permission=Permissions.View
    )
