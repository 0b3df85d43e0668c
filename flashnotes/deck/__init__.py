"""The project as Anki notes: Markdown rendered to fields, note types, and the .apkg writer.

May import: `project` and the top-level helpers; never `review` (the quiz must not pay for it).
Entry points: `export.export_project`, `fields.render_fields`, `apkg` (note types and packages).
"""
