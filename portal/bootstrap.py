"""First-run work shared by ``portal init``, ``portal serve`` and the tests:
data directory, schema, the default site and its root, the first administrator.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import migrate
from .models import LocalRole, Node, Site, SiteRoot, User, utcnow
from .permissions import Roles
from .security import hash_password
from .settings import ensure_data_dir, ensure_secret


def ensure_site(db: Session, settings: dict, name: str = "default") -> SiteRoot:
    site = db.scalar(select(Site).where(Site.name == name))
    if site is None:
        site = Site(name=name, title=settings["portal.site_name"])
        db.add(site)
        db.flush()
    root = db.scalar(select(Node).where(Node.site_id == site.id, Node.parent_id.is_(None)))
    if root is None:
        now = utcnow()
        root = SiteRoot(
            site_id=site.id,
            parent_id=None,
            name="",
            path="/",
            title=settings["portal.site_name"],
            description="",
            state="published",
            created=now,
            modified=now,
            effective=now,
        )
        db.add(root)
        db.flush()
    return root


def admin_exists(db: Session) -> bool:
    return (
        db.scalar(select(LocalRole.node_id).where(LocalRole.role == Roles.SiteAdministrator).limit(1))
        is not None
    )


def create_user(
    db: Session,
    login: str,
    password: str,
    *,
    fullname: str = "",
    email: str = "",
    roles: tuple[str, ...] = (),
    root: Node | None = None,
) -> User:
    user = User(login=login, password_hash=hash_password(password), fullname=fullname, email=email)
    db.add(user)
    db.flush()
    for role in roles:
        db.add(LocalRole(node_id=root.id, principal=user.principal, role=role))
    db.flush()
    return user


def ensure_admin(db: Session, root: Node, password: str | None) -> str | None:
    """Create ``admin`` if no administrator exists; return a generated password."""
    if admin_exists(db):
        return None
    generated = None
    if not password:
        password = generated = secrets.token_urlsafe(12)
    user = db.scalar(select(User).where(User.login == "admin"))
    if user is None:
        create_user(db, "admin", password, fullname="Quản trị", roles=(Roles.SiteAdministrator,), root=root)
    else:
        user.password_hash = hash_password(password)
        db.add(LocalRole(node_id=root.id, principal=user.principal, role=Roles.SiteAdministrator))
    return generated


def initialise(settings: dict, engine, admin_password: str | None = None) -> str | None:
    """Upgrade the schema and create what a working site needs; idempotent."""
    ensure_data_dir(settings)
    ensure_secret(settings)
    migrate.upgrade(engine)
    with Session(engine) as db, db.begin():
        root = ensure_site(db, settings)
        return ensure_admin(db, root, admin_password)
