"""All core models, imported here so that Alembic and the mappers see them."""

from .limits import RateLimit
from .meta import Base, UTCDateTime, utcnow
from .node import LocalRole, Node, SiteRoot, ViewCount, WorkflowHistory
from .site import Site, SiteHost
from .terms import Attachment, Term
from .tokens import ApiToken
from .users import Group, GroupMember, LoginSession, LoginThrottle, User

__all__ = [
    "ApiToken",
    "Attachment",
    "Base",
    "Group",
    "GroupMember",
    "LocalRole",
    "LoginSession",
    "LoginThrottle",
    "Node",
    "RateLimit",
    "Site",
    "SiteHost",
    "SiteRoot",
    "Term",
    "User",
    "UTCDateTime",
    "ViewCount",
    "WorkflowHistory",
    "utcnow",
]
