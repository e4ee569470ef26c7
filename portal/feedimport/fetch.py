"""Fetching a feed: one conditional GET, with a time-out and a size limit.

The transport is a plain callable ``transport(url, headers, timeout, max_bytes) ->
Response`` so that tests (or a site on the same install) can answer from a WSGI
application instead of the network; ``urllib_transport`` is the real one.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from urllib.parse import quote, urlsplit, urlunsplit

from ..i18n import _

USER_AGENT = "portal-feed-import/1.0 (RSS/Atom reader of a local government portal)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
DEFAULT_TIMEOUT = 20.0  # seconds, for connecting and for each read
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class FetchError(Exception):
    """The feed could not be fetched; ``args[0]`` says why, for the editor."""

    @property
    def message(self) -> str:
        # Stored in the database and printed by the CLI: the interpolated source
        # text (Vietnamese, the UI's language).
        msg = self.args[0]
        return msg.interpolate() if hasattr(msg, "interpolate") else str(msg)


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    url: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


Transport = Callable[[str, dict, float, int], Response]


def check_url(url: str) -> str:
    """The URL if it is an absolute http(s) URL with a host, else ValueError."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValueError("bad url") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not http(s)")
    return parts.geturl()


def _too_large(max_bytes: int) -> FetchError:
    return FetchError(_("Nguồn tin quá lớn (trên ${kb} KB).", mapping={"kb": max(max_bytes // 1024, 1)}))


def _read_limited(stream, max_bytes: int) -> bytes:
    # One byte more than allowed tells a body that is too large from one that fits.
    body = stream.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise _too_large(max_bytes)
    return body


class _HTTPOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """urllib also follows redirects to ftp://; a feed may only move to http(s)."""

    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        try:
            check_url(newurl)
        except ValueError:
            raise FetchError(_("Nguồn tin chuyển hướng đến một địa chỉ không được phép.")) from None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _public_address(sockaddr) -> bool:
    ip = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _connect_public_only(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
    """socket.create_connection that refuses loopback, private, link-local and other
    non-public addresses, so an editor's feed URL cannot make the server read its own
    network (SSRF). The addresses checked are the ones connected to: a second DNS
    answer cannot slip in between (rebinding). Redirects go through here too."""
    host, port = address
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise FetchError(_("Không tìm thấy tên miền của nguồn tin.")) from None
    if not infos or not all(_public_address(info[4]) for info in infos):
        raise FetchError(_("Nguồn tin trỏ đến một địa chỉ mạng nội bộ, không được phép."))
    error = None
    for family, kind, proto, _name, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as e:
            error = e
            sock.close()
    raise error


class _PublicHTTPConnection(HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_public_only  # http.client sets it per instance


class _PublicHTTPSConnection(HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_public_only


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)


def _make_opener(public_only: bool) -> urllib.request.OpenerDirector:
    # No proxies from the environment (a cron job's environment is not the site's
    # policy) and no file:// or ftp:// handlers at all.
    opener = urllib.request.OpenerDirector()
    http, https = (
        (_PublicHTTPHandler(), _PublicHTTPSHandler())
        if public_only
        else (urllib.request.HTTPHandler(), urllib.request.HTTPSHandler())
    )
    for handler in (
        http,
        https,
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        _HTTPOnlyRedirects(),
    ):
        opener.add_handler(handler)
    return opener


_OPENERS = {True: _make_opener(public_only=True), False: _make_opener(public_only=False)}


def ascii_url(url: str) -> str:
    """The URL as http.client needs it: IDNA host, percent-encoded path and query
    (editors paste Vietnamese addresses as the browser shows them)."""
    parts = urlsplit(url)
    host = parts.hostname.encode("idna").decode("ascii")
    if ":" in host:  # IPv6
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~-._")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=~-._?")
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def urllib_transport(
    url: str, headers: dict, timeout: float, max_bytes: int, *, allow_private: bool = False
) -> Response:
    """The real transport. Only public addresses unless ``allow_private`` (the
    setting portal.feeds.allow_private, for a province network or tests)."""
    opener = _OPENERS[not allow_private]
    try:
        url = ascii_url(url)
    except (UnicodeError, ValueError):
        raise FetchError(_("Tên miền của nguồn tin không hợp lệ.")) from None
    request = urllib.request.Request(url, headers=headers, method="GET")
    try:
        with opener.open(request, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise _too_large(max_bytes)
            body = _read_limited(resp, max_bytes)
            return Response(
                status=resp.status,
                body=body,
                headers={k.lower(): v for k, v in resp.headers.items()},
                url=resp.geturl(),
            )
    except urllib.error.HTTPError as e:
        if e.code == 304:
            return Response(status=304, headers={k.lower(): v for k, v in e.headers.items()}, url=url)
        raise FetchError(_("Máy chủ nguồn tin trả lỗi HTTP ${code}.", mapping={"code": e.code})) from None
    except urllib.error.URLError as e:
        reason = e.reason if isinstance(e.reason, str) else type(e.reason).__name__
        if isinstance(e.reason, TimeoutError):
            raise FetchError(_("Hết thời gian chờ nguồn tin.")) from None
        if isinstance(e.reason, ConnectionRefusedError):
            raise FetchError(_("Không kết nối được máy chủ nguồn tin (bị từ chối).")) from None
        raise FetchError(
            _("Không kết nối được máy chủ nguồn tin (${reason}).", mapping={"reason": str(reason)[:200]})
        ) from None
    except TimeoutError:
        raise FetchError(_("Hết thời gian chờ nguồn tin.")) from None
    except (OSError, HTTPException, ValueError) as e:
        raise FetchError(
            _("Không đọc được nguồn tin (${reason}).", mapping={"reason": type(e).__name__})
        ) from None


def wsgi_transport(app) -> Transport:
    """A transport answering from a WSGI application (tests; a site on this install)."""
    from webob import Request

    def transport(url: str, headers: dict, timeout: float, max_bytes: int) -> Response:
        req = Request.blank(url, headers=headers)
        resp = req.get_response(app)
        if resp.status_int == 304:
            return Response(status=304, headers={k.lower(): v for k, v in resp.headers.items()}, url=url)
        if resp.status_int >= 400:
            raise FetchError(_("Máy chủ nguồn tin trả lỗi HTTP ${code}.", mapping={"code": resp.status_int}))
        if 300 <= resp.status_int < 400:
            raise FetchError(_("Nguồn tin chuyển hướng đến một địa chỉ không được phép."))
        body = resp.body
        if len(body) > max_bytes:
            raise _too_large(max_bytes)
        return Response(
            status=resp.status_int,
            body=body,
            headers={k.lower(): v for k, v in resp.headers.items()},
            url=url,
        )

    return transport


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    transport: Transport | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
) -> Response:
    """GET the feed, sending back the validators of the last answer."""
    try:
        url = check_url(url)
    except ValueError:
        raise FetchError(_("Địa chỉ nguồn tin phải bắt đầu bằng http:// hoặc https://")) from None
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": ACCEPT,
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    if transport is None:
        return urllib_transport(url, headers, timeout, max_bytes, allow_private=allow_private)
    return transport(url, headers, timeout, max_bytes)
