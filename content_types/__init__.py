"""Content types: one module each, registered through ``config.add_content_type``.

To add a type, write a module here with its model (a joined-table subclass of
``portal.models.Node``), its schema, its views and an ``includeme`` that
registers it; then include it below. See docs/architecture.md.
"""


def includeme(config):
    config.include(".site")
    config.include(".folder")
    config.include(".page")
    config.include(".link")
    config.include(".file")
    config.include(".image")
    config.include(".news")
    # Legal documents before what links to them (reviews, procedures): their demo
    # loaders run in this order.
    config.include(".legal_document")
    config.include(".legal_review")
    config.include(".procedure")
    # Published answers to petitions (portal/citizen/petitions): after legal documents,
    # which they link to.
    config.include(".question_answer")
    config.include(".service_link")
    config.include(".home")
