"""Finding the site by host, and resolving a URL to a node in one query.

The traverser turns "/a/b/c/@@edit" into the candidate paths "/", "/a/",
"/a/b/", "/a/b/c/", loads them together, keeps the longest chain that exists,
and hands the rest to Pyramid as the view name and subpath. A node the user
may not view is a 404 (never a 403), so its existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from pyramid.httpexceptions import HTTPNotFound
from pyramid.interfaces import IResourceURL, ITraverser
from sqlalchemy import and_, bindparam, or_, select
from zope.interface import implementer

from .models import Node, Site, SiteHost
from .permissions import Permissions


@dataclass(frozen=True)
class SiteInfo:
    root: Node
    generation: int  # keys caches: bumped by every content change (portal.events)
    name: str
    title: str


_HOST = bindparam("host")
# Built once: composing this statement costs more than running it.
_ROOT_BY_HOST = (
    select(Node, Site.generation, Site.name, Site.title)
    .join(Site, Site.id == Node.site_id)
    .outerjoin(SiteHost, and_(SiteHost.site_id == Site.id, SiteHost.host == _HOST))
    .where(Node.parent_id.is_(None), or_(SiteHost.host.is_not(None), Site.name == "default"))
    .order_by(SiteHost.host.is_(None))
    .limit(1)
)


def find_site_info(request) -> SiteInfo:
    """The root node of the site answering this Host, in one query.

    A host listed in ``site_hosts`` picks its site; any other host gets the
    site named "default".
    """
    host = (request.host or "").rsplit(":", 1)[0].lower()
    row = request.dbsession.execute(_ROOT_BY_HOST, {"host": host}).first()
    if row is None:
        # A database that was never initialised: say so instead of a 500.
        raise HTTPNotFound("Trang chưa được khởi tạo. Hãy chạy: portal init")
    return SiteInfo(root=row[0], generation=row[1], name=row[2], title=row[3])


def find_root(request) -> Node:
    return request.site_info.root


class RouteContext:
    """Context of fixed routes (/dang-nhap, /static/...): no database work needed."""

    __name__ = ""
    __parent__ = None


def root_factory(request):
    if request.matched_route is not None:
        return RouteContext()
    return request.root_node


# Deeper than any real tree; bounds the size of the lookup query.
MAX_DEPTH = 40


def candidate_paths(segments: list[str]) -> list[str]:
    paths = ["/"]
    for seg in segments:
        paths.append(f"{paths[-1]}{seg}/")
    return paths


def lookup(request, root: Node, names: list[str]) -> tuple[Node, list[str]]:
    """The longest chain of existing nodes along ``names`` from ``root``, loaded in ONE
    query: (the last node, the names traversed). A node on the way that the user may
    not view is a 404. The traverser and the JSON API resolve paths with it."""
    paths = candidate_paths(names)[1:]
    found: dict[str, Node] = {}
    if paths:
        rows = request.dbsession.scalars(
            select(Node).where(Node.site_id == root.site_id, Node.path.in_(paths))
        )
        found = {n.path: n for n in rows}

    context: Node = root
    if not request.has_permission(Permissions.View, context):
        raise HTTPNotFound()
    traversed: list[str] = []
    for path, name in zip(paths, names, strict=True):
        node = found.get(path)
        if node is None:
            break
        node.__parent__ = context
        if not request.has_permission(Permissions.View, node):
            raise HTTPNotFound()
        context = node
        traversed.append(name)
    return context, traversed


@implementer(ITraverser)
class NodeTraverser:
    def __init__(self, root: Node):
        self.root = root

    def __call__(self, request):
        segments = [s for s in request.path_info.split("/") if s]
        if len(segments) > MAX_DEPTH:
            raise HTTPNotFound()
        names: list[str] = []
        for seg in segments:
            if seg.startswith("@@"):
                break
            names.append(seg)
        # Longest possible chain of nodes: stop at the first view-looking name.
        context, traversed = lookup(request, self.root, names)
        rest = segments[len(traversed) :]
        view_name = ""
        subpath: tuple[str, ...] = ()
        if rest:
            view_name = rest[0][2:] if rest[0].startswith("@@") else rest[0]
            subpath = tuple(rest[1:])
        return {
            "context": context,
            "view_name": view_name,
            "subpath": subpath,
            "traversed": tuple(traversed),
            "virtual_root": self.root,
            "virtual_root_path": (),
            "root": self.root,
        }


@implementer(IResourceURL)
class NodeURL:
    """A node's URL is its stored path: no walk up the parents."""

    def __init__(self, resource: Node, request):
        path = quote(resource.path, safe="/-._~")
        self.virtual_path = self.physical_path = path
        parts = ("",) + tuple(p for p in resource.path.split("/") if p) + ("",)
        self.virtual_path_tuple = self.physical_path_tuple = parts


def includeme(config):
    config.add_request_method(find_site_info, "site_info", reify=True)
    config.add_request_method(find_root, "root_node", reify=True)
    config.set_root_factory(root_factory)
    config.registry.registerAdapter(NodeTraverser, (Node,), ITraverser)
    config.add_resource_url_adapter(NodeURL, Node)
