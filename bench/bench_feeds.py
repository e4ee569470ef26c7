"""How fast are feeds, and how cheap is a conditional GET that answers 304?

One run builds, in a temporary directory:

* the PORTAL with the full demo content (``portal demo``, as bench_content.py);
* the HELLO floor: a bare Pyramid app, one route answering "hello" (no database, no
  transaction manager): the cheapest request Pyramid can serve;
* the PAGE floor of bench_page.py: the portal's stack (pyramid_tm, a session, one
  row by primary key, a Jinja2 layout), the cost of an honest page.

It then times, in-process and, if ``wrk`` is installed, over HTTP (waitress):

* ``304 /rss.xml, checked``: GET /rss.xml with the ETag of the previous answer, with
  ``portal.feeds.fast_304_seconds = 0`` (the validator read from the database);
* ``304 folder rss, checked``: the same for /tin-tuc/rss.xml (traversal included);
* ``304 /rss.xml, default``: the same as the first with the default
  ``portal.feeds.fast_304_seconds = 10`` (the ETag confirmed by a WSGI wrapper without touching
  the database);
* ``/rss.xml``: the site feed (20 items) as served (built once per change);
* ``/rss.xml, cold``: the same with the caches emptied before every request (the
  validator query, the items and the rendering every time);
* ``/atom.xml, cold`` and ``/feed.json, cold`` likewise,

and prints req/s, p50, p95, the ratio to each floor and the SQL statements of one
request. Target: the 304 path at 0.7 or more of the hello floor's req/s.

    python bench/bench_feeds.py [--requests 2000] [--wrk-seconds 5] [--wrk-rounds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path

from pyramid.config import Configurator
from pyramid.response import Response

sys.path.insert(0, str(Path(__file__).parent))

from bench_content import build_demo_portal, cold  # noqa: E402
from bench_page import (  # noqa: E402
    _UNITS,
    Server,
    base_environ,
    build_floor,
    call,
    count_statements,
    describe_checkout,
    summarise,
)


def build_hello():
    def hello(request):
        return Response("hello", content_type="text/plain")

    config = Configurator()
    config.add_route("hello", "/hello")
    config.add_view(hello, route_name="hello")
    return config.make_wsgi_app()


def with_fast_304(app, settings, value: str):
    """The app with ``portal.feeds.fast_304_seconds`` set for its requests (the setting is
    read per request; each target sets its own before every call)."""

    def wsgi(environ, start_response):
        settings["portal.feeds.fast_304_seconds"] = value
        return app(environ, start_response)

    return wsgi


def time_targets(targets: dict[str, tuple], n: int, warmup: int, rounds: int = 10) -> dict[str, dict]:
    """Like bench_page.time_requests, with an expected status per target (304s)."""
    for app, environ, _status in targets.values():
        for _ in range(warmup):
            call(app, environ)
    times: dict[str, list[float]] = {name: [] for name in targets}
    clock = time.perf_counter
    rounds = max(1, min(rounds, n))
    for r in range(rounds):
        size = n // rounds + (1 if r < n % rounds else 0)
        for name, (app, environ, expected) in targets.items():
            out = times[name]
            for _ in range(size):
                t0 = clock()
                status, _body = call(app, environ)
                out.append(clock() - t0)
                if not status.startswith(expected):
                    raise SystemExit(f"{name}: unexpected status {status}")
    return {name: summarise(values) for name, values in times.items()}


def run_wrk(url: str, seconds: int, headers: dict) -> dict:
    cmd = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency"]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    latency = re.search(r"Latency\s+([\d.]+)(us|ms|s|m)\b", out)
    if rps is None:
        raise SystemExit(f"could not parse wrk output:\n{out}")
    return {
        "rps": float(rps.group(1)),
        "latency_ms": float(latency.group(1)) * _UNITS[latency.group(2)] if latency else float("nan"),
    }


def http_headers(url: str, environ: dict, expected: str) -> dict:
    """The headers wrk sends: for a conditional target, the ETag this server gives (the
    ETag depends on the host name), checked to answer ``expected``."""
    if "HTTP_IF_NONE_MATCH" not in environ:
        return {}
    with urllib.request.urlopen(url, timeout=30) as resp:
        headers = {"If-None-Match": resp.headers["ETag"]}
    try:
        status = urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30).status
    except urllib.error.HTTPError as exc:
        status = exc.code
    if str(status) != expected:
        raise SystemExit(f"{url}: conditional GET over HTTP gave {status}, not {expected}")
    return headers


def header(app, path: str, name: str) -> str:
    env = base_environ(path)
    found = {}

    def start_response(status, headers, exc_info=None):
        found.update(headers)
        return lambda data: None

    env["wsgi.input"] = io.BytesIO(b"")
    result = app(env, start_response)
    b"".join(result)
    getattr(result, "close", lambda: None)()
    return found[name]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="timed in-process requests per target")
    parser.add_argument("--wrk-seconds", type=int, default=5, help="duration of each wrk run")
    parser.add_argument("--wrk-rounds", type=int, default=3, help="interleaved wrk runs per target (median)")
    args = parser.parse_args(argv)
    n = max(1, args.requests)
    warmup = min(200, n)
    have_wrk = shutil.which("wrk") is not None
    root_dir = Path(__file__).resolve().parent.parent
    print(
        f"Python {platform.python_version()}, Pyramid {version('pyramid')}, "
        f"SQLAlchemy {version('sqlalchemy')}, {os.cpu_count()} CPUs, {platform.machine()}, "
        f"load average {os.getloadavg()[0]:.2f}, portal at {describe_checkout(root_dir)}"
    )
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        workdir = Path(tmp)
        (workdir / "floor").mkdir()
        floor_app, floor_engine, floor_path = build_floor(workdir / "floor")
        hello = build_hello()
        app, engine, created, _field = build_demo_portal(workdir)
        print(f"demo content: {created} items")

        def conditional(path):
            env = base_environ(path)
            env["HTTP_IF_NONE_MATCH"] = header(app, path, "ETag")
            return env

        settings = app.registry.settings

        def plain(wsgi):
            return with_fast_304(wsgi, settings, "0")

        fast = with_fast_304(app, settings, "10")

        targets = {
            "hello floor": (hello, base_environ("/hello"), "200", None),
            "page floor": (floor_app, base_environ(floor_path), "200", floor_engine),
            "304 /rss.xml, checked": (plain(app), conditional("/rss.xml"), "304", engine),
            "304 folder, checked": (plain(app), conditional("/tin-tuc/rss.xml"), "304", engine),
            "304 /rss.xml, default": (fast, conditional("/rss.xml"), "304", engine),
            "/rss.xml": (plain(app), base_environ("/rss.xml"), "200", engine),
            "/rss.xml, cold": (plain(cold(app)), base_environ("/rss.xml"), "200", engine),
            "/atom.xml, cold": (plain(cold(app)), base_environ("/atom.xml"), "200", engine),
            "/feed.json, cold": (plain(cold(app)), base_environ("/feed.json"), "200", engine),
        }
        try:
            results: dict[str, dict] = {}
            for name, (wsgi, env, expected, eng) in targets.items():
                status, body = call(wsgi, env)
                if not status.startswith(expected):
                    raise SystemExit(f"{name}: GET {env['PATH_INFO']} -> {status}\n{body[:1500]!r}")
                items = body.count(b"<item>") or body.count(b"<entry>") or body.count(b'"id":"urn:')
                statements = len(count_statements(eng, wsgi, env)) if eng is not None else 0
                results[name] = {"bytes": len(body), "items": items, "statements": statements}
            timed = {name: (w, e, s) for name, (w, e, s, _eng) in targets.items()}
            for name, timing in time_targets(timed, n, warmup).items():
                results[name].update(timing)
            if have_wrk:
                # Every target's server at once, timed in interleaved rounds, the median
                # kept: over loopback on a small virtual machine one run of a few seconds
                # can be several times slower than the next, whatever is measured.
                with contextlib.ExitStack() as stack:
                    urls = {}
                    for name, (wsgi, env, expected, _eng) in targets.items():
                        server = stack.enter_context(Server(wsgi))
                        url = f"http://127.0.0.1:{server.port}{env['PATH_INFO']}"
                        urls[name] = (url, http_headers(url, env, expected))
                        run_wrk(url, 1, urls[name][1])  # warm-up
                    runs: dict[str, list] = {name: [] for name in targets}
                    for _round in range(args.wrk_rounds):
                        for name, (url, headers) in urls.items():
                            runs[name].append(run_wrk(url, args.wrk_seconds, headers))
                    for name, found in runs.items():
                        found.sort(key=lambda w: w["rps"])
                        results[name]["wrk"] = {**found[len(found) // 2], "all": [w["rps"] for w in found]}
        finally:
            app.registry["portal.view_counter"].close()
            engine.dispose()
            floor_engine.dispose()

    hello_r, page_r = results["hello floor"], results["page floor"]
    print(f"\nin-process, {n} requests each after {warmup} warm-up, interleaved in rounds:")
    print(f"{'target':<20}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'x hello':>8}{'x page':>8}{'SQL':>5}"
          f"{'items':>6}{'bytes':>8}")  # fmt: skip
    for name, r in results.items():
        print(
            f"{name:<20}{r['rps']:>8.0f}{r['p50_ms']:>8.2f}{r['p95_ms']:>8.2f}"
            f"{r['rps'] / hello_r['rps']:>8.2f}{r['rps'] / page_r['rps']:>8.2f}{r['statements']:>5}"
            f"{r['items']:>6}{r['bytes']:>8}"
        )
    if have_wrk:
        print(
            f"\nover HTTP (portal.server waitress threads=4, wrk -t2 -c8, {args.wrk_seconds} s, "
            f"median of {args.wrk_rounds} interleaved rounds; all rounds' req/s in brackets):"
        )
        for name, r in results.items():
            w = r["wrk"]
            x_hello = w["rps"] / hello_r["wrk"]["rps"]
            x_page = w["rps"] / page_r["wrk"]["rps"]
            timing = f"{w['rps']:>8.0f} req/s {w['latency_ms']:>7.2f} ms"
            rounds = ", ".join(f"{x:.0f}" for x in w["all"])
            print(f"{name:<20}{timing}{x_hello:>8.2f} x hello{x_page:>8.2f} x page  [{rounds}]")
    else:
        print("\n(wrk not installed: HTTP figures skipped; apt-get install wrk)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
