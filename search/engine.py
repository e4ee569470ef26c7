"""The engine interface: what the portal asks of a full-text index.

An engine keeps ``IndexDocument``s (one per searchable node), replaces and deletes
them in one commit (``apply``), and answers ``search`` with ranked hits, their
snippets and the total, filtered by site, by what the reader may see and by facet
values. Both engines (tantivy, Whoosh) index the same analysed fields (see
``analysis``); the snippets are made here, the same way for both.

Visibility lives in the index: each document stores whether it is public and its
lineage window (``public_from``/``public_until`` as Unix seconds) and the paths of
its ancestors. Anonymous searches filter on public and the window at query time,
so scheduled items appear and expire on time without reindexing. Logged-in users
also see their own items and everything under the paths where they hold a role that
views every state (``Access``, built like ``portal.listing.may_see_clause``): the
filter runs inside the engine, as a term on the stored ancestor paths.

Only one process writes an index at a time: ``writer_lock`` takes an exclusive
``flock`` on ``<index dir>/writer.lock`` (and a thread lock within the process).
"""

from __future__ import annotations

import fcntl
import hashlib
import math
import os
import shutil
import socket
import threading
import time
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .analysis import MAX_CLAUSES, ParsedQuery, folded_tokens, highlight

FAR_FUTURE = 253402300799  # 9999-12-31T23:59:59Z: no end
STORED_TEXT_CHARS = 20_000  # of the body kept for snippets (all of it is indexed)
FACETS = ("type", "field", "agency", "year")
FACET_SIZE = 50  # values counted per facet: the most frequent
VOCABULARY_MIN_AGE = 30.0  # seconds


@dataclass
class IndexDocument:
    id: int
    site_id: int
    path: str
    type: str
    title: str
    description: str = ""
    body: str = ""
    owner_id: int = 0
    public: bool = False
    public_from: int = 0
    public_until: int = FAR_FUTURE
    field: str = ""
    agency: str = ""
    year: int = 0
    modified: int = 0

    @property
    def ancestors(self) -> list[str]:
        """ "/a/b/" -> ["/", "/a/", "/a/b/"]: the node and every place above it."""
        parts = [p for p in self.path.split("/") if p]
        return ["/"] + ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]

    @property
    def text(self) -> str:
        """Description and body: the searchable text besides the title."""
        return "\n".join(t for t in (self.description, self.body) if t)


@dataclass(frozen=True)
class Access:
    """Who is searching: anonymous (owner_id None, no paths) or a user."""

    now: int
    owner_id: int | None = None
    paths: tuple[str, ...] = ()

    @property
    def anonymous(self) -> bool:
        return self.owner_id is None and not self.paths


@dataclass
class Hit:
    id: int
    path: str
    type: str
    title: str
    title_html: str
    snippet_html: str
    score: float
    field: str = ""
    agency: str = ""
    year: int = 0


@dataclass
class Results:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 10
    # Facet name -> [(value, count)] over every visible match (not just this page);
    # filled when asked for (``search(..., facets=True)``).
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1


@dataclass
class RawHit:
    """What an engine returns before snippets are made."""

    score: float
    stored: dict


def default_index_name(directory: str | Path) -> str:
    """The machine's host name and a short hash of the index directory: two data
    directories on one machine are two indexes, each with its own outbox cursor."""
    digest = hashlib.sha1(str(Path(directory).resolve()).encode()).hexdigest()[:8]
    return f"{socket.gethostname()[:150]}-{digest}"


