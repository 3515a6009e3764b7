"""``legday export --athlete NAME OUT.zip``, ``legday import ARCHIVE [--name NEW]`` and
``legday backup OUT``: your data, out of legday and into another one (``api.portability``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from api.cli import args as types
from api.cli.context import EXIT_FAILED_FILES, Cli, CliError, Subparsers, shell_quote


def register(sub: Subparsers) -> None:
    p = sub.add_parser(
        "export",
        help="write an athlete's raw files, profile, strength log and check-ins to a zip",
    )
    p.add_argument("--athlete", required=True, metavar="NAME", type=types.name)
    p.add_argument("out", type=types.new_file, metavar="OUT.zip")
    p.set_defaults(handler=export)
    p = sub.add_parser("import", help="import an athlete from a legday export zip")
    p.add_argument("archive", type=types.existing_path, metavar="ARCHIVE")
    p.add_argument(
        "--name", type=types.new_name, help="import under this name (default: the archive's)"
    )
    p.set_defaults(handler=import_)
    p = sub.add_parser(
        "backup",
        help="copy the database (online) and the raw files into a new folder (docs/backup.md)",
    )
    p.add_argument("out", type=types.new_folder, metavar="OUT")
    p.set_defaults(handler=backup)


def export(args: argparse.Namespace, cli: Cli) -> int:
    from api.cli.args import installed_version
    from api.cli.db import progress_display
    from api.portability.export import export_athlete

    athlete = cli.athlete(args.athlete)
    out: Path = args.out
    if out.suffix.lower() != ".zip":
        raise CliError(f"the export is a zip archive: name it …/{out.stem}.zip, not {out.name}")
    with progress_display(cli, "exporting") as tick:
        counts = export_athlete(
            cli.store(), athlete, out, legday_version=installed_version(), progress=tick
        )
    cli.console.print(
        f"exported {athlete.name!r}: {counts['activities']} activities with their raw files, "
        f"{counts['strength_log']} strength-log entries, {counts['checkins']} check-ins "
        f"→ {out} ({out.stat().st_size / 1e6:.1f} MB)",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    return 0


def import_(args: argparse.Namespace, cli: Cli) -> int:
    from rich.text import Text

    from api.cli.db import progress_display
    from api.deps import token_expiry
    from api.portability.importer import ArchiveError, import_archive

    store = cli.store()
    try:
        with progress_display(cli, "importing") as tick:
            report = import_archive(
                store,
                args.archive,
                name=args.name,
                max_inflated=cli.settings.max_inflated_bytes,
                token_expires_at=token_expiry(cli.settings, cli.clock),
                progress=tick,
            )
    except ArchiveError as error:
        raise CliError(f"{args.archive}: {error}") from None
    athlete = report.athlete
    cli.console.print(
        f"imported {athlete.name!r} (id {athlete.id}): {report.activities} activities "
        f"({report.duplicates} duplicates of another), {report.strength_log} strength-log "
        f"entries, {report.checkins} check-ins",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    for name, reason in report.failed:
        cli.console.print(
            Text.assemble("  ", ("failed", "red"), f" {name}: {reason}"), soft_wrap=True
        )
    cli.console.print(
        f"sign in: legday athletes token {shell_quote(athlete.name)} prints a link",
        markup=False,
        highlight=False,
    )
    return EXIT_FAILED_FILES if report.failed else 0


def backup(args: argparse.Namespace, cli: Cli) -> int:
    from api.cli.args import installed_version
    from api.portability.backup import PG_NOTE, BackupError, backup
    from ingest.store.snapshot import SnapshotError

    out: Path = args.out
    try:
        store = cli.store(create=False)
        report = backup(store, cli.settings.data_dir, out, legday_version=installed_version())
    except (BackupError, SnapshotError) as error:
        raise CliError(str(error)) from None
    c = report.counts
    cli.console.print(
        f"backed up to {report.out}: the {report.database} database "
        f"({c.get('athletes', 0)} athletes, {c.get('activities', 0)} activities), "
        f"{report.raw_files} raw files ({report.raw_bytes / 1e6:.1f} MB), "
        f"{', '.join(report.secrets) or 'no secrets'}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    if report.missing:
        cli.console.print(
            f"{len(report.missing)} raw files were missing (deleted since, or lost): "
            + ", ".join(report.missing[:5]),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if report.database != "sqlite":
        cli.console.print(
            f"the database itself: pg_dump, as {report.out / PG_NOTE} says",
            markup=False,
            highlight=False,
        )
    cli.console.print("restore: docs/backup.md", markup=False, highlight=False)
    return EXIT_FAILED_FILES if report.missing else 0
