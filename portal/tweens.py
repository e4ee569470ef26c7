"""Outermost guard: a request whose URL is not valid UTF-8 gets a plain 400.

WebOb decodes the path and query lazily and raises on bad bytes; caught any
later, the error view itself would fail decoding them again.
"""

from __future__ import annotations

from pyramid.response import Response

BAD_REQUEST_PAGE = (
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Yêu cầu không hợp lệ</title>'
    "</head><body><h1>Yêu cầu không hợp lệ</h1><p>Địa chỉ trang có ký tự không hợp lệ.</p>"
    '<p><a href="/">Về trang chủ</a></p></body></html>'
)


def invalid_encoding_tween_factory(handler, registry):
    def tween(request):
        try:
            request.path_info  # noqa: B018 - decoding is the check
            request.GET.items()
        except UnicodeDecodeError:
            return Response(BAD_REQUEST_PAGE, status=400, content_type="text/html", charset="utf-8")
        return handler(request)

    return tween


def includeme(config):
    from pyramid.tweens import INGRESS

    config.add_tween("portal.tweens.invalid_encoding_tween_factory", under=INGRESS)