class SearchEngine(ABC):
    name = ""
    # Bump when the fields change: an index of another version is emptied at start-up,
    # then rebuilt from the database (``outbox.start_up`` sees a new index).
    schema_version = "1"

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        # This index's name in ``search_cursors`` (``portal.search.index_name``).
        self.index_name = default_index_name(self.directory)
        self._thread_lock = threading.Lock()
        stamp = self.directory / "schema-version"
        found = stamp.read_text().strip() if stamp.exists() else None
        if found != self.schema_version:
            with self.writer_lock() as locked:
                if locked:
                    for entry in self.directory.iterdir():
                        if entry.name != "writer.lock":
                            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
                    stamp.write_text(self.schema_version + "\n")

    # --- writing -------------------------------------------------------------------

    @abstractmethod
    def apply(self, documents: list[IndexDocument], delete_ids: list[int]) -> None:
        """Replace ``documents`` (by id), delete ``delete_ids``, in one commit.
        Callers hold ``writer_lock``."""

    @abstractmethod
    def clear(self) -> None:
        """Delete every document (callers hold ``writer_lock``)."""

    @abstractmethod
    def count(self) -> int: ...

    @property
    def is_new(self) -> bool:
        """True when the index was created empty by this process (nothing indexed yet)."""
        return getattr(self, "_created", False)

    @contextmanager
    def writer_lock(self, wait: float = 30.0):
        """Exclusive writer lock on the index directory; yields False if not had within
        ``wait`` seconds (0: do not wait)."""
        deadline = time.monotonic() + wait
        if wait > 0:
            got = self._thread_lock.acquire(timeout=wait)
        else:
            got = self._thread_lock.acquire(blocking=False)
        if not got:
            yield False
            return
        try:
            fd = os.open(self.directory / "writer.lock", os.O_RDWR | os.O_CREAT, 0o644)
            try:
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() >= deadline:
                            yield False
                            return
                        time.sleep(0.02)
                try:
                    yield True
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        finally:
            self._thread_lock.release()

    # --- reading ---------------------------------------------------------------------

    @abstractmethod
    def _search(
        self,
        query: ParsedQuery,
        *,
        site_id: int,
        access: Access,
        filters: dict,
        offset: int,
        limit: int,
        facets: bool = False,
    ) -> tuple[list[RawHit], int, dict[str, dict]]:
        """Hits of the page, the total and, when ``facets``, value -> count per facet
        over the whole visible, filtered match set."""

    @abstractmethod
    def _prefix_titles(
        self, words: list[str], prefix: str, *, site_id: int, access: Access, limit: int
    ) -> list[dict]:
        """Stored ``title`` and ``path`` of visible documents whose folded title has
        every folded word in ``words`` and a word starting with ``prefix``."""

    @abstractmethod
    def _terms(self) -> dict[str, int]:
        """Every folded term of the title and text fields -> its document frequency."""

    @abstractmethod
    def _version(self):
        """Changes whenever the index does (in any process): keys caches of ``_terms``."""

    def vocabulary(self) -> dict[str, int]:
        """Folded words of the index with their document frequencies (for "did you
        mean"; counts are over every document, so what is suggested must be checked
        against what the reader may see). Cached until the index changes, but kept at
        least ``VOCABULARY_MIN_AGE`` seconds: on a busy site every edit changes the index,
        and a word list a few seconds old suggests as well."""
        version = self._version()
        cached = getattr(self, "_vocabulary", None)
        now = time.monotonic()
        if cached is None or (cached[0] != version and now - cached[1] >= VOCABULARY_MIN_AGE):
            cached = (version, now, self._terms())
            self._vocabulary = cached
        return cached[2]

    def search(
        self,
        query: ParsedQuery,
        *,
        site_id: int,
        access: Access,
        filters: dict | None = None,
        page: int = 1,
        per_page: int = 10,
        facets: bool = False,
    ) -> Results:
        page = max(1, int(page))
        if query.empty:
            return Results(page=page, per_page=per_page)
        filters = {k: v for k, v in (filters or {}).items() if k in FACETS and v not in (None, "")}
        raw, total, counts = self._search(
            query,
            site_id=site_id,
            access=access,
            filters=filters,
            offset=(page - 1) * per_page,
            limit=per_page,
            facets=facets,
        )
        wanted = query.positive_folded()
        hits = []
        for r in raw:
            s = r.stored
            title = s.get("title", "")
            text = s.get("text", "")
            snippet = highlight(text, wanted) or highlight(text[:240], set(), whole=True)
            hits.append(
                Hit(
                    id=int(s["id"]),
                    path=s.get("path", "/"),
                    type=s.get("type", ""),
                    title=title,
                    title_html=highlight(title, wanted, whole=True),
                    snippet_html=snippet or "",
                    score=r.score,
                    field=s.get("field", ""),
                    agency=s.get("agency", ""),
                    year=int(s.get("year") or 0),
                )
            )
        return Results(hits=hits, total=total, page=page, per_page=per_page, facets=_sorted_facets(counts))

    def suggest_titles(self, text: str, *, site_id: int, access: Access, limit: int = 8) -> list[dict]:
        """Titles for what is being typed: every word but the last matches a word of the
        title (folded), the last one the start of a word. ``[{"title", "path"}]``."""
        words = folded_tokens(text)[:MAX_CLAUSES]
        if not words:
            return []
        prefix = words.pop() if text[-1:].isalnum() else ""
        if not prefix and not words:
            return []
        return self._prefix_titles(words, prefix, site_id=site_id, access=access, limit=limit)


def is_word(term: str) -> bool:
    """A vocabulary word for spelling suggestions: letters only (no numbers, codes)."""
    return 1 < len(term) <= 15 and term.isalpha()


def _sorted_facets(counts: dict[str, dict]) -> dict[str, list[tuple[str, int]]]:
    """Values without a name (no field, year 0) are left out; years newest first, the
    rest by count, then by name."""
    out = {}
    for name in FACETS:
        values = [
            (str(v), int(n)) for v, n in (counts or {}).get(name, {}).items() if v not in ("", "0", 0, None)
        ]
        if name == "year":
            values.sort(key=lambda vn: vn[0], reverse=True)
        else:
            values.sort(key=lambda vn: (-vn[1], vn[0]))
        if values:
            out[name] = values
    return out


# Ranking weights, shared by both engines: accented above folded, title above text.
BOOST = {"title": 4.0, "title_f": 2.0, "body": 1.5, "body_f": 1.0}
PHRASE_BOOST = {"title": 6.0, "title_f": 3.0, "body": 3.0, "body_f": 1.5}
PROXIMITY_SLOP = 3


def make_engine(name: str, directory: str | Path) -> SearchEngine:
    name = (name or "tantivy").strip().lower()
    if name == "tantivy":
        from .tantivy_engine import TantivyEngine

        return TantivyEngine(directory)
    if name == "whoosh":
        from .whoosh_engine import WhooshEngine

        return WhooshEngine(directory)
    raise ValueError(f"unknown search engine: {name!r} (tantivy or whoosh)")
