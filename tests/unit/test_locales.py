"""Every text exists in every language, with the same placeholders, and promises nothing vague."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

from bot.i18n import LOCALES_DIR, RESOURCE
from flows.card import CARD_ACTIONS
from flows.config import LANGUAGES

# "soon" and its equivalents: a promise without a time is the failure this product exists to end.
VAGUE = {
    "en": r"\bsoon\b|as soon as possible|\basap\b|shortly|in a while|before long|\bpromptly\b",
    "ru": r"скоро|в ближайшее время|как можно скорее|в кратчайшие сроки|вскоре|на днях",
    "pl": r"wkrótce|niedługo|jak najszybciej|w najbliższym czasie|zaraz",
    "ta": r"விரைவில்|சீக்கிரம்|கூடிய விரைவில்",
}


def entries(language: str) -> dict[str, ast.Message]:
    text = (LOCALES_DIR / language / RESOURCE).read_text(encoding="utf-8")
    resource = FluentParser().parse(text)
    junk = [e for e in resource.body if isinstance(e, ast.Junk)]
    assert not junk, f"{language}: syntax errors: {[j.annotations[0].message for j in junk]}"
    return {e.id.name: e for e in resource.body if isinstance(e, ast.Message)}


def placeholders(message: ast.Message) -> set[str]:
    found: set[str] = set()

    class Collect(Visitor):
        def visit_VariableReference(self, node: ast.VariableReference) -> None:
            found.add(node.id.name)

    Collect().visit(message)
    return found


def raw_text(language: str) -> str:
    return (LOCALES_DIR / language / RESOURCE).read_text(encoding="utf-8")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_exists_in_every_language(language: str) -> None:
    english, other = entries("en"), entries(language)
    assert sorted(set(english) - set(other)) == [], f"{language} lacks these keys"
    assert sorted(set(other) - set(english)) == [], f"{language} has keys English lacks"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_placeholder_is_the_same_in_every_language(language: str) -> None:
    english, other = entries("en"), entries(language)
    for key, message in english.items():
        if key in other:
            assert placeholders(other[key]) == placeholders(message), f"{language}: {key}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_makes_a_vague_promise(language: str) -> None:
    for key, message in entries(language).items():
        source = raw_text(language)
        span = message.span
        assert span is not None
        text = source[span.start : span.end]
        match = re.search(VAGUE[language], text, re.IGNORECASE)
        assert match is None, f"{language}: {key} says {match.group(0)!r}"


def test_the_vague_promise_check_can_fail() -> None:
    assert re.search(VAGUE["en"], "We will answer as soon as possible", re.IGNORECASE)
    assert re.search(VAGUE["ru"], "Мы скоро ответим", re.IGNORECASE)


def test_every_key_the_code_uses_exists() -> None:
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("flows", "bot")
        for path in Path(LOCALES_DIR.parent.parent / folder).rglob("*.py")
    )
    used = set(
        re.findall(
            r'"((?:intake|case|status|btn|button|history|start|unsupported|help|'
            r"group|update|which|edit|contact|nothing|unknown|staff|topic|manager|rating|review|"
            r"withdraw|promise|menu|digest|report|load|chart)"
            r'-[a-z-]+|check-in(?:-[a-z]+)*)"',
            source,
        )
    )
    used |= {f"btn-card-{name}" for name, _ in CARD_ACTIONS} | {"btn-card-later"}
    used |= {
        f"staff-prompt-{action}" for action in ("transfer", "ask", "decline", "resolve", "later")
    }
    missing = sorted(used - set(entries("en")))
    assert missing == []
