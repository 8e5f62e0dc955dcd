"""Seeded, deterministic train/val/test splits that keep duplicate clusters together and give small datasets at
least one val/test example when they can."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from config.errors import UserError

SPLITS = ("train", "val", "test")
DEFAULT_SPLIT = "80/10/10"
DEFAULT_SEED = 42


class SplitError(UserError, ValueError):
    """A bad --split value."""


def parse_split(spec: str) -> tuple[int, int, int]:
    """'80/10/10' -> (80, 10, 10): three whole percentages summing to 100, with a non-zero train share."""
    if not re.fullmatch(r"\s*\d{1,3}\s*/\s*\d{1,3}\s*/\s*\d{1,3}\s*", spec or ""):
        raise SplitError(f"--split must look like 80/10/10 (train/val/test percentages), not {spec!r}")
    a, b, c = (int(x) for x in spec.split("/"))
    if a + b + c != 100:
        raise SplitError(f"--split percentages must add up to 100, got {a}+{b}+{c}={a + b + c}")
    if a == 0:
        raise SplitError("--split needs a non-zero train share")
    return a, b, c


def _counts(n: int, ratios: tuple[int, int, int]) -> tuple[int, int, int]:
    _, v, t = ratios
    n_val = round(n * v / 100)
    n_test = round(n * t / 100)
    # Small datasets: one test example from 2 groups, one val example from 3, but train always keeps one.
    if t and n_test == 0 and n >= 2:
        n_test = 1
    if v and n_val == 0 and n >= 3:
        n_val = 1
    while n_val + n_test > n - 1 and (n_val or n_test):
        if n_val >= n_test and n_val:
            n_val -= 1
        else:
            n_test -= 1
    return n - n_val - n_test, n_val, n_test


def assign_splits(group_keys: Sequence[str], ratios: tuple[int, int, int], seed: int) -> list[str]:
    """The split of each record. Records with the same group key (a duplicate cluster) share a split.

    Groups are ordered by sha256(seed, key) and cut by the ratios: the result depends only on the content and the
    seed (not on file order), and a record keeps its split when other records are added to a later version.
    """
    groups = list(dict.fromkeys(group_keys))
    order = sorted(groups, key=lambda g: hashlib.sha256(f"{seed}\x1f{g}".encode()).hexdigest())
    n_train, n_val, _ = _counts(len(order), ratios)
    split_of: dict[str, str] = {}
    for pos, g in enumerate(order):
        split_of[g] = "train" if pos < n_train else ("val" if pos < n_train + n_val else "test")
    return [split_of[k] for k in group_keys]
