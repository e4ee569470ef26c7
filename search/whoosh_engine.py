"""The Whoosh engine (pure Python; ``portal.search.engine = whoosh``).

Slower than tantivy by two orders of magnitude on large sites (see issue 4), kept
for installations that cannot run a compiled wheel. Same fields, same analysis, same
query shape as ``tantivy_engine``.
"""

from __future__ import annotations

from whoosh import index as windex
from whoosh import query as Q
from whoosh import sorting
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import ParsedQuery, both_fields, fold_token
from .engine import (
    BOOST,
    FACETS,
    PHRASE_BOOST,
    PROXIMITY_SLOP,
    STORED_TEXT_CHARS,
    Access,
    RawHit,
    SearchEngine,
    is_word,
)

TEXT_FIELDS = ("title", "title_f", "body", "body_f")


def build_schema() -> Schema:
    text = dict(analyzer=SpaceSeparatedTokenizer(), phrase=True)
    return Schema(
        id=ID(stored=True, unique=True),
        site=ID,
        owner=ID,
        public=ID,
        pf=NUMERIC(int, bits=64, signed=True),
        pu=NUMERIC(int, bits=64, signed=True),
        year=ID(stored=True),
        modified=STORED,
        anc=KEYWORD(lowercase=False, scorable=False),
        type=ID(stored=True),
        field=ID(stored=True),
        agency=ID(stored=True),
        title=TEXT(**text),
        title_f=TEXT(**text),
        body=TEXT(**text),
        body_f=TEXT(**text),
        path=STORED,
        title_s=STORED,
        text_s=STORED,
    )


class WhooshEngine(SearchEngine):
    name = "whoosh"

    def __init__(self, directory):
        super().__init__(directory)
        self._created = not windex.exists_in(str(self.directory))
        if self._created:
            self.index = windex.create_in(str(self.directory), build_schema())
        else:
            self.index = windex.open_dir(str(self.directory))

    def apply(self, documents, delete_ids):
        writer = self.index.writer()
        try:
            for node_id in delete_ids:
                writer.delete_by_term("id", str(node_id))
            for d in documents:
                title, title_f = both_fields(d.title)
                body, body_f = both_fields(d.text)
                writer.update_document(
                    id=str(d.id),
                    site=str(d.site_id),
                    owner=str(d.owner_id or 0),
                    public="1" if d.public else "0",
                    pf=d.public_from,
                    pu=d.public_until,
                    year=str(d.year or 0),
                    modified=d.modified,
                    anc=" ".join(d.ancestors),
                    type=d.type,
                    field=d.field or "",
                    agency=d.agency or "",
                    title=title,
                    title_f=title_f,
                    body=body,
                    body_f=body_f,
                    path=d.path,
                    title_s=d.title,
                    text_s=d.text[:STORED_TEXT_CHARS],
                )
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        self._created = False

    def clear(self):
        self.index = windex.create_in(str(self.directory), build_schema())

    def count(self) -> int:
        with self.index.searcher() as s:
            return s.doc_count()

    # --- reading ---------------------------------------------------------------------

    def _clause(self, clause):
        should = []
        for variant in clause.variants:
            folded = [fold_token(t) for t in variant]
            for name in TEXT_FIELDS:
                words = folded if name.endswith("_f") else variant
                if len(words) > 1:
                    should.append(Q.Phrase(name, words, boost=PHRASE_BOOST[name]))
                else:
                    should.append(Q.Term(name, words[0], boost=BOOST[name]))
        return Q.Or(should)

    def _group(self, group):
        must = [self._clause(c) for c in group if not c.negated]
        must_not = [self._clause(c) for c in group if c.negated]
        positive = [c for c in group if not c.negated]
        query = Q.And(must)
        words = [t for c in positive for t in c.tokens]
        if len(words) > 1 and len(positive) > 1:
            folded = [t for c in positive for t in c.folded]
            boosts = [
                Q.Phrase(name, folded if name.endswith("_f") else words, boost=PHRASE_BOOST[name])
                for name in TEXT_FIELDS
            ]
            boosts.append(Q.Phrase("body_f", folded, slop=PROXIMITY_SLOP + 1))
            query = Q.AndMaybe(query, Q.Or(boosts))
        if must_not:
            query = Q.AndNot(query, Q.Or(must_not))
        return query

    def _access(self, access: Access):
        anonymous = Q.And(
            [
                Q.Term("public", "1"),
                Q.NumericRange("pf", None, access.now),
                Q.NumericRange("pu", access.now, None, startexcl=True),
            ]
        )
        if access.anonymous:
            return anonymous
        should = [anonymous]
        if access.owner_id is not None:
            should.append(Q.Term("owner", str(access.owner_id)))
        should += [Q.Term("anc", p) for p in access.paths]
        return Q.Or(should)

    def _visible(self, site_id, access, filters=None):
        conditions = [Q.Term("site", str(site_id)), self._access(access)]
        conditions += [Q.Term(key, str(value)) for key, value in (filters or {}).items()]
        return Q.And(conditions)

    def _search(self, query: ParsedQuery, *, site_id, access, filters, offset, limit, facets=False):
        text = Q.Or([self._group(g) for g in query.groups])
        grouped = (
            {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACETS} if facets else None
        )
        with self.index.searcher() as searcher:
            results = searcher.search(
                text, filter=self._visible(site_id, access, filters), limit=offset + limit, groupedby=grouped
            )
            counts = {name: results.groups(name) for name in FACETS} if facets else {}
            hits = [
                RawHit(
                    score=hit.score or 0.0,
                    stored={
                        "id": hit["id"],
                        "path": hit.get("path", "/"),
                        "type": hit.get("type", ""),
                        "field": hit.get("field", ""),
                        "agency": hit.get("agency", ""),
                        "year": hit.get("year", "0"),
                        "title": hit.get("title_s", ""),
                        "text": hit.get("text_s", ""),
                    },
                )
                for hit in results[offset : offset + limit]
            ]
            return hits, len(results), counts

    def _prefix_titles(self, words, prefix, *, site_id, access, limit):
        parts = [Q.Term("title_f", w) for w in words]
        if prefix:
            parts.append(Q.Prefix("title_f", prefix))
        with self.index.searcher() as searcher:
            results = searcher.search(Q.And(parts), filter=self._visible(site_id, access), limit=limit)
            return [{"title": hit.get("title_s", ""), "path": hit.get("path", "/")} for hit in results]

    def _terms(self):
        terms: dict[str, int] = {}
        with self.index.reader() as reader:
            for name in ("title_f", "body_f"):
                for term, info in reader.iter_field(name):
                    term = term.decode() if isinstance(term, bytes) else term
                    if is_word(term):
                        terms[term] = max(terms.get(term, 0), info.doc_frequency())
        return terms

    def _version(self):
        return self.index.latest_generation()
