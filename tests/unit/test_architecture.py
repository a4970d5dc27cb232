"""The dependency rule bot → flows ← storage, checked on the source."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def imported_modules(folder: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / folder).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    "forbidden",
    [
        "aiogram",
        "telegram",
        "sqlmodel",
        "sqlalchemy",
        "aiohttp",
        "asyncpg",
        "aiosqlite",
        "bot",
        "storage",
    ],
)
def test_flows_import_no_framework_and_no_outer_layer(forbidden: str) -> None:
    offenders = [path for path, names in imported_modules("flows").items() if forbidden in names]
    assert offenders == []


@pytest.mark.parametrize("forbidden", ["aiogram", "telegram", "bot"])
def test_storage_knows_nothing_of_telegram(forbidden: str) -> None:
    offenders = [path for path, names in imported_modules("storage").items() if forbidden in names]
    assert offenders == []


def test_the_check_would_notice_an_offender(tmp_path: Path) -> None:
    tree = ast.parse("from aiogram import Bot\nimport sqlalchemy.orm\n")
    names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "aiogram" in names


@pytest.mark.parametrize("folder", ["bot", "flows", "storage"])
def test_the_product_never_imports_the_sandbox(folder: str) -> None:
    """A production install carries no sandbox, so nothing in it may need one.

    The one exception is `hearback demo`, which imports it inside the command, after checking
    that it is installed.
    """
    offenders = [
        path
        for path, names in imported_modules(folder).items()
        if "sandbox" in names and path != "bot/cli.py"
    ]
    assert offenders == []
    assert "sandbox" not in top_level_imports(ROOT / "bot" / "cli.py")


def top_level_imports(path: Path) -> set[str]:
    """Packages a module imports when it is loaded (not inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_sandbox_lives_outside_the_bot() -> None:
    assert not (ROOT / "bot" / "emulator").exists()
    assert not (ROOT / "bot" / "demo").exists()
    assert (ROOT / "sandbox" / "emulator" / "server.py").exists()


@pytest.mark.parametrize(
    ("runtime", "unneeded"),
    [
        ("bot.aiogram_runtime", ("telegram", "asyncpg", "matplotlib")),
        ("bot.ptb_runtime", ("aiogram", "asyncpg", "matplotlib")),
    ],
)
def test_a_runtime_on_sqlite_starts_without_what_it_does_not_use(
    runtime: str, unneeded: tuple[str, ...]
) -> None:
    # A fresh interpreter: this one has imported everything the other tests use.
    code = f"import sys, bot.cli, bot.app, {runtime}; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert [name for name in unneeded if name in loaded] == []
