"""Feed import (issue 5, the incoming half): a folder subscribes to external RSS or
Atom feeds whose items become news articles linking to their source.

    models.py    FeedSubscription, ImportedEntry
    fetch.py     one conditional GET (urllib, time-out, size limit); injectable transport
    parse.py     feedparser -> plain, sanitised items
    importer.py  items -> news articles (create, update, publish or leave pending)
    views.py     @@nguon-tin on a folder
    cli.py       portal feeds add | list | remove | pull

The news type is found in the registry when a feed is pulled, so the core never
imports ``content_types``.
"""

from ..i18n import _
from ..permissions import Permissions


def _is_folder(request, context) -> bool:
    return getattr(context, "type", None) == "folder"


def includeme(config):
    # A toolbar entry for folders; the views check the rights again on the server.
    extra = config.registry.setdefault("portal.toolbar.extra", [])
    extra.append(("@@nguon-tin", _("Nguồn tin"), Permissions.Edit, _is_folder))
    config.scan(".views")
