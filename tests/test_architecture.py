"""The house keeps its shape (docs/architecture.md): pure rooms import no edges, no import circles,
no module grows past one screenful of responsibilities, and ``legday --help`` stays light.

Read from the code's own imports with ``ast``: every import, at module level or inside a function,
counts. ``if TYPE_CHECKING:`` imports count for circles (a circle of names is a circle of design,
even when only the type checker follows it) but not for what a room may import at run time."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("ingest", "recommender", "api")
# Rooms that must stay pure: functions over values (no database, no folders, no web, no clock).
PURE = ("ingest.decode", "ingest.measure", "ingest.pipeline", "ingest.errors", "recommender")
EDGES = ("ingest.store", "ingest.sync", "api", "sqlalchemy", "fastapi", "starlette", "alembic")
MAX_LINES = 300
# One cohesive table each: the exercise catalogue and the Alembic migrations.
TABLES = ("recommender/catalogue.py", "ingest/store/migrations/versions/")
# Nothing pending: every module is under the limit.
PENDING_SPLITS: set[str] = set()


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, *, type_checking: bool) -> Iterator[ast.AST]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child) and not type_checking:
            continue
        yield child
        yield from _walk(child, type_checking=type_checking)


def imports(path: Path, known: dict[str, Path], *, type_checking: bool = False) -> set[str]:
    """Every module ``path`` imports: a name of ``known`` when it is one, else the dotted name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in _walk(tree, type_checking=type_checking):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                names.add(child if child in known else node.module)
    return names


def test_pure_rooms_never_import_the_store_the_sync_or_the_web() -> None:
    known = modules()
    offenders = [
        f"{name} imports {target}"
        for name, path in known.items()
        if name.startswith(PURE)
        for target in imports(path, known)
        if target.startswith(EDGES)
    ]
    assert offenders == []


def test_the_store_never_imports_the_sync_or_the_api_and_the_sync_never_the_api() -> None:
    known = modules()
    rules = {"ingest.store": ("ingest.sync", "api"), "ingest.sync": ("api",)}
    offenders = [
        f"{name} imports {target}"
        for name, path in known.items()
        for room, banned in rules.items()
        if name.startswith(room)
        for target in imports(path, known)
        if target.startswith(banned)
    ]
    assert offenders == []


def test_the_recommender_never_reads_the_clock() -> None:
    clock_calls = {("datetime", "now"), ("date", "today"), ("datetime", "today"), ("time", "time")}
    offenders = []
    for name, path in modules().items():
        if not name.startswith("recommender"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if isinstance(owner, ast.Name) and (owner.id, node.func.attr) in clock_calls:
                    offenders.append(f"{name}:{node.lineno} {owner.id}.{node.func.attr}()")
    assert offenders == []


def import_circles() -> list[list[str]]:
    """Strongly connected components (size > 1) of the import graph (Tarjan)."""
    known = modules()
    graph = {
        name: sorted(t for t in imports(path, known, type_checking=True) if t in known)
        for name, path in known.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return circles


def test_no_two_modules_import_each_other_in_a_circle() -> None:
    assert import_circles() == []


def test_no_module_is_longer_than_one_room_should_be() -> None:
    too_long = []
    for path in modules().values():
        rel = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and not rel.startswith(TABLES) and rel not in PENDING_SPLITS:
            too_long.append(f"{rel}: {lines} lines")
    assert too_long == []


@pytest.mark.slow
def test_legday_help_imports_neither_the_web_stack_nor_the_database_nor_pandas() -> None:
    probe = (
        "import sys\n"
        "from api.cli.main import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('fastapi', 'starlette', 'sqlalchemy', 'pandas', 'numpy', 'pydantic', 'rich')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "usage: legday" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"
