"""The "/" menus: each reader's language, each role's commands, within Telegram's rules."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Renderer
from bot.menus import (
    CUSTOMER_COMMANDS,
    MANAGER_COMMANDS,
    STAFF_COMMANDS,
    command_menus,
    unspoken_menus,
)
from bot.transport import Json
from flows.config import LANGUAGES, OrgConfig

RENDERER = Renderer(ZoneInfo("Europe/Warsaw"))
CUSTOMER = ["new", "status", "manager", "withdraw", "mydata", "forget", "help", "cancel"]
MARIA = 111111
SUPPORT = -1001234567890


def speaking(org: OrgConfig, languages: tuple[str, ...], default: str) -> OrgConfig:
    organisation = org.organisation.model_copy(
        update={"languages": languages, "default_language": default}
    )
    return org.model_copy(update={"organisation": organisation})


def menu(calls: list[Json], scope: Json, language: str | None = None) -> dict[str, str]:
    [found] = [c for c in calls if c["scope"] == scope and c.get("language_code") == language]
    return {c["command"]: c["description"] for c in found["commands"]}


def test_every_menu_keeps_telegrams_rules(org: OrgConfig) -> None:
    calls = command_menus(org, RENDERER)
    for call in calls:
        assert 1 <= len(call["commands"]) <= 100
        assert re.fullmatch(r"[a-z]{2}", call.get("language_code", "en"))
        for command in call["commands"]:
            assert re.fullmatch(r"[a-z0-9_]{1,32}", command["command"])
            assert 1 <= len(command["description"]) <= 256
            assert not re.search(r"[<>&{}]", command["description"]), command  # plain text


def test_customers_read_the_menu_in_their_own_language(org: OrgConfig) -> None:
    calls = command_menus(org, RENDERER)
    private = {"type": "all_private_chats"}
    menus = {code: menu(calls, private, code) for code in ("en", "ru", "pl", "ta")}
    for code, commands in menus.items():
        assert list(commands) == CUSTOMER, code
    assert menus["en"]["new"] == "File a complaint"
    assert menus["ru"]["new"] == "Подать жалобу"
    assert menus["pl"]["manager"] == "Rozmowa z kierownikiem"
    assert menus["ta"]["withdraw"] == "புகாரைத் திரும்பப் பெற"
    # Every other language reads the organisation's default one.
    assert menu(calls, private) == menus["en"]


def test_the_menu_without_a_language_is_in_the_organisations_default(org: OrgConfig) -> None:
    polish = speaking(org, ("en", "pl"), "pl")
    calls = command_menus(polish, RENDERER)
    private = {"type": "all_private_chats"}
    assert menu(calls, private) == menu(calls, private, "pl")
    assert menu(calls, private)["status"] == "Moje zgłoszenia i terminy odpowiedzi"
    assert not [c for c in calls if c.get("language_code") in ("ru", "ta")]
    staff = menu(calls, {"type": "chat", "chat_id": SUPPORT})
    assert staff["queue"] == "Zgłoszenia, których nikt nie przejął, od najstarszych"


def test_staff_groups_get_staff_commands_in_one_language(org: OrgConfig) -> None:
    calls = command_menus(org, RENDERER)
    for chat_id in org.staff_chat_ids:
        lists = [c for c in calls if c["scope"] == {"type": "chat", "chat_id": chat_id}]
        assert [c.get("language_code") for c in lists] == [None]
        assert [c["command"] for c in lists[0]["commands"]] == [
            "queue",
            "mine",
            "case",
            "find",
            "r",
            "note",
            "help",
        ]
        assert lists[0]["commands"][-1]["description"] == "How this group works"


def test_managers_get_their_commands_and_the_customer_ones_per_language(
    org: OrgConfig,
) -> None:
    calls = command_menus(org, RENDERER)
    maria = {"type": "chat", "chat_id": MARIA}
    for code in ("en", "ru", "pl", "ta", None):
        assert list(menu(calls, maria, code)) == ["report", "reviews", "done", *CUSTOMER]
    assert menu(calls, maria, "ru")["reviews"] == "Разборы, ожидающие вашего ответа"
    assert menu(calls, maria, "pl")["report"] == "Co się wydarzyło, najpierw złe wieści: /report 7d"
    # The managers' lists come last, so once the last one is set every menu is.
    last = org.managers[-1].telegram_id
    assert calls[-1]["scope"] == {"type": "chat", "chat_id": last}
    assert "language_code" not in calls[-1]


def test_menus_of_languages_no_longer_spoken_are_dropped(org: OrgConfig) -> None:
    assert unspoken_menus(org) == []
    dropped = unspoken_menus(speaking(org, ("en", "pl"), "en"))
    private = {"type": "all_private_chats"}
    assert {"scope": private, "language_code": "ru"} in dropped
    assert {"scope": private, "language_code": "ta"} in dropped
    assert {"scope": {"type": "chat", "chat_id": MARIA}, "language_code": "ru"} in dropped
    assert not [d for d in dropped if d["language_code"] in ("en", "pl")]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("key", "commands"),
    [
        ("help", CUSTOMER_COMMANDS),
        ("manager-help", MANAGER_COMMANDS),
        ("staff-help", STAFF_COMMANDS),
    ],
)
def test_help_names_every_command_of_the_menu(
    language: str, key: str, commands: tuple[tuple[str, str], ...]
) -> None:
    text = RENDERER.text(language, key)
    listed = set(re.findall(r"/([a-z_]+)", text))
    assert {name for name, _ in commands} - {"help"} <= listed, f"{language}: {key}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_customer_help_shows_how_to_open_one_case(language: str) -> None:
    assert "/status HB-XXXXXX" in RENDERER.text(language, "help")
