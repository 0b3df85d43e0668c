"""The command line: parse options, call one library function, report errors cleanly."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import FlashnotesError, display_path

ISSUES_URL = "https://github.com/flashnotes/flashnotes/issues"


class DataError(click.ClickException):
    """A problem with the user's input or data: one line each on stderr, exit code 1."""

    exit_code = 1

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines

    def show(self, file: Any = None) -> None:
        for line in self.lines:
            click.echo(line, err=True)


class FlashnotesGroup(click.Group):
    """Turns library errors into clean messages; an internal error is one line, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FlashnotesError as error:
            raise DataError(error.lines()) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (`flashnotes check | head`)
            raise click.exceptions.Exit(1) from None
        except Exception as error:
            raise DataError(
                [
                    f"flashnotes: internal error ({type(error).__name__}: {error}); "
                    f"please report it with the command you ran at {ISSUES_URL}"
                ]
            ) from None


def root_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`-C/--root DIR`: the project root, like `git -C` and `make -C`."""
    return click.option(
        "-C",
        "--root",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=Path("."),
        show_default="the current directory",
        help="Project root: the folder holding flashnotes.yaml and cards/.",
    )(command)


@click.group(cls=FlashnotesGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flashnotes")
def cli() -> None:
    """Study notes as YAML flashcards: check them, export them to Anki, quiz yourself."""


@cli.command()
@root_option
def check(root: Path) -> None:
    """Validate the whole project and list every problem as path:line: message."""
    from .loader import read_project

    result = read_project(root)
    if result.problems:
        lines = [problem.format() for problem in result.problems]
        count = len(lines)
        lines.append(f"{count} problem{'s' if count != 1 else ''} found")
        raise DataError(lines)
    project = result.project
    assert project is not None
    click.echo(
        f"ok: {_plural(len(project.cards), 'card')} "
        f"({_plural(len(project.sides), 'review card')}) in {_plural(len(project.decks), 'deck')}, "
        f"{_plural(len(project.images), 'image')}"
    )


@cli.command("add-ids")
@root_option
def add_ids(root: Path) -> None:
    """Write the ids that `check` proposes into cards that lack one (comments kept)."""
    from .ids import write_ids
    from .loader import read_project

    result = read_project(root)
    missing = [(m.path, m.line, m.proposed) for m in result.missing_ids]
    if not missing:
        click.echo("every card has an id")
        return
    written = write_ids(missing)
    for path, line, proposed in missing:
        click.echo(f"{display_path(path)}:{line}: id: {proposed}")
    click.echo(f"wrote {_plural(written, 'id')}")


@cli.command()
@click.argument(
    "directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
def init(directory: Path) -> None:
    """Start a project in DIRECTORY (default: here) with settings and an example card file."""
    from .scaffold import init_project

    init_project(directory)
    click.echo(f"created a flashnotes project in {display_path(directory.resolve())}")
    click.echo("next: edit cards/example.yaml, then run `flashnotes check`")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of card files, for editors' YAML support."""
    from .scaffold import schema_text

    click.echo(schema_text(), nl=False)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def main() -> None:
    cli(prog_name="flashnotes")
