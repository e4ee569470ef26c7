"""How fast does the portal serve a page, compared with the cheapest app on the same stack?

One run builds two apps on fresh SQLite files in a temporary directory:

* the PORTAL: ``portal.make_config`` on a freshly initialised site holding eight
  published top-level folders and a published ~3 KB Vietnamese page inside one
  of them; the anonymous GET of that page's URL is measured;
* the FLOOR: a bare Pyramid app on the same stack (pyramid_jinja2, pyramid_tm,
  pyramid_retry, zope.sqlalchemy, a request-scoped session, the same SQLite
  engine set-up) with one route that loads one row (title + body) by primary
  key and renders it through a small Jinja2 layout (header, eight nav links,
  article). No caching anywhere.

It times both in-process (the WSGI callable with a minimal environ), then, if
``wrk`` is installed, over HTTP with waitress on loopback, and prints the
ratios and the portal's SQL statements for one request. ``--profile N`` adds a
cProfile of N portal requests.

    python bench/bench_page.py [--requests 2000] [--wrk-seconds 10] [--profile 0]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import logging
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib.metadata import version
from pathlib import Path

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPNotFound
from sqlalchemy import String, Text, event, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from zope.sqlalchemy import register

from portal import bootstrap, make_config, tree
from portal.db import make_engine
from portal.models import Node, User, utcnow
from portal.settings import resolve

HOST = "localhost"

FOLDERS = [
    ("Giới thiệu", "Chức năng, nhiệm vụ và cơ cấu tổ chức của Ủy ban nhân dân phường."),
    ("Tin tức - Sự kiện", "Hoạt động của chính quyền và đời sống nhân dân trên địa bàn."),
    ("Hướng dẫn thủ tục", "Hướng dẫn thủ tục, hồ sơ, lệ phí và thời hạn giải quyết."),
    ("Văn bản pháp luật", "Văn bản quy phạm pháp luật và văn bản chỉ đạo, điều hành."),
    ("Thông báo", "Thông báo, kế hoạch và lịch làm việc của Ủy ban nhân dân."),
    ("Lịch công tác", "Lịch công tác tuần của lãnh đạo Ủy ban nhân dân phường."),
    ("Hỏi đáp", "Giải đáp thắc mắc của người dân và doanh nghiệp."),
    ("Liên hệ", "Địa chỉ, điện thoại và thư điện tử của các bộ phận."),
]
# The page lives in "Hướng dẫn thủ tục" (not /thu-tuc-hanh-chinh: that becomes the
# procedure catalogue's fixed route).
PAGE_FOLDER = 2

PAGE_TITLE = "Hướng dẫn thủ tục đăng ký khai sinh"
PAGE_DESCRIPTION = "Hồ sơ, trình tự, thời hạn và lệ phí đăng ký khai sinh tại Ủy ban nhân dân phường."
PAGE_BODY = """\
<p>Việc đăng ký khai sinh là quyền và nghĩa vụ của cha, mẹ. Trong thời hạn 60 ngày kể từ ngày sinh \
con, cha hoặc mẹ có trách nhiệm đăng ký khai sinh cho con; trường hợp cha, mẹ không thể đăng ký khai \
sinh cho con thì ông hoặc bà hoặc người thân thích khác hoặc cá nhân, tổ chức đang nuôi dưỡng trẻ em \
có trách nhiệm đăng ký khai sinh cho trẻ em.</p>
<h2>1. Thành phần hồ sơ</h2>
<ul>
<li>Tờ khai đăng ký khai sinh theo mẫu;</li>
<li>Giấy chứng sinh do cơ sở y tế cấp; nếu không có giấy chứng sinh thì nộp văn bản của người làm \
chứng xác nhận về việc sinh;</li>
<li>Giấy tờ tùy thân của người đi đăng ký (căn cước hoặc hộ chiếu còn giá trị sử dụng);</li>
<li>Giấy chứng nhận kết hôn của cha, mẹ (nếu có), để đối chiếu.</li>
</ul>
<h2>2. Trình tự thực hiện</h2>
<ol>
<li>Người đi đăng ký nộp hồ sơ tại Bộ phận Một cửa của Ủy ban nhân dân phường hoặc nộp trực tuyến \
trên Cổng Dịch vụ công quốc gia.</li>
<li>Công chức tư pháp - hộ tịch kiểm tra hồ sơ; nếu hồ sơ đầy đủ, hợp lệ thì ghi vào Sổ đăng ký khai \
sinh và báo cáo Chủ tịch Ủy ban nhân dân cấp Giấy khai sinh.</li>
<li>Người đi đăng ký kiểm tra nội dung Giấy khai sinh, ký vào Sổ đăng ký khai sinh và nhận kết \
quả.</li>
</ol>
<h2>3. Thời hạn và lệ phí</h2>
<p>Thủ tục được giải quyết ngay trong ngày tiếp nhận hồ sơ; trường hợp nhận hồ sơ sau 15 giờ mà \
không giải quyết được ngay thì trả kết quả trong ngày làm việc tiếp theo. Đăng ký khai sinh đúng hạn \
được miễn lệ phí.</p>
<table>
<thead><tr><th scope="col">Nội dung</th><th scope="col">Thời gian</th></tr></thead>
<tbody>
<tr><td>Tiếp nhận hồ sơ</td><td>Sáng: 7 giờ 30 - 11 giờ 30; chiều: 13 giờ 30 - 17 giờ</td></tr>
<tr><td>Ngày làm việc</td><td>Thứ Hai đến thứ Sáu và sáng thứ Bảy</td></tr>
</tbody>
</table>
<h2>4. Lưu ý</h2>
<p>Họ, chữ đệm và tên của trẻ phải bảo đảm tuân thủ pháp luật, phù hợp với truyền thống văn hóa, \
phong tục tập quán của dân tộc. Mọi thắc mắc xin liên hệ Bộ phận Một cửa hoặc gọi đường dây nóng \
của phường để được hướng dẫn.</p>
"""

# ---------------------------------------------------------------------------
# The floor: the cheapest honest app on the portal's stack.
# ---------------------------------------------------------------------------

FLOOR_BASE = """\
<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ article.title }} · {{ site_name }}</title>
  <link rel="stylesheet" href="/static/site.css">
