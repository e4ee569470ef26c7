"""Categories, tags and fields on a node: typed in as a comma-separated list,
stored as ``Term`` rows keyed by a folded slug so "Cải cách hành chính" and
"cai cach hanh chinh" are one term."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select

from .models import Node, Term
from .text import nfc, slugify

MAX_TERMS = 30
MAX_LABEL = 200


def parse_labels(text: str) -> list[str]:
    """Comma- or semicolon-separated labels, NFC, trimmed, de-duplicated by slug."""
    seen, labels = set(), []
    for raw in nfc(text).replace(";", ",").split(","):
        label = " ".join(raw.split())[:MAX_LABEL]
        slug = slugify(label, 120) if label else ""
        if label and slug not in seen:
            seen.add(slug)
            labels.append(label)
    return labels[:MAX_TERMS]


def labels_of(node: Node, kind: str) -> list[str]:
    return [t.label for t in node.terms if t.kind == kind]


def set_terms(node: Node, kind: str, labels: Iterable[str]) -> None:
    """Make ``node``'s terms of ``kind`` exactly ``labels``, touching only what changed
    (a delete and an insert of the same key in one flush would collide)."""
    wanted = {slugify(label, 120): label for label in labels}
    keep = []
    for term in node.terms:
        if term.kind != kind:
            keep.append(term)
        elif term.slug in wanted:
            term.label = wanted.pop(term.slug)
            keep.append(term)
    keep += [Term(kind=kind, slug=slug, label=label) for slug, label in wanted.items()]
    node.terms = keep


def terms_for(db, node_ids: Iterable[int], kinds: Iterable[str]) -> dict[int, list[Term]]:
    """Terms of many nodes in one query, for listings."""
    ids = list(node_ids)
    found: dict[int, list[Term]] = defaultdict(list)
    if not ids:
        return found
    q = select(Term).where(Term.node_id.in_(ids), Term.kind.in_(list(kinds))).order_by(Term.label)
    for term in db.scalars(q):
        found[term.node_id].append(term)
    return found
