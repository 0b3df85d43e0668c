"""Cards on a phone: drawn as Anki draws them (real collection, the reviewer's page and
MathJax from the `aqt` package) in headless Chromium at 390 px, light and night.

CI installs Chromium and the CJK fonts (.ci/run); elsewhere, without them, these skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import cardpage
import pytest
import yaml
from anki_helpers import import_package, write_project

from flashnotes.deck.export import export_project

anki_collection = pytest.importorskip("anki.collection")

REPO = Path(__file__).resolve().parent.parent
T0 = 1_750_000_000.0


def _require_browser() -> Path:
    web = cardpage.anki_web_folder()
    needed = (("chromium", cardpage.chromium()), ("aqt", web))
    missing = [name for name, found in needed if not found]
    if missing:
        message = f"needs {' and '.join(missing)} (installed by .ci/run)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    assert web is not None
    return web


def _sides_of(project: Path, work: Path) -> tuple[Path, list[cardpage.Side]]:
    """Export `project`, import it into a fresh collection; its media folder and sides."""
    web = _require_browser()
    (work / "anki").mkdir(parents=True)
    export_project(project, work / "deck.apkg", now=T0)
    col = anki_collection.Collection(str(work / "anki" / "collection.anki2"))
    try:
        import_package(col, work / "deck.apkg")
        media = Path(col.media.dir())
        sides = cardpage.card_sides(col)
    finally:
        col.close()
    (media / "_anki").symlink_to(web)
    return media, sides


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    return _sides_of(REPO, tmp_path_factory.mktemp("shipped"))


def test_no_card_of_the_shipped_deck_scrolls_sideways_on_a_phone(shipped):
    media, sides = shipped
    result = cardpage.measure(media, sides, night=False)
    assert result["viewport"] == cardpage.WIDTH
    assert result["mathErrors"] == 0
    assert result["wide"] == [], "cards wider than the phone (label, px too wide)"
    assert result["page"] == cardpage.WIDTH
    assert result["clipped"] == [], "scroll boxes that cut off a formula's top or bottom"
    assert result["split"] == [], "punctuation pushed to the line after its formula"
    assert result["scrolling"], "the deck's wide formulas scroll in their own boxes"


FRACTION = r"\frac{\exp(e_{t't})}{\sum_{k=1}^{T} \exp(e_{t'k})}"
SIGMOID = r"\text{sigmoid}'(x) = \text{sigmoid}(x)\left(1-\text{sigmoid}(x)\right)"
LOG = r"\mathcal{O}(\log_2 |\mathcal{V}|)"
FILLER = "一二三四五六七八九十" * 3 + "一二三"  # fills a 390 px line but for the formula
CODE = "net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))  # 行尾的注释"
WIDE = {
    "cards": [
        {
            "id": "wide-display",
            "front": "哪个公式很宽？",
            "back": f"前文。\n\n$${FRACTION} + {FRACTION} + {FRACTION}$$\n",
        },
        {
            "id": "wide-inline",
            "front": "行内公式后面的标点",
            "back": f"由链式法则，${SIGMOID} = \\sigma(x)(1-\\sigma(x))$，越偏离 0 越接近 0。",
        },
        {
            "id": "wide-code",
            "type": "typed",
            "front": f"下面代码的输出是多少？\n\n```python\n{CODE}\n```\n",
            "answer": "torch.Size([2, 1])",
        },
        {
            "id": "punctuation",
            "type": "cloze",
            "text": f"{FILLER} ${LOG}$。\n{FILLER} {{{{c1::${LOG}$}}}}。\n",
        },
        {
            "id": "wide-table",
            "front": "宽表格",
            "back": "| 名称 | 公式 | 说明 |\n|---|---|---|\n"
            f"| 注意力权重 | ${FRACTION} = {FRACTION}$ | 按行归一化 |\n",
        },
    ]
}


@pytest.fixture(scope="module")
def wide(tmp_path_factory):
    """The WIDE project measured in light and in night mode."""
    root = tmp_path_factory.mktemp("wide")
    write_project(root / "project", {"wide.yaml": yaml.safe_dump(WIDE, allow_unicode=True)})
    media, sides = _sides_of(root / "project", root / "work")
    return {night: cardpage.measure(media, sides, night=night) for night in (False, True)}


@pytest.mark.parametrize("night", [False, True], ids=["light", "night"])
def test_too_wide_content_scrolls_in_its_own_box_never_the_page(wide, night):
    result = wide[night]
    assert result["page"] == cardpage.WIDTH and result["wide"] == []
    assert result["clipped"] == [] and result["mathErrors"] == 0
    scrolling = set(map(tuple, result["scrolling"]))
    assert ("wide-display 1 a", "div") in scrolling  # the display formula's box
    assert ("wide-inline 1 a", "p") in scrolling  # the paragraph of a too-wide inline one
    assert ("wide-code 1 q", "pre") in scrolling
    assert ("wide-table 1 a", "table") in scrolling
    assert result["split"] == []


def test_typed_answer_comparison_lines_up_and_reads_in_both_modes(wide):
    for night in (False, True):
        (typed,) = wide[night]["typed"]
        assert typed["label"] == "wide-code 1 a"
        assert len(set(typed["lineStarts"])) == 1, typed  # typed, arrow, expected: aligned
        assert typed["contrast"] >= 4.5, typed  # WCAG AA for every marked letter


def test_one_answer_rule_not_two(wide):
    """Anki's reviewer styles every hr as a 1 px grey bar; ours adds no second line."""
    assert set(wide[False]["rules"]) == set(wide[True]["rules"]) == {1}

