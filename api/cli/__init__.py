"""The ``legday`` command line: one module per command group."""
