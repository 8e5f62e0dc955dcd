"""`make bench`: run every benchmark and print its table (python -m bench [name [--flag ...]] ...).

A name is a module of BENCHES with or without its `bench_` prefix; the arguments after it, up to the next name, go to
that benchmark (`python -m bench training --steps 5`).
"""

from __future__ import annotations

import importlib
import sys

BENCHES = ["bench_import", "bench_routing", "bench_pii", "bench_vectors", "bench_training", "bench_answers",
           "bench_turns"]


def _module(arg: str) -> str | None:
    name = arg if arg.startswith("bench_") else f"bench_{arg}"
    return name if name in BENCHES else None


def main(argv: list[str]) -> None:
    runs: list[tuple[str, list[str]]] = []
    for arg in argv:
        name = _module(arg)
        if name is not None:
            runs.append((name, []))
        elif runs:
            runs[-1][1].append(arg)
        else:
            raise SystemExit(f"unknown benchmark {arg!r}: choose from {', '.join(BENCHES)}")
    for name, args in runs or [(name, []) for name in BENCHES]:
        module = importlib.import_module(f"bench.{name}")
        module.main(args)


if __name__ == "__main__":
    main(sys.argv[1:])
