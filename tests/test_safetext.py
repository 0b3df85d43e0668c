"""The one sanitiser for untrusted text on a terminal."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashnotes.errors import FlashnotesError, Problem
from flashnotes.safetext import safe_block, safe_line, unsafe_characters

ATTACKS = {
    "osc52 clipboard": "\x1b]52;c;ZWNobyBwd25lZA==\x07",
    "title": "\x1b]0;pwned\x07",
    "clear screen": "\x1b[2J\x1b[H",
    "c1 csi": "\x9b2J",
    "nul": "a\x00b",
    "del": "a\x7fb",
    "bidi override": "abc\u202edcba",
    "bidi isolate": "\u2066x\u2069",
    "zero width": "i\u200bd",
    "line separator": "a\u2028b",
    "nel": "a\x85b",
}


@pytest.mark.parametrize("text", ATTACKS.values(), ids=ATTACKS.keys())
def test_attacks_come_out_escaped_and_visible(text):
    line = safe_line(text)
    assert all(ord(c) >= 0x20 and not 0x7F <= ord(c) <= 0x9F for c in line)
    assert "\\x" in line or "\\u" in line


def test_plain_text_cjk_and_emoji_are_untouched():
    text = "GRU 的重置门：短期依赖 $\\lambda$ → ✓"
    assert safe_line(text) == text
    assert safe_block("第一行\n\t第二行") == "第一行\n\t第二行"


def test_line_escapes_newlines_block_keeps_them():
    assert safe_line("a\nb\tc") == "a\\x0ab\\x09c"
    assert safe_block("a\r\nb") == "a\\x0d\nb"


def test_unsafe_characters_lists_each_once():
    assert unsafe_characters("a\x1fb\x1f\u202e\t\n") == ["\\x1f", "\\u202e"]
    assert unsafe_characters("普通文本\n\tok") == []


@given(st.text())
def test_output_never_carries_a_control_or_invisible_character(text):
    for out in (safe_line(text), safe_block(text)):
        assert unsafe_characters(out) == []


def test_problems_and_errors_print_escaped(tmp_path):
    problem = Problem(tmp_path / "cards" / "a.yaml", 3, "unknown key `\x1b]0;t\x07`")
    assert "\x1b" not in problem.format(tmp_path)
    assert FlashnotesError("deck \x1b[2J").lines() == ["deck \\x1b[2J"]
