"""Time the readers on the seed plan: the median of 20 parses per format, against the targets.

Run from the project root: DEBUG=1 .venv/bin/python bench/parse_seed.py
"""

import statistics
import time
from pathlib import Path

from partrack.documents.reading import read_plan

SEED = Path(__file__).resolve().parent.parent / "tests" / "data" / "seed-plan"
NAME = "ke-hoach-cchc-2026-skhcn-phu-tho"
RUNS = 20
TARGETS_MS = {"docx": 100, "pdf": 1000, "xlsx": 100}


def median_ms(data):
    read_plan(data)  # warm up: imports and caches are not what is measured
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        read_plan(data)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main():
    within = True
    for extension, target in TARGETS_MS.items():
        median = median_ms((SEED / f"{NAME}.{extension}").read_bytes())
        verdict = "ok" if median < target else "OVER TARGET"
        within = within and median < target
        print(f"{extension:5} median {median:7.1f} ms  (target < {target} ms)  {verdict}")
    return 0 if within else 1


if __name__ == "__main__":
    raise SystemExit(main())
