"""Reading and validating a whole project: every problem at once, or a complete model."""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import repeat
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

import yaml

from ..errors import FlashnotesError, Problem
from ..safetext import control_characters
from .cardfiles import CARDS_DIR, find_card_files
from .cloze import cloze_problems
from .ids import propose_id
from .loadcache import LoadCache, encode_cards, file_signature
from .markdown import image_references
from .media import ImageResolver
from .model import CARD_TYPES, Card, Image, Location, Project, Settings
from .settings import deck_name, deck_name_problem, load_settings
from .yamlnodes import (
    DocumentError,
    Entry,
    compose,
    decode,
    kind_of,
    line_in_scalar,
    line_of,
    mapping_entries,
    project_relative,
    scalar_text,
    unknown_key_message,
)

FILE_KEYS = ("deck", "tags", "cards")
CARD_KEYS = ("id", "type", "front", "back", "text", "answer", "tags", "source", "lint")
# Matched whole (`fullmatch`): `$` would let a trailing newline through.
ID_PATTERN = re.compile(r"[a-z0-9._-]+")
ID_MAX_LENGTH = 64
MARKDOWN_FIELDS = ("front", "back", "text")
# Anki's {{Tags}} inserts tags into the card's HTML as they are.
_TAG_FORBIDDEN = "<>&\"'"

# Which text fields each type needs and allows.
REQUIRED_FIELDS = {
    "basic": ("front", "back"),
    "reversed": ("front", "back"),
    "typed": ("front", "answer"),
    "cloze": ("text",),
}
ALLOWED_FIELDS = {
    "basic": ("front", "back"),
    "reversed": ("front", "back"),
    "typed": ("front", "back", "answer"),
    "cloze": ("text", "back"),
}


@dataclass
class MissingId:
    """A card without an id, and the id `check` proposes for it."""

    path: Path
    line: int  # the line of the card's first key
    proposed: str
    position: int  # the card's index in the file's `cards` list


@dataclass
class LoadResult:
    project: Project | None
    problems: list[Problem]
    missing_ids: list[MissingId] = field(default_factory=list)


def load_project(root: Path) -> Project:
    """The validated project at `root`, or FlashnotesError with every problem."""
    result = read_project(root)
    if result.problems or result.project is None:
        raise FlashnotesError(result.problems)
    return result.project


def read_project(root: Path, *, use_cache: bool = True) -> LoadResult:
    """Read and validate everything; never raises for anything a user can put in a file.

    Card files unchanged since they last validated cleanly come from the load cache
    (`.flashnotes/load-cache.json`), so large projects start fast.
    """
    root = root.resolve()
    settings, problems = load_settings(root)
    if not (root / CARDS_DIR).is_dir():
        problems.append(
            Problem(root / CARDS_DIR, 0, "no cards/ folder here; run `flashnotes init` to start")
        )
        return LoadResult(None, problems)
    paths, file_problems = find_card_files(root)
    problems.extend(file_problems)
    # Small projects load in milliseconds: no cache file for them.
    large = sum(path.stat().st_size for path in paths) >= _CACHE_THRESHOLD_BYTES
    cache = LoadCache(root, settings) if use_cache and large else None
    cards: list[Card] = []
    first_use: dict[str, Location] = {}
    missing: list[tuple[MissingId, str]] = []
    for result in _read_files(paths, root, settings, cache):
        problems.extend(result.problems)
        cards.extend(result.cards)
        missing.extend(result.missing)
        for card_id, location in result.ids:
            first = first_use.setdefault(card_id, location)
            if first is not location:
                where = f"{project_relative(first.path, root)}:{first.line}"
                problems.append(
                    Problem(
                        location.path,
                        location.line,
                        f"duplicate id `{card_id}` (also used at {where})",
                    )
                )
    problems.extend(_deck_case_problems(cards, root))
    missing_ids = _propose_missing_ids(missing, set(first_use))
    problems.extend(
        Problem(
            entry.path,
            entry.line,
            f"card has no `id` (suggested: {entry.proposed}; "
            "`flashnotes add-ids` writes the suggestions into the files)",
        )
        for entry in missing_ids
    )
    problems.sort()
    project = None if problems else Project(root, settings, tuple(cards))
    return LoadResult(project, problems, missing_ids)


# Below this much YAML, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD_BYTES = 512 * 1024
# Below this much YAML, reading the cache costs about as much as parsing.
_CACHE_THRESHOLD_BYTES = 256 * 1024


