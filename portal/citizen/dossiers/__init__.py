"""Dossier lookup (/tra-cuu-ho-so): statuses imported from the one-stop office's system
(``portal dossiers import``, POST /api/v1/dossiers), looked up by citizens with the
dossier code and the receipt's secret. See docs/architecture.md, "Dossier lookup"."""


def includeme(config):
    from .api import add_api
    from .demo import seed_demo

    config.include(".views")
    add_api(config)
    config.registry["portal.types"].demo_hooks.append(seed_demo)
