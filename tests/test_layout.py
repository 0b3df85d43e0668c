"""The package layout is the architecture: `deck/` and `review/` read `project/` and never
import each other, `project/` imports no other flow, and only `sync/` may join them all."""

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "flashnotes"
FLOWS = ("project", "deck", "review", "sync")
# What each flow may import besides the top-level helpers (errors, atomic, cachedir, ...).
ALLOWED = {
    "project": {"project"},
    "deck": {"project", "deck"},
    "review": {"project", "review"},
    "sync": {"project", "deck", "review", "sync"},
}
TOP_LEVEL_ONLY_FOR_CLI = {"cli"}


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """Absolute dotted names of every flashnotes module `path` imports, with line numbers."""
    package_parts = ["flashnotes", *path.relative_to(PACKAGE).parent.parts]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            names = [name] + [f"{name}.{alias.name}" for alias in node.names]
            found += [(node.lineno, n) for n in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, name) for line, name in found if name.startswith("flashnotes")]


def _flow_of(dotted: str) -> str | None:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FLOWS else None


def _violations() -> list[str]:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        flow = relative.parts[0] if len(relative.parts) > 1 else None
        reported = set()
        for line, name in _imported_modules(path):
            target = _flow_of(name)
            if line in reported:
                continue
            if flow is None:
                # Top-level helpers serve every flow, so they import none; cli.py sits on top.
                if target and relative.stem not in TOP_LEVEL_ONLY_FOR_CLI:
                    problems.append(f"{relative}:{line}: helper imports {name}")
                    reported.add(line)
            elif target and target not in ALLOWED[flow]:
                problems.append(f"{relative}:{line}: {flow}/ imports {name}")
                reported.add(line)
    return problems


def test_flows_import_only_what_the_layout_allows():
    assert _violations() == []


def test_the_walk_sees_a_forbidden_import(tmp_path, monkeypatch):
    # The rule must be able to fail: plant review -> deck and see it reported.
    fake = tmp_path / "flashnotes"
    (fake / "review").mkdir(parents=True)
    (fake / "review" / "bad.py").write_text("from ..deck import export\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert _violations() == ["review/bad.py:1: review/ imports flashnotes.deck"]


@pytest.mark.parametrize("flow", ["project", "deck", "review", "sync"])
def test_every_flow_says_what_it_does_and_may_import(flow):
    doc = ast.get_docstring(ast.parse((PACKAGE / flow / "__init__.py").read_text("utf-8")))
    assert doc and "May import" in doc and "Entry points" in doc
