"""Benchmark: what measuring a workbook before it is read costs, against the read alone.

    uv run python bench/imports.py --rows 100000     # makes var/bench/units-100000.xlsx (among other things)
    uv run python bench/prescan.py [--file var/bench/units-100000.xlsx] [--runs 5]

Times, in this one process, ``measure.measure_workbook`` (the pre-scan: inflating every part, expat over every
XML part, the limits) and the read it guards (calamine: opening the workbook and turning every sheet into Python
rows, as ``reading.read_sheets`` does after the pre-scan), each ``--runs`` times, alternately. Reports the median
wall and CPU seconds of each and their ratio. Never asserts on times.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")


def timed(action) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", default=str(ROOT / "var" / "bench" / "units-100000.xlsx"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from python_calamine import CalamineWorkbook

    from core.importing import measure

    data = Path(args.file).read_bytes()

    def read():
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for index, _name in enumerate(workbook.sheet_names):
            workbook.get_sheet_by_index(index).to_python(skip_empty_area=False)

    scans, reads = [], []
    for _ in range(args.runs):
        scans.append(timed(lambda: measure.measure_workbook(data)))
        reads.append(timed(read))
    counted = measure.measure_workbook(data)
    scan_wall, scan_cpu = (statistics.median(t[i] for t in scans) for i in (0, 1))
    read_wall, read_cpu = (statistics.median(t[i] for t in reads) for i in (0, 1))
    print(f"file: {Path(args.file).name}, {len(data) / 1e6:.1f} MB packed, {counted.unzipped / 1e6:.1f} MB of parts, "
          f"{counted.cells:,} cells, sheets {counted.sheets}")
    print(f"median of {args.runs} runs    wall s   CPU s")
    print(f"pre-scan (measure)     {scan_wall:7.3f} {scan_cpu:7.3f}")
    print(f"read (calamine)        {read_wall:7.3f} {read_cpu:7.3f}")
    print(f"pre-scan ÷ read        {scan_wall / read_wall:7.2f} {scan_cpu / read_cpu:7.2f}")


if __name__ == "__main__":
    main()
