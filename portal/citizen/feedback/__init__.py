"""Readers' feedback ("Phản hồi") under items of types registered with ``feedback=True``
(news articles), held for moderation.

    models.py      Feedback (item, name, e-mail for staff only, content, status)
    public.py      approved feedback for the item's page (a BeforeRender subscriber, one
                   query) and the form ``<item>/@@phan-hoi`` (portal.guard, staff mail)
    moderation.py  ``/quan-tri/phan-hoi``: the queue; approve, reject, delete
    demo.py        ``portal demo``'s feedback

Types opt in with ``config.add_content_type(..., feedback=True)``; this package reads
``TypeInfo.extra["feedback"]``, so neither side imports the other.
"""

from portal.i18n import _
from portal.permissions import Permissions


def _is_site_root(request, context) -> bool:
    return getattr(context, "parent_id", 0) is None


def includeme(config):
    from . import models  # noqa: F401  (the table, for the app and its migrations)
    from .demo import seed_demo

    # On the home page's toolbar for moderators: the entry's name is appended to the
    # root's URL, so it is the queue's path.
    extra = config.registry.setdefault("portal.toolbar.extra", [])
    extra.append(("quan-tri/phan-hoi", _("Phản hồi"), Permissions.ModerateFeedback, _is_site_root))
    config.registry["portal.types"].demo_hooks.append(seed_demo)
    config.include(".moderation")
    config.scan(".public")
