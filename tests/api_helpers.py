"""Shared helpers for the JSON API tests."""

from __future__ import annotations

from portal.api.tokens import create_token
from portal.models import User


def token_for(db, login: str, name: str = "thử") -> str:
    user = db.query(User).filter_by(login=login).one()
    _row, secret = create_token(db, user, name)
    db.commit()
    return secret


def bearer(secret: str, **extra) -> dict:
    return {"Authorization": f"Bearer {secret}", **extra}
