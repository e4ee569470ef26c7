"""Feed URLs: the site's (/rss.xml, /atom.xml, /feed.json), any feed container's
(<folder>/rss.xml ...), catalogues' (declared by their types with
``config.add_catalogue_feeds``), categories' and tags' (/chuyen-muc/<slug>/rss.xml,
/the/<slug>/rss.xml); /rss, the page listing them; autodiscovery links."""

from __future__ import annotations

import re

from pyramid.events import BeforeRender, subscriber
from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config
from sqlalchemy import func, select

from ..i18n import _
from ..models import Node, Term
from ..models.terms import CATEGORY, TAG
from ..permissions import Permissions
from ..settings import as_bool
from ..workflow import visible_clause
from .http import feed_response
from .items import node_url
from .render import CONTENT_TYPES
from .scope import FILE_NAMES, FeedScope

FORMAT_BY_FILE = {name: fmt for fmt, name in FILE_NAMES.items()}
FORMAT_TITLES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}

# Categories and tags: where their pages and feeds live, and their titles.
TERM_KINDS = {
    CATEGORY: ("chuyen-muc", _("Chuyên mục")),
    TAG: ("the", _("Từ khóa")),
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def feed_links(request, scope_title: str, feed_base: str) -> list[dict]:
    """What a page's <head> announces: its RSS, Atom and JSON feeds."""
    return [
        {
            "type": CONTENT_TYPES[fmt],
            "title": f"{scope_title} ({FORMAT_TITLES[fmt]})",
            "url": feed_base + name,
        }
        for fmt, name in FILE_NAMES.items()
    ]


def container_options(request, node: Node):
    """The feed options of a node that has feeds (the site root, or a type declared
    with ``feed_container=fn``), else None."""
    if node.parent_id is None:
        return lambda: {"full_content": as_bool(request.registry.settings.get("portal.feeds.full_content"))}
    info = request.content_types.info_for(node)
    hook = info.extra.get("feed_container") if info else None
    if hook is None:
        return None
    return lambda: hook(node)


# --- the site and its containers ----------------------------------------------------


def site_scope(request) -> FeedScope:
    home = request.application_url + "/"
    return FeedScope(
        key="site",
        title=request.layout.site_name,
        description=request.t(_("Tin mới của ${site}", mapping={"site": request.layout.site_name})),
        html_url=home,
        feed_base=home,
    )


def container_scope(request, node: Node) -> FeedScope:
    if node.parent_id is None:
        return site_scope(request)
    url = node_url(request, node.path)
    return FeedScope(
        key=f"node:{node.id}",
        title=f"{node.title} · {request.layout.site_name}",
        description=node.description or "",
        html_url=url,
        feed_base=url,
        subtree=node.path,
    )


def site_feed(request):
    fmt = request.matched_route.name.rsplit("_", 1)[1]
    options = container_options(request, request.root_node)
    return feed_response(request, site_scope(request), fmt, options)


def container_feed(context: Node, request):
    options = container_options(request, context)
    if options is None:
        raise HTTPNotFound()
    return feed_response(
        request, container_scope(request, context), FORMAT_BY_FILE[request.view_name], options
    )


# --- catalogues ------------------------------------------------------------------------


def add_catalogue_feeds(config, name: str, pattern: str, *, types: tuple[str, ...], title: str,
                        description: str = "") -> None:  # fmt: skip
    """Feeds of new and changed items of ``types`` beside a catalogue page at ``pattern``
    (``/thu-tuc-hanh-chinh/rss.xml`` ...), newest change first."""
    catalogues = config.registry.setdefault("portal.feeds.catalogues", [])
    catalogues.append({"name": name, "pattern": pattern, "title": title, "types": types})

    def view(request):
        page = request.application_url + pattern
        scope = FeedScope(
            key=f"catalogue:{name}",
            title=f"{request.t(title)} · {request.layout.site_name}",
            description=request.t(description) if description else "",
            html_url=page,
            feed_base=page + "/",
            types=types,
            order="updated",
        )
        fmt = request.matched_route.name.rsplit("_", 1)[1]
        return feed_response(request, scope, fmt)

    for fmt, file_name in FILE_NAMES.items():
        route = f"feed_{name}_{fmt}"
        config.add_route(route, f"{pattern}/{file_name}")
        config.add_view(view, route_name=route, request_method=("GET", "HEAD"), permission=Permissions.View)


# --- categories and tags ---------------------------------------------------------------


def term_label(request, kind: str, slug: str) -> str:
    """The label of a category or tag that a visible item carries; 404 otherwise (a
    term only on unpublished items must not show)."""
    if not SLUG.match(slug) or len(slug) > 120:
        raise HTTPNotFound()
    q = (
        select(Term.label)
        .join(Node, Node.id == Term.node_id)
        .where(Term.kind == kind, Term.slug == slug, Node.site_id == request.root_node.site_id,
               visible_clause())
        .limit(1)
    )  # fmt: skip
    label = request.dbsession.scalar(q)
    if label is None:
        raise HTTPNotFound()
    return label


def term_scope(request, kind: str, slug: str, label: str) -> FeedScope:
    prefix, kind_title = TERM_KINDS[kind]
    page = f"{request.application_url}/{prefix}/{slug}"
    return FeedScope(
        key=f"{kind}:{slug}",
        title=f"{request.t(kind_title)}: {label} · {request.layout.site_name}",
        html_url=page,
        feed_base=page + "/",
        term=(kind, slug),
    )


def term_feed(request):
    kind = request.matched_route.name.split("_")[1]
    slug = request.matchdict["slug"]
    scope = term_scope(request, kind, slug, term_label(request, kind, slug))
    return feed_response(request, scope, request.matched_route.name.rsplit("_", 1)[1])


# --- /rss: every feed, for people --------------------------------------------------------


def feeds_page(request):
    site_id = request.root_node.site_id
    db = request.dbsession
    containers = [info.name for info in request.content_types if info.extra.get("feed_container")]
    folders = db.execute(
        select(Node.title, Node.path)
        .where(Node.site_id == site_id, Node.type.in_(containers), visible_clause())
        .order_by(Node.path)
        .limit(500)
    ).all()
    terms = db.execute(
        select(Term.kind, Term.slug, func.min(Term.label))
        .join(Node, Node.id == Term.node_id)
        .where(Term.kind.in_((CATEGORY, TAG)), Node.site_id == site_id, visible_clause())
        .group_by(Term.kind, Term.slug)
        .order_by(Term.kind, Term.slug)
        .limit(1000)
    ).all()
    base = request.application_url
    site = site_scope(request)
    groups = [
        {"title": _("Toàn trang"), "feeds": [{"title": request.layout.site_name, "page": site.html_url,
                                              "base": site.feed_base}]},
        {"title": _("Thủ tục và văn bản"), "feeds": [
            {"title": request.t(c["title"]), "page": base + c["pattern"], "base": base + c["pattern"] + "/"}
            for c in request.registry.get("portal.feeds.catalogues", ())
        ]},
        {"title": _("Thư mục"), "feeds": [
            {"title": title, "page": node_url(request, path), "base": node_url(request, path)}
            for title, path in folders
        ]},
    ]  # fmt: skip
    for kind, (prefix, kind_title) in TERM_KINDS.items():
        feeds = [
            {"title": label, "page": f"{base}/{prefix}/{slug}", "base": f"{base}/{prefix}/{slug}/"}
            for k, slug, label in terms
            if k == kind
        ]
        groups.append({"title": kind_title, "feeds": feeds})
    return {
        "title": request.t(_("Tin RSS")),
        "groups": [g for g in groups if g["feeds"]],
        "formats": [(FILE_NAMES[f], FORMAT_TITLES[f]) for f in ("rss", "atom", "json")],
        "feed_links": feed_links(request, site.title, site.feed_base),
    }


# --- autodiscovery ---------------------------------------------------------------------


@subscriber(BeforeRender)
def announce_feeds(event):
    """<link rel="alternate"> for the home page, every folder page (the page itself,
    not its editing views) and the catalogues with feeds."""
    request = event.get("request")
    if request is None or "feed_links" in event:
        return
    context = event.get("context")
    if isinstance(context, Node):
        if request.view_name or container_options(request, context) is None:
            return
        scope = container_scope(request, context)
        event["feed_links"] = feed_links(request, scope.title, scope.feed_base)
    elif request.matched_route is not None:
        # A catalogue page (/van-ban) announces its feeds of new and changed items.
        path = request.path_info.rstrip("/")
        for catalogue in request.registry.get("portal.feeds.catalogues", ()):
            if catalogue["pattern"] == path:
                title = f"{request.t(catalogue['title'])} · {request.layout.site_name}"
                base = request.application_url + path + "/"
                event["feed_links"] = feed_links(request, title, base)


@view_config(context=Node, name="rss.xml", request_method=("GET", "HEAD"), permission=Permissions.View)
@view_config(context=Node, name="atom.xml", request_method=("GET", "HEAD"), permission=Permissions.View)
@view_config(context=Node, name="feed.json", request_method=("GET", "HEAD"), permission=Permissions.View)
def container_feed_view(context: Node, request):
    return container_feed(context, request)


def includeme(config):
    config.add_directive("add_catalogue_feeds", add_catalogue_feeds)
    for fmt, file_name in FILE_NAMES.items():
        config.add_route(f"feed_site_{fmt}", f"/{file_name}")
        config.add_view(site_feed, route_name=f"feed_site_{fmt}", request_method=("GET", "HEAD"),
                        permission=Permissions.View)  # fmt: skip
        for kind, (prefix, _title) in TERM_KINDS.items():
            route = f"feed_{kind}_{fmt}"
            config.add_route(route, f"/{prefix}/{{slug}}/{file_name}")
            config.add_view(term_feed, route_name=route, request_method=("GET", "HEAD"),
                            permission=Permissions.View)  # fmt: skip
    config.add_fixed_page("feeds_page", "/rss", feeds_page, renderer="feeds.html",
                          permission=Permissions.View, anonymous_cache="feeds-page")  # fmt: skip
    config.scan(__name__)
