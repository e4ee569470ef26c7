"""Syndication: RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the site, every folder, the
catalogues, categories and tags; /rss for people; /sitemap.xml and /robots.txt;
WebSub announcements.

- ``scope``: what a feed covers and its validator (one aggregate query, cached);
- ``items``: the items in a fixed number of queries, with the types' adapters;
- ``render``: the documents (feedgen for RSS and Atom);
- ``http``: ETag, Last-Modified, 304, Cache-Control, the built-feed cache;
- ``fast304``: optional (``portal.feeds.fast_304_seconds``) 304s without the database;
- ``views``: the URLs, /rss, autodiscovery links, ``config.add_catalogue_feeds``;
- ``term_pages``: /chuyen-muc/<slug> and /the/<slug>;
- ``sitemap``: /sitemap.xml (an index past ``portal.sitemap.max_urls``), /robots.txt;
- ``websub``: hub pings after commit.

Content types take part through their registration, never by being imported here:
``add_content_type(..., feed=fn)`` (``fn(request, ids) -> {id: FeedFields}``, one
query) makes a type's items feed items; ``feed_container=fn`` (``fn(node) ->
{"full_content": bool}``) gives a container type its own feeds.
"""

from __future__ import annotations

from .items import Enclosure, FeedFields  # noqa: F401  (for content types' adapters)


def includeme(config):
    from . import websub  # noqa: F401  (session listener)

    config.include(".fast304")
    config.include(".views")
    config.include(".term_pages")
    config.include(".sitemap")
