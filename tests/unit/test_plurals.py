"""Counts read as people write them: Fluent's plural rules pick the word, never "file(s)"."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import LOCALES_DIR, RESOURCE, Renderer
from bot.render import render
from flows.card import card_params
from flows.config import LANGUAGES, OrgConfig
from flows.lifecycle import CaseState
from flows.messages import Say, from_json, to_json
from flows.model import Attachment, Case, Customer

RENDERER = Renderer(ZoneInfo("Europe/Warsaw"))
NOON = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
# A word with its ending in brackets ("file(s)", "файл(ы)", "கோப்பு(கள்)"): a plural dodged.
DODGED_PLURAL = re.compile(r"[^\s({]\([^\s(){}$]{1,6}\)")


def card(org: OrgConfig, language: str, files: int, reopened: int = 0, transfers: int = 0) -> str:
    """The staff card of a case with `files` attachments, as Telegram would show it."""
    case = Case(
        number="HB-7K3Q9M",
        customer_id=1,
        category="delivery",
        team="support",
        manager="maria",
        description="The parcel never came.",
        contact="telegram",
        state=CaseState.WAITING_FOR_AGENT,
        created_at=NOON,
        updated_at=NOON,
        first_response_due=NOON,
        resolve_due=NOON,
        reopened=reopened,
        transfers=transfers,
    )
    customer = Customer(telegram_id=5001, first_name="Anna", language="en", created_at=NOON)
    attachments = [Attachment(case.number, "photo", f"f{i}", f"u{i}", NOON) for i in range(files)]
    params = card_params(case, customer, attachments, org, language)
    # Through the outbox's JSON, as every message travels before it is sent.
    say = from_json(to_json(Say(chat_id=-100, key="card", language=language, params=params)))
    return str(render(RENDERER, say).params["text"])


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("ru", {1: "1 файл:", 2: "2 файла:", 5: "5 файлов:", 22: "22 файла:", 11: "11 файлов:"}),
        ("pl", {1: "1 plik:", 2: "2 pliki:", 5: "5 plików:", 22: "22 pliki:", 12: "12 plików:"}),
        ("en", {1: "1 file:", 2: "2 files:", 5: "5 files:", 22: "22 files:"}),
        ("ta", {1: "1 கோப்பு:", 2: "2 கோப்புகள்:"}),
    ],
)
def test_the_card_counts_files_in_the_words_of_its_language(
    org: OrgConfig, language: str, forms: dict[int, str]
) -> None:
    for files, expected in forms.items():
        text = card(org, language, files)
        assert f"📎 {expected}" in text, f"{language}, {files} files: {text}"
    assert "📎" not in card(org, language, 0)


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("ru", {1: "1 раз", 2: "2 раза", 5: "5 раз", 21: "21 раз"}),
        ("pl", {1: "1 raz", 2: "2 razy", 5: "5 razy"}),
        ("en", {1: "once", 2: "2 times", 5: "5 times"}),
    ],
)
def test_the_card_counts_reopens_and_transfers(
    org: OrgConfig, language: str, forms: dict[int, str]
) -> None:
    for count, expected in forms.items():
        text = card(org, language, 0, reopened=count, transfers=count)
        assert len(re.findall(re.escape(expected) + r"\b", text)) == 2, f"{language}: {text}"


def test_other_counts_follow_the_plural_rules_too() -> None:
    def text(language: str, key: str, **params: str | int) -> str:
        return RENDERER.text(language, key, dict(params))

    assert "(and 1 more character)" in text("en", "intake-summary", hidden=1, attachments=0)
    assert "4,000 characters" in text("en", "intake-description-full", limit=4000)
    assert "(прикреплено 5 файлов)" in text("ru", "intake-description-more", attachments=5)
    assert "(załączono 3 pliki)" in text("pl", "intake-description-more", attachments=3)
    assert "For the next minute," in text("en", "staff-prompt-ask", minutes=1)
    assert "For the next 10 minutes," in text("en", "staff-prompt-ask", minutes=10)
    check_in = text("ru", "check-in", number="HB-1", p_who="team", p_name="Поддержка", p_ahead=3)
    assert "впереди в очереди 3 обращения" in check_in
    load = {"name": "Ola", "team": "Support", "limit": 15, "handled": 22, "after": 1}
    assert "сейчас 16 открытых обращений" in text("ru", "load-alert-open", open=16, **load)
    assert "сейчас 22 открытых обращения" in text("ru", "load-alert-open", open=22, **load)
    assert "ma teraz 22 otwarte zgłoszenia" in text("pl", "load-alert-open", open=22, **load)
    assert "1 z 22 zgłoszeń" in text("pl", "load-alert-after-hours", window=14, **load)
    assert "1 из 22 обращений" in text("ru", "load-alert-after-hours", window=14, **load)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_dodges_a_plural_with_brackets(language: str) -> None:
    source = (LOCALES_DIR / language / RESOURCE).read_text(encoding="utf-8")
    assert DODGED_PLURAL.findall(source) == []


def test_the_dodged_plural_check_can_fail() -> None:
    for dodge in ("2 file(s)", "Transferred 3 time(s).", "2 файл(а)", "3 plik(i)", "கோப்பு(கள்)"):
        assert DODGED_PLURAL.search(dodge), dodge
    for fine in ("({ $stars }/5)", "(@{ $username })", "தலைப்பு (topic)", "(step { $level })"):
        assert not DODGED_PLURAL.search(fine), fine
