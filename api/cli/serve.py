"""``legday serve``: the API, the dashboard and (when folders are configured) the sync scheduler."""

from __future__ import annotations

import argparse

from api.cli import args as types
from api.cli.context import Cli, CliError, Subparsers


def register(sub: Subparsers) -> None:
    p = sub.add_parser("serve", help="run the API, the dashboard and the folder-sync scheduler")
    p.add_argument("--host", help="listen address (env LEGDAY_HOST, default 127.0.0.1)")
    p.add_argument(
        "--port", type=types.count(0, 65535), help="listen port (env LEGDAY_PORT, default 8000)"
    )
    p.add_argument(
        "--parse-workers", type=types.count(0, 256), default=2, help="parser processes (0: threads)"
    )
    p.add_argument(
        "--workers",
        type=types.count(1, 256),
        default=1,
        help="API worker processes on the port (more than 1: no scheduler, run `legday sync`)",
    )
    p.add_argument(
        "--no-scheduler",
        action="store_true",
        help="never run the folder-sync scheduler here (`legday sync` runs it)",
    )
    p.add_argument("--no-access-log", action="store_true", help="no line per request")
    p.set_defaults(handler=serve)


def serve(args: argparse.Namespace, cli: Cli) -> int:
    import os

    from api.logs import configure
    from api.server import serve as run_server
    from api.sync_config import SyncConfigError, from_environment

    try:
        jobs = () if args.no_scheduler else from_environment(os.environ)
    except SyncConfigError as error:
        raise CliError(str(error)) from None
    if args.workers > 1 and jobs:
        raise CliError(
            f"--workers {args.workers} would run the sync scheduler in every worker: run "
            "`legday sync` as its own process and start the API with --no-scheduler"
        )
    cli.store()  # brings the schema up to date, explicitly, before the server starts
    cli.close()
    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = cli.settings.model_copy(update=overrides)
    run_server(
        settings,
        parse_workers=args.parse_workers,
        sync_jobs=jobs,
        workers=max(1, args.workers),
        access_log=not args.no_access_log,
        log_config=configure(os.environ),  # uvicorn's lines in legday's format, every worker too
    )
    return 0
