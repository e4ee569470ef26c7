"""Reading a feed's bytes with feedparser into plain, sanitised items.

Nothing here touches the database: what an item becomes is decided in importer.py.
Every piece of text is NFC, titles and summaries are plain text, and the body is
HTML cleaned by the portal's nh3 sanitiser (feedparser's own cleaning is not the
portal's policy).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import html
import io
import json
import re
from dataclasses import dataclass

import feedparser

from ..i18n import _
from ..text import html_text, nfc, sanitize_html, strip_controls
from .fetch import check_url
from .models import MAX_GUID

# A sapo is a sentence or two; RSS often gives the whole text as the summary.
MAX_LEAD = 600

# Control characters (NUL above all, which PostgreSQL refuses) except tab and newlines.


class FeedError(Exception):
    """The answer is not a feed we can read; ``args[0]`` says why, for the editor."""

    @property
    def message(self) -> str:
        msg = self.args[0]
        return msg.interpolate() if hasattr(msg, "interpolate") else str(msg)


@dataclass
class FeedItem:
    guid: str
    title: str
    lead: str  # plain text
    body: str  # sanitised HTML
    link: str  # the original, http(s) only, or ""
    author: str
    published: dt.datetime | None

    @property
    def content_hash(self) -> str:
        """What the source says about the item; a change means the article is updated."""
        data = json.dumps([self.title, self.lead, self.body, self.link, self.author], ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass
class ParsedFeed:
    title: str
    items: list[FeedItem]
    skipped: int  # entries without a title or an identity


def _clean(text: str | None) -> str:
    return strip_controls(nfc(text or ""))


# Inline tags vanish without a space ("<b>tổng kết</b>." stays "tổng kết."); html_text
# turns the others into spaces.
_INLINE = re.compile(r"</?(?:a|abbr|b|cite|code|em|i|mark|q|s|small|span|strong|sub|sup|u)\b[^>]*>", re.I)


def _plain(detail_value: str | None) -> str:
    """Plain text of a title or summary that may hold HTML or entities."""
    # Sanitised first: the content of <script> and <style> goes with the tags.
    return html_text(_INLINE.sub("", sanitize_html(_clean(detail_value))))


def _html_of(detail) -> str:
    """A content/summary as safe HTML: plain text is escaped into a paragraph."""
    value = _clean(detail.get("value", ""))
    if not value.strip():
        return ""
    if detail.get("type", "text/html") == "text/plain":
        paragraphs = [p.strip() for p in value.split("\n\n") if p.strip()]
        return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    cleaned = sanitize_html(value).strip()
    if "<" not in cleaned:
        # Text in an HTML field (common in RSS descriptions): give it its paragraph.
        return f"<p>{cleaned}</p>" if cleaned else ""
    return cleaned


def _guid(entry) -> str:
    guid = _clean(entry.get("id") or entry.get("link") or "").strip()
    if len(guid) > MAX_GUID:
        # Stable and short enough for the unique index.
        guid = "sha256:" + hashlib.sha256(guid.encode("utf-8")).hexdigest()
    return guid


def _link(entry) -> str:
    link = _clean(entry.get("link") or "").strip()
    try:
        return check_url(link)[:2048]
    except ValueError:
        return ""


def _date(entry, now: dt.datetime) -> dt.datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        # feedparser gives UTC struct_times.
        when = dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC)
    except (OverflowError, ValueError, OSError):
        return None
    # A date in the future would schedule the article: the source published it already.
    return min(when, now)


def parse_feed(body: bytes, url: str, headers: dict[str, str], now: dt.datetime) -> ParsedFeed:
    # A file object, never a string: feedparser would fetch a string that looks like a URL.
    # content-location lets it resolve relative links against the feed's address.
    response_headers = {"content-location": url}
    if headers.get("content-type"):
        response_headers["content-type"] = headers["content-type"]
    try:
        # feedparser's own HTML cleaning is off: the portal's nh3 policy is the one applied.
        parsed = feedparser.parse(io.BytesIO(body), response_headers=response_headers, sanitize_html=False)
    except Exception:  # noqa: BLE001 - feedparser on hostile bytes; the editor only needs "unreadable"
        raise FeedError(_("Không đọc được nội dung nguồn tin.")) from None
    if not parsed.get("version") and not parsed.entries:
        raise FeedError(_("Địa chỉ này không phải nguồn tin RSS hoặc Atom hợp lệ."))

    items: list[FeedItem] = []
    skipped = 0
    seen: set[str] = set()
    for entry in parsed.entries:
        title = _plain(entry.get("title"))[:500]
        guid = _guid(entry)
        if not title or not guid or guid in seen:
            skipped += 1
            continue
        seen.add(guid)
        summary = entry.get("summary_detail") or {}
        contents = entry.get("content") or []
        # The full text when the feed gives it, else the summary.
        html_content = next(
            (c for c in contents if c.get("type") in ("text/html", "application/xhtml+xml")), None
        )
        body = _html_of(html_content or (contents[0] if contents else summary))
        lead = _plain(summary.get("value", "") if summary else "")
        if not lead and body:
            lead = html_text(body)
        items.append(
            FeedItem(
                guid=guid,
                title=title,
                lead=_shorten(lead, MAX_LEAD),
                body=body,
                link=_link(entry),
                author=_plain((entry.get("author_detail") or {}).get("name") or entry.get("author"))[:255],
                published=_date(entry, now),
            )
        )
    return ParsedFeed(title=_plain(parsed.feed.get("title"))[:500], items=items, skipped=skipped)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"
