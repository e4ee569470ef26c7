"""Search engines side by side: indexing rate and query latency with highlights.

A deterministic Vietnamese document generator (seeded), N documents indexed through
each engine's ``apply`` in batches of 1,000, then the same queries typed without
diacritics (at least 200) timed one by one as an anonymous visitor, the way
/tim-kiem runs them: first page with highlighted snippets and the facet counts (type,
field, agency, year). Suggestions as you type (a prefix of the same queries) are
timed too.

    python bench/bench_search.py [--docs 10000] [--queries 200] [--engines tantivy whoosh]

The engines alone (no HTTP, no database).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.text import fold  # noqa: E402
from search.analysis import parse_query  # noqa: E402
from search.engine import Access, IndexDocument, make_engine  # noqa: E402

WORDS = (
    "thủ tục hành chính đăng ký khai sinh kết hôn hộ tịch chứng thực bản sao giấy tờ "
    "ủy ban nhân dân phường xã huyện tỉnh quyết định thông báo kế hoạch triển khai "
    "công dân doanh nghiệp đất đai xây dựng giấy phép cấp đổi căn cước cư trú thường trú "
    "tạm trú lệ phí hồ sơ trực tuyến dịch vụ công nộp kết quả giải quyết thời hạn ngày "
    "làm việc cơ quan thực hiện lĩnh vực văn bản nghị định thông tư luật hướng dẫn"
).split()
FIELDS = ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Cư trú", "Kinh tế"]
AGENCIES = ["UBND phường", "UBND quận", "Công an phường", "Sở Tư pháp"]


def documents(n: int, seed: int = 4):
    rnd = random.Random(seed)
    for i in range(1, n + 1):
        title = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(5, 12))).capitalize()
        body = ". ".join(
            " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 20))) for _ in range(rnd.randint(5, 30))
        )
        yield IndexDocument(
            id=i, site_id=1, path=f"/muc-{i % 50}/bai-{i}/", type=rnd.choice(["news", "procedure", "page"]),
            title=title, body=body, public=rnd.random() > 0.1, field=rnd.choice(FIELDS),
            agency=rnd.choice(AGENCIES), year=rnd.randint(2015, 2025),
        )  # fmt: skip


def queries(n: int, seed: int = 5) -> list[str]:
    rnd = random.Random(seed)
    return [fold(" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 4)))).lower() for _ in range(n)]


def run(name: str, n: int, nq: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(name, Path(tmp) / name)
        docs = list(documents(n))
        start = time.perf_counter()
        with engine.writer_lock() as _:
            for i in range(0, n, 1000):
                engine.apply(docs[i : i + 1000], [])
        took = time.perf_counter() - start
        access = Access(now=int(time.time()))
        texts = queries(nq)
        times, found = [], 0
        for q in texts:
            t = time.perf_counter()
            results = engine.search(parse_query(q), site_id=1, access=access, per_page=10, facets=True)
            times.append((time.perf_counter() - t) * 1000)
            found += bool(results.hits and results.hits[0].snippet_html and results.facets)
        typed = []
        for q in texts:
            prefix = q[: max(2, len(q) - 2)]  # a word still being typed
            t = time.perf_counter()
            engine.suggest_titles(prefix, site_id=1, access=access, limit=8)
            typed.append((time.perf_counter() - t) * 1000)
        print(
            f"{name:8} {n:>7} docs  {n / took:8.0f} docs/s   {len(texts)} queries ({found} with hits): "
            f"median {statistics.median(times):7.1f} ms  p95 {p95(times):7.1f} ms   "
            f"suggestions: median {statistics.median(typed):6.1f} ms  p95 {p95(typed):6.1f} ms",
            flush=True,
        )


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000, help="documents to index (N)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--engines", nargs="+", default=["tantivy", "whoosh"])
    args = parser.parse_args()
    # Other work on the machine slows every figure: say how busy it was.
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average at start {load}", flush=True)
    for name in args.engines:
        run(name, args.docs, args.queries)


if __name__ == "__main__":
    main()
