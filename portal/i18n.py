"""Translation: gettext catalogues for the UI and for colander/deform messages.

Source strings in the portal are Vietnamese (the UI's language); other
languages are catalogues in ``portal/locale``. colander and deform ship no
Vietnamese catalogue, so ours carries their messages too (their msgids are
English, so English needs no catalogue for them). Catalogues are read from
``.po`` at start-up, so no compiled file has to be kept in step;
``portal i18n update`` extracts the msgids (``portal/i18n_catalog.py``).

The locale of a request (``negotiate_locale``): the visitor's choice from the
language switch (the ``portal_lang`` cookie set by ``/ngon-ngu/<code>``), else
the language of the content item viewed (``nodes.language``, already loaded by
traversal), else the site's default (Vietnamese). Anything cached per process
for anonymous visitors is keyed by it (``portal/blocks.py``).
"""

from __future__ import annotations

import io
from pathlib import Path

from pyramid.i18n import Localizer, Translations, TranslationStringFactory
from pyramid.interfaces import ILocalizer

_ = TranslationStringFactory("portal")

LOCALE_DIR = Path(__file__).parent / "locale"


def load_translations(locale: str) -> Translations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    merged = Translations()
    merged._catalog = {}  # an empty catalogue: gettext's own __init__ skips it without a file
    merged.plural = lambda n: int(n != 1)
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        merged.add(Translations(buf, domain=po.stem), merge=True)
    return merged


def get_localizer_for(registry, locale: str) -> Localizer:
    localizer = registry.queryUtility(ILocalizer, name=locale)
    if localizer is None:
        localizer = Localizer(locale, load_translations(locale))
        registry.registerUtility(localizer, ILocalizer, name=locale)
    return localizer


LANG_COOKIE = "portal_lang"
AVAILABLE_KEY = "portal.locales"
# Views whose page speaks the language of the item shown; editing views keep
# the visitor's (or the site's) language.
CONTENT_LANGUAGE_VIEWS = frozenset({"", "in"})
# The language switch: each locale's own name, written in that language.
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def negotiate_locale(request) -> str:
    """The request's locale, without any database work (see the module docstring)."""
    registry = request.registry
    available = registry.get(AVAILABLE_KEY) or ()
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in available:
        return chosen
    # Set by the router once traversal has run. Not for error pages: a 404 for a
    # missing item under an English folder must read like the 404 for an existing
    # item the visitor may not see (traversal stops before setting a context).
    context = request.__dict__.get("context")
    language = getattr(context, "language", None) if getattr(context, "path", None) else None
    if (
        language in available
        and request.__dict__.get("view_name", "") in CONTENT_LANGUAGE_VIEWS
        and request.__dict__.get("exception") is None
    ):
        return language
    return registry.settings.get("portal.default_locale", "vi")


def translate(request, message, **mapping) -> str:
    """``request.t(_("Đã lưu ${title}"), title=...)``: translated and interpolated."""
    return request.localizer.translate(message, mapping=mapping or None)


def includeme(config):
    config.add_request_method(translate, "t")
    settings = config.get_settings()
    default = settings.get("portal.default_locale", "vi")
    locales = [default] + sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir() and p.name != default)
    config.registry[AVAILABLE_KEY] = tuple(locales)
    # The cookie and the traversed item only: never the query string (which may
    # not decode) nor Accept-Language (the site speaks Vietnamese unless asked).
    config.set_locale_negotiator(negotiate_locale)
    # Register the localizers now so the first request does no file work.
    for locale in locales:
        get_localizer_for(config.registry, locale)
