"""``legday db upgrade`` and ``legday reprocess``: the database's schema and its derived data."""

from __future__ import annotations

import argparse

from api.cli.context import EXIT_FAILED_FILES, Cli, Subparsers


def register(sub: Subparsers) -> None:
    p = sub.add_parser("reprocess", help="recompute every summary from the stored raw files")
    p.add_argument("--stale-only", action="store_true", help="only older parser versions")
    p.set_defaults(handler=reprocess)
    p = sub.add_parser("db", help="database maintenance")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("upgrade", help="apply the Alembic migrations").set_defaults(handler=upgrade)


def reprocess(args: argparse.Namespace, cli: Cli) -> int:
    report = cli.store().reprocess(only_stale=args.stale_only)
    cli.console.print(
        f"reprocessed {report.total}: {report.updated} updated, {report.failed} failed, "
        f"{report.missing_blob} raw files missing",
        highlight=False,
    )
    for activity_id, reason in report.failures:
        cli.console.print(f"  activity {activity_id}: {reason}", highlight=False, soft_wrap=True)
    return EXIT_FAILED_FILES if report.failures else 0


def upgrade(args: argparse.Namespace, cli: Cli) -> int:
    cli.store(upgrade=True)
    cli.console.print(f"database is at the latest schema ({cli.redacted_url()})")
    return 0
