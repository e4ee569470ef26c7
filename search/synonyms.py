"""Synonyms and abbreviations, applied to queries (never to the index).

A site's list is groups of variants that mean the same ("UBND | Ủy ban nhân dân"),
one group a line, edited by its administrators. A query is expanded before it
reaches the engine: a word or run of words equal to a variant (compared folded)
becomes one clause matching any variant of its group, each as a phrase. So a
change needs no reindex.

The list is read once per process and site and kept until the site's generation
moves: saving the list bumps it (like a content change does), and every request
already reads the generation with the site root, so a saved list is used by every
process from their next request on, with no query per search.
"""

from __future__ import annotations

import re
import threading
import unicodedata

from sqlalchemy import delete, select, update

from portal.models import Site

from .analysis import Clause, ParsedQuery, fold_token, tokens
from .models import SearchSynonym

MAX_GROUPS = 500
MAX_VARIANTS = 12  # in one group
MAX_VARIANT_TOKENS = 8

# Between the variants of a line: | ~ = , ;
_SEPARATOR = re.compile(r"[|~=,;]")

# The demo's list (``portal demo``): common abbreviations of local government.
DEFAULT_GROUPS = [
    "UBND | Ủy ban nhân dân",
    "HĐND | Hội đồng nhân dân",
    "CCCD | căn cước công dân",
    "CMND | chứng minh nhân dân",
    "TTHC | thủ tục hành chính",
    "DVC | dịch vụ công",
    "QĐ | quyết định",
    "TB | thông báo",
    "KT-XH | kinh tế - xã hội",
    "GCN | giấy chứng nhận",
    "QSDĐ | quyền sử dụng đất",
    "MTTQ | Mặt trận Tổ quốc",
    "khai sinh | giấy khai sinh",
]


def parse_lines(text: str) -> tuple[list[list[str]], list[int]]:
    """The groups of a text (one a line, variants as typed, NFC) and the numbers of the
    lines that are not a group (fewer than two different variants, or too long)."""
    groups, bad = [], []
    text = unicodedata.normalize("NFC", text or "")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        seen, variants = set(), []
        for part in _SEPARATOR.split(line):
            part = " ".join(part.split())
            key = tuple(fold_token(t) for t in tokens(part))
            if not key or key in seen:
                continue
            seen.add(key)
            variants.append(part)
        too_long = any(len(tokens(v)) > MAX_VARIANT_TOKENS for v in variants)
        if not 2 <= len(variants) <= MAX_VARIANTS or too_long:
            bad.append(number)
        else:
            groups.append(variants)
    return groups, bad


def format_groups(groups: list[list[str]]) -> str:
    return "\n".join(" | ".join(g) for g in groups)


class SynonymSet:
    """Expands parsed queries with the alternatives of a list of groups."""

    def __init__(self, groups: list[list[str]]):
        # Folded tokens of a variant -> the accented tokens of every variant of its group.
        self.by_key: dict[tuple[str, ...], list[list[str]]] = {}
        self.longest = 0
        for group in groups:
            variants = [tokens(v) for v in group]
            variants = [v for v in variants if v]
            for v in variants:
                key = tuple(fold_token(t) for t in v)
                self.by_key.setdefault(key, [])
                for other in variants:
                    if other not in self.by_key[key]:
                        self.by_key[key].append(other)
                self.longest = max(self.longest, len(key))

    def __bool__(self) -> bool:
        return bool(self.by_key)

    def _alternatives(self, key: tuple[str, ...]) -> list[list[str]]:
        return [v for v in self.by_key.get(key, []) if tuple(fold_token(t) for t in v) != key]

    def expand(self, query: ParsedQuery) -> ParsedQuery:
        if not self.by_key or query.empty:
            return query
        return ParsedQuery(groups=[self._group(g) for g in query.groups], text=query.text)

    def _group(self, group: list[Clause]) -> list[Clause]:
        out, i = [], 0
        while i < len(group):
            clause = group[i]
            if clause.phrase:
                alts = self._alternatives(tuple(clause.folded))
                out.append(Clause(clause.tokens, True, clause.negated, alts) if alts else clause)
                i += 1
                continue
            # The longest run of single words (same sign) that is a variant.
            for j in range(min(len(group), i + self.longest), i, -1):
                run = group[i:j]
                if any(c.phrase or c.negated != clause.negated for c in run):
                    continue
                words = [c.tokens[0] for c in run]
                alts = self._alternatives(tuple(fold_token(t) for t in words))
                if alts:
                    out.append(Clause(words, len(words) > 1, clause.negated, alts))
                    i = j
                    break
            else:
                out.append(clause)
                i += 1
        return out


# --- the list of a site ------------------------------------------------------------------------

_CACHE = "portal.search.synonyms"
_lock = threading.Lock()


def load_groups(db, site_id: int) -> list[list[str]]:
    rows = db.scalars(
        select(SearchSynonym.terms)
        .where(SearchSynonym.site_id == site_id)
        .order_by(SearchSynonym.position, SearchSynonym.id)
    )
    return [[v.strip() for v in terms.split("|") if v.strip()] for terms in rows]


def save_groups(db, site_id: int, groups: list[list[str]]) -> None:
    """Replace the site's list; its generation moves, so every process reloads it."""
    db.execute(delete(SearchSynonym).where(SearchSynonym.site_id == site_id))
    for position, group in enumerate(groups[:MAX_GROUPS]):
        db.add(SearchSynonym(site_id=site_id, position=position, terms=" | ".join(group)))
    db.execute(update(Site).where(Site.id == site_id).values(generation=Site.generation + 1))


def synonyms_for(request) -> SynonymSet:
    """The site's list, from this process's cache while the site generation holds."""
    info = request.site_info
    cache = request.registry.setdefault(_CACHE, {})
    hit = cache.get(info.root.site_id)
    if hit is not None and hit[0] == info.generation:
        return hit[1]
    found = SynonymSet(load_groups(request.dbsession, info.root.site_id))
    with _lock:
        cache[info.root.site_id] = (info.generation, found)
    return found


def clear_cache(registry) -> None:
    registry.pop(_CACHE, None)


def seed_demo(db, types, root, owner) -> int:
    """``portal demo``: the default list, unless the site has one already."""
    if db.scalar(select(SearchSynonym.id).where(SearchSynonym.site_id == root.site_id).limit(1)):
        return 0
    groups, _bad = parse_lines("\n".join(DEFAULT_GROUPS))
    save_groups(db, root.site_id, groups)
    return 0  # not content items
