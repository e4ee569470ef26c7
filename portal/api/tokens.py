"""API tokens: create, find by the secret, revoke.

A token is "pt_" + 32 random bytes (URL-safe base64). The prefix makes a leaked token
recognisable (secret scanners, logs); only its SHA-256 is stored, so the database
never holds a usable token. It is shown once, when created.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from zope.sqlalchemy import mark_changed

from ..models import ApiToken, User, utcnow

log = logging.getLogger(__name__)

PREFIX = "pt_"
MAX_NAME = 100
# last_used_at is written at most this often: a busy client must not turn every GET
# into a write.
TOUCH_EVERY = dt.timedelta(minutes=1)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(db: Session, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``: (its row, the secret to show once)."""
    secret = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=(name or "").strip()[:MAX_NAME], token_hash=token_hash(secret))
    db.add(row)
    db.flush()
    return row, secret


def user_tokens(db: Session, user_id: int) -> list[ApiToken]:
    return list(db.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)))


def revoke(db: Session, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()


def find_user(db: Session, secret: str) -> tuple[User, ApiToken] | None:
    """The active user and live token for a presented secret, or None."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    row = db.execute(
        select(User, ApiToken)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_hash(secret), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row[0].active:
        return None
    return row[0], row[1]


def touch(db: Session, token: ApiToken) -> None:
    """Note the use, at most once a minute, in a savepoint: a failure (a locked
    database, say) is logged and never fails the request that used the token."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    try:
        with db.begin_nested():
            db.execute(
                update(ApiToken)
                .where(
                    ApiToken.id == token.id,
                    or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOUCH_EVERY),
                )
                .values(last_used_at=now)
                .execution_options(synchronize_session=False)
            )
        mark_changed(db)
    except Exception:  # noqa: BLE001 - bookkeeping only
        log.warning("could not record the use of API token %s", token.id, exc_info=True)
