"""Pyramid 2 security policy: who the user is, and what they may do where.

Identity comes from a signed session cookie holding a random token whose hash
is a row in ``login_sessions``: log-out deletes the row, so a copied cookie is
worthless afterwards. Under /api/ it may instead come from an API token sent as
"Authorization: Bearer pt_..." (``portal.api.tokens``), with the same permissions.
Permission on a node comes from its workflow state (state -> permission -> roles)
and the roles the user holds there: local roles granted on the node or any
ancestor (site-wide roles are local roles on the site root) to the user or one
of their groups, plus Owner on what they own. A user's local roles are loaded
once per request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pyramid.csrf import new_csrf_token
from pyramid.security import Allowed, Denied
from sqlalchemy import delete, select

from .models import GroupMember, LocalRole, LoginSession, Node, User, utcnow
from .permissions import Roles
from .workflow import EVERYONE as EVERYONE_ROLE
from .workflow import is_live

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash we verify against when the login is unknown, so that timing does not
# tell which accounts exist.
_DUMMY_HASH = _hasher.hash("not a real password")


def verify_unknown(password: str) -> None:
    try:
        _hasher.verify(_DUMMY_HASH, password)
    except VerificationError:
        pass


def password_stamp(user: User) -> str:
    return user.password_hash[-16:]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_login_session(request, user: User) -> str:
    max_age = int(request.registry.settings["portal.session_max_age"])
    token = secrets.token_urlsafe(32)
    # Old rows of this user go as they expire; nothing else cleans them up.
    request.dbsession.execute(
        delete(LoginSession).where(LoginSession.user_id == user.id, LoginSession.expires <= utcnow())
    )
    request.dbsession.add(
        LoginSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            password_stamp=password_stamp(user),
            expires=utcnow() + dt.timedelta(seconds=max_age),
        )
    )
    return token


def end_login_sessions(db, user_id: int) -> None:
    """Every session of this user ends (after a password change, say)."""
    db.execute(delete(LoginSession).where(LoginSession.user_id == user_id))


@dataclass
class Identity:
    user: User
    display_name: str  # a plain string: error pages render it without the database
    principals: list[str]
    # (path, role) for every local role held by the user or their groups.
    local_roles: list[tuple[str, str]]
    # "cookie" or "bearer": bearer requests carry no ambient credential, so they need
    # no CSRF token (portal.api checks it for cookie-authenticated writes).
    via: str = "cookie"

    def roles_at(self, node: Node) -> set[str]:
        roles = {role for path, role in self.local_roles if node.path.startswith(path)}
        if node.owner_id == self.user.id:
            roles.add(Roles.Owner)
        return roles


API_PREFIX = "/api/"


def bearer_token(request) -> str | None:
    """The token of an "Authorization: Bearer ..." header on an API URL, else None.

    Only the API takes bearer tokens: HTML pages and forms stay cookie-only."""
    if not request.path_info.startswith(API_PREFIX):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def _bearer_user(request, secret: str) -> User | None:
    from .api.tokens import find_user, touch

    found = find_user(request.dbsession, secret)
    if found is None:
        # The API answers 401 rather than treating the caller as anonymous.
        request.environ["portal.bad_token"] = True
        return None
    user, token = found
    touch(request.dbsession, token)
    return user


def _cookie_user(request) -> User | None:
    token = request.session.get("token") if "portal_session" in request.cookies else None
    if not token or not isinstance(token, str):
        return None
    row = request.dbsession.execute(
        select(User, LoginSession.password_stamp)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(LoginSession.token_hash == _token_hash(token), LoginSession.expires > utcnow())
    ).first()
    if row is None:
        return None
    user, stamp = row
    if not user.active or not hmac.compare_digest(stamp, password_stamp(user)):
        return None
    return user


def load_identity(request) -> Identity | None:
    secret = bearer_token(request)
    via = "bearer" if secret is not None else "cookie"
    user = _bearer_user(request, secret) if secret is not None else _cookie_user(request)
    if user is None:
        return None
    db = request.dbsession
    groups = db.scalars(select(GroupMember.group_id).where(GroupMember.user_id == user.id)).all()
    principals = [user.principal] + [f"group:{g}" for g in groups]
    site_id = request.root_node.site_id
    rows = db.execute(
        select(Node.path, LocalRole.role)
        .join(Node, Node.id == LocalRole.node_id)
        .where(LocalRole.principal.in_(principals), Node.site_id == site_id)
    ).all()
    return Identity(
        user=user,
        display_name=user.display_name,
        principals=principals,
        local_roles=[tuple(r) for r in rows],
        via=via,
    )


def grants_permission(request, item, permission) -> bool:
    """Does the user hold ``permission`` on ``item``?

    ``item`` is a Node or any row with its columns (path, type, state, owner_id,
    effective, expires), so a whole subtree can be checked from one query.
    """
    ident = request.identity_obj
    roles = ident.roles_at(item) if ident else set()
    workflow = request.content_types.workflow_for(item)
    grants = workflow.grants(item.state, is_live(item))
    allowed = grants.get(permission, frozenset())
    return EVERYONE_ROLE in allowed or bool(roles & allowed)


class PortalSecurityPolicy:
    def identity(self, request) -> Identity | None:
        return request.identity_obj

    def authenticated_userid(self, request):
        ident = request.identity_obj
        return ident.user.id if ident else None

    def permits(self, request, context, permission):
        if not isinstance(context, Node):
            context = request.root_node
        if grants_permission(request, context, permission):
            return Allowed("granted by role", permission)
        return Denied("no role grants it", permission)

    def remember(self, request, userid, **kw):
        user = request.dbsession.get(User, userid)
        # A new session on log-in: an attacker's planted session id is worthless.
        request.session.invalidate()
        request.session["token"] = start_login_session(request, user)
        new_csrf_token(request)
        return []

    def forget(self, request, **kw):
        token = request.session.get("token")
        if isinstance(token, str):
            request.dbsession.execute(
                delete(LoginSession).where(LoginSession.token_hash == _token_hash(token))
            )
        request.session.invalidate()
        return []


def includeme(config):
    from pyramid.session import SignedCookieSessionFactory

    from .settings import as_bool, ensure_secret

    settings = config.get_settings()
    secret = ensure_secret(settings)
    max_age = int(settings["portal.session_max_age"])
    config.set_session_factory(
        SignedCookieSessionFactory(
            secret,
            cookie_name="portal_session",
            salt="portal.session.",
            httponly=True,
            samesite="Lax",
            secure=as_bool(settings["portal.session_secure"]),
            max_age=None,  # a browser-session cookie; the server-side timeout below ends it
            timeout=max_age,
            reissue_time=max_age // 10,
        )
    )
    config.set_security_policy(PortalSecurityPolicy())
    config.add_request_method(load_identity, "identity_obj", reify=True)
    config.add_request_method(lambda r: r.identity_obj.user if r.identity_obj else None, "user", reify=True)
    # CSRF on every unsafe request unless a view checks it itself (forms do,
    # so that a stale token keeps what the user typed).
    config.set_default_csrf_options(require_csrf=True)
