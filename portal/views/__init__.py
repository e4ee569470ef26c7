"""Generic views of the core: log-in, editing, contents, workflow, sharing, errors."""


def includeme(config):
    config.add_route("login", "/dang-nhap")
    config.add_route("logout", "/dang-xuat")
    config.scan(__name__)
