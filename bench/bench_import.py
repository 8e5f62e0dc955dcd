"""Benchmark: CSV import rate of sales rows into the embedded PostgreSQL (COPY + upsert), median of runs."""

from __future__ import annotations

import csv
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.common import bench_database, print_table

ROWS = 100_000
RUNS = 3


def write_files(folder: Path, rows: int, seed: int = 1) -> dict[str, Path]:
    rng = random.Random(seed)
    stores = [f"S{i:02d}" for i in range(20)]
    skus = [f"SKU-{i:04d}" for i in range(300)]
    paths = {name: folder / f"{name}.csv" for name in ("stores", "products", "sales")}
    with paths["stores"].open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["store_code", "name", "city", "state"])
        w.writerows([s, f"Store {s}", "Portland", "OR"] for s in stores)
    with paths["products"].open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["sku", "name", "category", "brand", "unit_price"])
        w.writerows([s, f"Product {s}", "frames", "House", "120.00"] for s in skus)
    with paths["sales"].open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["order_id", "sold_at", "store_code", "sku", "quantity", "unit_price", "discount"])
        start = date(2025, 1, 1)
        for i in range(rows):
            w.writerow([f"O{i:08d}", (start + timedelta(days=i % 600)).isoformat(), rng.choice(stores),
                        rng.choice(skus), rng.randint(1, 3), "120.00", "0"])
    return paths


def main(argv: list[str] | None = None) -> list[list[str]]:
    from db import registry
    from db.importer import import_csv

    results = []
    with bench_database("bench_import"), tempfile.TemporaryDirectory() as tmp:
        paths = write_files(Path(tmp), ROWS)
        fresh, again = [], []
        for run in range(RUNS):
            tenant = registry.add_tenant(f"bench-{run}", f"Bench {run}")
            import_csv("stores", paths["stores"], tenant.id)
            import_csv("products", paths["products"], tenant.id)
            t0 = time.perf_counter()
            import_csv("sales", paths["sales"], tenant.id)
            fresh.append(ROWS / (time.perf_counter() - t0))
            t0 = time.perf_counter()
            import_csv("sales", paths["sales"], tenant.id)  # idempotent re-import: upsert of every row
            again.append(ROWS / (time.perf_counter() - t0))
        results.append(["sales import (new rows)", f"{ROWS:,}", f"{statistics.median(fresh):,.0f}", ">= 50,000"])
        results.append(["sales re-import (upsert)", f"{ROWS:,}", f"{statistics.median(again):,.0f}", "-"])
    print_table(f"CSV import (median of {RUNS} runs, rows/s)", ["case", "rows", "rows/s", "target"], results)
    return results


if __name__ == "__main__":
    main()
