"""`flashnotes sync`: plan from a read-only look, then open, plan again, back up, apply."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import FlashnotesError, display_path, plural
from ..progress import progress
from ..project.loader import load_project
from ..project.media import anki_media_names
from .locate import find_collection
from .plan import Plan, WantedNote, expected_guids, make_plan, record_after, wanted_notes
from .record import SyncRecord, record_path
from .snapshot import Query, Snapshot, anki_open_error, read_only, read_snapshot

INSTALL_HINT = "flashnotes sync needs Anki's library: pip install 'flashnotes[anki]'"


@dataclass(frozen=True)
class SyncOptions:
    collection: Path | None = None
    profile: str | None = None
    dry_run: bool = False
    force: bool = False
    delete_missing: bool = False
    show_progress: bool | None = None


@dataclass(frozen=True)
class SyncSummary:
    collection: Path
    plan: Plan
    dry_run: bool
    backup: Path | None = None

    def lines(self) -> list[str]:
        plan = self.plan
        where = display_path(self.collection)
        counts = (
            f"{len(plan.add)} added, {len(plan.update) - len(plan.retyped)} updated, "
            f"{len(plan.move)} moved, {len(plan.retyped)} retyped, {plan.unchanged} unchanged, "
            f"{plural(len(plan.media), 'image')} written"
        )
        if plan.note_types:
            counts += f", {plural(len(plan.note_types), 'note type')} written"
        if self.dry_run:
            lines = [f"dry run, nothing changed; sync into {where} would do: {counts}"]
        elif plan.changes_collection:
            lines = [f"synced into {where}: {counts}"]
        else:
            lines = [f"{where} already holds the project: nothing to do"]
        if self.backup is not None:
            lines.append(f"backup: {display_path(self.backup)}")
        lines += attention_lines(plan, self.dry_run)
        return lines


def attention_lines(plan: Plan, dry_run: bool) -> list[str]:
    """The ids a learner has to look at, each kind on its own line."""
    lines = []
    if plan.conflicts:
        lines.append(
            f"{plural(len(plan.conflicts), 'note')} edited in Anki since the last sync, left "
            f"as they are (--force overwrites them): {', '.join(plan.conflicts)}"
        )
    if plan.foreign:
        lines.append(
            f"{plural(len(plan.foreign), 'note')} whose identity a note of another note type "
            f"holds in Anki, left alone: {', '.join(plan.foreign)}"
        )
    if plan.missing:
        ids = ", ".join(note.card_id for note in plan.missing)
        if plan.delete_missing:
            verb = "would be deleted" if dry_run else "deleted"
            lines.append(f"{plural(len(plan.missing), 'note')} gone from the project {verb}: {ids}")
        else:
            lines.append(
                f"{plural(len(plan.missing), 'note')} gone from the project, kept in Anki "
                f"(--delete-missing deletes them): {ids}"
            )
    return lines


def full_sync_warning(plan: Plan) -> str | None:
    if not plan.retyped:
        return None
    ids = ", ".join(wanted.card_id for wanted, _ in plan.retyped)
    return (
        f"{plural(len(plan.retyped), 'note')} switch to or from cloze ({ids}), keeping their "
        "history: Anki counts this as a change of the collection's structure, so its next "
        "AnkiWeb sync is a one-way full sync (choose Upload to keep these changes)"
    )


def sync_project(
    root: Path, options: SyncOptions, announce: Callable[[str], None] = lambda line: None
) -> SyncSummary:
    """Sync the project at `root` into the collection `options` names."""
    try:
        import anki  # noqa: F401
    except ImportError:
        raise FlashnotesError(INSTALL_HINT) from None
    project = load_project(root)
    if not project.cards:
        raise FlashnotesError("no cards to sync: the project has none yet")
    collection = find_collection(options.collection, options.profile)
    namespace = project.settings.namespace
    media_names = anki_media_names(image.relpath for image in project.images)
    with progress(len(project.cards), options.show_progress) as advance:
        from ..deck.fields import render_fields

        rendered = render_fields(project.cards, media_names, project.root, advance)
    wanted = wanted_notes(project.cards, rendered, namespace)
    used = sorted({image.relpath: image for card in project.cards for image in card.images}.items())
    images = [(media_names[relpath], image.path) for relpath, image in used]
    record_file = record_path(project.root, collection)
    record = SyncRecord.load(record_file, namespace, collection)
    media_folder = collection.with_name(collection.stem + ".media")

    guids = expected_guids(wanted)

    def plan_from(query: Query) -> tuple[Plan, Snapshot]:
        snapshot = read_snapshot(query, namespace, guids)
        plan = make_plan(
            wanted,
            snapshot,
            record,
            images,
            media_folder,
            force=options.force,
            delete_missing=options.delete_missing,
        )
        return plan, snapshot

    with read_only(collection) as query:
        plan, snapshot = plan_from(query)
    if options.dry_run or not plan.changes_collection:
        if options.dry_run and (warning := full_sync_warning(plan)):
            announce(warning)
        if not options.dry_run:
            _save_record(record_file, record_after(wanted, snapshot, record, plan), record)
        return SyncSummary(collection, plan, options.dry_run)
    return _sync_with_library(collection, wanted, record, record_file, plan_from, announce)


def _sync_with_library(
    collection: Path,
    wanted: list[WantedNote],
    record: SyncRecord,
    record_file: Path,
    plan_from: Callable[[Query], tuple[Plan, Snapshot]],
    announce: Callable[[str], None],
) -> SyncSummary:
    from . import apply

    col = _open(collection)
    try:
        plan, _ = plan_from(col.db.all)  # again: the collection may have changed meanwhile
        if not plan.changes_collection:
            return SyncSummary(collection, plan, False)
        if warning := full_sync_warning(plan):
            announce(warning)
        backup = apply.backup(col, collection)
        apply.write_media(col, plan.media)
        try:
            apply.apply_notes(col, plan)
        except Exception as error:
            raise FlashnotesError(
                f"{display_path(collection)}: sync stopped ({type(error).__name__}: {error}); "
                "the collection's notes are as they were before it"
            ) from None
        after = read_snapshot(col.db.all, record.namespace, expected_guids(wanted))
        _save_record(record_file, record_after(wanted, after, record, plan), record)
        return SyncSummary(collection, plan, False, backup)
    finally:
        col.close()


def _open(collection: Path) -> Any:
    from anki.collection import Collection
    from anki.errors import DBError

    try:
        return Collection(str(collection))
    except DBError as error:
        if "already open" in str(error) or "locked" in str(error):
            raise anki_open_error(collection) from None
        raise FlashnotesError(
            f"{display_path(collection)}: Anki cannot open the collection ({error})"
        ) from None


def _save_record(path: Path, new: SyncRecord, old: SyncRecord) -> None:
    if new.notes == old.notes and path.exists():
        return
    # Without a record the next sync lets the project's version win, as on a first sync.
    with contextlib.suppress(OSError):
        new.save(path)
