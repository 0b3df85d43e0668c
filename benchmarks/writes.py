"""What safe writing costs: flashnotes' `replace_file` against a bare write and rename.

    python benchmarks/writes.py                   # 1.5, 4.5 and 45 MB files, 7 runs each
    python benchmarks/writes.py --sizes 4.5 --runs 15

`replace_file` makes its temporary file with mkstemp (a random name, O_EXCL), flushes it
to disk (fsync of the file, then of the folder) and renames it. The baseline opens a
fixed name with `open("w")`, writes, and renames, as flashnotes did before issue 9. The
sizes are those of a 10,000-card project's export record (1.5 MB) and render cache
(4.5 MB), and of a 100,000-card render cache (45 MB). Runs alternate, so machine noise
hits both alike; the table shows medians and their ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from flashnotes.atomic import replace_file

CHUNK = 64 * 1024


def bare(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        for start in range(0, len(data), CHUNK):
            handle.write(data[start : start + CHUNK])
    temporary.replace(path)


def safe(path: Path, data: bytes) -> None:
    def write(handle) -> None:
        for start in range(0, len(data), CHUNK):
            handle.write(data[start : start + CHUNK])

    replace_file(path, write, binary=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1.5,4.5,45", help="file sizes in MB")
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    print(f"replace_file against a bare write and rename, {arguments.runs} runs, medians")
    print()
    print("| size MB | replace_file ms | bare ms | ratio |")
    print("|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="flashnotes-writes-") as folder:
        for size in (float(part) for part in arguments.sizes.split(",")):
            data = os.urandom(int(size * 1024 * 1024))
            timings: dict[str, list[float]] = {"safe": [], "bare": []}
            for _ in range(arguments.runs):
                for name, writer in (("safe", safe), ("bare", bare)):
                    start = time.perf_counter()
                    writer(Path(folder) / f"{name}.bin", data)
                    timings[name].append(time.perf_counter() - start)
            safe_ms = statistics.median(timings["safe"]) * 1000
            bare_ms = statistics.median(timings["bare"]) * 1000
            print(f"| {size:g} | {safe_ms:.1f} | {bare_ms:.1f} | {safe_ms / bare_ms:.2f}× |")


if __name__ == "__main__":
    main()
