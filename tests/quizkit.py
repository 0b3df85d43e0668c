"""Shared helpers for the quiz, store and stats tests: a small project on disk."""

from __future__ import annotations

import os
import sqlite3
import sys
import textwrap
from pathlib import Path

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

CARDS = """\
deck: 06 RNN
tags: [rnn]
cards:
  - id: gru-gates
    front: GRU 的重置门和更新门分别有助于捕捉什么？
    back: |
      - **重置门**：短期依赖
      - **更新门**：长期依赖

      ![GRU](My_img/gru.png)
  - id: dropout
    type: cloze
    text: 丢弃概率通常设得{{c1::小一些}}，第一个隐藏层 {{c2::0.2::一个小数}}。
  - id: perplexity-best
    type: typed
    front: 最佳情况下，困惑度等于多少？
    answer: "1"
    back: 模型总把标签类别的概率预测为 1。
  - id: sigmoid
    type: reversed
    front: sigmoid 函数
    back: $\\sigma(x) = \\frac{1}{1 + e^{-x}}$
"""


def make_project(root: Path, cards: str = CARDS, settings: str = "deck: Demo\n") -> Path:
    """A project with four entries (six review sides) and one image."""
    (root / "cards").mkdir(parents=True, exist_ok=True)
    (root / "My_img").mkdir(exist_ok=True)
    (root / "My_img" / "gru.png").write_bytes(PNG)
    (root / "flashnotes.yaml").write_text(textwrap.dedent(settings), encoding="utf-8")
    (root / "cards" / "rnn.yaml").write_text(cards, encoding="utf-8")
    return root


def log_rows(root: Path, db: Path | None = None) -> list[tuple[str, int]]:
    """(side key, rating) of every logged review, oldest first; [] before the first."""
    path = db or root / ".flashnotes" / "reviews.sqlite3"
    if not path.exists():
        return []
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT side_key, rating FROM review_log ORDER BY id").fetchall()
    finally:
        connection.close()


FLASHNOTES = str(Path(sys.executable).parent / "flashnotes")
PINNED_NOW = "2026-11-30T09:00:00+00:00"


def terminal(program: str, args: list[str], root: Path, **extra_env: str):
    """A pexpect child on a 30x100 terminal with the clock pinned and study days in UTC."""
    import pexpect

    env = {
        **os.environ,
        **extra_env,
        "FLASHNOTES_NOW": PINNED_NOW,
        "TZ": "UTC",
        "TERM": "xterm-256color",
    }
    return pexpect.spawn(
        program, args, cwd=str(root), env=env, encoding="utf-8", dimensions=(30, 100), timeout=15
    )
