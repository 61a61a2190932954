"""Run every benchmark (or those named) and print one table of ratios against targets."""

import argparse
import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import stack  # noqa: E402
from bench.common import print_rows  # noqa: E402

BENCHES = [
    "render",
    "issuance",
    "verify",
    "download",
    "attempt",
    "exam_load",
    "broker",
    "report_figures",
    "login_storm",
    "sitting_papers",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (of {BENCHES})")
    names = parser.parse_args().names or BENCHES
    # Every benchmark uses bench/settings.py and the cbec_bench database (bench/stack.py).
    stack.apply_env()
    rows = []
    for name in names:
        started = time.perf_counter()
        print(f"-- {name} …", file=sys.stderr, flush=True)
        rows += importlib.import_module(f"bench.{name}").run()
        print(f"-- {name} took {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print_rows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
