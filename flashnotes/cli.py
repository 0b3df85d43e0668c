"""The command line: parse options, call one library function, report errors cleanly."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import FlashnotesError, display_path, plural
from .safetext import safe_line


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
            # The message may quote a file; there is no public issue tracker to send users to.
            raise DataError(
                [
                    safe_line(
                        f"flashnotes: internal error ({type(error).__name__}: {error}); "
                        "please report it with the command you ran"
                    )
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
    from .project.loader import read_project

    result = read_project(root)
    if result.project is not None:  # what only rendering shows, once the rest is right
        from .deck.rendercheck import check_rendering

        result.problems.extend(check_rendering(result.project))
    if result.problems:
        lines = [problem.format() for problem in result.problems]
        count = len(lines)
        lines.append(f"{count} problem{'s' if count != 1 else ''} found")
        raise DataError(lines)
    project = result.project
    assert project is not None
    click.echo(
        f"ok: {plural(len(project.cards), 'card')} "
        f"({plural(len(project.sides), 'review card')}) in {plural(len(project.decks), 'deck')}, "
        f"{plural(len(project.images), 'image')}"
    )


def _rule_names(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """`--rules a,b` chooses rules; `--rules` alone lists them."""
    if value is None:
        return None
    from .project.lint.catalog import RULE_NAMES, RULES

    if value == "":
        for rule in RULES:
            click.echo(f"{rule.name}: {rule.reason}")
        ctx.exit(0)
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    unknown = [name for name in names if name not in RULE_NAMES]
    if unknown or not names:
        raise click.BadParameter(
            f"unknown rule {', '.join(unknown) or '(none given)'}; `--rules` alone lists them"
        )
    return names


@cli.command()
@click.option("--strict", is_flag=True, help="Exit 1 when there is any warning.")
@click.option(
    "--rules",
    "rule_names",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="RULE,...",
    callback=_rule_names,
    help="Only these rules; `--rules` alone lists every rule and why it exists.",
)
@root_option
def lint(strict: bool, rule_names: tuple[str, ...] | None, root: Path) -> None:
    """Warn about cards that are hard to remember well (path:line: warning: RULE: ...)."""
    from .project.lint import lint_project
    from .project.loader import load_project

    warnings = lint_project(load_project(root), rule_names)
    for warning in warnings:
        click.echo(warning.format())
    cards = len({(w.path, w.line) for w in warnings})
    summary = f"{plural(len(warnings), 'warning')} on {plural(cards, 'card')}"
    click.echo(summary if warnings else "no warnings", err=True)
    if strict and warnings:
        raise click.exceptions.Exit(1)


def _apkg_path(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    if value.suffix.lower() != ".apkg":
        raise click.BadParameter(f"{value} does not end in .apkg, which Anki needs to import it")
    return value


@cli.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path), callback=_apkg_path)
@click.option(
    "--tag", "tags", multiple=True, metavar="TAG", help="Only cards with this tag (repeatable)."
)
@click.option(
    "--deck",
    "decks",
    multiple=True,
    metavar="PATTERN",
    help="Only cards in decks matching this glob, e.g. '06*' (repeatable).",
)
@root_option
def export(out: Path, tags: tuple[str, ...], decks: tuple[str, ...], root: Path) -> None:
    """Build the Anki package OUT (.apkg) with the selected cards and their images."""
    from .deck.export import export_project

    summary = export_project(root, out, tags=tags, decks=decks)
    for line in summary.lines():  # deck names and ids from the project and its record
        click.echo(safe_line(line), err=line.startswith("warning:"))


@cli.command("add-ids")
@root_option
def add_ids(root: Path) -> None:
    """Write the ids that `check` proposes into cards that lack one (comments kept)."""
    from .project.idwriter import write_ids
    from .project.loader import read_project

    result = read_project(root)
    missing = [(m.path, m.position, m.proposed) for m in result.missing_ids]
    if not missing:
        click.echo("every card has an id")
        return
    written = write_ids(missing)
    for entry in written:
        click.echo(safe_line(f"{display_path(entry.path)}:{entry.line}: id: {entry.card_id}"))
    click.echo(f"wrote {plural(len(written), 'id')}")


@cli.command()
@click.argument(
    "directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
def init(directory: Path) -> None:
    """Start a project in DIRECTORY (default: here) with settings and an example card file."""
    from .project.scaffold import init_project

    result = init_project(directory)
    for path in result.kept:
        click.echo(safe_line(f"kept the existing {display_path(path)}"))
    click.echo(safe_line(f"created a flashnotes project in {display_path(directory.resolve())}"))
    click.echo("next: edit cards/example.yaml, then run `flashnotes check`")


def _db_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--db PATH`: the review database (default: .flashnotes/reviews.sqlite3 in the project)."""
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Review database to use.  [default: .flashnotes/reviews.sqlite3 in the project]",
    )(command)


