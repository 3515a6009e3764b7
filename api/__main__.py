"""``python -m api``: the same as the ``legday`` command."""

from api.cli.main import main

raise SystemExit(main())
