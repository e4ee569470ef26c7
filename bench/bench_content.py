"""The content pages of a real site, each beside the floor, in one run.

Builds the portal with the full demo content (`portal demo`: news with images,
procedures, legal documents, reviews) on a fresh SQLite file, and the floor app
of bench_page.py (a bare Pyramid + SQLAlchemy + Jinja2 page that loads one row).
Then times, in-process and (if wrk is installed) over HTTP, anonymous GETs of:

* an article page of the reform section (with its blocks: related, other news,
  latest, most viewed, website links),
* the procedure catalogue (/thu-tuc-hanh-chinh, first page, no filter), and
  the same with a field filter,
* the legal document list (/van-ban),
* the home page,

each as served (anonymous pages and blocks come from the per-process cache
until content changes) and "cold" (caches emptied before every request: the cost
of building the page), and prints each one's requests per second as a ratio of the floor's, with its
SQL statement count.

    python bench/bench_content.py [--requests 1000] [--wrk-seconds 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).parent))

from bench_page import (  # noqa: E402
    base_environ,
    bench_wrk,
    build_floor,
    call,
    count_statements,
    describe_checkout,
    time_requests,
)

from portal import bootstrap, make_config  # noqa: E402
from portal.db import make_engine  # noqa: E402
from portal.demo import load_demo  # noqa: E402
from portal.models import Node, User  # noqa: E402
from portal.settings import resolve  # noqa: E402


def build_demo_portal(workdir: Path):
    data_dir = workdir / "portal-data"
    data_dir.mkdir(parents=True)
    settings = resolve(
        {
            "portal.data_dir": str(data_dir),
            "sqlalchemy.url": f"sqlite:///{data_dir / 'portal.sqlite'}",
            "portal.secret": "bench-secret-not-for-production",
        },
        environ={},
    )
    engine = make_engine(settings["sqlalchemy.url"])
    bootstrap.initialise(settings, engine, admin_password="bench-admin-password")
    config = make_config({**settings, "portal.db_bind": engine})
    app = config.make_wsgi_app()
    types = app.registry["portal.types"]
    with Session(engine) as db, db.begin():
        root = db.scalar(select(Node).where(Node.parent_id.is_(None)))
        owner = db.scalar(select(User).where(User.login == "admin"))
        created = load_demo(db, types, root, owner)
        field = db.scalar(select(types["procedure"].model.field).limit(1))
    return app, engine, created, field


def cold(app):
    """The same app with its anonymous block and page caches emptied before every
    request: what a page costs when it has to be built (after any content change)."""
    cache = app.registry["portal.block_cache"]

    def wsgi(environ, start_response):
        cache.clear()
        return app(environ, start_response)

    return wsgi


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="timed in-process requests per page")
    parser.add_argument("--wrk-seconds", type=int, default=5, help="duration of each wrk run")
    args = parser.parse_args(argv)
    n = max(1, args.requests)
    warmup = min(100, n)
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
        app, engine, created, field = build_demo_portal(workdir)
        print(f"demo content: {created} items")
        from urllib.parse import quote

        pages = {
            "floor": (floor_app, floor_engine, floor_path),
            "article": (app, engine, "/tin-tuc/cai-cach-hanh-chinh/cchc-05/"),
            "procedures": (app, engine, "/thu-tuc-hanh-chinh"),
            "procedures?field": (app, engine, "/thu-tuc-hanh-chinh?field=" + quote(field or "")),
            "legal documents": (app, engine, "/van-ban"),
            "home": (app, engine, "/"),
            "article, cold": (cold(app), engine, "/tin-tuc/cai-cach-hanh-chinh/cchc-05/"),
            "procedures, cold": (cold(app), engine, "/thu-tuc-hanh-chinh"),
            "legal docs, cold": (cold(app), engine, "/van-ban"),
            "home, cold": (cold(app), engine, "/"),
        }
        try:
            results: dict[str, dict] = {}
            for name, (wsgi, eng, path) in pages.items():
                env = base_environ(path.split("?")[0])
                if "?" in path:
                    env["QUERY_STRING"] = path.split("?", 1)[1]
                status, body = call(wsgi, env)
                if status != "200 OK":
                    text = body[:1500].decode(errors="replace")
                    raise SystemExit(f"{name}: GET {path} -> {status}\n{text}")
                results[name] = {
                    "path": path,
                    "bytes": len(body),
                    "statements": len(count_statements(eng, wsgi, env)),
                    "env": env,
                }
            targets = {name: (pages[name][0], r["env"]) for name, r in results.items()}
            for name, timing in time_requests(targets, n, warmup).items():
                results[name].update(timing)
            if have_wrk:
                for name, (wsgi, _eng, path) in pages.items():
                    results[name]["wrk"] = bench_wrk(wsgi, path, args.wrk_seconds)
        finally:
            app.registry["portal.view_counter"].close()
            engine.dispose()
            floor_engine.dispose()

    floor = results["floor"]
    print(f"\nin-process, {n} requests after {warmup} warm-up (median of rounds):")
    print(f"{'page':<18}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'x floor':>9}{'SQL':>5}{'KB':>7}")
    for name, r in results.items():
        ratio = r["rps"] / floor["rps"]
        print(
            f"{name:<18}{r['rps']:>9.0f}{r['p50_ms']:>9.2f}{r['p95_ms']:>9.2f}"
            f"{ratio:>9.2f}{r['statements']:>5}{r['bytes'] / 1024:>7.1f}"
        )
    if have_wrk:
        print(f"\nover HTTP (waitress, wrk {args.wrk_seconds} s each):")
        for name, r in results.items():
            w = r["wrk"]
            print(f"{name:<18}{w['rps']:>9.0f} req/s{w['rps'] / floor['wrk']['rps']:>9.2f} x floor")
    else:
        print("\n(wrk not installed: HTTP figures skipped; apt-get install wrk)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
