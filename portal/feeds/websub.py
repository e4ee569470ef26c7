"""WebSub: tell the hub (``portal.websub.hub``) when feeds change.

Feeds advertise the hub (atom:link rel="hub", the JSON Feed's ``hubs``, Link
headers). When a request's transaction commits a change to an item that is or was
in the feeds (published, edited while published, retracted), the feeds that list it
are announced to the hub: ``hub.mode=publish&hub.url=<feed>``, one POST per feed.
The POSTs run after the commit (an after-commit hook on the request's transaction,
as search applies its outbox), in a background thread: publishing never waits for
the hub, and a failure is only logged.

Items whose scheduled time comes without a write are not announced: readers get
them at their next poll (the feeds' validators change on time).
"""

from __future__ import annotations

import logging
import threading
import urllib.request
from urllib.parse import urlencode

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ..models import Node
from .scope import FILE_NAMES
from .views import TERM_KINDS

log = logging.getLogger(__name__)

_KEY = "portal.websub.paths"
_HOOKED = "portal.websub.hooked"
TIMEOUT = 5


def _feed_item_changed(session: Session, obj: Node, feed_types) -> bool:
    if obj.type not in feed_types:
        return False
    if obj.state == "published":
        return obj in session.new or session.is_modified(obj, include_collections=False)
    # Leaving "published" takes it out of the feeds: that is a change too.
    return "published" in (inspect(obj).attrs.state.history.deleted or ())


@event.listens_for(Session, "before_flush")
def collect_published(session: Session, flush_context, instances) -> None:
    request = session.info.get("request")
    if request is None or not (request.registry.settings.get("portal.websub.hub") or "").strip():
        return
    feed_types = {info.name for info in request.content_types if info.extra.get("feed")}
    found = session.info.setdefault(_KEY, {})
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Node) and _feed_item_changed(session, obj, feed_types):
            # Read now, while the session is open (one small query if not loaded yet).
            with session.no_autoflush:
                terms = [(t.kind, t.slug) for t in obj.terms if t.kind in TERM_KINDS]
            found[id(obj)] = (obj, obj.type, terms)
    if found:
        _hook(session, request)


def _hook(session: Session, request) -> None:
    txn = request.tm.get()
    if session.info.get(_HOOKED) is txn:
        return
    session.info[_HOOKED] = txn
    hub = request.registry.settings["portal.websub.hub"].strip()
    base = request.application_url
    catalogues = request.registry.get("portal.feeds.catalogues", ())

    def after_commit(success: bool) -> None:
        changed = session.info.pop(_KEY, {})
        session.info.pop(_HOOKED, None)
        if not success or not changed:
            return
        try:
            # Paths are read now: the committed ones (a move or rename in the same request).
            items = [(obj.path, type_, terms) for obj, type_, terms in changed.values()]
            topics = topics_for(base, items, catalogues)
        except Exception:  # never let an announcement disturb the request
            log.exception("websub: could not list the feeds to announce")
            return
        threading.Thread(target=notify, args=(hub, topics), name="websub", daemon=True).start()

    txn.addAfterCommitHook(after_commit)


def topics_for(base: str, items, catalogues) -> list[str]:
    """The feed URLs that list these items: the site's, every ancestor's, their
    catalogues', their categories' and tags'."""
    bases: list[str] = []
    for path, type_name, terms in items:
        parts = [p for p in path.split("/") if p][:-1]
        prefix = "/"
        bases.append(prefix)
        for part in parts:
            prefix += part + "/"
            bases.append(prefix)
        bases += [c["pattern"] + "/" for c in catalogues if type_name in c["types"]]
        bases += [f"/{TERM_KINDS[kind][0]}/{slug}/" for kind, slug in terms]
    seen: dict[str, None] = {}
    for b in bases:
        for name in FILE_NAMES.values():
            seen.setdefault(base + b + name, None)
    return list(seen)


def notify(hub: str, topics: list[str]) -> None:
    for topic in topics:
        data = urlencode({"hub.mode": "publish", "hub.url": topic}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        req = urllib.request.Request(hub, data=data, method="POST", headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:  # noqa: S310 - the administrator's hub
                if resp.status >= 300:
                    log.warning("websub: hub answered %s for %s", resp.status, topic)
        except Exception as exc:  # a hub that is down must never break publishing
            log.warning("websub: notifying %s of %s failed: %s", hub, topic, exc)


@event.listens_for(Session, "after_rollback")
def forget(session: Session) -> None:
    session.info.pop(_KEY, None)
