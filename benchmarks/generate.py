"""Synthetic flashnotes projects for benchmarks: a realistic mix, reproducible from a seed.

    python benchmarks/generate.py 10000 /tmp/bench-10k

Mix: Chinese and English text, 30% of cards with math, 20% with a code block, 10% with an
image (from a pool of 50 small PNGs), a topic tag on each; types 55% basic, 20% cloze,
15% reversed, 10% typed; 500 cards per file in 10 subdecks.
"""

from __future__ import annotations

import argparse
import random
import struct
import zlib
from pathlib import Path

CARDS_PER_FILE = 500
IMAGE_POOL = 50

_CHINESE = (
    "循环神经网络通过隐藏状态捕捉序列中的历史信息，门控单元缓解了梯度衰减的问题。"
    "卷积层的输出形状由输入形状、卷积核窗口形状、填充和步幅共同决定。"
    "小批量随机梯度下降在每个迭代周期中随机均匀采样多个样本来计算梯度。"
    "词嵌入把词映射为实数向量，跳字模型用中心词来生成它在文本序列周围的背景词。"
)
_ENGLISH_TEXT = (
    "the update gate decides how much of the previous hidden state is kept while the reset "
    "gate controls how the previous state enters the candidate state for the next step"
)
_MATH = [
    r"$\sigma(X_t W_{xz} + H_{t-1} W_{hz} + b_z)$",
    r"$\exp\left(\frac{1}{n}\sum_{i=1}^n \ell_i\right)$",
    r"$$\boldsymbol{x} \leftarrow \boldsymbol{x} - \eta \nabla f(\boldsymbol{x})$$",
    r"$H_t = Z_t \odot H_{t-1} + (1 - Z_t) \odot \tilde{H}_t$",
]
_CODE = [
    "```python\nnet = nn.Sequential(nn.Linear(784, 256), nn.ReLU())\nnet.to(device)\n```",
    "```python\ntorch.save(net.state_dict(), PATH)\nnet.load_state_dict(torch.load(PATH))\n```",
]
_TAGS = ["rnn", "cnn", "optim", "nlp", "basics", "gpu", "save-load", "pooling"]


def png(seed: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    width = height = 16
    row = b"\x00" + bytes((seed * 7 + i) % 256 for i in range(width * 3))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(row * height)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def _sentence(rng: random.Random) -> str:
    start = rng.randrange(len(_CHINESE) - 30)
    english = " ".join(rng.sample(_ENGLISH_TEXT.split(" "), 5))
    return f"{_CHINESE[start : start + rng.randint(12, 30)]} {english}"


def _quoted_block(text: str) -> str:
    return "|\n" + "".join(f"      {line}\n" if line else "\n" for line in text.split("\n"))


def _card(rng: random.Random, index: int) -> str:
    extras = []
    if rng.random() < 0.30:
        extras.append(rng.choice(_MATH))
    if rng.random() < 0.20:
        extras.append(rng.choice(_CODE))
    if rng.random() < 0.10:
        extras.append(f"![图 {index}](My_img/fig-{rng.randrange(IMAGE_POOL):02d}.png)")
    back = "\n\n".join([_sentence(rng), *extras])
    roll = rng.random()
    lines = [f"  - id: card-{index:06d}"]
    if roll < 0.20:
        words = _sentence(rng).split(" ")
        text = f"{words[0]} {{{{c1::{words[1]}}}}} {' '.join(words[2:4])} {{{{c2::{words[4]}}}}}"
        lines += ["    type: cloze", f"    text: {_quoted_block(text)}".rstrip("\n")]
        lines.append(f"    back: {_quoted_block(back)}".rstrip("\n"))
    else:
        kind = "basic" if roll < 0.75 else "reversed" if roll < 0.90 else "typed"
        if kind != "basic":
            lines.append(f"    type: {kind}")
        lines.append(f"    front: {_quoted_block(_sentence(rng) + '？')}".rstrip("\n"))
        if kind == "typed":
            lines.append(f'    answer: "{rng.randint(1, 999)}"')
        lines.append(f"    back: {_quoted_block(back)}".rstrip("\n"))
    lines.append(f"    tags: [{rng.choice(_TAGS)}]")
    lines.append(f'    source: "{rng.randint(3, 10)}.{rng.randint(1, 12)}"')
    return "\n".join(lines) + "\n"


def generate(count: int, root: Path, seed: int = 0) -> Path:
    rng = random.Random(seed)
    (root / "cards").mkdir(parents=True, exist_ok=True)
    (root / "My_img").mkdir(exist_ok=True)
    for number in range(IMAGE_POOL):
        (root / "My_img" / f"fig-{number:02d}.png").write_bytes(png(number))
    (root / "flashnotes.yaml").write_text("deck: Bench\nnamespace: bench\n", encoding="utf-8")
    for first in range(0, count, CARDS_PER_FILE):
        last = min(first + CARDS_PER_FILE, count)
        deck = f"deck-{(first // CARDS_PER_FILE) % 10:02d}"
        body = "".join(_card(rng, index) for index in range(first, last))
        text = f"deck: {deck}\ntags: [bench]\ncards:\n{body}"
        (root / "cards" / f"part-{first // CARDS_PER_FILE:04d}.yaml").write_text(
            text, encoding="utf-8"
        )
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("root", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    generate(arguments.count, arguments.root, arguments.seed)


if __name__ == "__main__":
    main()
