"""The least a program could do, timed beside flashnotes by run.py.

python benchmarks/baselines.py parse ROOT          # Python start-up + libyaml parse
python benchmarks/baselines.py export ROOT OUT     # parse + markdown-it render + genanki write
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def parse(root: Path) -> list[dict]:
    cards = []
    for path in sorted((root / "cards").rglob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            cards.extend(yaml.load(handle, Loader=yaml.CSafeLoader)["cards"])
    return cards


def export(root: Path, out: Path) -> None:
    import genanki
    from markdown_it import MarkdownIt

    markdown = MarkdownIt("commonmark")
    model = genanki.Model(
        1,
        "bare",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
    )
    deck = genanki.Deck(2, "bare")
    for card in parse(root):
        front = card.get("front") or card.get("text") or ""
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[markdown.render(front), markdown.render(card.get("back") or "")],
                guid=card["id"],
            )
        )
    media = [str(path) for path in sorted((root / "My_img").glob("*.png"))]
    genanki.Package(deck, media_files=media).write_to_file(str(out))


if __name__ == "__main__":
    command, root = sys.argv[1], Path(sys.argv[2])
    if command == "parse":
        parse(root)
    else:
        export(root, Path(sys.argv[3]))
