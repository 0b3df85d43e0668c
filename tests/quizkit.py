"""Shared helpers for the quiz, store and stats tests: a small project on disk."""

from __future__ import annotations

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
