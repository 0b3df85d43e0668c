"""flashnotes: study notes as YAML flashcards, exported to Anki or quizzed in the terminal."""

__version__ = "0.1.0"
