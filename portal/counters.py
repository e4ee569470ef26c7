"""View counts, batched: a page view never writes to the database in its request.

Hits are added up in memory and written every ``portal.views.flush_seconds``
(default 30) by a background thread, in a transaction of its own, as
``count = count + n``, so several processes can count the same item. What is
still in memory when the process stops is written at exit. A crash loses at
most one interval of counts, which is acceptable for a popularity figure.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import update

from .batching import BatchWriter, add_or_bump
from .models import ViewCount


class ViewCounter(BatchWriter):
    thread_name = "view-counter"
    what = "view counts"

    def __init__(self, session_factory, interval: float):
        super().__init__(session_factory, interval)
        self._hits: Counter[int] = Counter()

    def hit(self, node_id: int) -> None:
        with self._lock:
            self._hits[node_id] += 1
        self._wake()

    def discard(self) -> None:
        with self._lock:
            self._hits.clear()

    def pending(self) -> dict[int, int]:
        with self._lock:
            return dict(self._hits)

    def _take(self) -> Counter[int]:
        hits, self._hits = self._hits, Counter()
        return hits

    def _put_back(self, hits: Counter[int]) -> None:
        self._hits.update(hits)

    def _write(self, session, hits: Counter[int]) -> None:
        for node_id, n in sorted(hits.items()):
            # A node deleted meanwhile: its insert breaks the foreign key and its count is dropped.
            bump = update(ViewCount).where(ViewCount.node_id == node_id).values(count=ViewCount.count + n)
            add_or_bump(session, bump, lambda node_id=node_id, n=n: ViewCount(node_id=node_id, count=n))


def count_view(request, node) -> None:
    """Count a visitor's view of ``node`` (not editors': their previews would inflate it)."""
    if request.identity_obj is None:
        request.registry["portal.view_counter"].hit(node.id)


def includeme(config):
    settings = config.get_settings()
    interval = float(settings.get("portal.views.flush_seconds", "30"))
    config.registry["portal.view_counter"] = ViewCounter(config.registry["dbsession_factory"], interval)
    config.add_request_method(count_view, "count_view")
