"""The tantivy engine (the default): a Rust index through the ``tantivy`` package.

Text is analysed in Python (``search.analysis``) and handed over as space-separated
tokens to fields using tantivy's ``whitespace`` tokenizer, so both engines index the
same terms. Queries are built as query objects, never parsed by tantivy: nothing a
visitor types can make them fail.
"""

from __future__ import annotations

import tantivy
from tantivy import FieldType, Occur, Query

from .analysis import ParsedQuery, accented_field, folded_field
from .engine import (
    BOOST,
    PHRASE_BOOST,
    PROXIMITY_SLOP,
    STORED_TEXT_CHARS,
    Access,
    IndexDocument,
    RawHit,
    SearchEngine,
)

TEXT_FIELDS = ("title", "title_f", "body", "body_f")


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
    for name in ("anc", "type", "field", "agency"):
        sb.add_text_field(name, stored=name != "anc", tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS:
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in ("path", "title_s", "text_s"):
        sb.add_bytes_field(name, stored=True, indexed=False)
    return sb.build()


class TantivyEngine(SearchEngine):
    name = "tantivy"

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
        doc.add_text("title", accented_field(d.title))
        doc.add_text("title_f", folded_field(d.title))
        doc.add_text("body", accented_field(d.text))
        doc.add_text("body_f", folded_field(d.text))
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

    # --- reading ---------------------------------------------------------------------

    def _term(self, field, value, boost=None):
        q = Query.term_query(self.schema, field, value)
        return Query.boost_query(q, boost) if boost else q

    def _phrase(self, field, words, boost=None, slop=0):
        q = Query.phrase_query(self.schema, field, words, slop)
        return Query.boost_query(q, boost) if boost else q

    def _clause(self, clause) -> Query:
        """Matches the clause in any text field; more in the accented and title fields."""
        should = []
        for name in TEXT_FIELDS:
            words = clause.folded if name.endswith("_f") else clause.tokens
            if clause.phrase:
                should.append(self._phrase(name, words, PHRASE_BOOST[name]))
            else:
                should.append(self._term(name, words[0], BOOST[name]))
        return Query.boolean_query([(Occur.Should, q) for q in should])

    def _group(self, group) -> Query:
        parts = []
        positive = [c for c in group if not c.negated]
        for c in group:
            parts.append((Occur.MustNot if c.negated else Occur.Must, self._clause(c)))
        words = [t for c in positive for t in c.tokens]
        if len(words) > 1 and len(positive) > 1:
            # The words next to each other (or near) rank higher.
            folded = [t for c in positive for t in c.folded]
            for name in TEXT_FIELDS:
                w = folded if name.endswith("_f") else words
                parts.append((Occur.Should, self._phrase(name, w, PHRASE_BOOST[name])))
            parts.append((Occur.Should, self._phrase("body_f", folded, 1.0, slop=PROXIMITY_SLOP)))
        return Query.boolean_query(parts)

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

    def _search(self, query: ParsedQuery, *, site_id, access, filters, offset, limit):
        text = [(Occur.Should, self._group(g)) for g in query.groups]
        must = [
            (Occur.Must, Query.boolean_query(text)),
            (Occur.Must, self._term("site", site_id)),
            (Occur.Must, self._access(access)),
        ]
        for key, value in filters.items():
            if key == "year":
                must.append((Occur.Must, self._term("year", int(value))))
            else:
                must.append((Occur.Must, self._term(key, str(value))))
        self.index.reload()
        searcher = self.index.searcher()
        result = searcher.search(Query.boolean_query(must), limit, count=True, offset=offset)
        hits = []
        for score, address in result.hits:
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
        return hits, result.count or 0
