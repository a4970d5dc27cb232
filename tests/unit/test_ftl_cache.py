"""Parsed locale files are kept beside them, and never serve a text they were not parsed from."""

from __future__ import annotations

from pathlib import Path

import pytest
from fluent.runtime import FluentBundle
from fluent.syntax.ast import Resource

from bot.ftl_cache import CACHE, parsed
from bot.i18n import LOCALES_DIR, RESOURCE


def hello(resource: Resource, name: str = "Anna") -> str:
    bundle = FluentBundle(["en"], use_isolating=False)
    bundle.add_resource(resource)
    text, errors = bundle.format_pattern(bundle.get_message("hello").value, {"name": name})
    assert not errors
    return str(text)


@pytest.fixture
def ftl(tmp_path: Path) -> Path:
    path = tmp_path / "hearback.ftl"
    path.write_text("hello = Hello, { $name }!\n", encoding="utf-8")
    return path


def kept(ftl: Path) -> list[str]:
    return sorted(p.name for p in (ftl.parent / CACHE).glob("*.pickle"))


def test_a_parse_is_kept_and_read_back(ftl: Path) -> None:
    assert hello(parsed(ftl)) == "Hello, Anna!"
    [first] = kept(ftl)
    assert first.startswith("hearback.ftl.")
    assert hello(parsed(ftl)) == "Hello, Anna!"
    assert kept(ftl) == [first]


def test_a_changed_file_is_parsed_again_and_the_old_parse_dropped(ftl: Path) -> None:
    parsed(ftl)
    [before] = kept(ftl)
    ftl.write_text("hello = Good day, { $name }.\n", encoding="utf-8")
    assert hello(parsed(ftl)) == "Good day, Anna."
    [after] = kept(ftl)
    assert after != before


def test_a_damaged_parse_is_ignored(ftl: Path) -> None:
    parsed(ftl)
    [name] = kept(ftl)
    (ftl.parent / CACHE / name).write_bytes(b"\x80\x05 not a pickle")
    assert hello(parsed(ftl)) == "Hello, Anna!"
    assert hello(parsed(ftl)) == "Hello, Anna!", "and written again"


def test_a_place_where_nothing_can_be_kept_only_costs_a_parse(ftl: Path) -> None:
    (ftl.parent / CACHE).write_text("a file where the folder would be")
    assert hello(parsed(ftl)) == "Hello, Anna!"
    assert hello(parsed(ftl)) == "Hello, Anna!"


def test_every_shipped_language_reads_the_same_from_its_kept_parse() -> None:
    for language in sorted(p.name for p in LOCALES_DIR.iterdir() if (p / RESOURCE).exists()):
        path = LOCALES_DIR / language / RESOURCE
        assert parsed(path).equals(parsed(path))
