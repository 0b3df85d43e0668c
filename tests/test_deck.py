"""The shipped deck: valid, covering every note in the learner's seed, figures in sync."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashnotes.cli import cli
from flashnotes.project.loader import load_project

REPO = Path(__file__).resolve().parent.parent
ROOT_DECK = "动手学深度学习 (PyTorch)"

# Each topic of ../shared/seed-notes.md and the list: what a card must mention.
SEED_TOPICS = {
    "dropout near the input, 0.2 and 0.5": [r"丢弃", r"0\.2", r"0\.5", r"输入层"],
    "dropout at training and test time": [r"丢弃", r"测试"],
    "nn.Module subclasses": [r"nn\.Module", r"forward"],
    "nn.Sequential": [r"nn\.Sequential|Sequential"],
    "nn.ModuleList": [r"ModuleList"],
    "nn.ModuleDict": [r"ModuleDict"],
    "OrderedDict builds a Sequential": [r"OrderedDict", r"Sequential"],
    "custom layers (4.4)": [r"自定义"],
    "torch.save / torch.load": [r"torch\.save", r"torch\.load"],
    "state_dict and load_state_dict": [r"load_state_dict"],
    "nvidia-smi": [r"nvidia-smi"],
    "torch.cuda.is_available": [r"torch\.cuda\.is_available"],
    "torch.cuda.device_count": [r"device_count"],
    "moving to a device": [r"\.cuda\(\)|\.to\(device\)|\.to\("],
    "pooling eases position sensitivity": [r"池化", r"位置"],
    "max vs average pooling": [r"最大池化", r"平均池化"],
    "pooling channels": [r"池化", r"通道"],
    "perplexity as exp of cross-entropy": [r"困惑度", r"交叉熵"],
    "perplexity best case 1, worst +inf": [r"困惑度", r"正无穷"],
    "RNN one-hot input": [r"one-hot"],
    "gradient clipping": [r"裁剪"],
    "random vs adjacent sampling": [r"随机采样", r"相邻采样"],
    "BPTT": [r"通过时间反向传播|BPTT"],
    "GRU reset gate: short-term": [r"重置门", r"短期"],
    "GRU update gate: long-term": [r"更新门", r"长期"],
    "LSTM gates": [r"输入门", r"遗忘门", r"输出门"],
    "LSTM memory cell": [r"记忆细胞"],
    "multi-GPU data parallelism": [r"DataParallel"],
    "negative sampling cost linear in K": [r"负采样", r"K"],
    "hierarchical softmax": [r"层序 ?softmax|hierarchical softmax"],
    "fastText subwords": [r"fastText", r"子词"],
    "the open question on 6.2": [r"W_\{xh\}", r"W_\{hh\}", r"连结"],
}

# At least these chapters' sections must have cards (source: "N.M").
CHAPTERS = {"3", "4", "5", "6", "7", "8", "10"}


@pytest.fixture(scope="module")
def deck():
    return load_project(REPO)


def card_text(card) -> str:
    return "\n".join(
        part for part in (card.front, card.back, card.text, card.answer) if part is not None
    )


def test_shipped_project_passes_check():
    result = CliRunner().invoke(cli, ["check", "-C", str(REPO)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: ")


def test_deck_size_types_and_subdecks(deck):
    assert len(deck.cards) >= 150
    types = {card.type for card in deck.cards}
    assert types == {"basic", "reversed", "cloze", "typed"}
    chapters = {card.deck.split("::")[1].split(" ")[0] for card in deck.cards}
    assert chapters == {"03", "04", "05", "06", "07", "08", "10"}
    assert all(card.deck.startswith(f"{ROOT_DECK}::") for card in deck.cards)


def test_every_card_has_a_source_and_topic_tags(deck):
    for card in deck.cards:
        assert card.source and re.fullmatch(r"\d+\.\d+", card.source), card.id
        assert card.source.split(".")[0] in CHAPTERS, card.id
        assert len(card.tags) >= 2, f"{card.id} has no topic tag"


@pytest.mark.parametrize("topic", sorted(SEED_TOPICS))
def test_every_seed_topic_has_a_card(deck, topic):
    patterns = [re.compile(pattern) for pattern in SEED_TOPICS[topic]]
    matching = [card.id for card in deck.cards if all(p.search(card_text(card)) for p in patterns)]
    assert matching, f"no card covers: {topic}"


def test_figures_are_used_with_alt_text(deck):
    used = {image.relpath for card in deck.cards for image in card.images}
    figures = {f"My_img/{path.name}" for path in (REPO / "My_img").glob("*.png")}
    assert len(figures) >= 12
    assert figures <= used, f"figures no card shows: {sorted(figures - used)}"
    for card in deck.cards:
        for alt in re.findall(r"!\[([^\]]*)\]\(", card_text(card)):
            assert alt.strip(), f"{card.id}: an image without alt text"


def test_figures_match_their_script():
    """figures.lock records the script's hash and each PNG's: regenerate after editing."""
    lock = (REPO / "figures" / "figures.lock").read_text(encoding="utf-8").splitlines()
    script = (REPO / "figures" / "make_figures.py").read_bytes()
    assert lock[0] == f"script-sha256 {hashlib.sha256(script).hexdigest()}", (
        "figures/make_figures.py changed: run `python figures/make_figures.py`"
    )
    listed = {}
    for line in lock[1:]:
        digest, name = line.split()
        listed[name] = digest
    on_disk = {f"My_img/{path.name}" for path in (REPO / "My_img").glob("*.png")}
    assert set(listed) == on_disk
    for name, digest in listed.items():
        assert hashlib.sha256((REPO / name).read_bytes()).hexdigest() == digest, name


def test_the_deck_imports_into_anki_with_every_image(tmp_path):
    anki_collection = pytest.importorskip("anki.collection")
    from anki_helpers import import_package

    from flashnotes.deck.export import export_project

    # A copy, so the export record lands in the copy rather than in the repository.
    root = tmp_path / "deck"
    for part in ("cards", "My_img"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "flashnotes.yaml", root)
    package = tmp_path / "deck.apkg"
    summary = export_project(root, package, now=1_750_000_000.0)
    (tmp_path / "anki").mkdir()
    col = anki_collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        import_package(col, package)
        project = load_project(root)
        assert col.note_count() == len(project.cards) == summary.notes
        assert col.card_count() == len(project.sides)
        decks = {name for name in col.decks.all_names_and_ids() for name in [name.name]}
        assert {card.deck for card in project.cards} <= decks
        media = Path(col.media.dir())
        shown = set()
        for note_id in col.find_notes(""):
            for field in col.get_note(note_id).fields:
                shown.update(re.findall(r'<img[^>]* src="([^"]+)"', field))
        assert len(shown) == len(project.images) == 15
        for name in shown:
            assert (media / name).is_file(), name
    finally:
        col.close()
