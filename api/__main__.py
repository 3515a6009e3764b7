"""``python -m api``: the same as the ``legday`` command."""

from api.cli import main

raise SystemExit(main())
