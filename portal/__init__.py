"""The portal's WSGI application factory."""

from __future__ import annotations

import warnings

# Pyramid still imports pkg_resources; its deprecation notice is not for our users.
warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)

from pyramid.config import Configurator  # noqa: E402

# Session listeners that keep derived columns true (site generation, lineage
# visibility). Imported with the package so every session has them, the CLI's too.
from . import events, visibility  # noqa: E402, F401
from .settings import ensure_data_dir, resolve  # noqa: E402


class PortalConfigurator(Configurator):
    """``make_wsgi_app`` also applies the WSGI wrappers includes declared with
    ``config.add_wsgi_wrapper(factory)`` (``factory(app) -> app``, outermost last), so
    that every caller — ``main``, the CLI, tests, benches — serves the same stack."""

    def make_wsgi_app(self):
        app = super().make_wsgi_app()
        for factory in self.registry.get("portal.wsgi_wrappers", ()):
            app = factory(app)
        return app


def add_wsgi_wrapper(config, factory) -> None:
    config.registry.setdefault("portal.wsgi_wrappers", []).append(factory)


def make_config(settings: dict | None = None) -> Configurator:
    settings = resolve(settings)
    ensure_data_dir(settings)
    settings.setdefault("pyramid.default_locale_name", settings["portal.default_locale"])
    settings.setdefault("jinja2.directories", "themes:default/templates")
    settings.setdefault("jinja2.i18n.domain", "portal")
    settings.setdefault("jinja2.filters", "")
    settings.setdefault("pyramid.reload_templates", settings["portal.reload_templates"])
    config = PortalConfigurator(settings=settings)
    config.add_directive("add_wsgi_wrapper", add_wsgi_wrapper)

    # Order matters: each include may use what the ones above it registered.
    config.include(".tweens")  # outermost: a URL that is not UTF-8 is a 400
    config.include(".compression")  # gzip for text responses; static files compressed once
    config.include(".i18n")  # localizers, request.t, the locale
    config.include(".db")  # pyramid_tm, pyramid_retry, request.dbsession
    config.include(".registry")  # config.add_content_type, request.content_types
    config.include(".counters")  # request.count_view: batched, never written in a GET
    config.include(".blocks")  # anonymous blocks cached per site generation
    config.include(".resources")  # site by host, root, one-query traverser, node URLs
    config.include(".security")  # session cookie, security policy, CSRF by default
    config.include(".theme")  # Jinja2, static assets, cache headers
    config.include(".forms")  # deform renderer with the theme's templates
    config.include(".layout")  # navigation, breadcrumbs, toolbar
    config.include(".views")  # log-in, editing, contents, workflow, sharing, errors
    config.include(".admin")  # /quan-tri: the staff pages packages declare (config.add_admin_page)
    config.include(".feedimport")  # @@nguon-tin: folders import external RSS/Atom feeds as news
    # JSON API v1 (/api/v1/content, types, openapi.json), JSON errors under /api/, and the
    # users' API tokens (/tai-khoan/token); after the views so its error views take
    # precedence under /api/ only.
    config.include(".api")
    # Feeds, /rss, sitemap, robots.txt, WebSub: after the views (config.add_fixed_page),
    # before the types, which declare their catalogue feeds with config.add_catalogue_feeds.
    config.include(".feeds")
    # Citizen services (feedback, petitions, dossier lookup, survey): public forms.
    config.include(".citizen")
    # Content types last: they build on everything above.
    for package in settings["portal.includes"].split():
        config.include(package)
    return config


def main(global_config=None, **settings):
    """Paste entry point (pserve) and the one the ``portal`` command uses."""
    return make_config(settings).make_wsgi_app()