</head>
<body>
  <header class="site-header">
    <a class="brand" href="/"><span class="brand-name">{{ site_name }}</span></a>
    <nav class="main-nav">
      <ul>
        <li><a href="/">Trang chủ</a></li>
        {% for title, url in nav %}<li><a href="{{ url }}">{{ title }}</a></li>
        {% endfor %}
      </ul>
    </nav>
  </header>
  <main id="noi-dung">{% block content %}{% endblock %}</main>
  <footer class="site-footer"><p>{{ site_name }}</p></footer>
</body>
</html>
"""

FLOOR_ARTICLE = """\
{% extends "base.html" %}
{% block content %}
<article class="document">
  <h1>{{ article.title }}</h1>
  <div class="body">{{ article.body|safe }}</div>
</article>
{% endblock %}
"""

FLOOR_NAV = [(title, f"/muc-{i}/") for i, (title, _desc) in enumerate(FOLDERS)]


class FloorBase(DeclarativeBase):
    pass


class Article(FloorBase):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)


def floor_view(request):
    article = request.dbsession.get(Article, int(request.matchdict["id"]))
    if article is None:
        raise HTTPNotFound()
    return {"article": article, "nav": FLOOR_NAV, "site_name": "Phường Thử Nghiệm"}


def build_floor(workdir: Path):
    """Return (wsgi app, engine, path of the article)."""
    templates = workdir / "templates"
    templates.mkdir()
    (templates / "base.html").write_text(FLOOR_BASE, encoding="utf-8")
    (templates / "article.html").write_text(FLOOR_ARTICLE, encoding="utf-8")

    # The portal's engine helper, for the same SQLite pragmas and explicit BEGIN.
    engine = make_engine(f"sqlite:///{workdir / 'floor.sqlite'}")
    FloorBase.metadata.create_all(engine)
    with Session(engine) as db, db.begin():
        db.add(Article(id=1, title=PAGE_TITLE, body=PAGE_BODY))

    factory = sessionmaker(bind=engine, expire_on_commit=False)

    def dbsession(request) -> Session:
        session = factory(info={"request": request})
        register(session, transaction_manager=request.tm)
        return session

    settings = {
        "jinja2.directories": str(templates),
        "tm.annotate_user": "false",
        "retry.attempts": "3",
        "pyramid.reload_templates": "false",
    }
    config = Configurator(settings=settings)
    config.include("pyramid_tm")
    config.include("pyramid_retry")
    config.include("pyramid_jinja2")
    config.add_jinja2_renderer(".html")
    config.add_request_method(dbsession, reify=True)
    config.add_route("article", "/bai-viet/{id}")
    config.add_view(floor_view, route_name="article", renderer="article.html")
    return config.make_wsgi_app(), engine, "/bai-viet/1"


# ---------------------------------------------------------------------------
# The portal: a fresh site with realistic navigation and one page.
# ---------------------------------------------------------------------------


def build_portal(workdir: Path):
    """Return (wsgi app, engine, path of the page)."""
    data_dir = workdir / "portal-data"
    settings = resolve(
        {
            "portal.data_dir": str(data_dir),
            "sqlalchemy.url": f"sqlite:///{data_dir / 'portal.sqlite'}",
            "portal.secret": "bench-secret-not-for-production",
            "portal.site_name": "Phường Thử Nghiệm",
            "portal.site_level": "Ủy ban nhân dân phường",
            "portal.site_address": "Số 1 đường Thử, phường Thử Nghiệm",
            "portal.site_hotline": "0251 3800 100",
            "portal.site_email": "ubnd@thunghiem.gov.vn",
        },
        environ={},
    )
    data_dir.mkdir(parents=True)
    engine = make_engine(settings["sqlalchemy.url"])
    bootstrap.initialise(settings, engine, admin_password="bench-admin-password")
    app = make_config({**settings, "portal.db_bind": engine}).make_wsgi_app()
    types = app.registry["portal.types"]

    now = utcnow()
    yesterday = now - dt.timedelta(days=1)
    with Session(engine) as db, db.begin():
        root = db.scalar(select(Node).where(Node.parent_id.is_(None)))
        owner_id = db.scalar(select(User.id).where(User.login == "admin"))
        common = {"state": "published", "owner_id": owner_id, "created": yesterday, "modified": yesterday}
        folders = []
        for title, description in FOLDERS:
            folder = types["folder"].model(
                title=title, description=description, effective=yesterday, **common
            )
            folders.append(tree.add_child(db, root, folder))
        page = types["page"].model(
            title=PAGE_TITLE, description=PAGE_DESCRIPTION, body=PAGE_BODY, effective=yesterday, **common
        )
        tree.add_child(db, folders[PAGE_FOLDER], page)
        path = page.path
    return app, engine, path


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


def base_environ(path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": HOST,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": HOST,
        "HTTP_ACCEPT": "text/html",
        "HTTP_USER_AGENT": "bench_page",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


def call(app, environ: dict) -> tuple[str, bytes]:
    env = dict(environ)
    env["wsgi.input"] = io.BytesIO(b"")
    status: list[str] = []

    def start_response(s, headers, exc_info=None):
        status.append(s)
        return lambda data: None

    result = app(env, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return status[0], body


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    k = max(0, min(len(sorted_values) - 1, round(q / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def summarise(times: list[float]) -> dict:
    times = sorted(times)
    mean = statistics.fmean(times)
    return {
        "mean_ms": mean * 1000,
        "p50_ms": percentile(times, 50) * 1000,
        "p95_ms": percentile(times, 95) * 1000,
        "rps": 1 / mean,
    }


def time_requests(targets: dict[str, tuple], n: int, warmup: int, rounds: int = 10) -> dict[str, dict]:
    """Time n requests per app, alternating between the apps in rounds.

    Interleaving keeps a burst of load from elsewhere on the machine from
    landing on one app only, which would skew the ratio.
    """
    for app, environ in targets.values():
        for _ in range(warmup):
            call(app, environ)
    times: dict[str, list[float]] = {name: [] for name in targets}
    statuses: set[str] = set()
    clock = time.perf_counter
    rounds = max(1, min(rounds, n))
    for r in range(rounds):
        size = n // rounds + (1 if r < n % rounds else 0)
        for name, (app, environ) in targets.items():
            out = times[name]
            for _ in range(size):
                t0 = clock()
                status, _body = call(app, environ)
                out.append(clock() - t0)
                statuses.add(status)
    if statuses != {"200 OK"}:
        raise SystemExit(f"unexpected statuses while timing: {sorted(statuses)}")
    return {name: summarise(values) for name, values in times.items()}


def describe_checkout(root: Path) -> str:
    try:
        rev = subprocess.run(
            ["git", "-C", str(root), "describe", "--always", "--dirty"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return rev


def count_statements(engine, app, environ: dict) -> list[str]:
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        call(app, environ)
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)
    return statements


class Server:
    """waitress on 127.0.0.1, an ephemeral port, in a daemon thread."""

    def __init__(self, app, threads: int = 4):
        from webtest.http import StopableWSGIServer

        from portal.server import KeepAliveChannel

        # With more connections than threads waitress warns on every queued request.
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        self.server = StopableWSGIServer(app, host="127.0.0.1", port=0, threads=threads)
        # The channel `portal serve` uses (keep-alive after 304s), for every app measured.
        self.server.channel_class = KeepAliveChannel
        self.port = self.server.effective_port
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def run_wrk(url: str, seconds: int) -> dict:
    cmd = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    latency = re.search(r"Latency\s+([\d.]+)(us|ms|s|m)\b", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:(.*)", out)
    if rps is None:
        raise SystemExit(f"could not parse wrk output:\n{out}")
    return {
        "rps": float(rps.group(1)),
        "latency_ms": float(latency.group(1)) * _UNITS[latency.group(2)] if latency else float("nan"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "errors": errors.group(1).strip() if errors else "",
    }


def bench_wrk(app, path: str, seconds: int) -> dict:
    with Server(app) as server:
        url = f"http://127.0.0.1:{server.port}{path}"
        run_wrk(url, 1)  # warm-up: open the pool's connections, fill the caches
        return run_wrk(url, seconds)


def profile_portal(app, environ: dict, n: int, roots: list[Path], top: int = 10) -> None:
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        call(app, environ)
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt
    prefixes = tuple(str(r) + os.sep for r in roots)
    rows = []
    for (filename, lineno, func), (_cc, ncalls, _tt, cumtime, _callers) in stats.stats.items():
        if filename.startswith(prefixes):
            rows.append((cumtime, ncalls, f"{Path(filename).relative_to(roots[0].parent)}:{lineno} {func}"))
    rows.sort(reverse=True)
    print(f"\nProfile: {n} portal requests, {total / n * 1000:.2f} ms/request under cProfile")
    print(f"Top {top} cumulative in portal code (ms per request, % of request):")
    for cumtime, ncalls, where in rows[:top]:
        print(f"  {cumtime / n * 1000:7.3f} ms {cumtime / total:6.1%}  {ncalls / n:5.1f} calls  {where}")
    print(f"Top {top} by own time, any code:")
    own = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    for (filename, lineno, func), (_cc, ncalls, tottime, _ct, _callers) in own:
        short = "/".join(Path(filename).parts[-2:]) if filename.startswith("/") else filename
        where = f"{short}:{lineno} {func}"
        print(f"  {tottime / n * 1000:7.3f} ms {tottime / total:6.1%}  {ncalls / n:5.1f} calls  {where}")


# ---------------------------------------------------------------------------


def fmt(value: float, spec: str = ".3f") -> str:
    return format(value, spec)


def print_report(results: dict, n: int, warmup: int, seconds: int, have_wrk: bool) -> None:
    floor, port = results["floor"], results["portal"]
    print(f"\nPortal: GET {port['path']} (anonymous)   Floor: GET {floor['path']}")
    print(f"In-process: {n} requests each, interleaved in rounds, after {warmup} warm-up requests each.")
    header = f"{'':30}{'floor':>10}{'portal':>10}{'ratio':>8}"
    rule = "-" * len(header)
    print(header, rule, sep="\n")

    def row(label: str, f: str, p: str, ratio: str = "") -> None:
        print(f"{label:30}{f:>10}{p:>10}{ratio:>8}")

    for key, label in (("mean_ms", "mean ms/request"), ("p50_ms", "p50 ms"), ("p95_ms", "p95 ms")):
        row(label, fmt(floor[key]), fmt(port[key]), fmt(floor[key] / port[key], ".2f"))
    row(
        "in-process req/s",
        fmt(floor["rps"], ".0f"),
        fmt(port["rps"], ".0f"),
        fmt(port["rps"] / floor["rps"], ".2f"),
    )
    if have_wrk:
        fw, pw = floor["wrk"], port["wrk"]
        row(f"wrk req/s ({seconds}s, -t2 -c8)", fmt(fw["rps"], ".0f"), fmt(pw["rps"], ".0f"),
            fmt(pw["rps"] / fw["rps"], ".2f"))  # fmt: skip
        row("wrk mean latency ms", fmt(fw["latency_ms"], ".2f"), fmt(pw["latency_ms"], ".2f"))
    row("response bytes", str(floor["bytes"]), str(port["bytes"]))
    row("SQL statements/request", str(len(floor["statements"])), str(len(port["statements"])))
    print(rule)
    print("ratio: for times floor/portal, for req/s portal/floor (1.00 = as fast as the floor)")
    print(f"In-process, the portal runs at {floor['mean_ms'] / port['mean_ms']:.2f} of the floor.")
    if have_wrk:
        fw, pw = floor["wrk"], port["wrk"]
        print(f"Over HTTP (waitress, threads=4), it runs at {pw['rps'] / fw['rps']:.2f} of the floor.")
        for name, w in (("floor", fw), ("portal", pw)):
            if w["non_2xx"] or w["errors"]:
                print(f"warning: {name}: {w['non_2xx']} non-2xx responses; socket errors: {w['errors']}")
    else:
        print("wrk is not installed: HTTP throughput skipped (apt-get install wrk to get it).")

    statements = port["statements"]
    print(f"\nSQL statements for one portal request ({len(statements)}):")
    for i, sql in enumerate(statements, 1):
        print(f"  {i:2}. {sql[:150]}{'...' if len(sql) > 150 else ''}")


def check_page(name: str, app, path: str) -> bytes:
    status, body = call(app, base_environ(path))
    if status != "200 OK" or PAGE_TITLE.encode() not in body:
        text = body[:2000].decode(errors="replace")
        raise SystemExit(f"{name}: GET {path} -> {status}\n{text}")
    return body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="timed in-process requests per app")
    parser.add_argument("--wrk-seconds", type=int, default=10, help="duration of each wrk run")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="also cProfile N portal requests")
    args = parser.parse_args(argv)
    n = max(1, args.requests)
    seconds = max(1, args.wrk_seconds)
    warmup = min(200, n)
    have_wrk = shutil.which("wrk") is not None

    import content_types
    import portal

    roots = [Path(portal.__file__).parent, Path(content_types.__file__).parent]
    roots.append(roots[0].parent / "themes")

    print(
        f"Python {platform.python_version()}, Pyramid {version('pyramid')}, "
        f"SQLAlchemy {version('sqlalchemy')}, {os.cpu_count()} CPUs, {platform.machine()}, "
        f"load average {os.getloadavg()[0]:.2f}, portal at {describe_checkout(roots[0].parent)}"
    )
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        workdir = Path(tmp)
        (workdir / "floor").mkdir()
        floor_app, floor_engine, floor_path = build_floor(workdir / "floor")
        portal_app, portal_engine, portal_path = build_portal(workdir)
        apps = {
            "floor": (floor_app, floor_engine, floor_path),
            "portal": (portal_app, portal_engine, portal_path),
        }
        try:
            results: dict[str, dict] = {}
            for name, (app, engine, path) in apps.items():
                body = check_page(name, app, path)
                statements = count_statements(engine, app, base_environ(path))
                results[name] = {"path": path, "bytes": len(body), "statements": statements}
            targets = {name: (app, base_environ(path)) for name, (app, _engine, path) in apps.items()}
            for name, timing in time_requests(targets, n, warmup).items():
                results[name].update(timing)
            if have_wrk:
                for name, (app, _engine, path) in apps.items():
                    results[name]["wrk"] = bench_wrk(app, path, seconds)
            print_report(results, n, warmup, seconds, have_wrk)
            if args.profile > 0:
                profile_portal(portal_app, base_environ(portal_path), args.profile, roots)
        finally:
            portal_engine.dispose()
            floor_engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
