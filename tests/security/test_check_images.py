"""Images are what their names say (issue 9, items 5 and 10).

A file is shipped into Anki's media folder and opened by the quiz's `o` key by its name,
so the bytes must be an image of the format its extension names. Hostile paths (`%00`,
kilobytes long) are one line, never an internal error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from anki_helpers import RED, write_project
from click.testing import CliRunner

from flashnotes.cli import cli
from flashnotes.project.loader import load_project
from flashnotes.project.media import VIEWER_KINDS

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00rest"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
INKSCAPE_SVG = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    b"<!-- Created with Inkscape (http://www.inkscape.org/) -->\n"
    b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
    b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [\n'
    b'  <!ENTITY ns_svg "http://www.w3.org/2000/svg">\n]>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>\n'
)
HTML_WITH_SVG = (
    b"<!-- a comment first -->\n<html><body><script>alert(1)</script>"
    b'<svg xmlns="http://www.w3.org/2000/svg"/></body></html>'
)


def check_one(tmp_path: Path, reference: str, files: dict[str, bytes]):
    card = {"id": "c", "front": "q", "back": f"![x]({reference})"}
    root = write_project(tmp_path / "p", {"a.yaml": json.dumps({"cards": [card]})}, files)
    os.chdir(root)
    return CliRunner().invoke(cli, ["check"])


def assert_refused(result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"cards/a.yaml:1: {message}", "1 problem found"]


@pytest.mark.parametrize("name", ["evil.html", "run.desktop", "noext", "x.png.sh", "a.svgz"])
def test_an_image_under_a_name_that_is_no_image_name_is_refused(tmp_path, name):
    assert_refused(
        check_one(tmp_path, f"My_img/{name}", {f"My_img/{name}": RED}),
        f"image `My_img/{name}` does not end in an image extension "
        "(.png, .jpg, .jpeg, .gif, .webp, .svg)",
    )


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("a.jpg", RED, "PNG"),
        ("a.png", JPEG, "JPEG"),
        ("a.svg", RED, "PNG"),
        ("a.gif", SVG, "SVG"),
    ],
)
def test_the_extension_must_match_the_bytes(tmp_path, name, data, kind):
    right = {"PNG": ".png", "JPEG": ".jpg", "SVG": ".svg"}[kind]
    extension = Path(name).suffix
    assert_refused(
        check_one(tmp_path, f"My_img/{name}", {f"My_img/{name}": data}),
        f"image `My_img/{name}` holds {kind} data but ends in {extension}; "
        f"rename it to end in {right}",
    )


def test_html_with_svg_after_a_comment_is_not_svg(tmp_path):
    assert_refused(
        check_one(tmp_path, "My_img/a.svg", {"My_img/a.svg": HTML_WITH_SVG}),
        "`My_img/a.svg` is not an image (PNG, JPEG, GIF, SVG or WebP)",
    )


def test_an_svg_that_mentions_svg_only_past_a_long_prolog_is_refused_quickly(tmp_path):
    data = b" " * 1_000_000 + b"<svg/>"
    assert_refused(
        check_one(tmp_path, "My_img/a.svg", {"My_img/a.svg": data}),
        "`My_img/a.svg` is not an image (PNG, JPEG, GIF, SVG or WebP)",
    )


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("a.png", RED, "png"),
        ("B.PNG", RED, "png"),
        ("c.jpeg", JPEG, "jpeg"),
        ("d.JPG", JPEG, "jpeg"),
        ("e.gif", b"GIF87a rest", "gif"),
        ("f.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        ("g.svg", SVG, "svg"),
        ("h.svg", INKSCAPE_SVG, "svg"),
        ("i.svg", b"\xef\xbb\xbf\n  " + SVG, "svg"),
    ],
)
def test_real_images_are_accepted_with_their_kind(tmp_path, name, data, kind):
    result = check_one(tmp_path, f"My_img/{name}", {f"My_img/{name}": data})
    assert result.exit_code == 0, result.output
    (image,) = load_project(tmp_path / "p").images
    assert image.kind == kind
    # The quiz's `o` key hands only these to the system viewer: never SVG.
    assert (kind in VIEWER_KINDS) == (kind != "svg")


@pytest.mark.parametrize(
    "reference, message",
    [
        ("My_img/a%00.png", "image path `My_img/a%00.png` contains the control character \\x00"),
        (
            "My_img/a%1b]0;x%07.png",
            "image path `My_img/a%1b]0;x%07.png` contains the control character \\x1b",
        ),
        ("My_img/" + "a" * 300 + ".png", "image path `My_img/" + "a" * 193 + "…` is too long"),
        ("My_img/" + "a/" * 600 + "b.png", "image path `My_img/" + "a/" * 96 + "a…` is too long"),
        ("My_img/%ff.png", "image `My_img/%ff.png` not found"),
    ],
)
def test_hostile_image_paths_are_one_line(tmp_path, reference, message):
    assert_refused(check_one(tmp_path, reference, {"My_img/a.png": RED}), message)


def test_the_quiz_never_hands_an_svg_to_the_system_viewer(tmp_path, monkeypatch):
    """`o` opens raster images only: the viewer for SVG is often a browser, running scripts."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opened = tmp_path / "opened"
    fake = bin_dir / "xdg-open"
    fake.write_text(f'#!/bin/sh\necho "$1" >> {opened}\n')
    fake.chmod(0o755)
    card = {"id": "c", "front": "q ![s](My_img/s.svg) ![p](My_img/p.png)", "back": "a"}
    images = {"My_img/s.svg": SVG, "My_img/p.png": RED}
    root = write_project(tmp_path / "p", {"a.yaml": json.dumps({"cards": [card]})}, images)
    os.chdir(root)
    result = CliRunner().invoke(
        cli,
        ["quiz", "--cram"],
        input="o\n\n3\nq\n",
        env={"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "FLASHNOTES_NOW": "2026-11-30"},
    )
    assert result.exit_code == 0, result.output
    assert "not opened: s.svg is an SVG image" in result.stdout
    assert opened.read_text().splitlines() == [str((root / "My_img" / "p.png").resolve())]