def _read_files(
    paths: list[Path], root: Path, settings: Settings, cache: LoadCache | None
) -> list[_FileResult]:
    """Read card files (from the cache where unchanged), on every core when there are many."""
    results: dict[Path, _FileResult] = {}
    if cache is not None:
        images = ImageResolver(root)
        for path in paths:
            cached = cache.cards(path, images)
            if cached is not None:
                results[path] = _FileResult(cards=cached[0], ids=cached[1])
    to_read = [path for path in paths if path not in results]
    encode = cache is not None
    workers = min(os.cpu_count() or 1, len(to_read))
    total = sum(path.stat().st_size for path in to_read if path.is_file())
    if workers < 2 or total < _PARALLEL_THRESHOLD_BYTES or "fork" not in get_all_start_methods():
        fresh = [_read_file(path, root, settings, encode) for path in to_read]
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            fresh = list(
                pool.map(_read_file, to_read, repeat(root), repeat(settings), repeat(encode))
            )
    for path, result in zip(to_read, fresh, strict=True):
        results[path] = result
        if cache is None:
            continue
        if result.problems or result.missing:
            cache.forget(path)
        else:
            cache.store(path, result.signature, result.encoded)
    if cache is not None:
        cache.save(paths)
    return [results[path] for path in paths]


def _read_file(path: Path, root: Path, settings: Settings, encode: bool) -> _FileResult:
    reader = _FileReader(path, root, settings)
    reader.read()
    result = reader.result
    if encode and not result.problems and not result.missing:
        # Encoded for the cache here, in the worker, on every core.
        result.encoded = encode_cards(result.cards, result.ids)
    return result


def _deck_case_problems(cards: list[Card], root: Path) -> list[Problem]:
    """Deck names that differ only in letter case, here or in a parent: Anki's deck names
    are case-insensitive, so it files both under the first spelling it meets."""
    first: dict[str, tuple[str, Location]] = {}
    reported: set[str] = set()
    problems = []
    for card in cards:
        parts = card.deck.split("::")
        for depth in range(1, len(parts) + 1):
            name = "::".join(parts[:depth])
            spelling, where = first.setdefault(name.casefold(), (name, card.location))
            if spelling != name:
                if name in reported:
                    break  # once per spelling, at its first card
                reported.add(name)
                at = f"{project_relative(where.path, root)}:{where.line}"
                problems.append(
                    Problem(
                        card.location.path,
                        card.location.line,
                        f"deck `{name}` differs from `{spelling}` (at {at}) only in letter "
                        "case; Anki takes them for one deck: write it the same way",
                    )
                )
                break
    return problems


def _propose_missing_ids(missing: list[tuple[MissingId, str]], taken: set[str]) -> list[MissingId]:
    for entry, front in missing:
        entry.proposed = propose_id(front, taken)
        taken.add(entry.proposed)
    return [entry for entry, _ in missing]


@dataclass
class _FileResult:
    cards: list[Card] = field(default_factory=list)  # the cards without problems
    problems: list[Problem] = field(default_factory=list)
    ids: list[tuple[str, Location]] = field(default_factory=list)  # every well-formed id
    missing: list[tuple[MissingId, str]] = field(default_factory=list)  # (card, its front)
    signature: list[int] | None = None  # the file's size and mtime when it was read
    encoded: bytes | None = None  # the cards in the load cache's form