@cli.command()
@root_option
@_db_option
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Only cards with this tag.")
@click.option("--deck", "decks", multiple=True, metavar="PATTERN", help="Only decks matching.")
@click.option(
    "--new", type=click.IntRange(min=0), default=None, metavar="N", help="At most N new cards."
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, metavar="N", help="At most N cards."
)
@click.option("--cram", is_flag=True, help="Practise any cards, due or not; nothing is saved.")
def quiz(
    root: Path,
    db: Path | None,
    tags: tuple[str, ...],
    decks: tuple[str, ...],
    new: int | None,
    limit: int | None,
    cram: bool,
) -> None:
    """Review due cards in the terminal (FSRS); every rating is saved at once."""
    import os

    from .review.quiz import QuizOptions, run_quiz

    options = QuizOptions(tags=tags, decks=decks, new=new, limit=limit, cram=cram)
    run_quiz(root, db, options, os.environ.get("FLASHNOTES_NOW"))


@cli.command()
@root_option
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead.")
def stats(root: Path, db: Path | None, as_json: bool) -> None:
    """What is due, and how reviews went: per deck, last 30 days, next 7 days."""
    import os

    from .review.stats import run_stats

    run_stats(root, db, as_json, os.environ.get("FLASHNOTES_NOW"))


@cli.command()
@root_option
@click.option(
    "--collection",
    type=click.Path(path_type=Path),
    default=None,
    help="The collection.anki2 to write into.",
)
@click.option("--profile", default=None, metavar="NAME", help="This Anki profile's collection.")
@click.option("--dry-run", is_flag=True, help="Print what sync would do; change nothing.")
@click.option("--force", is_flag=True, help="Overwrite notes edited in Anki since the last sync.")
@click.option("--delete-missing", is_flag=True, help="Delete notes whose id left the project.")
@_db_option
def sync(
    root: Path,
    db: Path | None,
    collection: Path | None,
    profile: str | None,
    dry_run: bool,
    force: bool,
    delete_missing: bool,
) -> None:
    """Write the project straight into an Anki collection (Anki must be closed)."""
    from .sync.run import SyncOptions, sync_project

    options = SyncOptions(collection, profile, dry_run, force, delete_missing, db=db)
    summary = sync_project(root, options, announce=lambda line: click.echo(line, err=True))
    for line in summary.lines():
        click.echo(line)


@cli.command()
@root_option
@_db_option
@click.option("--reset", is_flag=True, help="Go back to FSRS's default parameters.")
@click.option(
    "--reschedule",
    is_flag=True,
    help="Also recompute every card's due date by replaying its reviews.",
)
def optimize(root: Path, db: Path | None, reset: bool, reschedule: bool) -> None:
    """Fit the FSRS parameters to your own review log; the quiz uses them if they are better."""
    import os

    from .review.optimize import run_optimize
    from .review.quiz import pinned_clock

    now = pinned_clock(os.environ.get("FLASHNOTES_NOW"))()
    for line in run_optimize(root, db, reset=reset, reschedule=reschedule, now=now):
        click.echo(line)


@cli.command()
@root_option
@_db_option
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
def unsuspend(root: Path, db: Path | None, ids: tuple[str, ...]) -> None:
    """Bring back cards suspended in the quiz (`@`): card ids, or sides such as ID:reverse."""
    from .review.holds import unsuspend_cards

    for line in unsuspend_cards(root, db, ids):
        click.echo(line)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of card files, for editors' YAML support."""
    from .project.scaffold import schema_text

    click.echo(schema_text(), nl=False)


def main() -> None:
    from .signals import cleanup_on_termination

    with cleanup_on_termination():  # an interrupted export leaves no temporary files
        cli(prog_name="flashnotes")
