"""Search: Vietnamese full-text search over the portal's content, on two engines.

- ``analysis``: NFC, lower case, folded (đ → d) and accented forms, syllable tokens,
  a query parser that never raises, snippets;
- ``engine``: the engine interface; ``tantivy_engine`` (default) and ``whoosh_engine``
  (``portal.search.engine = whoosh``), each indexing under ``<data dir>/index/<engine>/``;
- ``models``/``outbox``: the ``search_outbox`` table written with every content change
  and applied to the index after commit, replayed at start-up, ``portal reindex``; each
  index follows the outbox with its own cursor (``search_cursors``, named by
  ``portal.search.index_name``: host name and index directory by default);
- ``views``: ``/tim-kiem`` (facets, filters, "did you mean"), ``/api/v1/search``,
  ``/tim-kiem/goi-y`` (titles as you type);
- ``synonyms``: the site's synonym list, expanding queries; ``spelling``: corrections
  from the index's words; ``zero``: queries that found nothing, written in batches;
- ``admin_views``: ``/quan-tri/tu-dong-nghia`` and ``/quan-tri/tim-kiem-khong-ket-qua``.

Content types declare what they contribute with ``add_content_type(..., search=fn)``,
``fn(node) -> dict`` (title, description, body as plain text, field, agency, year); this
package reads ``TypeInfo.extra["search"]``. Types never import this package, and
``portal`` only names it in its default includes.
"""

from __future__ import annotations

from pathlib import Path


def index_directory(settings: dict, engine_name: str) -> Path:
    root = settings.get("portal.search.index_dir") or str(Path(settings["portal.data_dir"]) / "index")
    return Path(root) / engine_name


def build_engine(settings: dict):
    from .engine import make_engine

    name = (settings.get("portal.search.engine") or "tantivy").strip().lower()
    engine = make_engine(name, index_directory(settings, name))
    index_name = (settings.get("portal.search.index_name") or "").strip()
    if index_name:
        engine.index_name = index_name[:200]
    return engine


def includeme(config):
    from . import outbox  # noqa: F401  (session listeners)
    from .outbox import apply_pending, reindex_all, start_up

    registry = config.registry
    registry["portal.search"] = build_engine(config.get_settings())
    # For the ``portal`` command, which does not import this package.
    registry["portal.search.reindex"] = lambda: reindex_all(registry)
    registry["portal.search.apply_pending"] = lambda: apply_pending(registry)
    config.include(".zero")
    config.include(".views")
    config.include(".admin_views")
    from .synonyms import seed_demo

    registry["portal.types"].demo_hooks.append(seed_demo)
    # After every type is registered (adapters) and the database is configured.
    config.action(("portal.search.start_up",), lambda: start_up(registry), order=1000)
