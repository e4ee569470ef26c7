"""Log-in throttling: after repeated failures an account, or an address, waits.

Counters live in the database (no extra service); they are written in the
log-in request's own transaction, which commits even when the log-in fails.
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy.orm import Session

from .models import LoginThrottle, utcnow


def keys_for(login: str, address: str | None) -> list[tuple[str, str]]:
    return [("account", f"account:{login.lower()[:200]}"), ("ip", f"ip:{address or 'unknown'}")]


def locked_minutes(db: Session, keys: list[str], now: dt.datetime | None = None) -> int:
    """Minutes until the longest lock among ``keys`` ends (0: not locked)."""
    now = now or utcnow()
    longest = 0
    for key in keys:
        row = db.get(LoginThrottle, key)
        if row is not None and row.locked_until and row.locked_until > now:
            longest = max(longest, math.ceil((row.locked_until - now).total_seconds() / 60))
    return longest


def record_failure(
    db: Session, key: str, limit: int, lock_minutes: int, now: dt.datetime | None = None
) -> None:
    now = now or utcnow()
    window = dt.timedelta(minutes=lock_minutes)
    row = db.get(LoginThrottle, key)
    if row is None:
        row = LoginThrottle(key=key, failures=0, window_start=now)
        db.add(row)
    if now - row.window_start > window:
        row.failures, row.window_start = 0, now
    row.failures += 1
    if row.failures >= limit:
        row.locked_until = now + window
        row.failures, row.window_start = 0, now


def clear(db: Session, key: str) -> None:
    row = db.get(LoginThrottle, key)
    if row is not None:
        db.delete(row)
