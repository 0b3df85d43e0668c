"""Whatever a user puts in a file, the loader returns a model or clean problems."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashnotes.errors import Problem
from flashnotes.project.loader import read_project

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["{{c1::x}}", "{{c1:x", "![a](My_img/a.png)", "![a](../x.png)", "basic"]),
)
keys = st.sampled_from(
    ["id", "type", "front", "back", "text", "answer", "tags", "source", "deck", "cards", "frnt"]
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=20,
)


SLOW_FIXTURES = [HealthCheck.function_scoped_fixture]
UNKNOWN = "in a card file; known keys: deck, tags, cards"


def _check(root: Path) -> None:
    result = read_project(root)
    if result.project is None:
        assert result.problems
    assert all(isinstance(problem, Problem) for problem in result.problems)
    assert result.problems == sorted(result.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=SLOW_FIXTURES)
@given(text=st.text(max_size=200))
def test_arbitrary_text(tmp_path_factory, text):
    root = tmp_path_factory.mktemp("p")
    (root / "cards").mkdir()
    (root / "cards" / "a.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    (root / "flashnotes.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    _check(root)


@settings(max_examples=150, deadline=None, suppress_health_check=SLOW_FIXTURES)
@given(document=documents)
def test_arbitrary_yaml_documents(tmp_path_factory, document):
    root = tmp_path_factory.mktemp("p")
    (root / "cards").mkdir()
    text = yaml.safe_dump({"cards": [document]} if isinstance(document, dict) else document)
    (root / "cards" / "a.yaml").write_text(text, encoding="utf-8")
    (root / "cards" / "b.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    _check(root)


@settings(max_examples=50, deadline=None, suppress_health_check=SLOW_FIXTURES)
@given(data=st.binary(max_size=100))
def test_arbitrary_bytes(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("p")
    (root / "cards").mkdir()
    (root / "cards" / "a.yaml").write_bytes(data)
    _check(root)


def test_alias_bomb_is_cheap(tmp_path):
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines.append("cards:\n  - id: a\n    front: *a9\n    back: b")
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "a.yaml").write_text("\n".join(lines))
    result = read_project(tmp_path)
    # The alias expands to a billion leaves if walked naively; we report it without walking.
    assert [problem.message for problem in result.problems] == [
        *[f"unknown key `a{n}` {UNKNOWN}" for n in range(10)],
        "`front` must be text, not a list",
    ]
