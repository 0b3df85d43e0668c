"""Markdown fields to HTML for Anki: math, code, cloze markup, sanitising, images."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from flashnotes.deck.render import Renderer, render_markdown
from flashnotes.project.media import anki_media_names


def test_inline_and_display_math_become_mathjax_with_tex_untouched():
    html = render_markdown(r"Loss $\ell_1 * w_2 < \epsilon$ and $$\sum_{i=1}^n x_i^2$$")
    assert html == (
        r"<p>Loss \(\ell_1 * w_2 &lt; \epsilon\) and "
        r'<span class="math">\[\sum_{i=1}^n x_i^2\]</span></p>'
    )


def test_display_math_block():
    assert render_markdown("$$\na_{ij} = b_*\n$$") == r'<div class="math">\[a_{ij} = b_*\]</div>'


def test_dollar_amounts_stay_text():
    assert render_markdown("costs $5 or $10") == "<p>costs $5 or $10</p>"


def test_fenced_code_is_highlighted_with_classes_and_kept_from_mathjax():
    html = render_markdown("```python\ndef f(x):\n    return '\\(' # c\n```")
    assert html.startswith('<pre class="code tex2jax_ignore"><code><span class="k">def</span>')
    assert '<span class="c1"># c</span>' in html
    assert "style=" not in html  # colours come from the stylesheet (light and night)


def test_code_in_an_unknown_language_is_escaped_text():
    html = render_markdown("```nosuchlang\na < b\n```")
    assert html == '<pre class="code tex2jax_ignore"><code>a &lt; b\n</code></pre>'


def test_cloze_with_bold_math_and_hint_survives_markdown_and_sanitiser():
    html = render_markdown(
        "Rate {{c1::**small** $p_{1}$::how big?}} then {{c2::0.5}} <b>x</b>", cloze=True
    )
    assert html == (
        r"<p>Rate {{c1::<strong>small</strong> \(p_{1}\)::how big?}} then {{c2::0.5}} "
        "<b>x</b></p>"
    )


def test_braces_outside_cloze_are_left_alone():
    assert render_markdown("{{ not a cloze }}", cloze=True) == "<p>{{ not a cloze }}</p>"


def test_nothing_executable_survives():
    html = render_markdown(
        '<script>alert(1)</script><img src="x.png" onerror="alert(1)">'
        '<a href="javascript:alert(2)" onclick="x()">a</a> [b](javascript:alert(3)) '
        '<iframe src="https://example.com"></iframe><span style="color: red; '
        'background: url(javascript:alert(4))">c</span><svg onload="alert(5)"></svg>'
    )
    lowered = html.lower()
    for forbidden in ("<script", "onerror", "onclick", "onload", "<iframe", "<svg", "url("):
        assert forbidden not in lowered
    assert 'href="javascript' not in lowered
    assert "[b](javascript:alert(3))" in html  # markdown-it refused the link: plain text
    assert 'style="color:red"' in html


def test_markdown_and_raw_html_images_point_at_flat_media_names():
    names = anki_media_names(["My_img/fig.png", "My_img/sub/fig.png", "My_img/图 1.png"])
    renderer = Renderer(names)
    html = renderer.render(
        '![a](My_img/fig.png) <img src="My_img/sub/fig.png"> ![b](<My_img/图 1.png>)'
    )
    assert 'src="my_img_fig.png"' in html
    assert 'src="my_img_sub_fig.png"' in html
    assert f'src="{names["My_img/图 1.png"]}"' in html
    assert renderer.unresolved == []


def test_an_image_that_is_not_a_project_image_is_reported():
    renderer = Renderer({})
    html = renderer.render("![x][ref]\n\n[ref]: elsewhere.png")
    assert "elsewhere.png" not in html
    assert renderer.unresolved == ["elsewhere.png"]


def test_media_names_are_flat_collision_free_and_follow_ankis_rules():
    names = anki_media_names(
        ["My_img/sub/fig.png", "a/b_c.png", "a_b/c.png", "x/Fig.png", "x/fig.png", "p/c?n:*.png"]
    )
    assert names["My_img/sub/fig.png"] == "my_img_sub_fig.png"
    assert all(name == name.lower() for name in names.values())  # as Anki stores them
    assert len(set(name.casefold() for name in names.values())) == len(names)
    assert names["a/b_c.png"].startswith("a_b_c-") and names["a/b_c.png"].endswith(".png")
    for name in names.values():
        assert not set(name) & set('[]<>:"/?*^\\| ')
        assert len(name.encode()) <= 120
    assert anki_media_names(["con.png"])["con.png"] != "con.png"  # a Windows device name
    long = "My_img/" + "图" * 100 + ".png"
    assert len(anki_media_names([long])[long].encode()) <= 120


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 9),
            st.text(alphabet="ab *_$`\\<>&x", min_size=1, max_size=8).filter(
                lambda s: "}" not in s and "{" not in s and s.strip()
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_every_cloze_marker_survives_rendering(deletions):
    text = " and ".join(f"{{{{c{n}::{body}}}}}" for n, body in deletions)
    html = render_markdown(text, cloze=True)
    for number, _ in deletions:
        assert f"{{{{c{number}::" in html
    assert html.count("}}") == len(deletions)
