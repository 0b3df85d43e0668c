"""`flashnotes unsuspend ID...`: lift what `@` did in the quiz."""

from __future__ import annotations

from pathlib import Path

from ..errors import FlashnotesError
from .store import Store, default_db_path


def unsuspend_cards(root: Path, db: Path | None, ids: tuple[str, ...]) -> list[str]:
    """Unsuspend every side of each card id (or the one side a side key names); one line
    per side lifted or id with nothing suspended. An id neither the project nor the
    database knows is an error, and nothing is changed."""
    from ..project.loader import load_project

    project = load_project(root)
    store = Store.open_existing(db or default_db_path(project.root))
    try:
        known = {side.key for side in project.sides}
        suspended: set[str] = set()
        if store is not None:
            known |= store.keys_with_history()
            suspended = {key for key, hold in store.holds().items() if hold.suspended}
        unknown = [card_id for card_id in ids if not _sides(card_id, known | suspended)]
        if unknown:
            raise FlashnotesError(
                "\n".join(
                    f"{card_id}: no card with this id in the project or the review database"
                    for card_id in unknown
                )
            )
        lines = []
        for card_id in ids:
            lifted = _sides(card_id, suspended)
            if not lifted:
                lines.append(f"{card_id}: not suspended")
                continue
            assert store is not None
            for key in store.unsuspend(sorted(lifted)):
                lines.append(f"unsuspended {key}")
        return lines
    finally:
        if store is not None:
            store.close()


def _sides(card_id: str, keys: set[str]) -> set[str]:
    """The side keys that belong to a card id (`gru`: `gru`, `gru:reverse`), or the key itself."""
    return {key for key in keys if key == card_id or key.split(":", 1)[0] == card_id}
