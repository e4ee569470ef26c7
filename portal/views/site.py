"""The site root's page (the home page grows in the content-types issue)."""

from __future__ import annotations

from pyramid.view import view_config

from .. import listing
from ..models import SiteRoot
from ..permissions import Permissions


@view_config(context=SiteRoot, renderer="site.html", permission=Permissions.View)
def site_view(context, request):
    return {"context": context, "items": listing.children(request, context, nav_only=False)}