class _FileReader:
    """Reads one card file: its cards, its problems, the ids it uses."""

    def __init__(self, path: Path, root: Path, settings: Settings) -> None:
        self.path = path
        self.root = root
        self.settings = settings
        self.images = ImageResolver(root)
        self.result = _FileResult()
        self.problems = self.result.problems

    def read(self) -> None:
        path = self.path

        def report(line: int, message: str) -> None:
            self.problems.append(Problem(path, line, message))

        # Taken before reading: an edit during the read then invalidates the cache entry.
        self.result.signature = file_signature(path)
        try:
            node = compose(decode(path.read_bytes()))
        except DocumentError as error:
            report(error.line, error.message)
            return
        except OSError as error:
            report(1, f"cannot read: {error.strerror}")
            return
        if not isinstance(node, yaml.MappingNode):
            where = 1 if node is None else line_of(node)
            found = "an empty file" if node is None else kind_of(node)
            report(where, f"a card file is a mapping with a `cards:` list, not {found}")
            return
        entries = mapping_entries(node, report)
        for key, entry in entries.items():
            if key not in FILE_KEYS:
                report(entry.line, unknown_key_message(key, FILE_KEYS, "a card file"))

        deck = self.settings.deck
        if "deck" in entries:
            subdeck = _text_value(entries["deck"], report)
            if subdeck is not None:
                if message := deck_name_problem(subdeck):
                    report(entries["deck"].line, message)
                deck = f"{deck}::{deck_name(subdeck)}"
        file_tags = _tags(entries.get("tags"), report)

        if "cards" not in entries:
            report(line_of(node), "a card file needs a `cards:` list")
            return
        cards_node = entries["cards"].value
        if not isinstance(cards_node, yaml.SequenceNode):
            report(entries["cards"].line, f"`cards` must be a list, not {kind_of(cards_node)}")
            return
        for position, card_node in enumerate(cards_node.value):
            self._read_card(path, card_node, position, deck, file_tags, report)

    def _read_card(self, path, node, position, deck, file_tags, report) -> None:
        if not isinstance(node, yaml.MappingNode):
            report(line_of(node), f"a card is a mapping of keys, not {kind_of(node)}")
            return
        line = line_of(node)
        before = len(self.problems)
        entries = mapping_entries(node, report)
        for key, entry in entries.items():
            if key not in CARD_KEYS:
                report(entry.line, unknown_key_message(key, CARD_KEYS, "a card"))

        card_id = self._card_id(path, line, entries, report)
        card_type = "basic"
        if "type" in entries:
            written = _text_value(entries["type"], report)
            if written is not None and written not in CARD_TYPES:
                close = difflib.get_close_matches(written, CARD_TYPES, n=1)
                hint = (
                    f"did you mean `{close[0]}`?"
                    if close
                    else f"use one of {', '.join(CARD_TYPES)}"
                )
                report(entries["type"].line, f"unknown card type `{written}`; {hint}")
                card_type = None
            elif written is not None:
                card_type = written

        fields: dict[str, str] = {}
        for key in ("front", "back", "text", "answer", "source"):
            if key in entries:
                value = _text_value(entries[key], report)
                if value is not None and not value.strip():
                    report(entries[key].line, f"`{key}` is empty")
                elif value is not None:
                    fields[key] = value
                    _report_controls(key, value, entries[key].value, report)
        if card_type is not None:
            self._check_fields(card_type, line, entries, report)
            if card_type == "cloze" and "text" in fields:
                text_node = entries["text"].value
                for problem in cloze_problems(fields["text"]):
                    report(line_in_scalar(text_node, problem.offset), problem.message)
        images = self._images(entries, fields, report)
        tags = _unique(file_tags + _tags(entries.get("tags"), report))
        lint = _lint_silenced(entries.get("lint"), report)

        if "id" not in entries:
            front = fields.get("front") or fields.get("text") or ""
            self.result.missing.append((MissingId(path, line, "", position), front))
        if len(self.problems) > before or card_id is None or card_type is None:
            return
        self.result.cards.append(
            Card(
                id=card_id,
                type=card_type,
                deck=deck,
                tags=tags,
                location=Location(path, line),
                front=fields.get("front"),
                back=fields.get("back"),
                text=fields.get("text"),
                answer=fields.get("answer"),
                source=fields.get("source"),
                images=images,
                lint=lint,
            )
        )

    def _card_id(self, path, line, entries, report) -> str | None:
        entry = entries.get("id")
        if entry is None:
            return None  # reported once every id in the project is known
        node = entry.value
        if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:str":
            if node.tag == "tag:yaml.org,2002:null":
                report(entry.line, "`id` is empty")
            else:
                report(entry.line, f'`id` must be a string: quote it, id: "{node.value}"')
            return None
        card_id = _text_value(entry, report)
        if card_id is None:
            return None
        if not card_id:
            report(entry.line, "`id` is empty")
            return None
        if len(card_id) > ID_MAX_LENGTH:
            report(entry.line, f"`id` is {len(card_id)} characters long; at most 64 are allowed")
            return None
        if not ID_PATTERN.fullmatch(card_id):
            report(
                entry.line,
                f"`id` `{card_id}` may only use lowercase letters, digits, `-`, `_` and `.`",
            )
            return None
        self.result.ids.append((card_id, Location(path, entry.line)))
        return card_id

    def _check_fields(self, card_type, line, entries, report) -> None:
        for key in REQUIRED_FIELDS[card_type]:
            if key not in entries:
                report(line, f"a {card_type} card needs `{key}`")
        for key in ("front", "back", "text", "answer"):
            if key in entries and key not in ALLOWED_FIELDS[card_type]:
                users = [t for t, allowed in ALLOWED_FIELDS.items() if key in allowed]
                report(
                    entries[key].line,
                    f"`{key}` is not used by {card_type} cards (only by {', '.join(users)})",
                )

    def _images(self, entries, fields, report) -> tuple[Image, ...]:
        found: dict[str, Image] = {}
        for key in MARKDOWN_FIELDS:
            if key not in fields:
                continue
            # `text` is only cloze text, which the renderer parses with its deletions hidden.
            for offset, reference in image_references(fields[key], cloze=key == "text"):
                resolved = self.images.resolve(reference)
                if isinstance(resolved, str):
                    report(line_in_scalar(entries[key].value, offset), resolved)
                else:
                    found.setdefault(resolved.relpath, resolved)
        return tuple(found[key] for key in sorted(found))


