"""Translation: gettext catalogues for the UI and for colander/deform messages.

Source strings in the portal are Vietnamese (the UI's language); other
languages are catalogues in ``portal/locale``. colander and deform ship no
Vietnamese catalogue, so ours carries their messages too. Catalogues are read
from ``.po`` at start-up, so no compiled file has to be kept in step.
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


def translate(request, message, **mapping) -> str:
    """``request.t(_("Đã lưu ${title}"), title=...)``: translated and interpolated."""
    return request.localizer.translate(message, mapping=mapping or None)


def includeme(config):
    config.add_request_method(translate, "t")
    settings = config.get_settings()
    # The site's language is a setting; reading it from the request would cost
    # work on every request (and fail on undecodable query strings).
    locale = settings.get("portal.default_locale", "vi")
    config.set_locale_negotiator(lambda request: locale)
    default = settings.get("portal.default_locale", "vi")
    # Register the localizers now so the first request does no file work.
    for locale in [default] + [p.name for p in LOCALE_DIR.iterdir() if p.is_dir()]:
        get_localizer_for(config.registry, locale)
