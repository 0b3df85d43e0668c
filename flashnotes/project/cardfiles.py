"""Finding the card files under `cards/`, and refusing the ones that are not safe to read.

Card files are treated like images: a symbolic link may point anywhere inside the project,
never out of it (`cards/x.yaml -> /etc/shadow` would otherwise leak its lines into
`check`'s messages, and `add-ids` would write through it). A folder that cannot be read
is a problem, not an empty folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import Problem
from ..safepath import resolves_inside

CARDS_DIR = "cards"


def find_card_files(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every card file (`*.yaml`) under `<root>/cards`, in sorted path order, and the problems.

    `root` is resolved. Links to folders are not followed, as before; links to files are,
    while they stay inside the project.
    """
    directory = root / CARDS_DIR
    problems: list[Problem] = []
    if not resolves_inside(directory, root):
        return [], [Problem(directory, 0, "is a symbolic link that leaves the project")]

    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else directory
        problems.append(Problem(where, 0, f"cannot read this folder: {error.strerror}"))

    found: list[Path] = []
    for folder, subfolders, names in os.walk(directory, onerror=unreadable):
        subfolders.sort()
        for name in names:
            path = Path(folder) / name
            if name.endswith(".yml"):
                problems.append(Problem(path, 0, "card files must end in .yaml; rename it"))
            if not name.endswith(".yaml"):
                continue
            if path.is_symlink() and not resolves_inside(path, root):
                problems.append(
                    Problem(path, 0, "is a symbolic link that leaves the project; not read")
                )
            elif path.is_file():
                found.append(path)
    found.sort(key=lambda path: path.relative_to(directory).as_posix())
    return found, problems
