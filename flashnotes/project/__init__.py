"""Reading a project: card files and settings, validated into a frozen `Project` of `Card`s.

May import: only the top-level helpers (`errors`, `atomic`, `cachedir`); every flow reads this.
Entry points: `loader.read_project`, `loader.load_project`, `scaffold.init_project`, `ids`.
"""
