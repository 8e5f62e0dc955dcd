"""`make bench`: run every benchmark and print its table (python -m bench [name ...])."""

from __future__ import annotations

import importlib
import sys

BENCHES = ["bench_import", "bench_routing", "bench_pii", "bench_vectors"]


def main(argv: list[str]) -> None:
    names = argv or BENCHES
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        module.main([])


if __name__ == "__main__":
    main(sys.argv[1:])
