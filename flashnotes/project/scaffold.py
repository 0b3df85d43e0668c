"""`flashnotes init`: a new project that passes `check` from the first minute."""

from __future__ import annotations

import json
import re
import secrets
import shutil
from importlib import resources
from pathlib import Path

from ..errors import FlashnotesError

SCHEMA_FILE = "card-file.schema.json"


def schema_text() -> str:
    """The JSON Schema of card files, as shipped in the package."""
    return resources.files("flashnotes.project").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def init_project(directory: Path) -> list[Path]:
    """Create a project in `directory` (made if missing); return the files written.

    Refuses to touch a directory that already holds flashnotes.yaml or cards/.
    """
    directory = directory.resolve()
    for existing in ("flashnotes.yaml", "cards"):
        if (directory / existing).exists():
            raise FlashnotesError(
                f"{directory / existing} already exists; flashnotes init only starts new projects"
            )
    template = resources.files("flashnotes.project").joinpath("project_template")
    name = directory.name or "flashnotes"
    # A namespace unique to this project: two projects then never overwrite each other's
    # notes in Anki, even where card ids repeat.
    slug = "-".join(re.findall(r"[a-z0-9]+", name.lower()))[:40] or "notes"
    namespace = f"{slug}-{secrets.token_hex(3)}"
    settings = template.joinpath("flashnotes.yaml").read_text(encoding="utf-8")
    settings = settings.replace("{deck}", json.dumps(name, ensure_ascii=False))
    settings = settings.replace("{namespace}", namespace)

    written = []
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "cards").mkdir()
    (directory / "My_img").mkdir(exist_ok=True)
    files = {
        directory / "flashnotes.yaml": settings,
        directory / "cards" / "example.yaml": template.joinpath("cards/example.yaml").read_text(
            encoding="utf-8"
        ),
        directory / SCHEMA_FILE: schema_text(),
    }
    if not (directory / ".gitignore").exists():
        files[directory / ".gitignore"] = template.joinpath("gitignore").read_text(encoding="utf-8")
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
        written.append(path)
    with resources.as_file(template.joinpath("My_img/sigmoid.svg")) as image:
        shutil.copyfile(image, directory / "My_img" / "sigmoid.svg")
    written.append(directory / "My_img" / "sigmoid.svg")
    return written
