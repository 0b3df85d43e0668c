"""Card fields drawn in the terminal on hostile input, against a bare pass over the same text.

    python benchmarks/terminal.py              # 3 runs, medians
    python benchmarks/terminal.py --runs 5

For each input the quiz's renderer (`review.terminal.markdown`, drawn by rich to a
discarded 80-column console) is timed beside `str.replace` over the same text, the least a
program that looks at every character could do. Two tables:

- as the quiz runs: fields over MAX_FIELD characters are cut, so a 50 MB field costs what
  a 10,000-character one does;
- with the cut lifted: the renderer alone on inputs 4× apart. Linear work takes about 4×
  the time on the larger one, quadratic work 16×.

Issue 9 measured the renderer before this one at over 20 minutes for a 50 MB field and
32 s for 50,000 backticks.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable

from rich.console import Console

from flashnotes.review import terminal
from flashnotes.review.texmath import to_unicode

# One unit of each hostile pattern; an input is the unit repeated to the wanted length.
PATTERNS = {
    "backticks": "`",
    "unclosed images ![": "![",
    "image syntax ![a](b": "![a](b",
    "brackets [": "[",
    "emphasis *a": "*a",
    "html <img": '<img src="',
    "dollars $a": "$a",
    "entities &#x202e;": "&#x202e;",
    "list items": "- a\n",
    "short lines": "a\n",
    "Chinese prose": "丢弃法中，靠近输入层的丢弃概率通常设得小一些。",
    "inline math": "$\\frac{\\lambda}{2n} \\|w\\|^2$ ",
}


BASELINE_RUNS = 25  # it takes microseconds: more runs keep its median steady


def draw(text: str) -> None:
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(terminal.markdown(text))


def baseline(text: str) -> None:
    text.replace(text[:1], "x")  # always replaces something: a pass that writes every match


def median_seconds(function: Callable[[str], object], text: str, runs: int) -> float:
    samples: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        function(text)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def sized(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def row(name: str, length: int, text: str, runs: int, function=draw) -> str:
    ours = median_seconds(function, text, runs)
    bare = median_seconds(baseline, text, BASELINE_RUNS)
    return f"| {name} | {length:,} | {ours:.3f} | {bare * 1000:.3f} | {ours / bare:,.0f}× |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    header = "| input | characters | render s | str.replace ms | ratio |\n|---|---:|---:|---:|---:|"

    print(f"As the quiz runs (fields cut at {terminal.MAX_FIELD:,} characters), {args.runs} runs:")
    print(header)
    for name, length in [("prose, 50 MB", 50_000_000), ("backticks", 50_000)]:
        unit = "长文本 " if name.startswith("prose") else "`"
        print(row(name, length, sized(unit, length), args.runs), flush=True)
    for name, unit in PATTERNS.items():
        print(row(name, 1_000_000, sized(unit, 1_000_000), args.runs), flush=True)
    braces = "$" + "{" * 1000 + "x" + "}" * 1000 + "$"
    fractions = "$" + "\\frac{" * 400 + "x" + "}{y}" * 400 + "$"
    print(row("1,000 nested braces", len(braces), braces, args.runs), flush=True)
    print(row("400 nested \\frac", len(fractions), fractions, args.runs), flush=True)
    print(row("to_unicode, 400 \\frac", len(fractions), fractions, args.runs, to_unicode))

    terminal.MAX_FIELD = sys.maxsize
    print("\nThe cut lifted: the renderer alone. 4× the input should take about 4× the time")
    print("(quadratic work would take 16×); the baseline's growth is shown beside it:")
    print("| input | render s, 10,000 chars | render s, 40,000 chars | growth | baseline growth |")
    print("|---|---:|---:|---:|---:|")
    for name, unit in PATTERNS.items():
        small, large = sized(unit, 10_000), sized(unit, 40_000)
        ours = [median_seconds(draw, text, args.runs) for text in (small, large)]
        bare = [median_seconds(baseline, text, BASELINE_RUNS) for text in (small, large)]
        print(
            f"| {name} | {ours[0]:.3f} | {ours[1]:.3f} | {ours[1] / ours[0]:.1f}× "
            f"| {bare[1] / bare[0]:.1f}× |",
            flush=True,
        )


if __name__ == "__main__":
    main()
