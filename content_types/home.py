"""The home page: the site root's view, composed of blocks from the content types.

It lives here, above the core, because it knows about several types (the
content-types issue adds latest news, the reform section and most viewed).
"""

from __future__ import annotations

from pyramid.view import view_config

from portal import listing
from portal.models import SiteRoot
from portal.permissions import Permissions

from .service_link import service_links


@view_config(context=SiteRoot, renderer="site.html", permission=Permissions.View)
def home_view(context, request):
    return {
        "context": context,
        "items": listing.children(request, context, nav_only=True, limit=24),
        "service_links": service_links(request),
    }


def includeme(config):
    config.scan(__name__)
