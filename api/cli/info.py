"""``legday info [--json]``: which legday, where its data is, which database (without its
password), its schema, and what it holds. Reads only: an install with no database yet says so and
creates nothing."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from typing import Any

from api.cli.context import Cli, Subparsers


def register(sub: Subparsers) -> None:
    p = sub.add_parser("info", help="print the version, data folder, database and counts")
    p.add_argument("--json", action="store_true", help="as JSON")
    p.set_defaults(handler=info)


def gather(cli: Cli) -> dict[str, Any]:
    from api.cli.args import installed_version
    from api.data_dir import default_data_dir

    settings = cli.settings
    data_dir = settings.data_dir
    try:
        default = default_data_dir().absolute()
    except RuntimeError:
        default = None
    if os.environ.get("LEGDAY_DATA_DIR"):
        source = "LEGDAY_DATA_DIR"
    elif data_dir == default:
        source = "default"
    else:
        source = "--data-dir"
    facts: dict[str, Any] = {
        "version": installed_version(),
        "python": f"{platform.python_version()} ({sys.executable})",
        "data_dir": str(data_dir),
        "data_dir_source": source,
        "database": cli.redacted_url(),
        "log_level": os.environ.get("LEGDAY_LOG_LEVEL", "INFO").upper(),
        "listen": f"{settings.host}:{settings.port}",
        "public_url": settings.public_url or None,
    }
    if settings.is_sqlite and not (data_dir / "legday.db").is_file():
        facts["schema"] = "no database yet (legday demo, or legday athletes create NAME)"
        return facts
    store = cli.store(upgrade=False)
    current, head = store.schema_revision(), _head()
    if current == head:
        facts["schema"] = f"{current} (latest)"
    else:
        facts["schema"] = f"{current or 'empty'}; this legday needs {head}: legday db upgrade"
        if current is None:
            return facts
    facts["counts"] = store.counts()
    if settings.is_sqlite:
        facts["database_bytes"] = sum(
            p.stat().st_size for p in data_dir.glob("legday.db*") if p.is_file()
        )
    return facts


def _head() -> str:
    from alembic.script import ScriptDirectory

    from ingest.store.migrations import alembic_config

    return ",".join(sorted(ScriptDirectory.from_config(alembic_config()).get_heads()))


def info(args: argparse.Namespace, cli: Cli) -> int:
    facts = gather(cli)
    if args.json:
        cli.console.file.write(json.dumps(facts, indent=2) + "\n")
        return 0
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    counts = facts.pop("counts", None)
    size = facts.pop("database_bytes", None)
    where = facts.pop("data_dir_source")
    for key, value in facts.items():
        if value is None:
            continue
        text = str(value)
        if key == "data_dir":
            text += f"  ({'from ' if where != 'default' else ''}{where})"
        if key == "database" and size is not None:
            text += f"  ({size / 1e6:.1f} MB)"
        table.add_row(key.replace("_", " "), Text(text))
    if counts is not None:
        table.add_row(
            "holds",
            Text(
                f"{counts['athletes']} athletes, {counts['activities']} activities "
                f"({counts['duplicates']} duplicates), {counts['raw_files']} raw files, "
                f"{counts['strength_log']} strength-log entries, {counts['checkins']} check-ins, "
                f"{counts['sync_folders']} sync folders"
            ),
        )
    cli.console.print(table)
    return 0
