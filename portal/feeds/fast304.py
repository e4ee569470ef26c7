"""An optional shortcut for feed readers that poll: a 304 without the database.

On by default (10 s; 0 turns it off). With ``portal.feeds.fast_304_seconds = N``, each ETag an
anonymous visitor got for a feed URL is remembered for N seconds at most, and
never past the feed's next scheduled change. A conditional GET of that URL with
that ETag, from a visitor without a session, is then answered 304 by a WSGI wrapper
around the whole application (``wrap``): no Pyramid request, no session, no query. Any commit that changes a
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


def _key(environ) -> tuple[str, str, str]:
    """The URL as the server received it (scheme, host, path), read from the environ
    alone: the same on the way in (``wrap``) and when a feed remembers its tag."""
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    return environ.get("wsgi.url_scheme", "http"), host.lower(), path


def remember(request, etag: str, headers: dict, next_change: dt.datetime | None, now: dt.datetime) -> None:
    """Called by the feed response: keep this ETag for the shortcut, if it is on."""
    ttl = seconds(request.registry.settings)
    if not ttl or request.method not in ("GET", "HEAD") or not _anonymous(request.environ):
        return
    until = now + dt.timedelta(seconds=ttl)
    if next_change is not None and next_change < until:
        until = next_change
    memo: FastMemo = request.registry[_KEY]
    memo.put(_key(request.environ), Entry(f'"{etag}"', tuple(headers.items()), until))


class Fast304:
    """The application, with remembered feed ETags confirmed before Pyramid sees the
    request (a router, its request extensions and response subscribers cost several
    times what this check does). Anything else goes to the application unchanged."""

    def __init__(self, app):
        self.app = app
        self.registry = app.registry
        self._memo: FastMemo = app.registry[_KEY]
        self._settings = app.registry.settings

    def __getattr__(self, name):
        return getattr(self.app, name)

    def __call__(self, environ, start_response):
        tag = environ.get("HTTP_IF_NONE_MATCH")
        if (
            tag
            and environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and _anonymous(environ)
            and seconds(self._settings)
        ):
            hit = self._memo.get(_key(environ))
            if (
                hit is not None
                and hit.until > utcnow()
                and hit.etag in {t.strip().removeprefix("W/") for t in tag.split(",")}
            ):
                start_response("304 Not Modified", list(hit.headers))
                return []
        return self.app(environ, start_response)


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
    config.add_wsgi_wrapper(Fast304)
