"""Generic views of the core: log-in, editing, contents, workflow, sharing, errors."""


def add_fixed_page(config, name: str, pattern: str, view, **view_options):
    """A page at a fixed URL (a catalogue), answering with and without the trailing
    slash, for GET and HEAD only. Fixed routes win over traversal, so the folder of
    the same name shows this page while its items (``/van-ban/<name>/``) and its
    editing views (``/van-ban/@@contents``) still traverse."""
    for route, path in ((name, pattern), (f"{name}_slash", pattern + "/")):
        config.add_route(route, path)
        config.add_view(view, route_name=route, request_method=("GET", "HEAD"), **view_options)


def includeme(config):
    config.add_directive("add_fixed_page", add_fixed_page)
    config.add_route("login", "/dang-nhap")
    config.add_route("logout", "/dang-xuat")
    config.add_route("language", "/ngon-ngu/{code}")
    config.scan(__name__)
