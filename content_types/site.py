"""The site root as a content type: editable title and description, never added."""

from __future__ import annotations

from portal.i18n import _
from portal.models import SiteRoot
from portal.schemas import BaseContentSchema


def includeme(config):
    config.add_content_type(
        SiteRoot, title=_("Trang chủ"), schema=BaseContentSchema, addable_to=(), container=True
    )
