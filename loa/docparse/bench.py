"""`make bench`: parse time per document (median over N parses of each sample) and documents per
second over the whole shared/data/vn_admin_docs folder. Prints figures; asserts nothing."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from . import parse_text
from .readers import read_path

REPO = Path(__file__).resolve().parents[2]


def _time_parse(text: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        parse_text(text).to_dict()
        times.append(time.perf_counter() - t0)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loa.docparse.bench")
    parser.add_argument("--runs", type=int, default=200)
    shared = Path(os.environ.get("LOA_SHARED_DIR", REPO.parent / "shared"))
    parser.add_argument("--docs", type=Path, default=shared / "data" / "vn_admin_docs" / "docs")
    args = parser.parse_args(argv)

    print(f"Python {sys.version.split()[0]}, one process, one core; {args.runs} parses per sample")
    samples = sorted((REPO / "loa" / "samples" / "plans").glob("*.txt"))
    for path in samples:
        text = read_path(path).text
        parse_text(text)  # warm up regex caches
        times = _time_parse(text, args.runs)
        print(
            f"  {path.name:<55} {len(text.encode()) / 1024:6.1f} KB  median {statistics.median(times) * 1000:6.2f} ms"
            f"  p95 {sorted(times)[int(len(times) * 0.95) - 1] * 1000:6.2f} ms"
        )
    if args.docs.is_dir():
        files = sorted(args.docs.glob("*.txt"))
        texts = [read_path(p).text for p in files]
        total = sum(len(t.encode()) for t in texts)
        t0 = time.perf_counter()
        for t in texts:
            parse_text(t).to_dict()
        elapsed = time.perf_counter() - t0
        print(
            f"  vn_admin_docs: {len(files)} documents, {total / 1048576:.2f} MB in {elapsed:.2f} s"
            f" → {len(files) / elapsed:.1f} documents/s, {total / 1048576 / elapsed:.2f} MB/s"
        )
    else:
        print(f"  vn_admin_docs not found at {args.docs}: skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
