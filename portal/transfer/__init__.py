"""``portal export`` / ``portal import``: a subtree of a site as one archive.

- ``spec.py``: what a content type declares for the transfer (its relation tables)
  and the generic reading of a model's own columns;
- ``archive.py``: the zip file (``manifest.json``, ``content.jsonl``, ``blobs/<sha256>``);
- ``export.py``: items in tree order to JSON lines, blobs streamed beside them;
- ``import_.py``: the lines back into a site, in one transaction, relations by path;
- ``cli.py``: the two sub-commands.

The core never imports ``content_types``: types hand their relation tables over with
``config.add_content_type(..., transfer=(RowTable(Model, "owner_column"), ...))``.
"""
