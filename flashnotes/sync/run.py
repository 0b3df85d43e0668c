"""`flashnotes sync`: plan from a read-only look, then open, plan again, back up, apply."""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import FlashnotesError, display_path
from .locate import find_collection
from .quiet import collection_mod, fingerprint, wal_exists
from .readonly import Query, anki_open_error, read_only
from .record import SyncRecord, record_path
from .summary import SyncSummary, full_sync_warning

if TYPE_CHECKING:
    from .exchange import ReviewExchange
    from .plan import Plan, WantedNote
    from .snapshot import Snapshot

INSTALL_HINT = "flashnotes sync needs Anki's library: pip install 'flashnotes[anki]'"


@dataclass(frozen=True)
class SyncOptions:
    collection: Path | None = None
    profile: str | None = None
    dry_run: bool = False
    force: bool = False
    delete_missing: bool = False
    show_progress: bool | None = None
    db: Path | None = None  # the quiz's review database (default: the project's)

    @property
    def fingerprinted(self) -> tuple[bool, bool, str]:
        """The options that change a sync's outcome."""
        return (self.force, self.delete_missing, str(self.db))


def sync_project(
    root: Path, options: SyncOptions, announce: Callable[[str], None] = lambda line: None
) -> SyncSummary:
    """Sync the project at `root` into the collection `options` names."""
    if importlib.util.find_spec("anki") is None:
        raise FlashnotesError(INSTALL_HINT)
    from ..review.store import default_db_path

    collection = find_collection(options.collection, options.profile)
    record_file = record_path(root, collection)
    options = replace(options, db=Path(os.path.abspath(options.db or default_db_path(root))))
    if not options.dry_run:
        quiet = _quiet_summary(root, collection, record_file, options)
        if quiet is not None:
            return quiet
    return _full_sync(root, collection, record_file, options, announce)


def _db_files(options: SyncOptions) -> list[Path]:
    assert options.db is not None
    return [options.db, options.db.with_name(options.db.name + "-wal")]


