"""/sitemap.xml and /robots.txt.

The sitemap lists every item anonymous visitors may see now (``visible_clause``)
with its last change. Past ``portal.sitemap.max_urls`` URLs (50,000, the protocol's
limit) /sitemap.xml becomes an index of /sitemap-1.xml, /sitemap-2.xml ... in id
order. Bodies are cached per process like blocks: until the next change or the
next scheduled publication or expiry in the site.
"""

from __future__ import annotations

from math import ceil
from xml.sax.saxutils import escape

from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from sqlalchemy import func, select

from ..blocks import cached_block
from ..models import Node, utcnow
from ..text import TZ
from ..workflow import visible_clause
from .items import node_url

PROTOCOL_MAX = 50_000
XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_AGE = 3600

# Views no crawler needs: editing, and copies of pages (print, save).
DISALLOWED_VIEWS = ("add", "edit", "contents", "workflow", "sharing", "move", "history", "delete",
                    "in", "luu")  # fmt: skip


def max_urls(settings) -> int:
    try:
        value = int(settings.get("portal.sitemap.max_urls", PROTOCOL_MAX))
    except (TypeError, ValueError):
        value = PROTOCOL_MAX
    return min(max(value, 1), PROTOCOL_MAX)


def _visible(request, now):
    return (Node.site_id == request.root_node.site_id, visible_clause(now))


def _urlset(request, rows) -> str:
    lines = [f'<urlset xmlns="{XMLNS}">']
    for path, modified in rows:
        lastmod = modified.astimezone(TZ).isoformat(timespec="seconds") if modified else ""
        lines.append(
            f"<url><loc>{escape(node_url(request, path))}</loc>"
            + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
            + "</url>"
        )
    lines.append("</urlset>")
    return "\n".join(lines)


def _respond(request, body: str) -> Response:
    response = Response(body=('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode(),
                        content_type="application/xml", charset="utf-8")  # fmt: skip
    if request.identity_obj is None:
        response.cache_control = f"public, max-age={MAX_AGE}"
    return response


def sitemap(request):
    per_page = max_urls(request.registry.settings)

    def load():
        now = utcnow()
        db = request.dbsession
        count = db.scalar(select(func.count()).select_from(Node).where(*_visible(request, now)))
        if count <= per_page:
            rows = db.execute(
                select(Node.path, Node.modified).where(*_visible(request, now)).order_by(Node.id)
            )
            return _urlset(request, rows)
        base = request.application_url
        parts = [f"<sitemap><loc>{escape(base)}/sitemap-{n}.xml</loc></sitemap>"
                 for n in range(1, ceil(count / per_page) + 1)]  # fmt: skip
        return "\n".join([f'<sitemapindex xmlns="{XMLNS}">', *parts, "</sitemapindex>"])

    body = cached_block(request, "sitemap", load, ttl=MAX_AGE, key_extra=(request.application_url, per_page))
    return _respond(request, body)


def sitemap_part(request):
    raw = request.matchdict["number"]
    number = int(raw)
    per_page = max_urls(request.registry.settings)
    if raw != str(number) or number < 1:
        raise HTTPNotFound()

    def load():
        now = utcnow()
        q = (
            select(Node.path, Node.modified)
            .where(*_visible(request, now))
            .order_by(Node.id)
            .limit(per_page)
            .offset((number - 1) * per_page)
        )
        rows = request.dbsession.execute(q).all()
        # An empty part past the end is a 404; the first part always exists.
        return _urlset(request, rows) if rows or number == 1 else ""

    body = cached_block(request, "sitemap-part", load, ttl=MAX_AGE,
                        key_extra=(request.application_url, per_page, number))  # fmt: skip
    if not body:
        raise HTTPNotFound()
    return _respond(request, body)


def robots(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: /*@@{name}" for name in DISALLOWED_VIEWS]
    lines += ["Disallow: /dang-nhap", "Disallow: /dang-xuat", "Disallow: /tim-kiem", "Allow: /", ""]
    lines.append(f"Sitemap: {request.application_url}/sitemap.xml")
    response = Response(body=("\n".join(lines) + "\n").encode(), content_type="text/plain", charset="utf-8")
    response.cache_control = f"public, max-age={MAX_AGE}"
    return response


def includeme(config):
    for name, pattern, view in (
        ("sitemap", "/sitemap.xml", sitemap),
        ("sitemap_part", r"/sitemap-{number:\d+}.xml", sitemap_part),
        ("robots", "/robots.txt", robots),
    ):
        config.add_route(name, pattern)
        config.add_view(view, route_name=name, request_method=("GET", "HEAD"))
