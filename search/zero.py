"""Queries that found nothing, recorded for editors, in batches.

Like ``portal.counters``: a search never writes to the database in its request.
Queries are added up in memory (folded, per site) and written every
``portal.search.zero_flush_seconds`` (default: ``portal.views.flush_seconds``) by a
background thread, in a transaction of its own, as ``count = count + n``; a failed
write is logged and kept for the next flush. What is still in memory at exit is
written then. The editors' page flushes first, so it is up to date.
"""

from __future__ import annotations

from sqlalchemy import update

from portal.batching import BatchWriter, add_or_bump
from portal.models import utcnow

from .analysis import folded_field
from .models import SearchZeroResult

MAX_PENDING = 10_000  # distinct queries held in memory between flushes (a flood is cut)
MAX_QUERY = 256


class ZeroResults(BatchWriter):
    thread_name = "search-zero-results"
    what = "zero-result queries"

    def __init__(self, session_factory, interval: float):
        super().__init__(session_factory, interval)
        # (site_id, folded query) -> [count, first seen, last seen]
        self._pending: dict[tuple[int, str], list] = {}

    def record(self, site_id: int, text: str) -> None:
        query = folded_field(text)[:MAX_QUERY].strip()
        if not query:
            return
        now = utcnow()
        with self._lock:
            entry = self._pending.get((site_id, query))
            if entry is not None:
                entry[0] += 1
                entry[2] = now
            elif len(self._pending) < MAX_PENDING:
                self._pending[(site_id, query)] = [1, now, now]
        self._wake()

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def discard(self) -> None:
        with self._lock:
            self._pending.clear()

    def _take(self) -> dict:
        pending, self._pending = self._pending, {}
        return pending

    def _put_back(self, pending: dict) -> None:
        for key, (n, first, last) in pending.items():
            entry = self._pending.setdefault(key, [0, first, last])
            entry[0] += n
            entry[1], entry[2] = min(entry[1], first), max(entry[2], last)

    def _write(self, session, pending: dict) -> None:
        for (site_id, query), (n, first, last) in sorted(pending.items()):
            bump = (
                update(SearchZeroResult)
                .where(SearchZeroResult.site_id == site_id, SearchZeroResult.query == query)
                .values(count=SearchZeroResult.count + n, last_seen=last)
            )
            row = SearchZeroResult(site_id=site_id, query=query, count=n, first_seen=first, last_seen=last)
            add_or_bump(session, bump, lambda row=row: row)


def includeme(config):
    settings = config.get_settings()
    interval = float(
        settings.get("portal.search.zero_flush_seconds") or settings.get("portal.views.flush_seconds") or 30
    )
    factory = config.registry["dbsession_factory"]
    config.registry["portal.search.zero_results"] = ZeroResults(factory, interval)
