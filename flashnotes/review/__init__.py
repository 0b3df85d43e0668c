"""Studying: the FSRS scheduler, the SQLite review store, the terminal quiz and stats.

May import: `project` and the top-level helpers; never `deck`.
Entry points: `quiz.run_quiz`, `stats.run_stats`, `store.Store`, `scheduler`.
"""
