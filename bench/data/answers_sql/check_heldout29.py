"""Independent check of the SQL held-out set 29: each labelled answer is worked out again from the CSV files.

python bench/data/answers_sql/check_heldout29.py [-v]

Contract: the method of check_heldout27.py, reused rather than copied: for every case of heldout29.jsonl with a `calc`
label, the answer is derived from the tenant's five CSV files by that script's own pandas code (a fact table per
measure, one reducer per measure, one `groupby` per label, never the SQL tool nor the helpers of
`bench.bench_answers`) and held against `bench.bench_answers.expected_sql`; the labels are checked first (ids
`h29-NNN`, each once; a registered tenant; refusals without a calc; filter values the data holds; no period on a
stock, patient or catalogue measure; periods as two ISO dates in order; `within` as the first of two dimensions; no
first-turn question worded as one of another case file in this folder). Each problem is one line starting LABEL or
DISAGREE, then a summary line; the exit status is 1 when there was any problem, else 0. `main(path=...)` checks
another file.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import check_heldout27 as method  # noqa: E402  (the recomputation and the label checks)

CASES = HERE / "heldout29.jsonl"
PREFIX = "h29-"


def main(path: Path = CASES, verbose: bool = False) -> int:
    return method.main(path=path, verbose=verbose, prefix=PREFIX)


if __name__ == "__main__":
    sys.exit(main(verbose="-v" in sys.argv[1:]))
