"""Benchmark the reader on every fixture with an expected JSON: per document and format, the
seconds one reading takes and the share of fields read right; the seed's median against its
targets; OCR time per page reported apart (a scan of the seed, when Tesseract is installed).

Run from the project root: DEBUG=1 .venv/bin/python bench/parse_seed.py [--runs 20] [--ocr]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from partrack.documents import libreoffice
from partrack.documents.errors import DocumentError
from partrack.documents.reading import convert, read_plan

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SEED = DATA / "seed-plan"
NAME = "ke-hoach-cchc-2026-skhcn-phu-tho"
TARGETS_MS = {"docx": 100, "pdf": 1000, "xlsx": 100}
FORMATS = ("docx", "pdf", "xlsx", "doc", "odt")
TASK_FIELDS = (
    "no", "content", "product", "lead", "coordinators", "deadline_text", "due_date",
    "deadline_kind", "note",
)  # fmt: skip


def squashed(value):
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return [squashed(item) for item in value]
    if isinstance(value, dict):
        return {key: squashed(item) for key, item in value.items()}
    return value


def fields_right(actual, expected):
    """(right, total) over the expected plan facts and every expected task's fields."""
    right = total = 0
    for key, value in expected.get("plan", {}).items():
        if isinstance(value, dict | str | int) and key in actual["plan"]:
            total += 1
            right += squashed(actual["plan"].get(key)) == squashed(value)
    if isinstance(expected.get("sections", [None])[0], dict):
        tasks = [t for section in expected["sections"] for t in section["tasks"]]
        found = [t for section in actual["sections"] for t in section["tasks"]]
        for index, task in enumerate(tasks):
            got = found[index] if index < len(found) else {}
            for key in TASK_FIELDS:
                if key in task:
                    total += 1
                    right += squashed(got.get(key)) == squashed(task[key])
    else:  # corpus: hand-checked tasks by their index, and the count of tasks
        found = [t for section in actual["sections"] for t in section["tasks"]]
        if "task_count" in expected:  # absent where only a part of the document is checked
            total += 1
            right += len(found) == expected["task_count"]
        for index, task in expected["tasks"].items():
            got = found[int(index)] if int(index) < len(found) else {}
            for key, value in task.items():
                total += 1
                right += squashed(got.get(key)) == squashed(value)
    return right, total


def cases():
    """(label, path, expected JSON) of every fixture with an expected JSON."""
    expected = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))
    for extension in FORMATS:
        yield f"seed-plan/{NAME}", extension, SEED / f"{NAME}.{extension}", expected
    for folder in ("shapes", "corpus"):
        for json_path in sorted((DATA / folder).glob("*.json")):
            wanted = json.loads(json_path.read_text(encoding="utf-8"))
            for extension in ("docx", "pdf"):
                path = json_path.with_suffix(f".{extension}")
                yield f"{folder}/{json_path.stem}", extension, path, wanted


def measure(path):
    started = time.perf_counter()
    plan = read_plan(path)
    return time.perf_counter() - started, plan


def median_ms(data, runs):
    read_plan(data)  # warm up: imports and caches are not what is measured
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        read_plan(data)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def ocr_scan_of_the_seed():
    """Read a scan of the seed (its PDF rendered at 200 dpi, grey JPEG, no text layer) and
    print the OCR's seconds per page apart from the rest of the reading, and the fields right."""
    if not convert.can_ocr():
        print("OCR: Tesseract or pdftoppm is not installed")
        return
    import django
    import pdfplumber

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partrack.settings")
    django.setup()  # the demo's units, the agency's names a scan's leads are matched to
    sys.path.insert(0, str(DATA.parent.parent))
    from partrack.documents.reading import pdf as pdf_reader
    from partrack.plans.demo import UNITS
    from tests.documents.reading_support import scanned_copy

    ocr_seconds = []
    real_ocr = pdf_reader.ocr_pages

    def timed_ocr(data, work):
        started, cpu = time.perf_counter(), _children_cpu()
        try:
            return real_ocr(data, work)
        finally:
            ocr_seconds.append((time.perf_counter() - started, _children_cpu() - cpu))

    pdf_reader.ocr_pages = timed_ocr
    with tempfile.TemporaryDirectory() as folder:
        scan = scanned_copy(Path(folder))
        with pdfplumber.open(scan) as pdf:
            pages = len(pdf.pages)
        names = [name for unit in UNITS for name in (unit[0], *unit[3])]
        started = time.perf_counter()
        plan = read_plan(scan, known_names=lambda: names)
        seconds = time.perf_counter() - started
    expected = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))
    right, total = fields_right(plan.to_json() | {"plan": plan.to_plan_data()["plan"]}, expected)
    ocr, cpu = (sum(part) for part in zip(*ocr_seconds, strict=True))
    print(
        f"OCR scan of the seed ({pages} pages, 200 dpi): OCR {ocr:.1f} s, {ocr / pages:.1f} s "
        f"per page ({cpu / pages:.1f} s of processor time per page in pdftoppm and tesseract); "
        f"the rest of the reading {seconds - ocr:.1f} s; fields right {right}/{total} "
        f"({100 * right / total:.1f}%)"
    )


def _children_cpu():
    """Processor seconds the programs this process ran have used (OCR runs in them)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="parses of the seed per format")
    parser.add_argument("--ocr", action="store_true", help="also OCR a scan of the seed (slow)")
    args = parser.parse_args(argv)

    print(f"{'document':62} {'format':6} {'seconds':>8} {'fields right':>16}")
    for label, extension, path, expected in cases():
        if not path.exists():
            continue
        if extension in ("doc", "odt") and not libreoffice.program():
            print(f"{label:62} {extension:6} {'—':>8} {'no LibreOffice':>16}")
            continue
        try:
            seconds, plan = measure(path)
        except DocumentError as error:
            print(f"{label:62} {extension:6} {'—':>8} {error.message[:40]}")
            continue
        right, total = fields_right(
            plan.to_json() | {"plan": plan.to_plan_data()["plan"]}, expected
        )
        share = f"{right}/{total} {100 * right / max(total, 1):5.1f}%"
        print(f"{label:62} {extension:6} {seconds:8.2f} {share:>16}")

    within = True
    print()
    for extension, target in TARGETS_MS.items():
        median = median_ms((SEED / f"{NAME}.{extension}").read_bytes(), args.runs)
        verdict = "ok" if median < target else "OVER TARGET"
        within = within and median < target
        print(f"seed {extension:5} median {median:7.1f} ms  (target < {target} ms)  {verdict}")

    if args.ocr:
        ocr_scan_of_the_seed()
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
