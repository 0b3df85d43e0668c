"""`flashnotes sync`: the project written straight into an Anki collection.

The one flow that meets both sides: it renders notes as `deck` does for export (same
GUIDs, note types, decks and media names) and will carry reviews to and from `review`'s
store. Anki's own library (`anki`, the optional extra `flashnotes[anki]`) is imported
only here, and only when a sync runs.

May import: `project`, `deck`, `review` and the top-level helpers.
Entry points: `run.sync_project`, `locate.find_collection`.
"""
