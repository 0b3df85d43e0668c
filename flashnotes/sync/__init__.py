"""`flashnotes sync`: the project written straight into an Anki collection.

The one flow that meets both sides: it renders notes as `deck` does for export (same
GUIDs, note types, decks and media names) and carries reviews both ways between Anki's
review log and `review`'s store. Anki's own library (`anki`, the optional extra
`flashnotes[anki]`) is imported only here, and only when a sync runs.

Modules: `locate` (which collection), `readonly` and `snapshot` (what it holds, read by
plain SQL), `plan` (what would change), `apply` (the change, one transaction), `record`
and `quiet` (what the last sync left), `reviews` and `exchange` (reviews both ways),
`run` (the command's flow), `summary` (what it reports).

May import: `project`, `deck`, `review` and the top-level helpers.
Entry points: `run.sync_project`, `locate.find_collection`.
"""
