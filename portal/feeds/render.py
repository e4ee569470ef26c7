"""Feed documents: RSS 2.0 and Atom 1.0 through feedgen, JSON Feed 1.1 by hand.

Dates go out in Vietnam's time zone (+07:00). A feed's own date is its
validator's last change, never "now", so the same validator gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from feedgen.feed import FeedGenerator
from lxml import etree

from ..text import TZ
from .items import FeedItem
from .scope import FeedScope

CONTENT_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_NS = "http://www.w3.org/2005/Atom"


class _HubLink:
    """feedgen extension: RSS has no hub element; WebSub readers look for atom:link."""

    def __init__(self, hub: str):
        self.hub = hub

    def extend_ns(self):
        return {"atom": ATOM_NS}

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        etree.SubElement(channel, f"{{{ATOM_NS}}}link", href=self.hub, rel="hub")
        return rss_feed

    def extend_atom(self, atom_feed):
        return atom_feed


class _NoFeedExtension:
    def extend_ns(self):
        return {}

    def extend_atom(self, feed):
        return feed

    def extend_rss(self, feed):
        return feed


class _EntryLinks(_NoFeedExtension):
    """feedgen 1.0 writes an Atom entry's links without rel, type or length (a shadowed
    name in ``atom_entry``): the enclosure would read as a second alternate. Written
    here instead."""

    def __init__(self):
        self.links: list[dict] = []

    def extend_atom(self, entry):
        for old in entry.findall("link"):
            entry.remove(old)
        for link in self.links:
            etree.SubElement(entry, "link", {k: str(v) for k, v in link.items()})
        return entry


# Relative links in bodies ("/anh/a.jpg") point at the portal; readers need them absolute.
_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def absolute_links(html: str, base: str) -> str:
    return _RELATIVE.sub(lambda m: f"{m.group(1)}{base}/", html)


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(TZ).replace(microsecond=0)


def _feed_generator(request, scope: FeedScope, fmt: str, updated: dt.datetime, hub: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.register_extension("entry_links", _NoFeedExtension, _EntryLinks, atom=True, rss=False)
    site_name = request.layout.site_name
    fg.id(scope.html_url)
    fg.title(scope.title)
    fg.description(scope.description or scope.title)
    fg.subtitle(scope.description or scope.title)
    fg.language("vi")
    fg.author({"name": site_name})
    fg.generator("portal")
    # feedgen uses the last link as RSS's <link>: self (and hub) first, the page last.
    fg.link(href=scope.url(fmt), rel="self", type=CONTENT_TYPES[fmt])
    if hub:
        fg.link(href=hub, rel="hub")
        fg.register_extension("websub", lambda: _HubLink(hub), rss=True, atom=False)
    fg.link(href=scope.html_url, rel="alternate", type="text/html")
    fg.updated(local(updated))
    fg.lastBuildDate(local(updated))
    return fg


def _category_scheme(request, kind: str) -> str:
    prefix = {"category": "/chuyen-muc/", "tag": "/the/"}.get(kind)
    return request.application_url + prefix if prefix else ""


def render_xml(request, scope: FeedScope, fmt: str, items: list[FeedItem], updated, hub: str) -> bytes:
    fg = _feed_generator(request, scope, fmt, updated, hub)
    base = request.application_url
    # feedgen adds entries at the top: add the oldest first to keep newest first.
    for item in reversed(items):
        fe = fg.add_entry()
        fe.id(item.guid)
        fe.guid(item.guid, permalink=False)
        fe.title(item.title)
        fe.link(href=item.url, rel="alternate")
        if item.summary:
            fe.summary(item.summary)
        elif not item.content:
            fe.summary(item.title)
        if item.content:
            fe.content(absolute_links(item.content, base), type="CDATA" if fmt == "rss" else "html")
        fe.author({"name": item.author})
        fe.dc.dc_creator(item.author)
        for kind, slug, label in item.categories:
            scheme = _category_scheme(request, kind)
            cat = {"term": slug or label, "label": label}
            if scheme:
                cat["scheme"] = scheme
            fe.category(cat)
        fe.published(local(item.published))
        fe.updated(local(item.updated))
        links = [{"href": item.url, "rel": "alternate", "type": "text/html"}]
        if item.enclosure:
            enc = item.enclosure
            fe.enclosure(enc.url, str(enc.length), enc.type)
            links.append({"href": enc.url, "rel": "enclosure", "type": enc.type, "length": enc.length})
        fe.entry_links.links = links
    if fmt == "rss":
        return fg.rss_str(pretty=False)
    return fg.atom_str(pretty=False)


def render_json(request, scope: FeedScope, items: list[FeedItem], hub: str) -> bytes:
    base = request.application_url
    site_name = request.layout.site_name
    feed = {
        "version": JSON_FEED_VERSION,
        "title": scope.title,
        "home_page_url": scope.html_url,
        "feed_url": scope.url("json"),
        "description": scope.description or scope.title,
        "language": "vi",
        "authors": [{"name": site_name}],
    }
    if hub:
        feed["hubs"] = [{"type": "WebSub", "url": hub}]
    out = []
    for item in items:
        entry = {
            "id": item.guid,
            "url": item.url,
            "title": item.title,
            "date_published": local(item.published).isoformat(timespec="seconds"),
            "date_modified": local(item.updated).isoformat(timespec="seconds"),
            "authors": [{"name": item.author}],
        }
        if item.content:
            entry["content_html"] = absolute_links(item.content, base)
        else:
            entry["content_text"] = item.summary or item.title
        if item.summary:
            entry["summary"] = item.summary
        labels = [label for _kind, _slug, label in item.categories]
        if labels:
            entry["tags"] = labels
        if item.enclosure:
            enc = item.enclosure
            entry["image"] = enc.url
            entry["attachments"] = [{"url": enc.url, "mime_type": enc.type, "size_in_bytes": enc.length}]
        out.append(entry)
    feed["items"] = out
    return json.dumps(feed, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def render(request, scope: FeedScope, fmt: str, items: list[FeedItem], updated, hub: str) -> bytes:
    if fmt == "json":
        return render_json(request, scope, items, hub)
    return render_xml(request, scope, fmt, items, updated, hub)
