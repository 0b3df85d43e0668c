"""`flashnotes init`: a new project that passes `check` from the first minute."""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..atomic import create_file
from ..errors import FlashnotesError
from ..safepath import resolves_inside

SCHEMA_FILE = "card-file.schema.json"


def schema_text() -> str:
    """The JSON Schema of card files, as shipped in the package."""
    return resources.files("flashnotes.project").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


@dataclass(frozen=True)
class InitResult:
    written: list[Path]
    kept: list[Path]  # files that were there already and are left as they were


def init_project(directory: Path) -> InitResult:
    """Create a project in `directory` (made if missing).

    Refuses a directory that already holds flashnotes.yaml or cards/; never overwrites
    any file (an existing image, schema file or .gitignore is kept as it is).
    """
    directory = directory.resolve()
    for existing in ("flashnotes.yaml", "cards"):
        if os.path.lexists(directory / existing):
            raise FlashnotesError(
                f"{directory / existing} already exists; flashnotes init only starts new projects"
            )
    if os.path.lexists(directory / "My_img") and not (
        (directory / "My_img").is_dir() and resolves_inside(directory / "My_img", directory)
    ):
        raise FlashnotesError(f"{directory / 'My_img'} is not a folder inside the project")
    template = resources.files("flashnotes.project").joinpath("project_template")
    # The folder's name becomes the deck's; a name that is not UTF-8 keeps what it can.
    name = os.fsencode(directory.name).decode("utf-8", "replace") or "flashnotes"
    # A namespace unique to this project: two projects then never overwrite each other's
    # notes in Anki, even where card ids repeat.
    slug = "-".join(re.findall(r"[a-z0-9]+", name.lower()))[:40] or "notes"
    namespace = f"{slug}-{secrets.token_hex(3)}"
    settings = template.joinpath("flashnotes.yaml").read_text(encoding="utf-8")
    settings = settings.replace("{deck}", json.dumps(name, ensure_ascii=False))
    settings = settings.replace("{namespace}", namespace)
    files = {
        directory / "flashnotes.yaml": settings.encode("utf-8"),
        directory / "cards" / "example.yaml": template.joinpath("cards/example.yaml").read_bytes(),
        directory / SCHEMA_FILE: schema_text().encode("utf-8"),
        directory / ".gitignore": template.joinpath("gitignore").read_bytes(),
        directory / "My_img" / "sigmoid.svg": template.joinpath("My_img/sigmoid.svg").read_bytes(),
    }

    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "cards").mkdir()
        (directory / "My_img").mkdir(exist_ok=True)
    except OSError as error:
        raise FlashnotesError(f"cannot create {error.filename}: {error.strerror}") from None
    result = InitResult([], [])
    for path, data in files.items():
        try:
            create_file(path, data)
        except FileExistsError:
            result.kept.append(path)
        except OSError as error:
            raise FlashnotesError(f"cannot write {path}: {error.strerror}") from None
        else:
            result.written.append(path)
    return result
