"""An optional shortcut for feed readers that poll: a 304 without the database.

On by default (10 s; 0 turns it off). With ``portal.feeds.fast_304_seconds = N``, each ETag an
anonymous visitor got for a feed URL is remembered for N seconds at most, and
never past the feed's next scheduled change. A conditional GET of that URL with
that ETag, from a visitor without a session, is then answered 304 by a tween in
front of the transaction manager: no session, no query. Any commit that changes a
node in this process forgets every remembered ETag at once; other processes may
answer 304 for up to N seconds after a change. Feeds already allow proxies to keep
them for five minutes, so a few seconds here is well inside that promise; the
price is that the rule "the database is read on every request" does not hold for
this one answer, which is why it is a setting.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from pyramid.httpexceptions import HTTPNotModified
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..models import Node, utcnow

SETTING = "portal.feeds.fast_304_seconds"
MAX_ENTRIES = 4096
_KEY = "portal.feeds.fast304"
_DIRTY = "portal.feeds.fast304.dirty"

# Every app's memo in this process, so that a commit from any session (a script's,
# the CLI's) forgets them all.
_MEMOS: list[FastMemo] = []


@dataclass(frozen=True)
class Entry:
    etag: str  # quoted, as sent
    headers: tuple
    until: dt.datetime


class FastMemo:
    def __init__(self):
        self._entries: dict[tuple[str, str], Entry] = {}
        self._lock = threading.Lock()

    def get(self, key) -> Entry | None:
        return self._entries.get(key)

    def put(self, key, entry: Entry) -> None:
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def seconds(settings) -> float:
    try:
        return max(0.0, float(settings.get(SETTING) or 0))
    except (TypeError, ValueError):
        return 0.0


def _anonymous(environ) -> bool:
    return "portal_session=" not in environ.get("HTTP_COOKIE", "")


def remember(request, etag: str, headers: dict, next_change: dt.datetime | None, now: dt.datetime) -> None:
    """Called by the feed response: keep this ETag for the shortcut, if it is on."""
    ttl = seconds(request.registry.settings)
    if not ttl or request.method not in ("GET", "HEAD") or not _anonymous(request.environ):
        return
    until = now + dt.timedelta(seconds=ttl)
    if next_change is not None and next_change < until:
        until = next_change
    memo: FastMemo = request.registry[_KEY]
    memo.put((request.host_url, request.path_info), Entry(f'"{etag}"', tuple(headers.items()), until))


def tween_factory(handler, registry):
    memo: FastMemo = registry[_KEY]
    settings = registry.settings

    def tween(request):
        environ = request.environ
        tag = environ.get("HTTP_IF_NONE_MATCH")
        if tag and environ["REQUEST_METHOD"] in ("GET", "HEAD") and seconds(settings) and _anonymous(environ):
            hit = memo.get((request.host_url, request.path_info))
            if (
                hit is not None
                and hit.until > utcnow()
                and hit.etag in {t.strip().removeprefix("W/") for t in tag.split(",")}
            ):
                return HTTPNotModified(headers=list(hit.headers))
        return handler(request)

    return tween


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, flush_context) -> None:
    if any(isinstance(obj, Node) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_DIRTY] = True


@event.listens_for(Session, "after_commit")
def _forget(session: Session) -> None:
    if session.info.pop(_DIRTY, False):
        for memo in _MEMOS:
            memo.clear()


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_DIRTY, None)


def includeme(config):
    memo = FastMemo()
    config.registry[_KEY] = memo
    _MEMOS.append(memo)
    config.add_tween(
        "portal.feeds.fast304.tween_factory", under="portal.tweens.invalid_encoding_tween_factory"
    )
