"""`flashnotes check`: every rule of the contract, named at its line, all in one run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashnotes.cli import cli

GOOD_CARDS = """
deck: 06 循环神经网络
tags: [rnn, ch06]
cards:
  - id: gru-gates
    front: GRU 的重置门和更新门分别有助于捕捉什么？
    back: |
      - **重置门**：短期依赖
      - **更新门**：长期依赖

      ![GRU 的门](My_img/gru-gates.png)
    tags: [gru]
    source: "6.7"
  - id: dropout-rates
    type: cloze
    text: 丢弃概率：第一个隐藏层 {{c1::0.2}}、第二个 {{c2::0.5}}。
    back: optional extra
  - id: perplexity-best
    type: typed
    front: 最佳情况下，困惑度等于多少？
    answer: "1"
  - id: ordereddict
    type: reversed
    front: "`collections.OrderedDict`"
    back: 记住键插入顺序的字典
"""


def run_check(root: Path, *args: str):
    return CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)


def problems_of(project, name: str, text: str) -> list[str]:
    """Write one card file into a valid project and return check's problem lines."""
    project.image("My_img/gru-gates.png")
    project.cards(name, text)
    os.chdir(project.root)
    result = run_check(project.root)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-1].endswith("found")
    return lines[:-1]


def test_valid_project_passes_with_summary(project):
    project.image("My_img/gru-gates.png")
    project.cards("06-rnn.yaml", GOOD_CARDS)
    result = CliRunner().invoke(cli, ["check", "--root", str(project.root)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "ok: 4 cards (6 review cards) in 1 deck, 1 image\n"


def test_root_option_short_form_and_missing_root(project, tmp_path):
    project.cards("a.yaml", "cards: []\n")
    assert CliRunner().invoke(cli, ["check", "-C", str(project.root)]).exit_code == 0
    missing = CliRunner().invoke(cli, ["check", "--root", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert "does not exist" in missing.stderr


def test_no_cards_folder(tmp_path):
    os.chdir(tmp_path)
    result = run_check(tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "cards: no cards/ folder here; run `flashnotes init` to start"
    )


def test_yaml_syntax_error_has_its_line(project):
    lines = problems_of(project, "a.yaml", "cards:\n  - id: a\n    front: [unclosed\n")
    assert lines == ["cards/a.yaml:4: YAML syntax error: did not find expected ',' or ']'"]


def test_invalid_utf8_names_the_line(project):
    project.write("cards/a.yaml", "")
    (project.root / "cards/a.yaml").write_bytes(b"cards:\n  - id: a\n    front: caf\xe9\n")
    lines = problems_of(project, "b.yaml", "cards: []\n")
    assert lines == ["cards/a.yaml:3: not valid UTF-8 (byte 0xe9); save the file as UTF-8"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "cards/a.yaml:1: a card file is a mapping with a `cards:` list, not an empty file"),
        ("- id: a\n", "cards/a.yaml:1: a card file is a mapping with a `cards:` list, not a list"),
        ("deck: x\n", "cards/a.yaml:1: a card file needs a `cards:` list"),
        ("cards: hello\n", "cards/a.yaml:1: `cards` must be a list, not a single value"),
        ("cards:\n  - text\n", "cards/a.yaml:2: a card is a mapping of keys, not a single value"),
    ],
)
def test_file_shape(project, text, expected):
    assert problems_of(project, "a.yaml", text) == [expected]


def test_ids_missing_malformed_and_duplicated(project):
    project.cards("a.yaml", "cards:\n  - id: shared\n    front: q\n    back: a\n")
    lines = problems_of(
        project,
        "b.yaml",
        """
        cards:
          - id: 42
            front: q
            back: a
          - id: Has Space
            front: q
            back: a
          - id: {long}
            front: q
            back: a
          - id: shared
            front: q
            back: a
          - front: What does the GRU reset gate capture?
            back: short-term dependencies
          - id:
            front: q
            back: a
        """.replace("{long}", "x" * 65),
    )
    assert lines == [
        'cards/b.yaml:2: `id` must be a string: quote it, id: "42"',
        "cards/b.yaml:5: `id` `Has Space` may only use lowercase letters, digits, `-`, `_` and `.`",
        "cards/b.yaml:8: `id` is 65 characters long; at most 64 are allowed",
        "cards/b.yaml:11: duplicate id `shared` (also used at cards/a.yaml:2)",
        "cards/b.yaml:14: card has no `id` (suggested: what-does-the-gru-reset; "
        "`flashnotes add-ids` writes the suggestions into the files)",
        "cards/b.yaml:16: `id` is empty",
    ]


def test_unknown_keys_suggest_the_nearest(project):
    lines = problems_of(
        project,
        "a.yaml",
        """
        dekc: x
        cards:
          - id: a
            frnt: q
            back: a
            colour: red
        """,
    )
    assert lines == [
        "cards/a.yaml:1: unknown key `dekc` in a card file; did you mean `deck`?",
        "cards/a.yaml:3: a basic card needs `front`",
        "cards/a.yaml:4: unknown key `frnt` in a card; did you mean `front`?",
        "cards/a.yaml:6: unknown key `colour` in a card; known keys: "
        "id, type, front, back, text, answer, tags, source, lint",
    ]


def test_types_and_required_fields(project):
    lines = problems_of(
        project,
        "a.yaml",
        """
        cards:
          - id: a
            type: clozed
            text: x
          - id: b
            type: typed
            front: q
          - id: c
            type: cloze
            front: q
            text: "{{c1::x}}"
          - id: d
            front: ""
            back: "   "
          - id: e
            front: [a, b]
            back: {x: 1}
          - id: f
            type: reversed
            front: q
        """,
    )
    assert lines == [
        "cards/a.yaml:3: unknown card type `clozed`; did you mean `cloze`?",
        "cards/a.yaml:5: a typed card needs `answer`",
        "cards/a.yaml:10: `front` is not used by cloze cards (only by basic, reversed, typed)",
        "cards/a.yaml:13: `front` is empty",
        "cards/a.yaml:14: `back` is empty",
        "cards/a.yaml:16: `front` must be text, not a list",
        "cards/a.yaml:17: `back` must be text, not a mapping",
        "cards/a.yaml:18: a reversed card needs `back`",
    ]


def test_cloze_markup_problems_at_their_line(project):
    lines = problems_of(
        project,
        "a.yaml",
        r"""
        cards:
          - id: none
            type: cloze
            text: no deletion here
          - id: broken
            type: cloze
            text: |
              first line is fine {{c1::ok}}
              single colon {{c2:oops}}
              math closes early {{c3::$\frac{a}{b}}$}}
              empty {{c4::}} and zero {{c0::x}}
              never closed {{c5::abc
        """,
    )
    assert lines == [
        "cards/a.yaml:4: cloze text has no deletion; mark one as `{{c1::answer}}`",
        "cards/a.yaml:9: malformed cloze `{{c2:`: write `{{c1::answer}}` "
        "(lowercase c, a number, two colons)",
        "cards/a.yaml:10: a `}}` inside cloze deletion c3 ends it early in Anki (common in math): "
        "write `} }` with a space inside the deletion",
        "cards/a.yaml:11: cloze deletion c4 has an empty answer",
        "cards/a.yaml:11: cloze numbers start at c1, not c0",
        "cards/a.yaml:12: cloze deletion c5 is never closed with `}}`",
    ]


def test_tags(project):
    lines = problems_of(
        project,
        "a.yaml",
        """
        tags: "rnn"
        cards:
          - id: a
            front: q
            back: a
            tags: [ok, "two words", "", "a::::b", ok::child]
        """,
    )
    assert lines == [
        "cards/a.yaml:1: `tags` must be a list such as [rnn, ch06], not a single value",
        "cards/a.yaml:6: empty tag",
        "cards/a.yaml:6: tag `a::::b` has an empty part between `::`",
        "cards/a.yaml:6: tag `two words` contains a space; use `-` or `_` instead",
    ]


def test_images(project, tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\nrest")
    (project.root / "My_img").mkdir(parents=True, exist_ok=True)
    (project.root / "My_img" / "link.png").symlink_to(outside)
    (project.root / "My_img" / "notes.png").write_text("not really a png")
    lines = problems_of(
        project,
        "a.yaml",
        """
        cards:
          - id: a
            front: q
            back: |
              ![ok](My_img/gru-gates.png)
              ![missing](My_img/missing.png)
              ![up](../secret.png)
              ![via link](My_img/link.png)
              ![not an image](My_img/notes.png)
              ![web](https://example.com/x.png)
              <img src="/etc/passwd.png">
              <IMG SRC='data:image/png;base64,AAAA'>
              ![folder](My_img)
        """,
    )
    assert lines == [
        "cards/a.yaml:6: image `My_img/missing.png` not found",
        "cards/a.yaml:7: image `../secret.png` leaves the project root",
        "cards/a.yaml:8: image `My_img/link.png` leaves the project root",
        "cards/a.yaml:9: `My_img/notes.png` is not an image (PNG, JPEG, GIF, SVG or WebP)",
        "cards/a.yaml:10: image `https://example.com/x.png` is a link; "
        "only image files inside the project are shown",
        "cards/a.yaml:11: image `/etc/passwd.png` is an absolute path; "
        "write it relative to the project root",
        "cards/a.yaml:12: image `data:image/png;base64,AAAA` is a link; "
        "only image files inside the project are shown",
        "cards/a.yaml:13: image `My_img` is not a file",
    ]


def test_every_accepted_image_format(project):
    formats = {
        "a.jpg": b"\xff\xd8\xff\xe0rest",
        "b.gif": b"GIF89a rest",
        "c.webp": b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        "d.svg": b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
        "e with space.png": b"\x89PNG\r\n\x1a\nrest",
    }
    for name, data in formats.items():
        (project.root / "My_img" / name).write_bytes(data)
    project.cards(
        "a.yaml",
        """
        cards:
          - id: a
            front: "![a](My_img/a.jpg) ![b](./My_img/b.gif) <img alt='c' src=My_img/c.webp>"
            back: "![d](My_img/d.svg) ![e](My_img/e%20with%20space.png)"
        """,
    )
    result = CliRunner().invoke(cli, ["check", "-C", str(project.root)])
    assert result.exit_code == 0, result.output
    assert "5 images" in result.stdout


def test_settings_problems(project):
    project.settings(
        """
        deck: "A::::B"
        namespce: x
        quiz:
          desired_retention: 1.5
          learning_steps: [1m, soon]
          new_per_day: -1
        """
    )
    lines = problems_of(project, "a.yaml", "cards: []\n")
    assert lines == [
        "flashnotes.yaml:1: deck name `A::::B` has an empty part between `::`",
        "flashnotes.yaml:2: unknown key `namespce` in flashnotes.yaml; did you mean `namespace`?",
        "flashnotes.yaml:4: `desired_retention` must be a number from 0.7 to 0.99",
        "flashnotes.yaml:5: `learning_steps`: a step is a duration such as 30s, 10m, 1h or 1d",
        "flashnotes.yaml:6: `new_per_day` must be a whole number from 0 to 1000000",
    ]


def test_settings_wrong_types(project):
    project.settings("deck: [a]\nnamespace: Has Space\n")
    lines = problems_of(project, "a.yaml", "cards: []\n")
    assert lines == [
        "flashnotes.yaml:1: `deck` must be text, not a list",
        "flashnotes.yaml:2: namespace `Has Space` must be lowercase letters, digits, `.`, `_` "
        "or `-` (at most 64, starting with a letter or digit)",
    ]


def test_problems_are_sorted_across_files(project):
    project.cards("b.yaml", "cards:\n  - id: b\n    frnt: q\n    back: a\n")
    lines = problems_of(project, "sub/a.yaml", "cards:\n  - id: a\n    front: q\n")
    assert [line.split(":")[0] for line in lines] == [
        "cards/b.yaml",
        "cards/b.yaml",
        "cards/sub/a.yaml",
    ]


def test_yml_files_are_not_silently_ignored(project):
    lines = problems_of(project, "x.yml", "cards: []\n")
    assert lines == ["cards/x.yml: card files must end in .yaml; rename it"]


def test_tags_cannot_carry_html(project):
    # Anki's {{Tags}} puts tags into the card's HTML unescaped: this would run in Anki.
    lines = problems_of(
        project,
        "a.yaml",
        """
        cards:
          - id: a
            front: q
            back: a
            tags: ["<img/src=x/onerror=alert(1)>", "a&b"]
        """,
    )
    assert lines == [
        "cards/a.yaml:5: tag `<img/src=x/onerror=alert(1)>` contains one of <>&\"'; "
        "Anki shows tags as HTML",
        "cards/a.yaml:5: tag `a&b` contains one of <>&\"'; Anki shows tags as HTML",
    ]


def test_paths_far_outside_the_folder_are_shown_absolute(tmp_path, monkeypatch):
    from flashnotes.errors import display_path

    inside = tmp_path / "work" / "deck"
    inside.mkdir(parents=True)
    monkeypatch.chdir(inside)
    assert display_path(inside / "cards" / "a.yaml") == "cards/a.yaml"
    assert display_path(tmp_path / "work" / "other" / "a.yaml") == "../other/a.yaml"
    assert display_path(Path("/dev/null")) == "/dev/null"
