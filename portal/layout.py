"""What the site layout shows around every page: site identity, navigation,
breadcrumbs and the editing toolbar. Loaded by views' renderers, never by
templates walking relationships (lazy loads from templates are the usual
reason a CMS page is slow).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from pyramid.csrf import get_csrf_token
from pyramid.events import BeforeRender, subscriber

from . import listing, tree
from .i18n import AVAILABLE_KEY, LANGUAGE_NAMES, _
from .models import Node, utcnow
from .permissions import Permissions
from .text import format_date, format_datetime


@dataclass
class NavItem:
    title: str
    url: str
    active: bool


@dataclass
class LanguageLink:
    code: str
    title: str
    url: str


@dataclass
class Action:
    name: str
    title: str
    url: str
    active: bool = False


class Layout:
    def __init__(self, request):
        self.request = request
        s = request.registry.settings
        # Pages in another language show the settings' translation when there is one
        # (``portal.site_name_en``...).
        locale = request.locale_name

        def setting(key: str) -> str:
            return s.get(f"{key}_{locale}") or s[key]

        self.site_name = setting("portal.site_name")
        # Sites other than the default one show their own name. Read only if the root
        # was already found: the layout must not query (error pages render it too).
        info = request.__dict__.get("site_info")
        if info is not None and info.name != "default" and info.title:
            self.site_name = info.title
        self.site_level = setting("portal.site_level")
        self.address = setting("portal.site_address")
        self.hotline = s["portal.site_hotline"]
        self.email = s["portal.site_email"]

    @property
    def home_url(self) -> str:
        return self.request.application_url + "/"

    def navigation(self, context: Node | None) -> list[NavItem]:
        request = self.request
        current = context.path if isinstance(context, Node) else ""
        base = request.application_url
        return [
            NavItem(title=title, url=base + path, active=current.startswith(path))
            for title, path in self._nav_rows()
        ]

    def _nav_rows(self) -> list[tuple[str, str]]:
        """The root's visible children. Anonymous visitors all see the same list, so it is
        cached per site until the next content change (the site generation) or the next
        scheduled publication or expiry among those items, whichever comes first."""
        request = self.request
        root = request.root_node

        now = utcnow()

        def load():
            rows = listing.children(
                request, root, columns=(Node.title, Node.path), nav_only=True, limit=12, now=now
            )
            return [(r.title, r.path) for r in rows]

        if request.identity_obj is not None:
            return load()
        cache = request.registry.setdefault("portal.nav_cache", {})
        generation = request.site_info.generation
        hit = cache.get(root.site_id)
        if hit and hit[0] == generation and (hit[1] is None or hit[1] > now):
            return hit[2]
        rows = load()
        # The same ``now`` for the rows and their next change: nothing falls between.
        cache[root.site_id] = (generation, listing.next_change(request, root, now), rows)
        return rows

    def breadcrumbs(self, context: Node | None) -> list[NavItem]:
        items = []
        node = context if isinstance(context, Node) else None
        while node is not None:
            items.append(
                NavItem(
                    title=node.title if node.parent_id else _("Trang chủ"),
                    url=self.request.resource_url(node),
                    active=node is context,
                )
            )
            node = node.__parent__
        return list(reversed(items))

    def actions(self, context: Node | None, view_name: str = "") -> list[Action]:
        """The editing toolbar: only what the user may do here."""
        request = self.request
        if request.user is None or not isinstance(context, Node):
            return []
        url = request.resource_url(context)
        candidates = [
            ("", _("Xem"), Permissions.View),
            ("@@edit", _("Sửa"), Permissions.Edit),
            ("@@contents", _("Nội dung"), Permissions.View),
            ("@@workflow", _("Trạng thái"), Permissions.View),
            ("@@sharing", _("Chia sẻ"), Permissions.Sharing),
            ("@@move", _("Chuyển"), Permissions.Delete),
            ("@@history", _("Lịch sử"), Permissions.Edit),
        ]
        info = request.content_types.info_for(context)
        out = []
        for name, title, perm in candidates:
            if name == "@@contents" and not (info and info.container):
                continue
            if name == "@@move" and not tree.may_remove(request, context):
                continue
            if request.has_permission(perm, context):
                out.append(Action(name, title, url + name, active=view_name == name))
        # Entries declared by included packages: (view, title, permission, applies(request, context)).
        for name, title, perm, applies in request.registry.get("portal.toolbar.extra", ()):
            if applies(request, context) and request.has_permission(perm, context):
                out.append(Action(name, title, url + name, active=view_name == name))
        return out

    def addable(self, context: Node | None):
        if self.request.user is None or not isinstance(context, Node):
            return []
        return self.request.content_types.addable(self.request, context)

    def state_title(self, context: Node) -> str:
        wf = self.request.content_types.workflow_for(context)
        st = wf.states.get(context.state)
        return st.title if st else context.state

    def language_switch(self) -> list[LanguageLink]:
        """Links to this page in the other languages, each named in its own language."""
        request = self.request
        current = request.locale_name
        # An error page sends back home: its text must not depend on the URL (a 404
        # for a hidden item reads exactly like one for a missing item).
        came_from = "/" if request.__dict__.get("exception") is not None else request.path_qs
        query = urlencode({"came_from": came_from})
        return [
            LanguageLink(
                code, LANGUAGE_NAMES.get(code, code), f"{request.route_url('language', code=code)}?{query}"
            )
            for code in request.registry.get(AVAILABLE_KEY, ())
            if code != current
        ]

    def flash(self) -> list[str]:
        # Reading the session only when a message may be waiting keeps
        # anonymous pages free of session cookies.
        if "portal_session" not in self.request.cookies:
            return []
        return self.request.session.pop_flash()


@subscriber(BeforeRender)
def add_renderer_globals(event):
    request = event.get("request")
    if request is None:
        return
    event.setdefault("layout", request.layout)
    # ``context`` is the exception in error views: templates use ``node``.
    context = event.get("context")
    event.setdefault("node", context if isinstance(context, Node) else None)
    event.setdefault("format_date", format_date)
    event.setdefault("format_datetime", format_datetime)
    event.setdefault("get_csrf_token", lambda: get_csrf_token(request))


def includeme(config):
    config.add_request_method(Layout, "layout", reify=True)
    config.scan(__name__)
