"""View counts, batched: a page view never writes to the database in its request.

Hits are added up in memory and written every ``portal.views.flush_seconds``
(default 30) by a background thread, in a transaction of its own, as
``count = count + n``, so several processes can count the same item. What is
still in memory when the process stops is written at exit. A crash loses at
most one interval of counts, which is acceptable for a popularity figure.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import Counter

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from .models import ViewCount

log = logging.getLogger(__name__)


class ViewCounter:
    def __init__(self, session_factory, interval: float):
        self.session_factory = session_factory
        self.interval = interval
        self._hits: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def hit(self, node_id: int) -> None:
        with self._lock:
            self._hits[node_id] += 1
        if self.interval > 0 and self._thread is None:
            self._start()

    def discard(self) -> None:
        with self._lock:
            self._hits.clear()

    def pending(self) -> dict[int, int]:
        with self._lock:
            return dict(self._hits)

    def flush(self) -> int:
        """Write the counts gathered so far; return how many items were updated."""
        with self._lock:
            hits, self._hits = self._hits, Counter()
        if not hits:
            return 0
        session = self.session_factory()
        try:
            for node_id, n in sorted(hits.items()):
                self._add(session, node_id, n)
            session.commit()
        except Exception:
            session.rollback()
            with self._lock:  # put them back: the next flush tries again
                self._hits.update(hits)
            log.exception("could not write view counts")
            return 0
        finally:
            session.close()
        return len(hits)

    @staticmethod
    def _add(session, node_id: int, n: int) -> None:
        done = session.execute(
            update(ViewCount).where(ViewCount.node_id == node_id).values(count=ViewCount.count + n)
        ).rowcount
        if done:
            return
        try:
            with session.begin_nested():
                session.add(ViewCount(node_id=node_id, count=n))
        except IntegrityError:
            # Another process created the row meanwhile, or the node is gone.
            session.execute(
                update(ViewCount).where(ViewCount.node_id == node_id).values(count=ViewCount.count + n)
            )

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="view-counter", daemon=True)
            self._thread.start()
        atexit.register(self.flush)

    def close(self) -> None:
        """Stop the writer thread and write what is left (an app being shut down)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            atexit.unregister(self.flush)
        self.flush()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.flush()


def count_view(request, node) -> None:
    """Count a visitor's view of ``node`` (not editors': their previews would inflate it)."""
    if request.identity_obj is None:
        request.registry["portal.view_counter"].hit(node.id)


def includeme(config):
    settings = config.get_settings()
    interval = float(settings.get("portal.views.flush_seconds", "30"))
    config.registry["portal.view_counter"] = ViewCounter(config.registry["dbsession_factory"], interval)
    config.add_request_method(count_view, "count_view")