def _quiet_summary(
    root: Path, collection: Path, record_file: Path, options: SyncOptions
) -> SyncSummary | None:
    """The last outcome, when nothing it depends on has changed since (see quiet.py)."""
    record = SyncRecord.load(record_file, None, collection)
    quiet = record.quiet
    if not quiet or wal_exists(collection):
        return None
    with read_only(collection) as query:
        col_mod = collection_mod(query)
    try:
        images = [(str(relpath), str(name)) for relpath, name in quiet["images"]]
        now = fingerprint(
            root, collection, col_mod, images, options.fingerprinted, _db_files(options)
        )
        if now != quiet["fingerprint"]:
            return None
        return SyncSummary(
            collection,
            unchanged=int(quiet["unchanged"]),
            conflicts=tuple(map(str, quiet["conflicts"])),
            foreign=tuple(map(str, quiet["foreign"])),
            missing=tuple(map(str, quiet["missing"])),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _full_sync(
    root: Path,
    collection: Path,
    record_file: Path,
    options: SyncOptions,
    announce: Callable[[str], None],
) -> SyncSummary:
    from ..deck.fields import render_fields
    from ..progress import progress
    from ..project.loader import load_project
    from ..project.media import anki_media_names
    from .exchange import ReviewExchange
    from .plan import expected_guids, make_plan, wanted_notes
    from .snapshot import read_snapshot

    project = load_project(root)
    if not project.cards:
        raise FlashnotesError("no cards to sync: the project has none yet")
    namespace = project.settings.namespace
    media_names = anki_media_names(image.relpath for image in project.images)
    with progress(len(project.cards), options.show_progress) as advance:
        rendered = render_fields(project.cards, media_names, project.root, advance)
    wanted = wanted_notes(project.cards, rendered, namespace)
    used = sorted({image.relpath: image for card in project.cards for image in card.images})
    images = [(media_names[relpath], project.root / relpath) for relpath in used]
    record = SyncRecord.load(record_file, namespace, collection)
    guids = expected_guids(wanted)

    def plan_from(query: Query) -> tuple[Plan, Snapshot]:
        snapshot = read_snapshot(query, namespace, guids)
        return make_plan(
            wanted,
            snapshot,
            record,
            images,
            collection.with_name(collection.stem + ".media"),
            force=options.force,
            delete_missing=options.delete_missing,
        ), snapshot

    assert options.db is not None
    session = _Session(project.root, collection, record_file, record, wanted, options)
    session.media = [(relpath, media_names[relpath]) for relpath in used]
    with ReviewExchange(project, options.db) as exchange:
        with read_only(collection) as query:
            plan, snapshot = plan_from(query)
            exchange.preview(query, snapshot, wanted)
            col_mod = collection_mod(query)
        summary = SyncSummary.from_plan(collection, plan, options.dry_run, exchange)
        if options.dry_run:
            if warning := full_sync_warning(plan):
                announce(warning)
            return summary
        outcome = (snapshot, plan, col_mod)
        if plan.changes_collection or exchange.pending:
            summary, outcome = session.apply(plan, col_mod, plan_from, announce, exchange)
    session.finish(*outcome)  # the store is closed: its files are as they will stay
    return summary


@dataclass
class _Session:
    """One sync that writes: what it needs to apply a plan and leave the record behind."""

    root: Path
    collection: Path
    record_file: Path
    record: SyncRecord
    wanted: list[WantedNote]
    options: SyncOptions
    media: list[tuple[str, str]] | None = None

    def apply(
        self,
        plan: Plan,
        col_mod: int,
        plan_from: Callable[[Query], tuple[Plan, Snapshot]],
        announce: Callable[[str], None],
        exchange: ReviewExchange,
    ) -> tuple[SyncSummary, tuple[Snapshot, Plan, int]]:
        from . import apply
        from .plan import expected_guids
        from .snapshot import read_snapshot

        col = _open(self.collection)
        try:
            if collection_mod(col.db.all) != col_mod:
                # Changed since the read-only look: plan again.
                plan, snapshot = plan_from(col.db.all)
                exchange.preview(col.db.all, snapshot, self.wanted)
                col_mod = collection_mod(col.db.all)
                if not (plan.changes_collection or exchange.pending):
                    summary = SyncSummary.from_plan(self.collection, plan, False, exchange)
                    return summary, (snapshot, plan, col_mod)
            if warning := full_sync_warning(plan):
                announce(warning)
            backup = apply.backup(col, self.collection)
            apply.write_media(col, plan.media)
            guids = expected_guids(self.wanted)
            after: list[Snapshot] = []

            def reviews() -> None:
                after.append(read_snapshot(col.db.all, self.record.namespace, guids))
                exchange.in_anki(col, after[0], self.wanted, plan)

            try:
                apply.apply_notes(col, plan, then=reviews)
            except Exception as error:
                raise FlashnotesError(
                    f"{display_path(self.collection)}: sync stopped ({type(error).__name__}: "
                    f"{error}); the collection's notes are as they were before it"
                ) from None
            summary = SyncSummary.from_plan(self.collection, plan, False, exchange)
            exchange.into_store()
            return replace(summary, backup=backup), (after[0], plan, collection_mod(col.db.all))
        finally:
            col.close()

    def finish(self, snapshot: Snapshot, plan: Plan, col_mod: int) -> None:
        """Save the record: each note as `snapshot` shows it, and the quiet fingerprint."""
        from .plan import record_after

        new = record_after(self.wanted, snapshot, self.record, plan)
        kept_missing = [] if plan.delete_missing else [note.card_id for note in plan.missing]
        images = self.media or []
        new.quiet = {
            "fingerprint": fingerprint(
                self.root,
                self.collection,
                col_mod,
                images,
                self.options.fingerprinted,
                _db_files(self.options),
            ),
            "images": [list(pair) for pair in images],
            "unchanged": len(self.wanted) - len(plan.conflicts) - len(plan.foreign),
            "conflicts": plan.conflicts,
            "foreign": plan.foreign,
            "missing": kept_missing,
        }
        # Without a record the next sync lets the project's version win, as on a first sync.
        with contextlib.suppress(OSError):
            new.save(self.record_file)


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
