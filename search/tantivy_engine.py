"""The tantivy engine (the default): a Rust index through the ``tantivy`` package.

Text is analysed in Python (``search.analysis``) and handed over as space-separated
tokens to fields using tantivy's ``whitespace`` tokenizer, so both engines index the
same terms. Queries are built as query objects, never parsed by tantivy: nothing a
visitor types can make them fail.
"""

from __future__ import annotations

import tantivy
from tantivy import FieldType, Occur, Query

from .analysis import ParsedQuery, both_fields, fold_token
from .engine import (
    BOOST,
    FACET_SIZE,
    FACETS,
    PHRASE_BOOST,
    PROXIMITY_SLOP,
    STORED_TEXT_CHARS,
    Access,
    IndexDocument,
    RawHit,
    SearchEngine,
    is_word,
)

TEXT_FIELDS = ("title", "title_f", "body", "body_f")
FOLDED_FIELDS = ("title_f", "body_f")
RESCORE_WINDOW = 100  # best matches by their words, then ranked with phrase boosts


def build_schema():
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    sb.add_integer_field("site", indexed=True)
    sb.add_integer_field("owner", indexed=True)
    sb.add_integer_field("public", indexed=True)
    sb.add_integer_field("pf", indexed=True, fast=True)
    sb.add_integer_field("pu", indexed=True, fast=True)
    sb.add_integer_field("year", stored=True, indexed=True, fast=True)
    sb.add_integer_field("modified", stored=True, fast=True)
    sb.add_text_field("anc", tokenizer_name="raw", index_option="basic")
    for name in ("type", "field", "agency"):
        # Fast: facet counts are a terms aggregation over the matched documents.
        sb.add_text_field(name, stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS:
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in ("path", "title_s", "text_s"):
        sb.add_bytes_field(name, stored=True, indexed=False)
    return sb.build()


class TantivyEngine(SearchEngine):
    name = "tantivy"
    schema_version = "2"  # 2: fast facet fields

    def __init__(self, directory):
        super().__init__(directory)
        self.schema = build_schema()
        self._created = not (self.directory / "meta.json").exists()
        self.index = tantivy.Index(self.schema, path=str(self.directory), reuse=True)

    # --- writing ---------------------------------------------------------------------

    def _writer(self):
        return self.index.writer(heap_size=32_000_000, num_threads=1)

    def _document(self, d: IndexDocument) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_integer("id", d.id)
        doc.add_integer("site", d.site_id)
        doc.add_integer("owner", d.owner_id or 0)
        doc.add_integer("public", 1 if d.public else 0)
        doc.add_integer("pf", d.public_from)
        doc.add_integer("pu", d.public_until)
        doc.add_integer("year", d.year or 0)
        doc.add_integer("modified", d.modified)
        for p in d.ancestors:
            doc.add_text("anc", p)
        doc.add_text("type", d.type)
        doc.add_text("field", d.field or "")
        doc.add_text("agency", d.agency or "")
        title, title_f = both_fields(d.title)
        body, body_f = both_fields(d.text)
        doc.add_text("title", title)
        doc.add_text("title_f", title_f)
        doc.add_text("body", body)
        doc.add_text("body_f", body_f)
        doc.add_bytes("path", d.path.encode())
        doc.add_bytes("title_s", d.title.encode())
        doc.add_bytes("text_s", d.text[:STORED_TEXT_CHARS].encode())
        return doc

    def apply(self, documents, delete_ids):
        writer = self._writer()
        try:
            for node_id in {*delete_ids, *(d.id for d in documents)}:
                writer.delete_documents_by_term("id", node_id)
            for d in documents:
                writer.add_document(self._document(d))
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        self._created = False
        self.index.reload()
        self._loaded = None

    def clear(self):
        writer = self._writer()
        try:
            writer.delete_all_documents()
            writer.commit()
        finally:
            writer.wait_merging_threads()
        self.index.reload()

    def count(self) -> int:
        self.index.reload()
        return self.index.searcher().num_docs

    def _fresh(self) -> None:
        """Reload the index if any process committed since the last look (a stat is far
        cheaper than a reload on every search)."""
        version = self._version()
        if version != getattr(self, "_loaded", None):
            self.index.reload()
            self._loaded = version

    # --- reading ---------------------------------------------------------------------

    def _term(self, field, value, boost=None):
        q = Query.term_query(self.schema, field, value)
        return Query.boost_query(q, boost) if boost else q

    def _phrase(self, field, words, boost=None, slop=0):
        q = Query.phrase_query(self.schema, field, words, slop)
        return Query.boost_query(q, boost) if boost else q

    def _clause_parts(self, clause, fields=TEXT_FIELDS) -> list[Query]:
        """The clause (or one of its alternatives) in each text field, weighted: more in
        the accented and title fields."""
        parts = []
        for variant in clause.variants:
            folded = [fold_token(t) for t in variant]
            for name in fields:
                words = folded if name.endswith("_f") else variant
                if len(words) > 1:
                    parts.append(self._phrase(name, words, PHRASE_BOOST[name]))
                else:
                    parts.append(self._term(name, words[0], BOOST[name]))
        return parts

    def _clause(self, clause, fields=TEXT_FIELDS) -> Query:
        """Matches the clause in any text field."""
        return Query.boolean_query([(Occur.Should, q) for q in self._clause_parts(clause, fields)])

    def _proximity_parts(self, group) -> list[Query]:
        """The words of the group next to each other (or near) rank higher."""
        positive = [c for c in group if not c.negated]
        words = [t for c in positive for t in c.tokens]
        if len(words) < 2 or len(positive) < 2:
            return []
        folded = [t for c in positive for t in c.folded]
        parts = [
            self._phrase(name, folded if name.endswith("_f") else words, PHRASE_BOOST[name])
            for name in TEXT_FIELDS
        ]
        parts.append(self._phrase("body_f", folded, 1.0, slop=PROXIMITY_SLOP))
        return parts

    def _group(self, group, fields=TEXT_FIELDS) -> Query:
        """Every clause (none of the negated ones): what a document must match."""
        return Query.boolean_query(
            [(Occur.MustNot if c.negated else Occur.Must, self._clause(c, fields)) for c in group]
        )

    def _boosts(self, query: ParsedQuery, ids: list[int]) -> Query | None:
        """The phrase and proximity boosts of the documents ``ids`` only (None when the
        query has none: a single word). Their scores are added to the words' scores of
        the first pass, which equal what these documents would score on the words again.

        One sum of parts, each intersected with the few ids: tantivy then reads positions
        only at those documents (an intersection seeks from its smallest member), where a
        union under one intersection would walk every match."""
        parts = [p for group in query.groups for p in self._proximity_parts(group)]
        if not parts:
            return None
        # A union of single-document terms, not a term set: its size is known, so each
        # intersection is led by it.
        among = Query.const_score_query(
            Query.boolean_query([(Occur.Should, self._term("id", i)) for i in ids]), 0.0
        )
        return Query.boolean_query(
            [(Occur.Should, Query.boolean_query([(Occur.Must, among), (Occur.Must, p)])) for p in parts]
        )

    def _access(self, access: Access) -> Query:
        anonymous = Query.boolean_query(
            [
                (Occur.Must, self._term("public", 1)),
                (Occur.Must, Query.range_query(self.schema, "pf", FieldType.Integer, None, access.now)),
                (
                    Occur.Must,
                    Query.range_query(
                        self.schema, "pu", FieldType.Integer, access.now, None, include_lower=False
                    ),
                ),
            ]
        )
        if access.anonymous:
            return anonymous
        should = [anonymous]
        if access.owner_id is not None:
            should.append(self._term("owner", access.owner_id))
        should += [self._term("anc", p) for p in access.paths]
        return Query.boolean_query([(Occur.Should, q) for q in should])

    def _visible(self, site_id, access, filters=None) -> list:
        """What a document must also match: the site, the reader's access, the filters.
        They score nothing (a reader's own documents would otherwise rank higher), so
        the first pass's score is the words' score alone."""
        must = [self._term("site", site_id), self._access(access)]
        for key, value in (filters or {}).items():
            must.append(self._term("year", int(value)) if key == "year" else self._term(key, str(value)))
        return [(Occur.Must, Query.const_score_query(q, 0.0)) for q in must]

    def _search(self, query: ParsedQuery, *, site_id, access, filters, offset, limit, facets=False):
        """In passes, because phrase and proximity boosts read positions and cost the
        most when a common word matches most of the index: one aggregation counts the
        matches and their facets; the words alone (term scores, accents and title
        weighted) find the best ``window`` of them, with their scores; the phrase and
        proximity boosts of those documents only are then added to their scores (no
        second pass for a single word). A site with fewer matches than the window is
        ranked exactly as in one pass."""
        visible = self._visible(site_id, access, filters)
        words = [(Occur.Should, self._group(g)) for g in query.groups]
        matching = Query.boolean_query([(Occur.Must, Query.boolean_query(words)), *visible])
        # The same documents through the folded fields alone (an accented word matches
        # its folded form): enough to count them, half the postings to read.
        folded = [(Occur.Should, self._group(g, FOLDED_FIELDS)) for g in query.groups]
        counting = Query.boolean_query([(Occur.Must, Query.boolean_query(folded)), *visible])
        self._fresh()
        searcher = self.index.searcher()
        window = max(RESCORE_WINDOW, offset + limit)
        # The total (and the facets) from one aggregation: it reads no scores.
        spec = {"total": {"value_count": {"field": "id"}}}
        if facets:
            spec.update({name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACETS})
        found = searcher.aggregate(counting, spec)
        total = int(found.get("total", {}).get("value") or 0)
        counts = {
            name: {b["key"]: b["doc_count"] for b in found[name].get("buckets", [])}
            for name in FACETS
            if name in found
        }
        first = searcher.search(matching, window, count=False) if total else None
        if not total or first is None or not first.hits:
            return [], total, counts
        # Keyed by (segment, doc): addresses themselves are not hashable.
        found = {(a.segment_ord, a.doc): [score, a] for score, a in first.hits}
        ids = searcher.fast_field_values("id", [a for _score, a in first.hits])
        boosts = self._boosts(query, [i for i in ids if i is not None])
        if boosts is not None:
            for score, a in searcher.search(boosts, len(found), count=False).hits:
                entry = found.get((a.segment_ord, a.doc))
                if entry is not None:
                    entry[0] += score
        ranked = sorted(found.items(), key=lambda item: (-item[1][0], item[0]))
        hits = []
        for _key, (score, address) in ranked[offset : offset + limit]:
            doc = searcher.doc(address)
            hits.append(
                RawHit(
                    score=score,
                    stored={
                        "id": doc.get_first("id"),
                        "path": bytes(doc.get_first("path") or b"/").decode(),
                        "type": doc.get_first("type") or "",
                        "field": doc.get_first("field") or "",
                        "agency": doc.get_first("agency") or "",
                        "year": doc.get_first("year") or 0,
                        "title": bytes(doc.get_first("title_s") or b"").decode(),
                        "text": bytes(doc.get_first("text_s") or b"").decode(),
                    },
                )
            )
        return hits, total, counts

    def _prefix_titles(self, words, prefix, *, site_id, access, limit):
        must = [(Occur.Must, self._term("title_f", w)) for w in words]
        if prefix:
            # Tokens are letters and digits only: nothing in them is a regex operator.
            must.append((Occur.Must, Query.regex_query(self.schema, "title_f", prefix + ".*")))
        must += self._visible(site_id, access)
        self._fresh()
        searcher = self.index.searcher()
        result = searcher.search(Query.boolean_query(must), limit)
        out = []
        for _score, address in result.hits:
            doc = searcher.doc(address)
            out.append(
                {
                    "title": bytes(doc.get_first("title_s") or b"").decode(),
                    "path": bytes(doc.get_first("path") or b"/").decode(),
                }
            )
        return out

    def _terms(self):
        self._fresh()
        searcher = self.index.searcher()
        terms: dict[str, int] = {}
        for name in ("title_f", "body_f"):
            for term, count in searcher.terms_with_prefix(name, ""):
                if is_word(term):
                    terms[term] = max(terms.get(term, 0), count)
        return terms

    def _version(self):
        # tantivy replaces meta.json (a new file, renamed over the old) at every commit,
        # whichever process made it; file times are coarse, the inode tells them apart.
        try:
            st = (self.directory / "meta.json").stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)
