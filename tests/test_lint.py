"""`flashnotes lint`: each rule fires on a card that breaks it and not on a close one that
does not; output, exit codes, `--rules` and per-card silencing as a user meets them."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import tiny_png

from flashnotes.cli import cli
from flashnotes.project.lint.catalog import RULE_NAMES, RULES
from flashnotes.project.lint.text import Shown, plain


def lint(project, *args: str):
    return CliRunner().invoke(cli, ["lint", "-C", str(project.root), *args])


def cards_file(cards: str) -> str:
    return "cards:\n" + textwrap.indent(textwrap.dedent(cards).strip("\n"), "  ") + "\n"


def rules_fired(project, cards: str) -> list[str]:
    project.cards("a.yaml", cards_file(cards))
    result = lint(project)
    assert result.exit_code == 0, result.output
    return [line.split(": ")[2] for line in result.stdout.splitlines()]


# (rule, a card that breaks it, a close card that does not)
CASES = [
    (
        "reverse-giveaway",
        """
        - id: relu
          type: reversed
          front: ReLU（rectified linear unit）函数
          back: $\\text{ReLU}(x) = \\max(x, 0)$：只保留正数元素
        """,
        """
        - id: relu
          type: reversed
          front: ReLU（rectified linear unit）函数
          back: 只保留正数元素、把负数元素清零的激活函数，$\\max(x, 0)$
        """,
    ),
    (
        "reverse-giveaway",  # the English name spells the acronym out
        """
        - id: glove
          type: reversed
          front: GloVe
          back: 全局向量（Global Vectors）词嵌入，拟合全局统计信息
        """,
        """
        - id: glove
          type: reversed
          front: GloVe
          back: 用平方损失拟合整个语料上预先算好的共现统计的词嵌入模型
        """,
    ),
    (
        "reverse-giveaway",  # a Chinese term shown in pieces: 束 … 搜索
        """
        - id: beam
          type: reversed
          front: 束搜索（beam search）
          back: 每个时间步只保留 k 个候选序列的搜索方法（k 称为束宽）
        """,
        """
        - id: beam
          type: reversed
          front: 束搜索（beam search）
          back: 每个时间步只保留条件概率最大的 k 个候选输出序列的解码方法
        """,
    ),
    (
        "reverse-giveaway",  # full-width letters and case are folded before comparing
        """
        - id: relu-width
          type: reversed
          front: ＲｅＬＵ
          back: relu 只保留正数
        """,
        """
        - id: relu-width
          type: reversed
          front: ＲｅＬＵ
          back: 只保留正数的激活函数
        """,
    ),
    (
        "cloze-answer-visible",
        """
        - id: pooling
          type: cloze
          text: 最大池化取池化窗口中输入元素的{{c1::最大值}}作为输出。
        """,
        """
        - id: pooling
          type: cloze
          text: 这种池化取池化窗口中输入元素的{{c1::最大值}}作为输出。
        """,
    ),
    (
        "cloze-pair-giveaway",
        """
        - id: gru
          type: cloze
          text: 重置门有助于捕捉{{c1::短期}}依赖，更新门有助于捕捉{{c2::长期}}依赖。
        """,
        """
        - id: gru
          type: cloze
          text: 重置门有助于捕捉{{c1::短期}}依赖，更新门有助于捕捉长期依赖。
        """,
    ),
    (
        "cloze-pair-giveaway",  # twins that share most of their text
        """
        - id: params
          type: cloze
          text: 参数列表用 {{c1::`nn.ParameterList`}}，参数字典用 {{c2::`nn.ParameterDict`}}。
        """,
        """
        - id: params
          type: cloze
          text: 参数列表用 {{c1::`nn.ParameterList`}}，字典用 {{c2::`dict`}} 就行。
        """,
    ),
    (
        "two-questions",
        """
        - id: cuda
          front: "`x.cuda(i)` 做什么？`x.cuda()` 又等价于什么？"
          back: 复制到第 i 块 GPU；等价于 `cuda(0)`
        """,
        """
        - id: cuda
          front: "`x.cuda()` 等价于什么？"
          back: "`x.cuda(0)`"
        """,
    ),
    (
        "two-questions",  # 分别 a few words before the question word
        """
        - id: gates
          front: GRU 的重置门和更新门分别有助于捕捉什么？
          back: 短期依赖；长期依赖
        """,
        """
        - id: gates
          front: GRU 中每个门的输出各经过哪种激活函数？
          back: sigmoid
        """,
    ),
    (
        "two-questions",
        """
        - id: rnn-out
          front: nn.RNN 返回的「输出」和「隐藏状态」分别是什么？
          back: 各时间步的隐藏状态；最后时间步的隐藏状态
        """,
        """
        - id: rnn-out
          front: nn.RNN 返回的「输出」是什么？
          back: 各时间步的隐藏状态
        """,
    ),
    (
        "answer-too-long",
        """
        - id: long
          front: 什么是数据并行？
          back: {long}
        """.replace("{long}", "很长的回答" * 40),
        """
        - id: long
          front: 什么是数据并行？
          back: {long}
        """.replace("{long}", "短回答" * 20),
    ),
    (
        "list-too-long",
        """
        - id: adam
          front: Adam 的更新规则？
          back: |
            $$
            \\begin{aligned}
            v &= a \\\\
            s &= b \\\\
            g &= c \\\\
            x &= d
            \\end{aligned}
            $$
        """,
        """
        - id: adam
          front: Adam 的更新规则？
          back: |
            $$
            \\begin{aligned}
            v &= a \\\\
            s &= b \\\\
            x &= d
            \\end{aligned}
            $$
        """,
    ),
    (
        "list-too-long",
        """
        - id: items
          front: 4 件事？
          back: |
            - 一
            - 二
            - 三
            - 四
        """,
        """
        - id: items
          front: 3 件事？
          back: |
            - 一
            - 二
            - 三
        """,
    ),
    (
        "typed-form-unpinned",
        """
        - id: exp
          type: typed
          front: 由平均交叉熵损失计算困惑度，调用哪个函数？
          answer: math.exp
        """,
        """
        - id: exp
          type: typed
          front: 由平均交叉熵损失计算困惑度，调用 `math` 模块的哪个函数？
          answer: math.exp
        """,
    ),
    (
        "typed-form-unpinned",  # the back shows another form of the answer
        """
        - id: stride
          type: typed
          front: "`nn.MaxPool2d(3)` 的默认步幅是多少？"
          answer: "3"
          back: 与窗口形状相同，即 (3, 3)。
        """,
        """
        - id: stride
          type: typed
          front: "`nn.MaxPool2d(3)` 的默认步幅在高上是多少？"
          answer: "3"
          back: 与窗口形状相同。
        """,
    ),
    (
        "duplicate-front",
        """
        - id: one
          front: 困惑度的最佳值？
          back: "1"
        - id: two
          front: 困惑度的**最佳值**？
          back: 一
        """,
        """
        - id: one
          front: 困惑度的最佳值？
          back: "1"
        - id: two
          front: 困惑度的基线值？
          back: 词典大小
        """,
    ),
    (
        "image-alt-missing",
        """
        - id: fig
          front: 这是什么？
          back: "![](My_img/fig.png)"
        """,
        """
        - id: fig
          front: 这是什么？
          back: "![ReLU 的曲线](My_img/fig.png)"
        """,
    ),
]


@pytest.mark.parametrize(("rule", "bad", "good"), CASES, ids=[case[0] for case in CASES])
def test_rule_fires_on_the_bad_card_only(project, rule, bad, good):
    project.image("My_img/fig.png")
    assert rule in rules_fired(project, bad)
    assert rule not in rules_fired(project, good)


def test_every_rule_has_a_reason_and_a_test():
    tested = {case[0] for case in CASES}
    for rule in RULES:
        assert rule.reason and "\n" not in rule.reason
        assert rule.name in tested, f"rule {rule.name} has no test"


def test_output_is_sorted_path_line_warning_rule(project, monkeypatch):
    project.cards("b.yaml", cards_file("- {id: q2, front: 是什么？为什么？, back: 因为}"))
    project.cards(
        "a.yaml",
        cards_file(
            """
            - id: one
              front: 一
              back: 1
            - id: q
              front: 做什么？又等价于什么？
              back: 二
            """
        ),
    )
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(cli, ["lint"])
    assert result.exit_code == 0
    message = "warning: two-questions: the front asks 2 questions; give each its own card"
    assert result.stdout.splitlines() == [
        f"cards/a.yaml:5: {message}",
        f"cards/b.yaml:2: {message}",
    ]
    assert result.stderr == "2 warnings on 2 cards\n"


def test_strict_exits_1_only_when_there_is_a_warning(project):
    project.cards("a.yaml", cards_file("- {id: q, front: 做什么？为什么？, back: 二}"))
    assert lint(project).exit_code == 0
    assert lint(project, "--strict").exit_code == 1
    project.cards("a.yaml", cards_file("- {id: q, front: 做什么？, back: 二}"))
    result = lint(project, "--strict")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "no warnings\n"


def test_rules_lists_and_chooses(project):
    listing = lint(project, "--rules")
    assert listing.exit_code == 0
    assert [line.split(":")[0] for line in listing.stdout.splitlines()] == list(RULE_NAMES)
    project.cards(
        "a.yaml",
        cards_file(
            """
            - {id: q, front: 做什么？为什么？, back: 二}
            - {id: r, type: reversed, front: 填充, back: 两侧填充 0}
            """
        ),
    )
    only = lint(project, "--rules", "reverse-giveaway")
    assert [line.split(": ")[2] for line in only.stdout.splitlines()] == ["reverse-giveaway"]
    unknown = lint(project, "--rules", "reverse-givaway")
    assert unknown.exit_code == 2
    assert "unknown rule reverse-givaway" in unknown.stderr


def test_a_card_silences_one_rule_with_a_reason(project):
    project.cards(
        "a.yaml",
        cards_file(
            """
            - id: q
              front: 做什么？为什么？
              back: 二
              lint:
                two-questions: 两问是同一件事的两面
            """
        ),
    )
    result = lint(project, "--strict")
    assert result.exit_code == 0, result.output


def test_silencing_survives_the_load_cache(project, monkeypatch):
    from flashnotes.project import loader

    monkeypatch.setattr(loader, "_CACHE_THRESHOLD_BYTES", 0)  # treat the project as large
    project.cards(
        "a.yaml",
        cards_file(
            """
            - id: q
              front: 做什么？为什么？
              back: 二
              lint: {two-questions: 两问是同一件事的两面}
            """
        ),
    )
    for _ in range(2):  # the second run reads the card from the cache
        result = lint(project, "--strict")
        assert result.exit_code == 0, result.output
    card = loader.read_project(project.root).project.cards[0]
    assert card.lint == (("two-questions", "两问是同一件事的两面"),)


def test_lint_of_a_project_with_problems_reports_them_like_check(project):
    project.cards("a.yaml", cards_file("- {id: q, frnt: 做什么？, back: 二}"))
    result = lint(project)
    assert result.exit_code == 1
    assert "a.yaml:2: unknown key `frnt` in a card; did you mean `front`?" in result.stderr
    assert "warning:" not in result.output


@pytest.mark.parametrize(
    ("lint_value", "message"),
    [
        ("{two-question: x}", "a.yaml:5: unknown lint rule `two-question`; did you mean"),
        ("{two-questions: ''}", "a.yaml:5: silencing `two-questions` needs a reason"),
        ("[two-questions]", "a.yaml:5: `lint` must map rule names to reasons"),
    ],
)
def test_a_bad_lint_key_is_a_check_error(project, lint_value, message):
    project.cards(
        "a.yaml",
        cards_file(
            f"""
            - id: q
              front: 做什么？为什么？
              back: 二
              lint: {lint_value}
            """
        ),
    )
    for command in ("check", "lint"):
        result = CliRunner().invoke(cli, [command, "-C", str(project.root)])
        assert result.exit_code == 1
        assert message in result.stderr
        assert "Traceback" not in result.output


def test_schema_knows_every_rule():
    schema = json.loads(CliRunner().invoke(cli, ["schema"]).stdout)
    lint_key = schema["$defs"]["card"]["properties"]["lint"]
    assert lint_key["propertyNames"]["enum"] == list(RULE_NAMES)


FIXTURE = Path(__file__).parent / "fixtures" / "deck-before-lint"
# Issue 14: the cards of the shipped deck that broke the rules, as they were before the fixes.
NAMED_IN_ISSUE = [
    "relu-definition",
    "glove-name-global-vectors",
    "beam-search-term",
    "encoder-decoder-seq2seq",
    "bptt-term",
    "pooling-max-vs-average",
    "gru-gate-dependency-roles",
    "perplexity-from-loss-code",
    "pytorch-embedding-layer",
    "pooling-maxpool2d-default-stride",
    "data-parallelism-definition",
    "hierarchical-softmax-cost-log-vocab",
    "underfitting-vs-overfitting",
    "computational-graph-symbols",
    "vanishing-and-explosion",
    "parameterlist-parameterdict",
    "tensor-cuda-method",
    "same-device-requirement",
    "ngram-names-unigram-bigram-trigram",
    "rnn-concat-dims",
    "gradient-clipping-explosion-not-decay",
    "nn-rnn-output-vs-hidden-state",
    "ewma-effective-window",
    "adadelta-update-rule",
    "adam-update-rule",
    "fasttext-vs-skipgram-tradeoff",
    "seq2seq-bos-eos-tokens",
]


def test_lint_finds_the_cards_the_issue_named_in_the_old_deck(tmp_path, monkeypatch):
    root = tmp_path / "deck"
    shutil.copytree(FIXTURE, root)
    ids_at: dict[str, str] = {}
    for path in sorted((root / "cards").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for relpath in set(re.findall(r"My_img/[\w.-]+\.png", text)):
            (root / relpath).parent.mkdir(exist_ok=True)
            (root / relpath).write_bytes(tiny_png())
        for number, line in enumerate(text.splitlines(), start=1):
            if match := re.match(r"\s*- id: (\S+)$", line):
                ids_at[f"cards/{path.name}:{number}"] = match.group(1)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["lint", "--strict"])
    assert result.exit_code == 1
    flagged = {ids_at[":".join(line.split(":")[:2])] for line in result.stdout.splitlines()}
    found = [card_id for card_id in NAMED_IN_ISSUE if card_id in flagged]
    assert len(NAMED_IN_ISSUE) == 27
    assert len(found) >= 20, sorted(set(NAMED_IN_ISSUE) - flagged)


def test_the_shipped_deck_passes_lint_strict():
    result = CliRunner().invoke(cli, ["lint", "--strict", "-C", str(FIXTURE.parents[2])])
    assert result.exit_code == 0, result.stdout
    assert result.stderr == "no warnings\n"


@pytest.mark.parametrize(
    ("term", "text", "shown"),
    [
        ("束搜索", "只保留 k 个候选的搜索方法（k 称为束宽）", True),
        ("数值解", "尽可能降低损失函数的值而得到的解", False),
        ("卷积核", "二维卷积层的模型参数", False),
        ("隐藏状态", "隐藏变量，像是网络的状态", True),
        ("relu", "relu(x) = max(x, 0)", True),
        ("beam search", "每步保留 k 个候选（beam size）", False),
    ],
)
def test_a_term_is_shown_by_its_characters_not_by_one_of_them(term, text, shown):
    assert Shown(plain(text)).shows(plain(term)) is shown


@pytest.mark.parametrize(
    ("written", "folded"),
    [("ＲｅＬＵ（ｘ）", "relu(x)"), ("**GloVe** `nn.Embedding`", "glove nn.embedding")],
)
def test_text_is_compared_with_width_case_and_markup_folded(written, folded):
    assert plain(written) == folded
