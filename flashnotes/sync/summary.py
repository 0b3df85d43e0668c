"""What a sync tells the learner: counts, then the ids that need attention."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import display_path, plural

if TYPE_CHECKING:
    from .exchange import ReviewExchange
    from .plan import Plan


@dataclass(frozen=True)
class SyncSummary:
    """What a sync did (or, in a dry run, would do), and the ids that need the learner."""

    collection: Path
    dry_run: bool = False
    changed: bool = False
    added: int = 0
    updated: int = 0
    moved: int = 0
    retyped: int = 0
    unchanged: int = 0
    images: int = 0
    note_types: int = 0
    conflicts: tuple[str, ...] = ()  # edited in Anki since the last sync
    foreign: tuple[str, ...] = ()  # GUID held by a note of another note type
    missing: tuple[str, ...] = ()  # ours in Anki, gone from the project
    deleted_missing: bool = False
    backup: Path | None = None
    to_anki: int = 0  # quiz reviews written into Anki's review log
    to_quiz: int = 0  # Anki reviews added to the quiz's log

    @classmethod
    def from_plan(
        cls, collection: Path, plan: Plan, dry_run: bool, exchange: ReviewExchange
    ) -> SyncSummary:
        retyped = len(plan.retyped)
        return cls(
            to_anki=exchange.to_anki,
            to_quiz=exchange.to_quiz,
            collection=collection,
            dry_run=dry_run,
            changed=plan.changes_collection or exchange.pending,
            added=len(plan.add),
            updated=len(plan.update) - retyped,
            moved=len(plan.move),
            retyped=retyped,
            unchanged=plan.unchanged,
            images=len(plan.media),
            note_types=len(plan.note_types),
            conflicts=tuple(plan.conflicts),
            foreign=tuple(plan.foreign),
            missing=tuple(note.card_id for note in plan.missing),
            deleted_missing=plan.delete_missing and bool(plan.missing),
        )

    def lines(self) -> list[str]:
        where = display_path(self.collection)
        counts = (
            f"{self.added} added, {self.updated} updated, {self.moved} moved, "
            f"{self.retyped} retyped, {self.unchanged} unchanged, "
            f"{plural(self.images, 'image')} written"
        )
        if self.note_types:
            counts += f", {plural(self.note_types, 'note type')} written"
        counts += (
            f"; {plural(self.to_anki, 'review')} from the quiz into Anki, "
            f"{plural(self.to_quiz, 'review')} from Anki into the quiz"
        )
        if self.dry_run:
            lines = [f"dry run, nothing changed; sync into {where} would do: {counts}"]
        elif self.changed:
            lines = [f"synced into {where}: {counts}"]
        else:
            lines = [f"{where} already holds the project: nothing to do"]
        if self.backup is not None:
            lines.append(f"backup: {display_path(self.backup)}")
        return lines + self._attention_lines()

    def _attention_lines(self) -> list[str]:
        lines = []
        if self.conflicts:
            lines.append(
                f"{plural(len(self.conflicts), 'note')} edited in Anki since the last sync, "
                f"left as they are (--force overwrites them): {', '.join(self.conflicts)}"
            )
        if self.foreign:
            lines.append(
                f"{plural(len(self.foreign), 'note')} whose identity a note of another note "
                f"type holds in Anki, left alone: {', '.join(self.foreign)}"
            )
        if self.missing:
            ids = ", ".join(self.missing)
            count = plural(len(self.missing), "note")
            if self.deleted_missing:
                verb = "would be deleted" if self.dry_run else "deleted"
                lines.append(f"{count} gone from the project {verb}: {ids}")
            else:
                lines.append(
                    f"{count} gone from the project, kept in Anki "
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
