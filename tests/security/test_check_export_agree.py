"""`check` and `export` agree on what is an image (issue 9, item 11): one Markdown parse
setup for both, so nothing check passes is refused by export, and code is never an image."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from anki_helpers import RED, write_project
from click.testing import CliRunner

from flashnotes.cli import cli
from flashnotes.deck.render import Renderer
from flashnotes.project.markdown import image_references
from flashnotes.project.media import reference_key


def run(root: Path, *args: str):
    os.chdir(root)
    return CliRunner().invoke(cli, list(args))


def project_with(tmp_path: Path, back: str) -> Path:
    card = {"id": "c", "front": "q", "back": back}
    return write_project(
        tmp_path / "p", {"a.yaml": json.dumps({"cards": [card]})}, {"My_img/a.png": RED}
    )


def exported_media(package: Path) -> list[str]:
    with zipfile.ZipFile(package) as archive:
        return sorted(json.loads(archive.read("media")).values())


@pytest.mark.parametrize(
    "back",
    [
        "![ref style][fig]\n\n[fig]: My_img/a.png",
        '<img alt=">" src="My_img/a.png">',
        "<IMG SRC=My_img/a.png>",
        "![with title](My_img/a.png 'title') and ![again](./My_img/a.png)",
        "| a |\n|---|\n| ![cell](My_img/a.png) |",
        "[![linked](My_img/a.png)](https://example.com)",
        '<div>\n<img src="My_img/a.png">\n</div>',
    ],
)
def test_an_image_check_accepts_is_shipped_by_export(tmp_path, back):
    root = project_with(tmp_path, back)
    checked = run(root, "check")
    assert checked.exit_code == 0, checked.output
    assert "1 image" in checked.stdout
    exported = run(root, "export", str(tmp_path / "deck.apkg"))
    assert exported.exit_code == 0, exported.output
    assert len(exported_media(tmp_path / "deck.apkg")) == 1


@pytest.mark.parametrize(
    "back",
    [
        "`![x](My_img/missing.png)`",
        "```\n![x](My_img/missing.png)\n<img src='My_img/missing.png'>\n```",
        "    ![indented code](My_img/missing.png)",
        "\\![escaped](My_img/missing.png)",
        "<!-- <img src='My_img/missing.png'> -->",
        "<textarea><img src='My_img/missing.png'></textarea>",
        "$![math](My_img/missing.png)$",
    ],
)
def test_image_syntax_that_shows_no_image_is_not_checked(tmp_path, back):
    root = project_with(tmp_path, back)
    checked = run(root, "check")
    assert checked.exit_code == 0, checked.output
    assert "0 images" in checked.stdout
    assert run(root, "export", str(tmp_path / "deck.apkg")).exit_code == 0


@pytest.mark.parametrize(
    "back, message",
    [
        ("![empty]()", "cards/a.yaml:1: empty image path"),
        (
            "![x][missing]\n\n[missing]: My_img/nope.png",
            "cards/a.yaml:1: image `My_img/nope.png` not found",
        ),
    ],
)
def test_an_image_export_would_refuse_is_refused_by_check(tmp_path, back, message):
    root = project_with(tmp_path, back)
    checked = run(root, "check")
    assert checked.exit_code == 1
    assert checked.stderr.splitlines() == [message, "1 problem found"]
    exported = run(root, "export", str(tmp_path / "deck.apkg"))
    assert exported.exit_code == 1 and not (tmp_path / "deck.apkg").exists()


def test_the_problem_is_named_at_the_line_of_the_image(tmp_path):
    text = (
        "cards:\n  - id: c\n    front: q\n    back: |\n      one\n\n      two\n"
        '      ![x](My_img/b.png)\n      <p>\n      <img src="My_img/c.png">\n      </p>\n'
    )
    root = write_project(tmp_path / "p", {"a.yaml": text}, {"My_img/a.png": RED})
    checked = run(root, "check")
    assert checked.stderr.splitlines() == [
        "cards/a.yaml:8: image `My_img/b.png` not found",
        "cards/a.yaml:10: image `My_img/c.png` not found",
        "2 problems found",
    ]


class _Recording(Renderer):
    """The renderer's view: every `src` the sanitiser hands it, whatever it maps to."""

    def __init__(self) -> None:
        super().__init__({})
        self.sources: list[str] = []

    def _attribute(self, tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            self.sources.append(value)
        return value


TRICKY = [
    "![a](x.png) `![b](y.png)` ![c][r]\n\n[r]: z.png",
    '<img alt=">" src="x.png"> <img src=y.png src=z.png>',
    "<script><img src='x.png'></script> <style><img src=y.png></style>",
    "* ![a](x.png)\n  > ![b](<y z.png>)\n# ![c](h.png)",
    '![a [b] c](x.png) ![](y%20z.png) <img src="a&amp;b.png">',
    "<div>\n\n![inside](x.png)\n\n</div>",
    "<img\nsrc='multi.png'\n>",
    "![图](My_img/图.png) ![x](My_img/a\\_b.png)",
    "<noscript><img src=n.png></noscript> <title><img src=t.png></title>",
    # References decoded as the HTML spec says, as the sanitiser does (not html.unescape).
    "<img src='a&#1;b.png'> <img src=\"c&#x7f;&#xfffe;&#x81;&#128;.png\">",
    "<img src='a&ampb.png'> <img src='c&notit;d.png'> <img src='e&amp f&not;.png'>",
    "<img alt='src=x.png' SRC='&#0;&#xd800;&#99999999999;.png' src=other.png>",
    "<div>a &amp\n\n![after text held back](x.png) <!-- ![in a comment](y.png)\n\n-->",
    "<b>x</b> <span title='![no](n.png)'> ![yes](y.png) <textarea>\n\n![no](t.png)",
]


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("cloze", [False, True])
def test_check_sees_exactly_the_images_the_renderer_ships(text, cloze):
    if cloze:
        text = "{{c1::" + text.replace("\n", " ") + "}}"
    renderer = _Recording()
    renderer.render(text, cloze=cloze)
    shipped = sorted({reference_key(source) for source in renderer.sources})
    checked = sorted({reference_key(src) for _, src in image_references(text, cloze=cloze)})
    assert checked == shipped
