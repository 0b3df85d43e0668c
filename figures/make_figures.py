"""Generate the figures for the *Dive into Deep Learning* (动手学深度学习) flashcard deck.

Run from the repository root:

    python figures/make_figures.py

Every PNG is written to ``My_img/`` and ``figures/figures.lock`` records the
sha256 of this script and of every generated PNG.  All figures are drawn from
scratch (nothing is copied from the book); the numbers and notation follow the
PyTorch edition of the book (ShusenTang/Dive-into-DL-PyTorch).

The output is deterministic: fixed seeds, the Agg backend and PNG metadata
without a software/version stamp, so a rerun on the same machine gives
identical bytes.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib._mathtext as mathtext_layout
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager
from matplotlib.colors import same_color
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Patch, Rectangle
from matplotlib.text import Text

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "My_img"
LOCK_FILE = Path(__file__).resolve().parent / "figures.lock"
# Each figure's smallest text in CSS px on a phone (see smallest_text), for the tests.
LEGIBILITY_FILE = Path(__file__).resolve().parent / "legibility.tsv"

DPI = 100  # 9-inch-wide canvases -> 900 px wide PNGs
SEED = 0

CJK_CANDIDATES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans CJK TC",
    "Noto Sans CJK HK",
)

# High-contrast palette (ink + light fills for boxes). Backgrounds are transparent, so
# a card in night mode shows through: text keeps dark ink on light fills (boxes, or a
# white chip behind free text, see for_both_modes), and strokes drawn in INK become LINE,
# a grey that reads on a light card and a dark one (about 3.8:1 on both).
INK = "#111111"
LINE = "#808080"
# Marks text drawn on a filled shape: it needs no chip.
IN_SHAPE = "in-shape"
GREY = "#8a8a8a"
BLUE = "#1f5fbf"
ORANGE = "#d35400"
GREEN = "#1b8a3a"
RED = "#c62828"
PURPLE = "#6a1b9a"
L_BLUE = "#dbe8ff"
L_ORANGE = "#ffe2c6"
L_GREEN = "#d6f2dc"
L_RED = "#ffd9d9"
L_PURPLE = "#eadcff"
L_GREY = "#e6e6e6"
L_YELLOW = "#fff6cc"

FS = 28  # base font size (pt): 11 px at a phone's width, subscripts too (see smallest_text)
FS_SMALL = 23
FS_TITLE = 28
LW = 2.6


# --------------------------------------------------------------------------- setup


def pick_cjk_font() -> str:
    """Return the name of an installed CJK font, or exit with a one-line message."""

    def installed() -> set[str]:
        return {f.name for f in font_manager.fontManager.ttflist}

    names = installed()
    if not any(n in names for n in CJK_CANDIDATES):
        # The font cache may predate the font installation: register files directly.
        for path in font_manager.findSystemFonts():
            if "NotoSansCJK" in Path(path).name:
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        names = installed()
    for name in CJK_CANDIDATES:
        if name in names:
            return name
    sys.exit(
        "make_figures.py: no CJK font found (need 'Noto Sans CJK SC'); "
        "install it with: apt-get install -y fonts-noto-cjk"
    )


def setup_style() -> None:
    cjk = pick_cjk_font()
    plt.rcParams.update(
        {
            "font.family": [cjk, "DejaVu Sans"],
            "font.size": FS,
            "axes.unicode_minus": False,
            "mathtext.fontset": "dejavusans",
            "axes.titlesize": FS_TITLE,
            "axes.labelsize": FS,
            "xtick.labelsize": FS_SMALL,
            "ytick.labelsize": FS_SMALL,
            "legend.fontsize": FS_SMALL,
            "lines.linewidth": 3.2,
            "axes.linewidth": 1.8,
            "figure.facecolor": "none",
            "axes.facecolor": "white",
            "savefig.facecolor": "none",
            "axes.edgecolor": LINE,
            "xtick.color": LINE,
            "ytick.color": LINE,
            "xtick.labelcolor": INK,
            "ytick.labelcolor": INK,
            "path.simplify": False,
            "svg.hashsalt": "flashnotes",
        }
    )
    np.random.seed(SEED)
    # Scripts (subscripts, superscripts) at 80 % of their base instead of mathtext's 70 %:
    # at a phone's width a 70 % subscript of legible text is not legible.
    mathtext_layout.SHRINK_FACTOR = 0.8


# --------------------------------------------------------------------------- helpers


def canvas(w: float, h: float) -> tuple[plt.Figure, plt.Axes]:
    """A figure whose data coordinates are inches: (0, 0) bottom-left, (w, h) top-right."""
    fig = plt.figure(figsize=(w, h))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, w)
    ax.set_ylim(0, h)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def title(ax: plt.Axes, x: float, y: float, text: str, fs: float = FS_TITLE) -> None:
    ax.text(x, y, text, ha="center", va="center", fontsize=fs, weight="bold", color=INK)


def label(
    ax: plt.Axes,
    x: float,
    y: float,
    text: str,
    fs: float = FS,
    color: str = INK,
    ha: str = "center",
    va: str = "center",
    bg: bool = False,
    **kw,
) -> None:
    bbox = {"fc": "white", "ec": "none", "pad": 1.5} if bg else None
    ax.text(x, y, text, ha=ha, va=va, fontsize=fs, color=color, bbox=bbox, zorder=6, **kw)


def box(
    ax: plt.Axes,
    cx: float,
    cy: float,
    w: float,
    h: float,
    text: str = "",
    fc: str = "white",
    ec: str = INK,
    fs: float = FS,
    lw: float = LW,
    ls: str = "-",
    tc: str = INK,
    rounded: bool = True,
    weight: str = "normal",
) -> None:
    style = "round,pad=0,rounding_size=0.1" if rounded else "square,pad=0"
    ax.add_patch(
        FancyBboxPatch(
            (cx - w / 2, cy - h / 2), w, h, boxstyle=style, fc=fc, ec=ec, lw=lw, ls=ls, zorder=3
        )
    )
    if text:
        ax.text(
            cx,
            cy,
            text,
            ha="center",
            va="center",
            fontsize=fs,
            color=tc,
            zorder=4,
            weight=weight,
            linespacing=1.25,
            gid=IN_SHAPE,
        )


def node(
    ax: plt.Axes,
    cx: float,
    cy: float,
    text: str = "",
    r: float = 0.27,
    fc: str = "white",
    ec: str = INK,
    fs: float = FS,
    lw: float = LW,
    tc: str = INK,
) -> None:
    ax.add_patch(Circle((cx, cy), r, fc=fc, ec=ec, lw=lw, zorder=4))
    if text:
        ax.text(
            cx, cy, text, ha="center", va="center", fontsize=fs, color=tc, zorder=5, gid=IN_SHAPE
        )


def dot(ax: plt.Axes, x: float, y: float, color: str = INK) -> None:
    ax.add_patch(Circle((x, y), 0.065, fc=color, ec=color, zorder=5))


def arrow(
    ax: plt.Axes,
    p0: tuple[float, float],
    p1: tuple[float, float],
    color: str = INK,
    lw: float = LW,
    ls: str = "-",
    head: bool = True,
    conn: str = "arc3",
    z: float = 2,
) -> None:
    style = "-|>,head_length=0.55,head_width=0.28" if head else "-"
    a = FancyArrowPatch(
        p0,
        p1,
        arrowstyle=style,
        mutation_scale=22,
        lw=lw,
        color=color,
        linestyle=ls,
        connectionstyle=conn,
        shrinkA=0,
        shrinkB=0,
        zorder=z,
        capstyle="butt",
        joinstyle="miter",
    )
    ax.add_patch(a)


def polyline(
    ax: plt.Axes,
    pts: Sequence[tuple[float, float]],
    color: str = INK,
    lw: float = LW,
    ls: str = "-",
    head: bool = True,
    z: float = 2,
) -> None:
    """Orthogonal wire through ``pts``; an arrow head on the last segment."""
    if len(pts) > 2:
        xs, ys = zip(*pts[:-1], strict=True)
        ax.plot(
            xs,
            ys,
            color=color,
            lw=lw,
            ls=ls,
            zorder=z,
            solid_joinstyle="miter",
            solid_capstyle="projecting",
        )
    arrow(ax, pts[-2], pts[-1], color=color, lw=lw, ls=ls, head=head, z=z)


def grid(
    ax: plt.Axes,
    x0: float,
    y0: float,
    vals: Sequence[Sequence[object]],
    cell: float,
    hl: set[tuple[int, int]] | None = None,
    fc: str = "white",
    hl_fc: str = L_BLUE,
    fs: float = 22,
) -> None:
    """Draw a matrix of numbers; (x0, y0) is the bottom-left corner, row 0 on top."""
    nr = len(vals)
    for i, row in enumerate(vals):
        for j, v in enumerate(row):
            x = x0 + j * cell
            y = y0 + (nr - 1 - i) * cell
            face = hl_fc if hl and (i, j) in hl else fc
            ax.add_patch(Rectangle((x, y), cell, cell, fc=face, ec=INK, lw=2.2, zorder=3))
            ax.text(
                x + cell / 2,
                y + cell / 2,
                str(v),
                ha="center",
                va="center",
                fontsize=fs,
                zorder=4,
                gid=IN_SHAPE,
            )


def outline(
    ax: plt.Axes, x: float, y: float, w: float, h: float, color: str, lw: float = 5.0
) -> None:
    ax.add_patch(Rectangle((x, y), w, h, fc="none", ec=color, lw=lw, zorder=5))


# --------------------------------------------------------------------------- figures


def fig_dropout_mlp() -> plt.Figure:
    fig, ax = canvas(9, 7.2)
    title(ax, 4.5, 6.8, "丢弃法 (dropout)：训练时随机丢弃隐藏单元")
    r = 0.36
    xs_in, xs_hid, xs_out = 1.4, 4.5, 7.6
    ins = [(xs_in, 3.6 + (1.5 - i) * 1.0) for i in range(4)]
    hid = [(xs_hid, 3.6 + (2 - i) * 1.0) for i in range(5)]
    outs = [(xs_out, 3.6 + (1 - i) * 1.0) for i in range(3)]
    dropped = {1, 4}  # h2 and h5, as in the book's example
    edge = {"color": "#4a4a4a", "lw": 1.8, "zorder": 1}
    for j, (hx, hy) in enumerate(hid):
        if j in dropped:
            continue
        for ix, iy in ins:
            ax.plot([ix + r, hx - r], [iy, hy], **edge)
        for ox, oy in outs:
            ax.plot([hx + r, ox - r], [hy, oy], **edge)
    for i, (x, y) in enumerate(ins):
        node(ax, x, y, f"$x_{i + 1}$", r=r, fc=L_GREEN, ec=GREEN)
    for j, (x, y) in enumerate(hid):
        if j in dropped:
            node(ax, x, y, "", r=r, fc=L_GREY, ec=GREY)
            d = r * 0.95
            ax.plot([x - d, x + d], [y - d, y + d], color=RED, lw=4, zorder=4.5, alpha=0.9)
            ax.plot([x - d, x + d], [y + d, y - d], color=RED, lw=4, zorder=4.5, alpha=0.9)
            ax.text(
                x,
                y,
                f"$h_{j + 1}$",
                ha="center",
                va="center",
                fontsize=FS,
                zorder=6,
                color="#333333",
                bbox={"fc": L_GREY, "ec": "none", "pad": 0.5},
            )
            label(ax, x + r + 0.12, y, "丢弃", ha="left", fs=FS_SMALL, color=RED, weight="bold")
        else:
            node(ax, x, y, f"$h_{j + 1}$", r=r, fc=L_BLUE, ec=BLUE)
    for k, (x, y) in enumerate(outs):
        node(ax, x, y, f"$o_{k + 1}$", r=r, fc=L_ORANGE, ec=ORANGE)
    for x, name in ((xs_in, "输入层"), (xs_hid, "隐藏层"), (xs_out, "输出层")):
        label(ax, x, 0.95, name, fs=FS, weight="bold")
    label(ax, 4.5, 0.35, r"$h_2, h_5$ 被清零，其余 $h_i$ 除以 $1-p$", fs=FS)
    return fig


def fig_activation_functions() -> plt.Figure:
    x = np.linspace(-8, 8, 801)
    curves = [
        ("ReLU", np.maximum(x, 0), r"$\max(x, 0)$", BLUE, (-0.5, 8.3)),
        ("sigmoid", 1 / (1 + np.exp(-x)), r"$\frac{1}{1+\exp(-x)}$", ORANGE, (-0.1, 1.1)),
        ("tanh", np.tanh(x), r"$\frac{1-\exp(-2x)}{1+\exp(-2x)}$", GREEN, (-1.15, 1.15)),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(9, 4.6))
    for ax, (name, y, formula, color, ylim) in zip(axes, curves, strict=True):
        ax.axhline(0, color=GREY, lw=1.2, zorder=0)
        ax.axvline(0, color=GREY, lw=1.2, zorder=0)
        ax.plot(x, y, color=color, lw=4)
        ax.set_title(name, fontsize=FS_TITLE, weight="bold", pad=8)
        ax.set_xlim(-8, 8)
        ax.set_ylim(*ylim)
        ax.set_xticks([-8, -4, 0, 4, 8])
        ax.set_xlabel(formula, fontsize=FS + 3, color=color, labelpad=6)
        ax.grid(True, color="#dddddd", lw=1)
    axes[1].set_yticks([0, 0.5, 1])
    axes[2].set_yticks([-1, 0, 1])
    fig.tight_layout(w_pad=1.2)
    return fig


def fig_cross_correlation() -> plt.Figure:
    fig, ax = canvas(9, 5.4)
    title(ax, 4.5, 5.0, "二维互相关运算 (cross-correlation)")
    c = 0.85
    ix, iy = 0.8, 1.5
    kx, ky = 4.25, iy + c / 2
    ox, oy = 6.85, iy + c / 2
    win = {(0, 0), (0, 1), (1, 0), (1, 1)}
    grid(ax, ix, iy, [[0, 1, 2], [3, 4, 5], [6, 7, 8]], c, hl=win)
    grid(ax, kx, ky, [[0, 1], [2, 3]], c, hl=win)
    grid(ax, ox, oy, [[19, 25], [37, 43]], c, hl={(0, 0)})
    outline(ax, ix, iy + c, 2 * c, 2 * c, BLUE)
    outline(ax, kx, ky, 2 * c, 2 * c, BLUE)
    outline(ax, ox, oy + c, c, c, BLUE)
    label(ax, ix + 1.5 * c, 4.35, "输入 (3×3)", weight="bold")
    label(ax, kx + c, 4.35, "核 (2×2)", weight="bold")
    label(ax, ox + c, 4.35, "输出 (2×2)", weight="bold")
    label(ax, (ix + 3 * c + kx) / 2, iy + 1.5 * c, r"$\ast$", fs=34)
    label(ax, (kx + 2 * c + ox) / 2, iy + 1.5 * c, "=", fs=34)
    label(ax, 4.5, 0.75, r"$0\times0+1\times1+3\times2+4\times3=19$", fs=24, color=BLUE)
    return fig


def fig_pooling() -> plt.Figure:
    fig, ax = canvas(9, 6.4)
    title(ax, 4.5, 6.0, "池化层：2×2 最大池化与平均池化 (步幅 1)")
    c = 0.85
    ix, iy = 0.45, 1.75
    win = {(0, 0), (0, 1), (1, 0), (1, 1)}
    grid(ax, ix, iy, [[0, 1, 2], [3, 4, 5], [6, 7, 8]], c, hl=win)
    outline(ax, ix, iy + c, 2 * c, 2 * c, BLUE)
    label(ax, ix + 1.5 * c, iy + 3 * c + 0.32, "输入", weight="bold")
    mx, my = 6.9, 3.45
    grid(ax, mx, my, [[4, 5], [7, 8]], c, hl={(0, 0)}, hl_fc=L_ORANGE)
    outline(ax, mx, my + c, c, c, ORANGE)
    label(ax, mx + c, my + 2 * c + 0.3, "最大池化输出", weight="bold", color=ORANGE)
    ax_, ay = 6.9, 0.55
    grid(ax, ax_, ay, [[2, 3], [5, 6]], c, hl={(0, 0)}, hl_fc=L_GREEN)
    outline(ax, ax_, ay + c, c, c, GREEN)
    label(ax, ax_ + c, ay + 2 * c + 0.3, "平均池化输出", weight="bold", color=GREEN)
    x_start = ix + 3 * c + 0.15
    arrow(ax, (x_start, iy + 2.2 * c), (mx - 0.15, my + 1.2 * c), color=ORANGE, lw=3)
    arrow(ax, (x_start, iy + 0.8 * c), (ax_ - 0.15, ay + 1.2 * c), color=GREEN, lw=3)
    label(ax, 4.85, 4.75, "max(0, 1, 3, 4) = 4", color=ORANGE, fs=FS + 1)
    label(ax, 4.85, 1.1, "mean(0, 1, 3, 4) = 2", color=GREEN, fs=FS + 1)
    return fig


def fig_residual_block() -> plt.Figure:
    fig, ax = canvas(9, 9.2)
    title(ax, 4.5, 8.85, "残差块 (residual block)")
    mx, bw, bh = 3.7, 3.3, 0.6
    layers = [
        (1.55, "3×3 卷积层", L_BLUE, BLUE),
        (2.45, "批量归一化", L_GREEN, GREEN),
        (3.35, "ReLU", L_ORANGE, ORANGE),
        (4.25, "3×3 卷积层", L_BLUE, BLUE),
        (5.15, "批量归一化", L_GREEN, GREEN),
    ]
    label(ax, mx, 0.3, r"输入 $\mathbf{x}$", weight="bold")
    arrow(ax, (mx, 0.55), (mx, layers[0][0] - bh / 2))
    for k, (y, text, fc, ec) in enumerate(layers):
        box(ax, mx, y, bw, bh, text, fc=fc, ec=ec)
        if k + 1 < len(layers):
            arrow(ax, (mx, y + bh / 2), (mx, layers[k + 1][0] - bh / 2))
    py = 6.15
    node(ax, mx, py, "+", r=0.32, fs=26)
    arrow(ax, (mx, layers[-1][0] + bh / 2), (mx, py - 0.32))
    ry = 7.3
    box(ax, mx, ry, bw, bh, "ReLU", fc=L_ORANGE, ec=ORANGE)
    arrow(ax, (mx, py + 0.32), (mx, ry - bh / 2))
    label(ax, mx + 0.15, (py + 0.32 + ry - bh / 2) / 2, r"$f(\mathbf{x})$", ha="left", fs=FS)
    arrow(ax, (mx, ry + bh / 2), (mx, 8.2))
    label(ax, mx + 0.15, 8.2, "输出", ha="left", va="top", weight="bold")
    # shortcut
    sx = 7.3
    dot(ax, mx, 0.85)
    polyline(ax, [(mx, 0.85), (sx, 0.85), (sx, py), (mx + 0.32, py)], color=PURPLE, lw=3.2)
    box(
        ax,
        sx,
        3.35,
        2.5,
        1.05,
        "可选 1×1 卷积\n改变通道数",
        fc="white",
        ec=PURPLE,
        ls="--",
        fs=FS_SMALL,
        tc=PURPLE,
    )
    label(ax, sx - 0.2, 5.15, "跨层连接", ha="right", color=PURPLE, weight="bold")
    label(ax, sx - 0.2, 4.7, r"(恒等映射 $\mathbf{x}$)", ha="right", color=PURPLE, fs=FS_SMALL)
    # dashed frame: the part that fits the residual mapping
    ax.add_patch(
        Rectangle(
            (mx - bw / 2 - 0.25, 1.05), bw + 0.5, 4.6, fc="none", ec=GREY, lw=2, ls="--", zorder=1
        )
    )
    label(
        ax,
        mx - bw / 2 - 0.6,
        3.35,
        r"拟合残差映射 $f(\mathbf{x})-\mathbf{x}$",
        rotation=90,
        fs=FS_SMALL + 1,
        color="#444444",
    )
    return fig


def fig_rnn_unrolled() -> plt.Figure:
    fig, ax = canvas(9, 7.4)
    title(ax, 4.5, 7.0, "循环神经网络按时间步展开")
    cols = [1.75, 4.5, 7.25]
    yx, yh, yo = 1.95, 3.75, 5.55
    bw, bh = 1.55, 0.72
    ax.add_patch(
        FancyBboxPatch(
            (cols[1] - 1.05, 1.35),
            2.1,
            4.9,
            boxstyle="round,pad=0,rounding_size=0.15",
            fc=L_YELLOW,
            ec="none",
            zorder=0,
        )
    )
    label(ax, cols[1], 6.45, "时间步 t", fs=FS_SMALL + 1, color="#7a5c00", weight="bold")
    subs = ["t-1", "t", "t+1"]
    for x, s in zip(cols, subs, strict=True):
        box(ax, x, yx, bw, bh, f"$X_{{{s}}}$", fc=L_GREEN, ec=GREEN)
        box(ax, x, yh, bw, bh, f"$H_{{{s}}}$", fc=L_BLUE, ec=BLUE)
        box(ax, x, yo, bw, bh, f"$O_{{{s}}}$", fc=L_ORANGE, ec=ORANGE)
        arrow(ax, (x, yx + bh / 2), (x, yh - bh / 2))
        arrow(ax, (x, yh + bh / 2), (x, yo - bh / 2))
    for a, b in pairwise(cols):
        arrow(ax, (a + bw / 2, yh), (b - bw / 2, yh), color=BLUE, lw=3.2)
    arrow(ax, (0.1, yh), (cols[0] - bw / 2, yh), color=BLUE, lw=3.2, ls="--")
    arrow(ax, (cols[2] + bw / 2, yh), (8.95, yh), color=BLUE, lw=3.2, ls="--")
    x = cols[1]
    label(ax, x + 0.1, (yx + yh) / 2, r"$W_{xh}$", ha="left")
    label(ax, x + 0.1, (yh + yo) / 2, r"$W_{hq}$", ha="left")
    label(ax, (cols[0] + x) / 2, yh + 0.35, r"$W_{hh}$", color=BLUE)
    label(ax, (cols[2] + x) / 2, yh + 0.35, r"$W_{hh}$", color=BLUE)
    label(ax, 4.5, 0.85, r"$H_t=\phi(X_tW_{xh}+H_{t-1}W_{hh}+b_h)$")
    label(ax, 4.5, 0.3, r"$O_t=H_tW_{hq}+b_q$   (各时间步共享参数)")
    return fig


def _matrix(
    ax: plt.Axes, x0: float, y0: float, rows: int, cols: int, c: float, color: str, fill: str
) -> None:
    """A block of rows x cols cells, bottom-left corner at (x0, y0)."""
    ax.add_patch(Rectangle((x0, y0), cols * c, rows * c, fc=fill, ec="none", zorder=2))
    for i in range(1, rows):
        ax.plot([x0, x0 + cols * c], [y0 + i * c] * 2, color=color, lw=0.9, zorder=3)
    for j in range(1, cols):
        ax.plot([x0 + j * c] * 2, [y0, y0 + rows * c], color=color, lw=0.9, zorder=3)
    ax.add_patch(Rectangle((x0, y0), cols * c, rows * c, fc="none", ec=color, lw=3, zorder=4))


def fig_rnn_concat() -> plt.Figure:
    fig, ax = canvas(9, 9.0)
    title(ax, 4.5, 8.6, r"$X_tW_{xh}+H_{t-1}W_{hh}$ = 连结后的矩阵相乘")
    c = 0.36
    n, d, h = 3, 1, 4
    yc1, yc2 = 6.55, 3.2  # vertical centres of the two rows

    def put(x0: float, yc: float, rows: int, cols: int, color: str, fill: str) -> tuple:
        y0 = yc - rows * c / 2
        _matrix(ax, x0, y0, rows, cols, c, color, fill)
        return x0, y0, cols * c, rows * c

    def names(bb: tuple, top: str, shape: str, nums: str, color: str = INK) -> None:
        x0, y0, w, hh = bb
        label(ax, x0 + w / 2, y0 + hh + 0.32, top, color=color)
        label(ax, x0 + w / 2, y0 - 0.3, shape, fs=FS_SMALL)
        label(ax, x0 + w / 2, y0 - 0.68, nums, fs=FS_SMALL, color="#555555")

    # row 1: X W_xh + H W_hh = result
    b = put(0.5, yc1, n, d, BLUE, L_BLUE)
    names(b, r"$X_t$", r"$n\times d$", "(3, 1)", BLUE)
    b = put(1.25, yc1, d, h, GREEN, L_GREEN)
    names(b, r"$W_{xh}$", r"$d\times h$", "(1, 4)", GREEN)
    label(ax, 3.05, yc1, "+", fs=34)
    b = put(3.4, yc1, n, h, ORANGE, L_ORANGE)
    names(b, r"$H_{t-1}$", r"$n\times h$", "(3, 4)", ORANGE)
    b = put(5.15, yc1, h, h, PURPLE, L_PURPLE)
    names(b, r"$W_{hh}$", r"$h\times h$", "(4, 4)", PURPLE)
    label(ax, 7.0, yc1, "=", fs=34)
    b = put(7.35, yc1, n, h, INK, L_GREY)
    names(b, "结果", r"$n\times h$", "(3, 4)")
    # row 2: [X, H] [W_xh; W_hh] = result
    label(ax, 0.6, yc2, "=", fs=34)
    x0 = 1.1
    y0 = yc2 - n * c / 2
    _matrix(ax, x0, y0, n, d, c, BLUE, L_BLUE)
    _matrix(ax, x0 + d * c, y0, n, h, c, ORANGE, L_ORANGE)
    ax.add_patch(Rectangle((x0, y0), (d + h) * c, n * c, fc="none", ec=INK, lw=3.2, zorder=5))
    names((x0, y0, (d + h) * c, n * c), r"$[X_t,\ H_{t-1}]$", r"$n\times(d+h)$", "按列连结 (3, 5)")
    x1 = 4.35
    y1 = yc2 - (d + h) * c / 2
    _matrix(ax, x1, y1 + h * c, d, h, c, GREEN, L_GREEN)
    _matrix(ax, x1, y1, h, h, c, PURPLE, L_PURPLE)
    ax.add_patch(Rectangle((x1, y1), h * c, (d + h) * c, fc="none", ec=INK, lw=3.2, zorder=5))
    stacked = (x1, y1, h * c, (d + h) * c)
    names(stacked, r"$[W_{xh};\ W_{hh}]$", r"$(d+h)\times h$", "按行连结 (5, 4)")
    label(ax, 7.0, yc2, "=", fs=34)
    b = put(7.35, yc2, n, h, INK, L_GREY)
    names(b, "同一结果", r"$n\times h$", "(3, 4)")
    mono = {"fs": FS_SMALL, "family": "DejaVu Sans Mono"}
    label(ax, 4.5, 0.95, "torch.cat((X, H), dim=1)", **mono)
    label(ax, 4.5, 0.4, "@ torch.cat((W_xh, W_hh), dim=0)", **mono)
    return fig


def fig_bptt_graph() -> plt.Figure:
    fig, ax = canvas(9, 10.2)
    title(ax, 4.5, 9.85, "通过时间反向传播的计算图 (T = 3)")
    label(ax, 4.5, 9.25, r"$h_t=W_{hx}x_t+W_{hh}h_{t-1}$，$o_t=W_{qh}h_t$ (无偏差项)")
    r = 0.24
    vw, vh = 0.74, 0.56  # variable boxes
    pw = 0.95  # parameter boxes

    def var(x: float, y: float, text: str) -> None:
        box(ax, x, y, vw, vh, text, fc="white", ec=INK, rounded=False)

    def par(x: float, y: float, text: str) -> None:
        box(ax, x, y, pw, vh, text, fc="#bdbdbd", ec=INK, rounded=False)

    yh, yx = 2.3, 0.75
    ops = [1.45, 4.0, 6.55]
    hs = [o + 1.0 for o in ops]
    var(0.5, yh, "$h_0$")
    prev = 0.5
    for t, (o, hx) in enumerate(zip(ops, hs, strict=True), start=1):
        node(ax, o, yh, r=r)
        arrow(ax, (prev + vw / 2, yh), (o - r, yh))
        var(hx, yh, f"$h_{t}$")
        arrow(ax, (o + r, yh), (hx - vw / 2, yh))
        var(o, yx, f"$x_{t}$")
        arrow(ax, (o, yx + vh / 2), (o, yh - r))
        par(o - 0.95, yx + 0.55, r"$W_{hx}$")
        arrow(ax, (o - 0.95 + pw / 2, yx + 0.55 + 0.1), (o - r * 0.75, yh - r * 0.7))
        par(o - 0.6, yh + 1.05, r"$W_{hh}$")
        arrow(ax, (o - 0.6 + pw / 2 - 0.1, yh + 1.05 - vh / 2), (o - r * 0.6, yh + r * 0.8))
        # output layer
        yoo, yo = 3.9, 4.95
        node(ax, hx, yoo, r=r)
        arrow(ax, (hx, yh + vh / 2), (hx, yoo - r))
        par(hx - 0.75, yoo + 0.75, r"$W_{qh}$")
        arrow(ax, (hx - 0.75 + pw / 2, yoo + 0.75 - 0.1), (hx - r * 0.8, yoo + r * 0.6))
        var(hx, yo, f"$o_{t}$")
        arrow(ax, (hx, yoo + r), (hx, yo - vh / 2))
        # per-step loss
        yl = 6.1
        node(ax, hx, yl, r=r)
        arrow(ax, (hx, yo + vh / 2), (hx, yl - r))
        var(hx + 0.85, yl, f"$y_{t}$")
        arrow(ax, (hx + 0.85 - vw / 2, yl), (hx + r, yl))
        prev = hx
    # objective
    lx, ly = hs[1], 7.3
    node(ax, lx, ly, r=r)
    for hx in hs:
        arrow(ax, (hx, 6.1 + r), (lx + (hx - lx) * 0.12, ly - r * 0.9))
    var(lx, 8.2, "$L$")
    arrow(ax, (lx, ly + r), (lx, 8.2 - vh / 2))
    label(ax, lx + 0.55, 8.2, r"$L=\frac{1}{T}\sum_{t=1}^{T}\ell(o_t, y_t)$", ha="left", fs=FS + 4)
    # legend / formulas
    ax.add_patch(Rectangle((0.22, 8.06), 0.28, 0.28, fc="white", ec=INK, lw=1.5, zorder=3))
    label(ax, 0.62, 8.2, "变量", ha="left", fs=FS_SMALL)
    ax.add_patch(Rectangle((0.22, 7.6), 0.28, 0.28, fc="#bdbdbd", ec=INK, lw=1.5, zorder=3))
    label(ax, 0.62, 7.74, "参数", ha="left", fs=FS_SMALL)
    node(ax, 0.36, 7.25, r=0.14, lw=2)
    label(ax, 0.62, 7.25, "运算符", ha="left", fs=FS_SMALL)
    return fig


def fig_gru_cell() -> plt.Figure:
    fig, ax = canvas(9, 9.3)
    ax.set_ylim(-0.7, 8.6)  # room below the cell for the two formulas
    title(ax, 4.5, 8.25, "门控循环单元 (GRU)")
    yt = 7.2  # hidden-state line
    bus = 2.6  # X_t and H_{t-1} feed both gates
    yx = 1.85  # X_t alone feeds the candidate layer
    xb = 1.15  # where X_t joins the bus
    gw, gh = 1.15, 0.95
    xr, xz, xc = 2.25, 3.75, 5.05
    cw = gw + 0.1
    yg = 3.7
    yrh = 5.35  # R_t ⊙ H_{t-1}, candidate layer, candidate ⊙ (1 - Z_t)
    yj = 6.2  # Z_t branch to 1-
    xhc, xplus = 6.75, 7.95
    # hidden state line
    label(ax, 0.05, yt + 0.38, r"$H_{t-1}$", ha="left", fs=FS + 1, color=BLUE)
    arrow(ax, (0.1, yt), (xz - 0.27, yt), color=BLUE, lw=3.4)
    node(ax, xz, yt, r"$\odot$", fs=FS + 4)
    arrow(ax, (xz + 0.27, yt), (xplus - 0.27, yt), color=BLUE, lw=3.4)
    node(ax, xplus, yt, "+", fs=FS + 6)
    arrow(ax, (xplus + 0.27, yt), (8.95, yt), color=BLUE, lw=3.4)
    label(ax, 8.95, yt + 0.38, r"$H_t$", ha="right", fs=FS + 1, color=BLUE)
    # H_{t-1} down to the bus, X_t up into the bus
    dot(ax, 0.6, yt, BLUE)
    ax.plot([0.6, 0.6, xz], [yt, bus, bus], color=INK, lw=LW, zorder=2, solid_joinstyle="miter")
    label(ax, xb, 0.3, r"$X_t$", fs=FS + 1, color=GREEN)
    ax.plot([xb, xb], [0.58, bus], color=GREEN, lw=LW, zorder=2)
    dot(ax, xb, bus)
    for x in (xr, xz):
        arrow(ax, (x, bus), (x, yg - gh / 2))
    # X_t alone to the candidate (tanh) layer
    dot(ax, xb, yx, GREEN)
    polyline(ax, [(xb, yx), (xc, yx), (xc, yrh - gh / 2)], color=GREEN)
    # gates
    box(ax, xr, yg, gw, gh, "σ\n重置门", fc=L_RED, ec=RED, fs=FS_SMALL + 1)
    box(ax, xz, yg, gw, gh, "σ\n更新门", fc=L_PURPLE, ec=PURPLE, fs=FS_SMALL + 1)
    # reset: R_t ⊙ H_{t-1} -> tanh
    node(ax, xr, yrh, r"$\odot$", fs=FS + 4)
    arrow(ax, (xr, yg + gh / 2), (xr, yrh - 0.27), color=RED)
    label(ax, xr - 0.12, (yg + gh / 2 + yrh - 0.27) / 2, r"$R_t$", ha="right", color=RED)
    dot(ax, xr, yt, BLUE)
    arrow(ax, (xr, yt), (xr, yrh + 0.27), color=BLUE)
    box(ax, xc, yrh, cw, gh, "tanh\n候选", fc=L_GREEN, ec=GREEN, fs=FS_SMALL + 1)
    # update gate: up to ⊙ on the hidden-state line, branch right to 1-
    arrow(ax, (xz, yg + gh / 2), (xz, yt - 0.27), color=PURPLE, z=1)
    label(ax, xz + 0.12, (yg + gh / 2 + yrh) / 2, r"$Z_t$", ha="left", color=PURPLE)
    arrow(ax, (xr + 0.27, yrh), (xc - cw / 2, yrh), z=3)
    dot(ax, xz, yj, PURPLE)
    arrow(ax, (xz, yj), (xhc - 0.3, yj), color=PURPLE)
    node(ax, xhc, yj, r"$1-$", r=0.3, fs=FS_SMALL)
    # candidate ⊙ (1 - Z_t) -> +
    arrow(ax, (xc + cw / 2, yrh), (xhc - 0.27, yrh), color=GREEN)
    label(ax, (xc + cw / 2 + xhc - 0.27) / 2, yrh - 0.38, r"$\tilde{H}_t$", color=GREEN)
    node(ax, xhc, yrh, r"$\odot$", fs=FS + 4)
    arrow(ax, (xhc, yj - 0.3), (xhc, yrh + 0.27), color=PURPLE)
    polyline(ax, [(xhc + 0.27, yrh), (xplus, yrh), (xplus, yt - 0.27)])
    # formulas
    label(ax, 5.3, 0.75, r"$H_t=Z_t\odot H_{t-1}+(1-Z_t)\odot\tilde{H}_t$")
    label(ax, 4.6, -0.3, r"$\tilde{H}_t=\tanh(X_tW_{xh}+(R_t\odot H_{t-1})W_{hh}+b_h)$")
    return fig


def fig_lstm_cell() -> plt.Figure:
    fig, ax = canvas(9, 8.0)
    title(ax, 4.5, 7.6, "长短期记忆 (LSTM)")
    yc = 6.5  # memory-cell line
    bus = 1.55
    gw, gh = 1.15, 0.95
    yg = 2.75
    xf, xi, xcc, xo = 1.8, 3.3, 4.9, 6.45
    xsum = (xi + xcc) / 2
    xout = 7.85
    # memory cell line
    label(ax, 0.05, yc + 0.35, r"$C_{t-1}$", ha="left", fs=FS + 1, color=ORANGE)
    arrow(ax, (0.1, yc), (xf - 0.27, yc), color=ORANGE, lw=3.4)
    node(ax, xf, yc, r"$\odot$", fs=FS + 4)
    arrow(ax, (xf + 0.27, yc), (xsum - 0.27, yc), color=ORANGE, lw=3.4)
    node(ax, xsum, yc, "+", fs=FS + 6)
    arrow(ax, (xsum + 0.27, yc), (8.95, yc), color=ORANGE, lw=3.4)
    label(ax, 8.95, yc + 0.35, r"$C_t$", ha="right", fs=FS + 1, color=ORANGE)
    # inputs: H_{t-1} from the left, X_t from below, both on the bus
    label(ax, 0.05, bus + 0.35, r"$H_{t-1}$", ha="left", fs=FS + 1, color=BLUE)
    ax.plot([0.1, xo], [bus, bus], color=INK, lw=LW, zorder=2)
    xb = 1.0
    label(ax, xb, 0.25, r"$X_t$", fs=FS + 1, color=GREEN)
    ax.plot([xb, xb], [0.5, bus], color=GREEN, lw=LW, zorder=2)
    dot(ax, xb, bus)
    gates = [
        (xf, "σ\n遗忘门", L_RED, RED, r"$F_t$"),
        (xi, "σ\n输入门", L_PURPLE, PURPLE, r"$I_t$"),
        (xcc, "tanh\n候选", L_GREEN, GREEN, r"$\tilde{C}_t$"),
        (xo, "σ\n输出门", L_BLUE, BLUE, r"$O_t$"),
    ]
    for x, text, fc, ec, _ in gates:
        arrow(ax, (x, bus), (x, yg - gh / 2))
        box(ax, x, yg, gw, gh, text, fc=fc, ec=ec, fs=FS_SMALL + 1)
    # forget gate -> ⊙ on the cell line
    arrow(ax, (xf, yg + gh / 2), (xf, yc - 0.27), color=RED)
    label(ax, xf - 0.12, 4.4, r"$F_t$", ha="right", color=RED)
    # input gate ⊙ candidate -> +
    ym = 4.45
    node(ax, xsum, ym, r"$\odot$", fs=FS + 4)
    polyline(ax, [(xi, yg + gh / 2), (xi, ym), (xsum - 0.27, ym)], color=PURPLE)
    polyline(ax, [(xcc, yg + gh / 2), (xcc, ym), (xsum + 0.27, ym)], color=GREEN)
    label(ax, xi - 0.12, 3.85, r"$I_t$", ha="right", color=PURPLE)
    label(ax, xcc + 0.12, 3.85, r"$\tilde{C}_t$", ha="left", color=GREEN)
    arrow(ax, (xsum, ym + 0.27), (xsum, yc - 0.27))
    # output: H_t = O_t ⊙ tanh(C_t)
    dot(ax, xout, yc, ORANGE)
    yth, yho = 5.35, 4.05
    arrow(ax, (xout, yc), (xout, yth + 0.42), color=ORANGE)
    node(ax, xout, yth, "tanh", r=0.42, fs=FS_SMALL + 1)
    arrow(ax, (xout, yth - 0.42), (xout, yho + 0.27))
    node(ax, xout, yho, r"$\odot$", fs=FS + 4)
    polyline(ax, [(xo, yg + gh / 2), (xo, yho), (xout - 0.27, yho)], color=BLUE)
    label(ax, xo - 0.12, 3.85, r"$O_t$", ha="right", color=BLUE)
    polyline(ax, [(xout, yho - 0.27), (xout, 2.6), (8.95, 2.6)], color=BLUE, lw=3.4)
    label(ax, 8.95, 2.95, r"$H_t$", ha="right", fs=FS + 1, color=BLUE)
    label(ax, 4.5, 0.85, r"$C_t=F_t\odot C_{t-1}+I_t\odot\tilde{C}_t$", fs=FS, ha="left")
    label(ax, 4.5, 0.3, r"$H_t=O_t\odot\tanh(C_t)$", fs=FS, ha="left")
    return fig


def _optim_paths() -> dict[str, np.ndarray]:
    """20 iterations from (-5, -2) on f = 0.1 x1^2 + 2 x2^2 (book section 7.4)."""

    def grad(x: np.ndarray) -> np.ndarray:
        return np.array([0.2 * x[0], 4.0 * x[1]])

    start = np.array([-5.0, -2.0])
    steps = 20

    def gd(eta: float) -> np.ndarray:
        x, path = start.copy(), [start.copy()]
        for _ in range(steps):
            x = x - eta * grad(x)
            path.append(x.copy())
        return np.array(path)

    def momentum(eta: float, gamma: float) -> np.ndarray:
        x, v, path = start.copy(), np.zeros(2), [start.copy()]
        for _ in range(steps):
            v = gamma * v + eta * grad(x)
            x = x - v
            path.append(x.copy())
        return np.array(path)

    def adam(eta: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-6) -> np.ndarray:
        x, v, s, path = start.copy(), np.zeros(2), np.zeros(2), [start.copy()]
        for t in range(1, steps + 1):
            g = grad(x)
            v = beta1 * v + (1 - beta1) * g
            s = beta2 * s + (1 - beta2) * g * g
            v_hat = v / (1 - beta1**t)
            s_hat = s / (1 - beta2**t)
            x = x - eta * v_hat / (np.sqrt(s_hat) + eps)
            path.append(x.copy())
        return np.array(path)

    return {
        r"梯度下降 ($\eta$=0.4)": gd(0.4),
        r"动量法 ($\eta$=0.4, $\gamma$=0.5)": momentum(0.4, 0.5),
        r"Adam ($\eta$=0.3)": adam(0.3),
    }


def fig_optimizer_paths() -> plt.Figure:
    fig, ax = plt.subplots(figsize=(9, 8.4))
    x1, x2 = np.meshgrid(np.linspace(-5.5, 1.5, 281), np.linspace(-2.6, 2.6, 209))
    f = 0.1 * x1**2 + 2 * x2**2
    ax.contour(
        x1, x2, f, levels=[0.1, 0.5, 1, 2, 3, 4.5, 6, 8, 10, 12.5], colors="#9a9a9a", linewidths=1.4
    )
    # GD and momentum share their first step; draw GD on top so both stay visible.
    styles = [(RED, "o", 4), (BLUE, "s", 3), (GREEN, "^", 3)]
    for (name, path), (color, marker, z) in zip(_optim_paths().items(), styles, strict=True):
        ax.plot(
            path[:, 0],
            path[:, 1],
            "-",
            color=color,
            marker=marker,
            ms=7,
            lw=2.8,
            label=name,
            zorder=z,
        )
    ax.plot([-5], [-2], "o", ms=13, mfc="white", mec=INK, mew=2.5, zorder=5)
    ax.annotate(
        "起点 (−5, −2)", (-5, -2), xytext=(-4.7, -2.2), fontsize=FS_SMALL, ha="left", va="center"
    )
    ax.plot([0], [0], "*", ms=22, color="#f0b400", mec=INK, mew=1.5, zorder=5)
    ax.set_xlim(-5.5, 1.5)
    ax.set_ylim(-2.6, 2.6)
    ax.set_aspect("equal")
    ax.set_xlabel(r"$x_1$")
    ax.set_ylabel(r"$x_2$")
    ax.set_title(r"$f(x)=0.1x_1^2+2x_2^2$，各迭代 20 步", pad=10)
    # Below the plot: inside it, the legend would hide part of a path.
    fig.legend(loc="lower center", bbox_to_anchor=(0.5, 0.01), fontsize=FS_SMALL, frameon=False)
    fig.subplots_adjust(left=0.12, right=0.97, top=0.9, bottom=0.33)
    return fig


def fig_data_parallel() -> plt.Figure:
    fig, ax = canvas(9, 8.6)
    # The title must not name what the reversed card asks for (数据并行, DataParallel).
    title(ax, 4.5, 8.25, "一次迭代：2 块 GPU 如何分工")
    # minibatch
    cw, ch = 0.62, 0.55
    xs0 = 4.5 - 4 * cw
    yb = 7.25
    for i in range(8):
        fc = L_BLUE if i < 4 else L_ORANGE
        ec = BLUE if i < 4 else ORANGE
        ax.add_patch(Rectangle((xs0 + i * cw, yb - ch / 2), cw, ch, fc=fc, ec=ec, lw=2, zorder=3))
    ax.add_patch(Rectangle((xs0, yb - ch / 2), 8 * cw, ch, fc="none", ec=INK, lw=3, zorder=4))
    label(ax, xs0 - 0.12, yb, "小批量", ha="right", weight="bold")
    label(ax, xs0 + 8 * cw + 0.12, yb, "(8 个样本)", ha="left", fs=FS_SMALL)
    gx = (2.3, 6.7)
    gy, gw, gh = 4.85, 3.7, 2.55
    arrow(ax, (xs0 + 2 * cw, yb - ch / 2), (gx[0], gy + gh / 2), color=BLUE, lw=3)
    arrow(ax, (xs0 + 6 * cw, yb - ch / 2), (gx[1], gy + gh / 2), color=ORANGE, lw=3)
    label(ax, 4.5, 6.55, "① 切分 (scatter)，每块 GPU 各 4 个样本", fs=FS_SMALL + 1, bg=True)
    for k, (x, col, fill) in enumerate(((gx[0], BLUE, L_BLUE), (gx[1], ORANGE, L_ORANGE))):
        box(ax, x, gy, gw, gh, "", fc="white", ec=col, lw=3.2)
        label(ax, x, gy + gh / 2 - 0.32, f"GPU {k}", weight="bold", color=col, fs=FS + 1)
        box(ax, x, gy + 0.18, gw - 0.5, 0.62, "② 完整模型副本", fc=fill, ec=col, fs=FS_SMALL + 1)
        label(ax, x, gy - 0.65, f"③ 前向+反向 → $g_{k}$")
    ys = 2.45
    box(
        ax,
        4.5,
        ys,
        6.6,
        0.8,
        r"④ 梯度汇总到 GPU 0：$g=g_0+g_1$",
        fc=L_YELLOW,
        ec="#a07800",
    )
    arrow(ax, (gx[0], gy - gh / 2), (3.2, ys + 0.4), lw=3, color=BLUE)
    arrow(ax, (gx[1], gy - gh / 2), (5.8, ys + 0.4), lw=3, color=ORANGE)
    yu = 1.15
    box(
        ax,
        4.5,
        yu,
        5.4,
        0.8,
        r"⑤ 更新参数 $w\leftarrow w-\eta g$",
        fc=L_GREEN,
        ec=GREEN,
        fs=FS_SMALL + 2,
    )
    arrow(ax, (4.5, ys - 0.4), (4.5, yu + 0.4), lw=3)
    polyline(
        ax,
        [(4.5 + 2.7, yu), (8.75, yu), (8.75, gy), (gx[1] + gw / 2, gy)],
        color=GREEN,
        lw=2.6,
        ls="--",
    )
    label(ax, 4.5, 0.3, "⑥ 下次前向时，新参数复制到各 GPU", fs=FS_SMALL + 1, color=GREEN)
    return fig


def fig_skipgram_negative_sampling() -> plt.Figure:
    fig, ax = canvas(9, 8.2)
    ax.set_ylim(-0.8, 7.4)  # room below for the loss
    title(ax, 4.5, 7.0, "跳字模型 + 负采样 (K = 3)")
    cx, cy = 1.25, 3.9
    box(ax, cx, cy, 1.9, 1.35, "中心词\n“loves”", fc=L_BLUE, ec=BLUE)
    label(ax, cx, cy - 1.0, r"向量 $v_c$", color=BLUE)
    # Vectors named by their word: a subscript of a subscript is unreadable on a phone.
    rows = [
        (5.75, "man", "1", L_GREEN, GREEN),
        (4.5, "car", "0", L_RED, RED),
        (3.25, "sky", "0", L_RED, RED),
        (2.0, "blue", "0", L_RED, RED),
    ]
    sx, wx, dx = 4.35, 7.05, 8.45
    for y, word, lab, fc, ec in rows:
        score = rf"$\sigma(u_{{\mathrm{{{word}}}}}^\top v_c)$"
        box(ax, sx, y, 2.7, 0.85, score, fc="white", ec=INK)
        box(ax, wx, y, 1.55, 0.85, f"“{word}”", fc=fc, ec=ec)
        arrow(ax, (cx + 0.95, cy + (y - cy) * 0.25), (sx - 1.35, y), lw=2.2)
        arrow(ax, (wx - 0.775, y), (sx + 1.35, y), lw=2.2, color=ec)
        label(ax, dx, y, f"D={lab}", color=ec, weight="bold")
    label(ax, dx, 6.45, "标签", fs=FS_SMALL, weight="bold")
    label(ax, wx, 6.45, "背景词", fs=FS_SMALL, color=GREEN, weight="bold")
    label(ax, wx, 1.25, r"噪声词 $w_k\sim P(w)$", color=RED)
    ax.plot([6.2, 6.15, 6.15, 6.2], [4.95, 4.95, 1.55, 1.55], color=RED, lw=2)
    loss = r"损失 $=-\log\sigma(u_o^\top v_c)-\sum_{k=1}^{K}\log\sigma(-u_k^\top v_c)$"
    label(ax, 4.5, 0.45, loss)
    label(ax, 4.5, -0.45, "每步梯度开销 ∝ K，而不是词典大小 |V|", weight="bold", color=PURPLE)
    return fig


def fig_fasttext_subwords() -> plt.Figure:
    fig, ax = canvas(9, 8.4)
    ax.set_ylim(-0.8, 7.6)  # room below for the sum, on two lines
    title(ax, 4.5, 7.2, "fastText 子词 (n = 3)：where")
    chars = list("<where>")
    c = 0.82
    x0 = 4.5 - len(chars) * c / 2
    ytop = 6.1
    for i, ch in enumerate(chars):
        special = ch in "<>"
        ax.add_patch(
            Rectangle(
                (x0 + i * c, ytop - c / 2),
                c,
                c,
                fc=L_ORANGE if special else L_BLUE,
                ec=INK,
                lw=2.2,
                zorder=3,
            )
        )
        label(ax, x0 + i * c + c / 2, ytop, ch, fs=24, family="DejaVu Sans Mono")
    label(ax, x0 - 0.15, ytop, "词", ha="right", weight="bold")
    grams = ["<wh", "whe", "her", "ere", "re>"]
    for k, g in enumerate(grams):
        y = 5.05 - k * 0.62
        box(
            ax,
            x0 + (k + 1.5) * c,
            y,
            3 * c - 0.12,
            0.5,
            g,
            fc="white",
            ec=BLUE,
            fs=FS + 1,
            rounded=True,
        )
    yspec = 1.95
    box(
        ax, 4.5, yspec, len(chars) * c - 0.12, 0.56, "<where>", fc=L_YELLOW, ec="#a07800", fs=FS + 1
    )
    label(ax, x0 + len(chars) * c + 0.15, 3.8, "5 个\n三元子词", ha="left", fs=FS_SMALL, color=BLUE)
    label(
        ax,
        x0 + len(chars) * c + 0.15,
        yspec,
        "特殊子词\n(整个词)",
        ha="left",
        fs=FS_SMALL,
        color="#7a5c00",
    )
    # "\!\!" cancels mathtext's relation spacing around the literal < and >
    first = r"$v_{\mathrm{where}}=z_{\!\!<\!\!\mathrm{wh}}+z_{\mathrm{whe}}+z_{\mathrm{her}}$"
    label(ax, 4.5, 1.1, first)
    label(
        ax,
        4.5,
        0.4,
        r"$+z_{\mathrm{ere}}+z_{\mathrm{re}\!\!>\!\!}+z_{\!\!<\!\!\mathrm{where}\!\!>\!\!}$",
    )
    label(ax, 4.5, -0.4, r"中心词向量 = 子词向量之和 (实际取 3～6 元子词)", fs=FS_SMALL)
    return fig


def fig_attention_weights() -> plt.Figure:
    src = ["They", "are", "watching", "."]
    tgt = ["Ils", "regardent", "."]
    alpha = np.array(
        [
            [0.55, 0.35, 0.07, 0.03],
            [0.05, 0.15, 0.75, 0.05],
            [0.02, 0.03, 0.05, 0.90],
        ]
    )
    assert np.allclose(alpha.sum(axis=1), 1.0)
    fig, ax = plt.subplots(figsize=(9, 7.0))
    ax.imshow(alpha, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for i in range(alpha.shape[0]):
        for j in range(alpha.shape[1]):
            v = alpha[i, j]
            ax.text(
                j,
                i,
                f"{v:.2f}",
                ha="center",
                va="center",
                fontsize=FS + 2,
                color="white" if v > 0.5 else INK,
                weight="bold",
                gid=IN_SHAPE,
            )
        ax.text(
            alpha.shape[1] - 0.4,
            i,
            "Σ = 1",
            ha="left",
            va="center",
            fontsize=FS_SMALL,
            color="#555555",
        )
    ax.set_xticks(range(len(src)), src, fontsize=FS)
    ax.set_yticks(range(len(tgt)), [f"{w} ({i + 1})" for i, w in enumerate(tgt)], fontsize=FS)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel("编码器时间步 t (输入)", fontsize=FS_SMALL, labelpad=10)
    # Over the row labels, not beside them: a rotated label would need width the phone lacks.
    fig.text(0.02, 0.755, "解码器时间步 t′", fontsize=FS_SMALL, ha="left", va="bottom")
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    ax.set_xticks(np.arange(-0.5, len(src)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(tgt)), minor=True)
    ax.grid(which="minor", color="white", lw=3)
    ax.tick_params(which="minor", length=0)
    ax.set_xlim(-0.5, len(src) - 0.5)
    fig.suptitle("注意力权重 α (每行和为 1)", fontsize=FS_TITLE, weight="bold", y=0.975)
    fig.text(
        0.5,
        0.025,
        # A prime in a subscript would be a superscript of it: too small on a phone.
        r"背景变量 $c_{t′}=\sum_{t}\alpha_{t′t}\,h_t$ (数值为示意)",
        ha="center",
        va="bottom",
        fontsize=FS,
    )
    fig.subplots_adjust(left=0.3, right=0.86, top=0.7, bottom=0.2)
    return fig


FIGURES: dict[str, Callable[[], plt.Figure]] = {
    "dropout-mlp": fig_dropout_mlp,
    "activation-functions": fig_activation_functions,
    "cross-correlation": fig_cross_correlation,
    "pooling-max-avg": fig_pooling,
    "residual-block": fig_residual_block,
    "rnn-unrolled": fig_rnn_unrolled,
    "rnn-concat-equivalence": fig_rnn_concat,
    "bptt-graph": fig_bptt_graph,
    "gru-cell": fig_gru_cell,
    "lstm-cell": fig_lstm_cell,
    "optimizer-paths": fig_optimizer_paths,
    "data-parallel": fig_data_parallel,
    "skipgram-negative-sampling": fig_skipgram_negative_sampling,
    "fasttext-subwords": fig_fasttext_subwords,
    "attention-weights": fig_attention_weights,
}


# --------------------------------------------------------------------------- night mode


# The light card's own background (style.css), so that a chip does not show there.
CHIP = {"boxstyle": "round,pad=0.15", "fc": "#fcfcfb", "ec": "none"}


def for_both_modes(fig: plt.Figure) -> None:
    """Make a figure on a transparent background read on a light card and a dark one.

    Free text gets a light chip behind it (invisible on a light card, a label on a dark
    one), so its dark ink keeps full contrast; strokes in INK become LINE grey.
    """
    for artist in fig.findobj():
        if isinstance(artist, Text):
            plain = artist.get_gid() == IN_SHAPE or not artist.get_text().strip()
            if not plain and artist.get_bbox_patch() is None:
                artist.set_bbox(CHIP)
        elif isinstance(artist, Line2D):
            if same_color(artist.get_color(), INK):
                artist.set_color(LINE)
            if same_color(artist.get_markeredgecolor(), INK):
                artist.set_markeredgecolor(LINE)
        elif isinstance(artist, Patch) and artist.get_visible():
            if same_color(artist.get_edgecolor(), INK):
                artist.set_edgecolor(LINE)
            if isinstance(artist, FancyArrowPatch) and same_color(artist.get_facecolor(), INK):
                artist.set_facecolor(LINE)


# --------------------------------------------------------------------------- legibility

# The width in CSS px a figure gets on a 390 px phone: Anki's 20 px body margins and the
# card's 0.6em padding at the phone font size of 18 px leave 390 - 40 - 21.6.
PHONE_WIDTH = 328
MIN_TEXT_PX = 11  # the smallest text, subscripts included, at that width


def smallest_text(fig: plt.Figure) -> tuple[float, str]:
    """The smallest glyph of the figure, in CSS px on a phone, and the text it is in.

    Mathtext is laid out to find the size of its smallest glyph (a subscript is 70 % of
    its base, a subscript's subscript 49 %).
    """
    from matplotlib.mathtext import MathTextParser
    from matplotlib.text import Text

    parser = MathTextParser("path")
    scale = PHONE_WIDTH / (fig.get_size_inches()[0] * DPI)
    smallest = (float("inf"), "")
    for text in fig.findobj(Text):
        content = text.get_text()
        if not text.get_visible() or not content.strip():
            continue
        prop = text.get_fontproperties()
        factor = 1.0
        for line in content.split("\n"):
            if line.count("$") >= 2:
                glyphs = parser.parse(line, dpi=72, prop=prop).glyphs
                if glyphs:
                    factor = min(factor, min(g[1] for g in glyphs) / prop.get_size_in_points())
        size = prop.get_size_in_points() * factor * DPI / 72 * scale
        smallest = min(smallest, (size, content))
    return smallest


# --------------------------------------------------------------------------- main


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    setup_style()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    legibility = ["figure\tsmallest_px_at_phone_width\ttext"]
    too_small = []
    for name, make in FIGURES.items():
        fig = make()
        for_both_modes(fig)
        size, text = smallest_text(fig)
        legibility.append(f"{name}\t{size:.1f}\t{text!r}")
        if size < MIN_TEXT_PX:
            too_small.append(f"{name} ({size:.1f} px: {text!r})")
        path = OUT_DIR / f"{name}.png"
        fig.savefig(path, dpi=DPI, transparent=True, metadata={"Software": None})
        plt.close(fig)
        written.append(path)
        print(f"wrote {path.relative_to(ROOT)}: smallest text {size:.1f} px on a phone")
    if too_small:
        sys.exit(
            f"make_figures.py: text under {MIN_TEXT_PX} px at {PHONE_WIDTH} px wide: "
            + "; ".join(too_small)
        )
    LEGIBILITY_FILE.write_text("\n".join(legibility) + "\n", encoding="utf-8")
    lines = [f"script-sha256 {sha256(Path(__file__).resolve())}"]
    for path in sorted(written, key=lambda p: p.name):
        lines.append(f"{sha256(path)}  {path.relative_to(ROOT).as_posix()}")
    LOCK_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {LOCK_FILE.relative_to(ROOT)} and {LEGIBILITY_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
