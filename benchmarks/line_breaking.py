"""What the renderer's line-breaking rule costs: Markdown rendering with and without it.

    python benchmarks/line_breaking.py [--cards 10000] [--runs 4]

The rule (deck/render.py `_line_breaking`) drops soft line breaks between CJK characters
and binds punctuation to inline math. The baseline is the same markdown-it instance with
the rule disabled, rendering the same fields of a generated project (benchmarks/generate.py)
in the same process; the ratio is what the rule adds to the rendering part of an export.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=4)
    args = parser.parse_args()

    from flashnotes.deck import render
    from flashnotes.project.loader import load_project

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(args.cards), str(root)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        project = load_project(root)
    fields = []
    for card in project.cards:
        if card.text:
            fields.append(render.protect_cloze(card.text))
        fields += [text for text in (card.front, card.back) if text]

    markdown = render._MARKDOWN
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.runs):
        for with_rule in (True, False):  # interleaved, so load on the machine hits both
            if with_rule:
                markdown.core.ruler.enable("fn_line_breaking")
            else:
                markdown.core.ruler.disable("fn_line_breaking")
            start = time.perf_counter()
            for text in fields:
                markdown.render(text)
            times[with_rule].append(time.perf_counter() - start)
    markdown.core.ruler.enable("fn_line_breaking")
    with_rule, without = statistics.median(times[True]), statistics.median(times[False])
    print(f"{len(fields)} fields of {args.cards} cards, median of {args.runs} runs")
    print("| rendering | s |\n|---|---:|")
    print(f"| with the line-breaking rule | {with_rule:.2f} |")
    print(f"| without it (baseline) | {without:.2f} |")
    print(f"| ratio | {with_rule / without:.3f} |")


if __name__ == "__main__":
    main()
