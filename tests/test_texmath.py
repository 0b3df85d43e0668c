"""TeX math in the terminal (issue 11 item 6, issue 9 item 9): the cases the shipped deck uses,
and formulas nested past reason shown as their source."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from rich.cells import cell_len
from rich.console import Console

from flashnotes.review.terminal import markdown
from flashnotes.review.texmath import to_rows, to_unicode

CARDS = Path(__file__).resolve().parent.parent / "cards"


def card(card_id: str) -> dict:
    """A card of the shipped deck, as written."""
    text = (CARDS / "07-optimization.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    entries = yaml.load(text, Loader=loader)["cards"]
    return next(entry for entry in entries if entry["id"] == card_id)


def shown(text: str, width: int = 80) -> list[str]:
    console = Console(width=width, color_system=None)
    with console.capture() as captured:
        console.print(markdown(text))
    return [line.rstrip() for line in captured.get().splitlines()]


def test_math_reads_as_unicode():
    assert to_unicode(r"\sigma(W_{xz})") == "σ(W_xz)"
    assert to_unicode(r"\sigma(x) = \frac{1}{1 + e^{-x}}") == "σ(x) = 1/(1 + e⁻ˣ)"
    assert to_unicode(r"\mathbf{H}_t = \mathbf{Z}_t \odot \mathbf{H}_{t-1}") == "Hₜ = Zₜ ⊙ Hₜ₋₁"
    assert to_unicode(r"\sum_{i=1}^n x_i^2") == "Σᵢ₌₁ⁿ xᵢ²"
    assert to_unicode(r"\frac{\partial L}{\partial W}") == "∂L/∂W"
    assert to_unicode(r"\operatorname{softmax}(QK^\top/\sqrt{d})V") == "softmax(QKᵀ/√d)V"
    assert to_unicode(r"\mathbb{R}^{n}") == "ℝⁿ"
    assert to_unicode(r"\hat{y}") == "ŷ"
    assert to_unicode(r"\unknowncommand{x}") == "unknowncommandx"  # nothing lost


def test_aligned_blocks_of_the_deck_are_lines_lined_up_at_the_arrow():
    for card_id in (
        "adagrad-update-rule",
        "rmsprop-update-rule",
        "adadelta-update-rule",
        "adam-update-rule",
    ):
        back = card(card_id)["back"]
        assert "\\begin{aligned}" in back
        lines = [line for line in shown(back) if "←" in line]
        assert len(lines) == back.count("\\\\") + 1, lines  # a line per row
        assert not any("&" in line for line in lines)
        columns = {cell_len(line[: line.index("←")]) for line in lines}
        assert len(columns) == 1, lines  # the arrows stand in one column
    adam = [line.strip() for line in shown(card("adam-update-rule")["back"])]
    assert "xₜ ← xₜ₋₁ - gₜ′" in adam
    assert "gₜ′ ← (η v̂ₜ)/(√ŝₜ + ϵ)," in adam


def test_rows_and_cells():
    tex = r"\begin{aligned} a &= b + c \\ d &\leq e \end{aligned}"
    assert to_rows(tex) == [["a", "= b + c"], ["d", "≤ e"]]
    assert to_unicode(tex) == "a = b + c; d ≤ e"  # inline: one line


def test_fractions_keep_their_precedence():
    assert to_unicode(r"\frac{\lambda}{2n} \|\boldsymbol{w}\|^2") == "λ/(2n) ‖w‖²"
    assert to_unicode(r"\frac{\eta}{|\mathcal{B}|}") == "η/|ℬ|"
    assert to_unicode(r"\frac{a+b}{c}") == "(a+b)/c"
    assert to_unicode(r"\frac{t}{f(w_i)}") == "t/f(wᵢ)"
    assert to_unicode(r"\frac{1}{10^{-4}}") == "1/10⁻⁴"
    assert to_unicode(r"\sqrt{\Delta\boldsymbol{x}_{t-1}}") == "√(Δxₜ₋₁)"
    assert to_unicode(r"\sqrt{\hat{\boldsymbol{s}}_t} + \epsilon") == "√ŝₜ + ϵ"
    assert to_unicode(r"\frac{\eta}{\sqrt{s_t + \epsilon}}") == "η/√(sₜ + ϵ)"


def test_spacing_after_greek_letters_and_around_relations_is_kept():
    assert to_unicode(r"\lambda > 0") == "λ > 0"
    assert to_unicode(r"\gamma = \sqrt{x}") == "γ = √x"
    assert to_unicode(r"n_h\times n_w") == "nₕ × n_w"
    assert to_unicode(r"0\times0+1\times1") == "0×0+1×1"  # no space in the source: none added
    assert to_unicode(r"\cos\theta = -1") == "cos θ = -1"
    assert to_unicode(r"\frac{\partial L}{\partial W}") == "∂L/∂W"


def test_subscripts_under_operators_are_kept():
    assert to_unicode(r"\operatorname*{argmax}_i f(i)") == "argmaxᵢ f(i)"
    assert to_unicode(r"\underset{i}{\arg\max}\, o_i") == "argmaxᵢ oᵢ"
    assert to_unicode(r"\overset{\text{def}}{=}") == "=ᵈᵉᶠ"


def test_matrices_and_cases_stay_on_one_line():
    assert to_unicode(r"\begin{bmatrix} X_t & H_{t-1} \end{bmatrix}") == "[Xₜ Hₜ₋₁]"
    assert to_unicode(r"\begin{pmatrix} a \\ b \end{pmatrix}") == "(a; b)"
    cases = r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}"
    assert to_unicode(cases) == "f(x) = {1, x > 0; 0, otherwise}"


def test_formulas_nested_past_reason_show_their_source():
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(400)  # far below Python's default: no recursion error even so
    try:
        braces = "{" * 1000 + "x" + "}" * 1000
        fractions = r"\frac{" * 400 + "x" + "}{y}" * 400
        roots = r"\sqrt[" * 1000
        for tex in (braces, fractions, roots):
            assert to_unicode(tex) == tex
        assert to_rows("\\frac{" * 300 + "\n" + "}" * 300)[0] == ["\\frac{" * 300]
    finally:
        sys.setrecursionlimit(limit)
    assert to_unicode("{" * 20 + "x" + "}" * 20) == "x"  # reasonable nesting converts