def _text_value(entry: Entry, report) -> str | None:
    text = scalar_text(entry.value)
    if text is None:
        if isinstance(entry.value, yaml.ScalarNode):
            report(entry.line, f"`{entry.key}` is empty")
        else:
            report(entry.line, f"`{entry.key}` must be text, not {kind_of(entry.value)}")
    return text


def _report_controls(key: str, value: str, node: yaml.ScalarNode, report) -> None:
    """Control characters in a field that ships: Anki would split or mangle the note."""
    found = control_characters(value)
    if found is not None:
        offset, characters = found
        report(
            line_in_scalar(node, offset),
            f"`{key}` contains the control character{'s' if len(characters) > 1 else ''} "
            f"{', '.join(characters)}, which Anki cannot keep in a note; remove "
            f"{'them' if len(characters) > 1 else 'it'}",
        )


def _tags(entry: Entry | None, report) -> tuple[str, ...]:
    if entry is None:
        return ()
    node = entry.value
    if not isinstance(node, yaml.SequenceNode):
        report(entry.line, f"`tags` must be a list such as [rnn, ch06], not {kind_of(node)}")
        return ()
    tags = []
    for item in node.value:
        text = scalar_text(item)
        if text is None or not text.strip():
            report(line_of(item), "empty tag")
        elif any(character.isspace() for character in text):
            report(line_of(item), f"tag `{text}` contains a space; use `-` or `_` instead")
        elif found := control_characters(text, layout=False):
            report(
                line_of(item),
                f"tag `{text}` contains the control character {found[1][0]}, which Anki would drop",
            )
        elif any(character in _TAG_FORBIDDEN for character in text):
            report(
                line_of(item),
                f"tag `{text}` contains one of {_TAG_FORBIDDEN}; Anki shows tags as HTML",
            )
        elif any(not part for part in text.split("::")):
            report(line_of(item), f"tag `{text}` has an empty part between `::`")
        else:
            tags.append(text)
    return tuple(tags)


def _lint_silenced(entry: Entry | None, report) -> tuple[tuple[str, str], ...]:
    """`lint: {RULE: reason}`: the lint rules a card silences, each with its reason."""
    if entry is None:
        return ()
    from .lint.catalog import RULE_NAMES  # only cards that silence a rule pay for the import

    node = entry.value
    if not isinstance(node, yaml.MappingNode):
        report(
            entry.line,
            f"`lint` must map rule names to reasons, e.g. `lint: {{two-questions: why}}`, "
            f"not {kind_of(node)}",
        )
        return ()
    silenced = []
    for rule, item in mapping_entries(node, report).items():
        reason = scalar_text(item.value)
        if rule not in RULE_NAMES:
            close = difflib.get_close_matches(rule, RULE_NAMES, n=1)
            hint = f"did you mean `{close[0]}`?" if close else "`flashnotes lint --rules` lists all"
            report(item.line, f"unknown lint rule `{rule}`; {hint}")
        elif reason is None or not reason.strip():
            report(item.line, f"silencing `{rule}` needs a reason: `{rule}: why it does not apply`")
        else:
            silenced.append((rule, reason))
    return tuple(silenced)


def _unique(tags: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for tag in tags:
        tag = unicodedata.normalize("NFC", tag)  # as Anki stores it
        seen.setdefault(tag.lower(), tag)  # Anki's tags are case-insensitive
    return tuple(seen.values())
