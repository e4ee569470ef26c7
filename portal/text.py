"""Text on the way in: NFC normalisation, slugs, sanitised HTML; dates on the way out."""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from zoneinfo import ZoneInfo

import nh3

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


# Control characters (NUL above all, which PostgreSQL refuses) except tab and newlines.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text: str) -> str:
    return _CONTROL.sub("", text)


def nfc(value: str | None) -> str:
    return unicodedata.normalize("NFC", value or "")


def fold(value: str) -> str:
    """Remove Vietnamese diacritics, đ/Đ included (NFD alone keeps đ)."""
    value = nfc(value).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def search_fold(value: str | None) -> str:
    """Text for accent-insensitive matching: folded, lower case, single spaces."""
    return " ".join(fold(value or "").lower().split())


_TAG = re.compile(r"<[^>]*>")


def html_text(value: str | None) -> str:
    """Plain text of (sanitised) HTML: tags become spaces, entities characters."""
    return " ".join(html.unescape(_TAG.sub(" ", nfc(value))).split())


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(value: str, max_length: int = 80) -> str:
    slug = _NON_SLUG.sub("-", fold(value).lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "muc"


ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "*": {"lang"},
}


def sanitize_html(value: str | None) -> str:
    return nh3.clean(
        nfc(value),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def format_date(value: dt.datetime | dt.date | None) -> str:
    """dd/mm/yyyy in Vietnam's time zone; a plain function, no Babel on hot paths."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(TZ)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    value = value.astimezone(TZ)
    return f"{value.hour:02d}:{value.minute:02d} {format_date(value)}"


def row_id(value) -> int | None:
    """A row id sent by a client (a form field, a query parameter), or None when it is not
    one: ASCII digits only (``"²".isdigit()`` is true but ``int("²")`` fails) and within
    a 32-bit integer column, so a huge number is a clear refusal, not a database error."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if 0 < number < 2**31 else None
