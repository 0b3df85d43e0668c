"""`flashnotes sync` against the path it replaces, timed side by side in one run.

    python benchmarks/sync.py                     # 10,000 cards, 3 rounds
    python benchmarks/sync.py --size 1000 --runs 5

The path sync replaces: `flashnotes export` and then Anki's own `import_anki_package` of
that package into the collection (run as one Python process, as Anki desktop would).
Every timed run starts from a fresh, empty collection made beforehand (not timed).
"cold" runs start without flashnotes' caches, export record or sync record; "warm" runs
with the render cache. "nothing changed" is a sync right after a first sync. Targets:
first sync ≤ 1.1× export + import (cold and warm), nothing changed ≤ 0.3× first sync.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import FLASHNOTES, project_for, timed  # noqa: E402

IMPORT = """
import sys
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
col = Collection(sys.argv[1])
options = ImportAnkiPackageOptions(merge_notetypes=False, with_scheduling=False,
                                   with_deck_configs=False)
col.import_anki_package(ImportAnkiPackageRequest(package_path=sys.argv[2], options=options))
col.close()
"""
EMPTY = "import sys; from anki.collection import Collection; Collection(sys.argv[1]).close()"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="keep projects here")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="flashnotes-sync-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    root = project_for(args.size, work)
    package = work / "deck.apkg"

    def fresh_collection() -> Path:
        folder = work / "anki"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        path = folder / "collection.anki2"
        timed([sys.executable, "-c", EMPTY, str(path)])
        return path

    def forget_state() -> None:
        shutil.rmtree(root / ".flashnotes", ignore_errors=True)
        shutil.rmtree(work / "cache", ignore_errors=True)

    def export_and_import() -> float:
        collection = fresh_collection()
        exported, _ = timed([*FLASHNOTES, "export", "-C", str(root), str(package)])
        imported, _ = timed([sys.executable, "-c", IMPORT, str(collection), str(package)])
        return exported + imported

    def sync(collection: Path) -> float:
        seconds, _ = timed([*FLASHNOTES, "sync", "-C", str(root), "--collection", str(collection)])
        return seconds

    def first_sync() -> float:
        shutil.rmtree(root / ".flashnotes", ignore_errors=True)  # no sync record: a first sync
        return sync(fresh_collection())

    rounds: dict[str, list[float]] = {
        name: []
        for name in (
            "export + import (cold)",
            "first sync (cold)",
            "export + import (warm)",
            "first sync (warm)",
            "sync, nothing changed",
        )
    }
    import os

    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    for run in range(args.runs):
        print(f"round {run + 1}/{args.runs}", file=sys.stderr)
        forget_state()
        rounds["export + import (cold)"].append(export_and_import())
        forget_state()
        rounds["first sync (cold)"].append(first_sync())
        rounds["export + import (warm)"].append(export_and_import())
        rounds["first sync (warm)"].append(first_sync())
        rounds["sync, nothing changed"].append(sync(work / "anki" / "collection.anki2"))

    median = {name: statistics.median(values) for name, values in rounds.items()}
    print(f"flashnotes sync, {args.size:,} cards, medians of {args.runs} rounds\n")
    print("| run | median s | compared with | ratio | target |")
    print("|---|---:|---|---:|---:|")
    for name, base, target in (
        ("first sync (cold)", "export + import (cold)", 1.1),
        ("first sync (warm)", "export + import (warm)", 1.1),
        ("sync, nothing changed", "first sync (warm)", 0.3),
    ):
        ratio = median[name] / median[base]
        verdict = "ok" if ratio <= target else "MISS"
        print(
            f"| {name} | {median[name]:.2f} | {base} ({median[base]:.2f} s) | {ratio:.2f}× "
            f"| ≤{target}× {verdict} |"
        )


if __name__ == "__main__":
    main()
