"""Reading YAML with libyaml while keeping a line number for every key and value.

We compose node trees (libyaml's C parser does the heavy lifting) and read values off the
nodes ourselves: that keeps `start_mark.line` for every card and key, reports duplicate
keys that PyYAML would silently drop, and never constructs arbitrary Python objects.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: correct, only slower
    _Loader = yaml.SafeLoader  # type: ignore[misc]

NULL_TAG = "tag:yaml.org,2002:null"
STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"

Report = Callable[[int, str], None]  # (1-based line, message)


class DocumentError(Exception):
    """The text is not one well-formed YAML document."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM allowed), or a DocumentError at the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DocumentError(
            line, f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        ) from None


def compose(text: str) -> yaml.Node | None:
    """The single document's node tree, or None for an empty document."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = error.problem or error.context or "invalid YAML"
        raise DocumentError(line, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as error:
        raise DocumentError(1, f"YAML error: {error}") from None
    except RecursionError:
        raise DocumentError(1, "YAML nested too deeply") from None
    finally:
        loader.dispose()


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def line_in_scalar(node: yaml.ScalarNode, offset: int) -> int:
    """The file line of character `offset` inside a scalar's value.

    Exact for literal block scalars (`|`), whose lines map one to one onto the file;
    other styles fold lines, so we report where the value starts.
    """
    if node.style == "|":
        return node.start_mark.line + 2 + node.value.count("\n", 0, offset)
    return line_of(node)


@dataclass(frozen=True)
class Entry:
    """One `key: value` pair of a mapping."""

    key: str
    key_node: yaml.Node
    value: yaml.Node

    @property
    def line(self) -> int:
        return line_of(self.key_node)


def mapping_entries(node: yaml.MappingNode, report: Report) -> dict[str, Entry]:
    """The entries of a mapping by key; non-string and repeated keys are reported."""
    entries: dict[str, Entry] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR_TAG:
            report(line_of(key_node), "a key must be a plain word such as `front`")
            continue
        key = key_node.value
        if key in entries:
            report(
                line_of(key_node),
                f"`{key}` is given twice in this mapping (first at line {entries[key].line})",
            )
            continue
        entries[key] = Entry(key, key_node, value_node)
    return entries


def unknown_key_message(key: str, known: tuple[str, ...], where: str) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"; did you mean `{close[0]}`?" if close else f"; known keys: {', '.join(known)}"
    return f"unknown key `{key}` in {where}{hint}"


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == NULL_TAG:
        return "empty"
    return "a single value"


def scalar_text(node: yaml.Node) -> str | None:
    """The text of a scalar as written (`6.10` stays "6.10"), None for null or non-scalars."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == NULL_TAG:
        return None
    return node.value


def scalar_value(node: yaml.ScalarNode) -> object:
    """A scalar as YAML's core schema types it (int, float, bool, str)."""
    constructor = yaml.constructor.SafeConstructor()
    return constructor.construct_object(node, deep=True)


def project_relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
