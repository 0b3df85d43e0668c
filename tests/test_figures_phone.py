"""The shipped figures on a phone and in night mode: legible text, transparent background."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIGURES = sorted((REPO / "My_img").glob("*.png"))


def _legibility() -> dict[str, float]:
    """figures/legibility.tsv, written by make_figures.py (whose hash figures.lock holds)."""
    rows = (REPO / "figures" / "legibility.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {row.split("\t")[0]: float(row.split("\t")[1]) for row in rows}


def test_every_figure_has_text_of_at_least_11_px_on_a_390_px_phone():
    sizes = _legibility()
    assert set(sizes) == {path.stem for path in FIGURES}
    assert {name: size for name, size in sizes.items() if size < 11} == {}


def _png(path: Path) -> tuple[int, int, int, bytes]:
    """Width, height, colour type and the first pixel's bytes of a PNG."""
    data = path.read_bytes()
    width, height, _depth, colour = struct.unpack(">IIBB", data[16:26])
    chunks, position = b"", 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        if kind == b"IDAT":
            chunks += data[position + 8 : position + 8 + length]
        position += length + 12
    # Every PNG filter leaves the first pixel of the first row as it is (its neighbours
    # above and to the left count as zero), so it can be read without unfiltering.
    first_row = zlib.decompressobj().decompress(chunks, 1 + 4)
    return width, height, colour, first_row[1:5]


def test_every_figure_has_a_transparent_background_for_night_mode():
    for path in FIGURES:
        _width, _height, colour, corner = _png(path)
        assert colour == 6, f"{path.name}: not RGBA"
        assert corner[3] == 0, f"{path.name}: the corner is not transparent"


def test_the_data_parallel_figure_does_not_name_what_its_reversed_card_asks():
    """`data-parallelism-definition` shows the figure on the side that asks for the term."""
    script = (REPO / "figures" / "make_figures.py").read_text(encoding="utf-8")
    body = script[script.index("def fig_data_parallel") : script.index("def fig_skipgram")]
    drawn = "\n".join(line for line in body.splitlines() if not line.strip().startswith("#"))
    assert "一次迭代" in drawn  # the title it has instead
    for answer in ("数据并行", "DataParallel"):
        assert answer not in drawn
