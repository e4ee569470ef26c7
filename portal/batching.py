"""Figures gathered in memory and written in batches, never inside a request.

``BatchWriter`` is the common part of the view counter (``portal.counters``) and the
search's zero-result log (``search.zero``): a background thread writes what was
gathered every ``interval`` seconds, in a transaction of its own; a failed write is
logged and what it held is put back for the next flush; what is left is written at
exit. Subclasses say what they gather (``_take``, ``_put_back``) and how a batch is
written (``_write``).
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Callable

from sqlalchemy.exc import IntegrityError

log = logging.getLogger(__name__)


class BatchWriter:
    thread_name = "batch-writer"
    what = "a batch"  # for the log line of a failed write

    def __init__(self, session_factory, interval: float):
        self.session_factory = session_factory
        self.interval = interval
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    # What a subclass provides; _take and _put_back run under the lock.
    def _take(self):
        """Hand over what was gathered and start afresh."""
        raise NotImplementedError

    def _put_back(self, pending) -> None:
        """Merge a batch that could not be written into what is gathered now."""
        raise NotImplementedError

    def _write(self, session, pending) -> None:
        raise NotImplementedError

    def _wake(self) -> None:
        """Call after gathering: starts the writer thread on first use."""
        if self.interval > 0 and self._thread is None:
            self._start()

    def flush(self) -> int:
        """Write what was gathered; return how many entries were written."""
        with self._lock:
            pending = self._take()
        if not pending:
            return 0
        session = None
        try:
            session = self.session_factory()
            self._write(session, pending)
            session.commit()
        except Exception:
            if session is not None:
                session.rollback()
            with self._lock:  # the next flush tries again
                self._put_back(pending)
            log.exception("could not write %s", self.what)
            return 0
        finally:
            if session is not None:
                session.close()
        return len(pending)

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
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


def add_or_bump(session, bump, new_row: Callable[[], object]) -> None:
    """Run ``bump`` (an UPDATE doing ``count = count + n``) and, when it changed no row,
    insert ``new_row()``; when another process inserted it meanwhile, bump that one."""
    if session.execute(bump).rowcount:
        return
    try:
        with session.begin_nested():
            session.add(new_row())
    except IntegrityError:
        session.execute(bump)
