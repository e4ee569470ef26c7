"""Queries that found nothing, recorded for editors, in batches.

Like ``portal.counters``: a search never writes to the database in its request.
Queries are added up in memory (folded, per site) and written every
``portal.search.zero_flush_seconds`` (default: ``portal.views.flush_seconds``) by a
background thread, in a transaction of its own, as ``count = count + n``; a failed
write is logged and kept for the next flush. What is still in memory at exit is
written then. The editors' page flushes first, so it is up to date.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import threading

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from portal.models import utcnow

from .analysis import folded_field
from .models import SearchZeroResult

log = logging.getLogger(__name__)

MAX_PENDING = 10_000  # distinct queries held in memory between flushes (a flood is cut)
MAX_QUERY = 256


class ZeroResults:
    def __init__(self, session_factory, interval: float):
        self.session_factory = session_factory
        self.interval = interval
        # (site_id, folded query) -> [count, first seen, last seen]
        self._pending: dict[tuple[int, str], list] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

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
        if self.interval > 0 and self._thread is None:
            self._start()

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def discard(self) -> None:
        with self._lock:
            self._pending.clear()

    def flush(self) -> int:
        """Write what was gathered; how many queries were written."""
        with self._lock:
            pending, self._pending = self._pending, {}
        if not pending:
            return 0
        session = None
        try:
            session = self.session_factory()
            for (site_id, query), (n, first, last) in sorted(pending.items()):
                self._add(session, site_id, query, n, first, last)
            session.commit()
        except Exception:
            if session is not None:
                session.rollback()
            with self._lock:  # put them back: the next flush tries again
                for key, (n, first, last) in pending.items():
                    entry = self._pending.setdefault(key, [0, first, last])
                    entry[0] += n
                    entry[1], entry[2] = min(entry[1], first), max(entry[2], last)
            log.exception("could not write zero-result queries")
            return 0
        finally:
            if session is not None:
                session.close()
        return len(pending)

    @staticmethod
    def _add(session, site_id: int, query: str, n: int, first: dt.datetime, last: dt.datetime) -> None:
        def bump():
            return session.execute(
                update(SearchZeroResult)
                .where(SearchZeroResult.site_id == site_id, SearchZeroResult.query == query)
                .values(count=SearchZeroResult.count + n, last_seen=last)
            ).rowcount

        if bump():
            return
        try:
            with session.begin_nested():
                session.add(
                    SearchZeroResult(site_id=site_id, query=query, count=n, first_seen=first, last_seen=last)
                )
        except IntegrityError:
            bump()  # another process created the row meanwhile

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="search-zero-results", daemon=True)
            self._thread.start()
        atexit.register(self.flush)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            atexit.unregister(self.flush)
        self.flush()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.flush()


def includeme(config):
    settings = config.get_settings()
    interval = float(
        settings.get("portal.search.zero_flush_seconds") or settings.get("portal.views.flush_seconds") or 30
    )
    factory = config.registry["dbsession_factory"]
    config.registry["portal.search.zero_results"] = ZeroResults(factory, interval)
