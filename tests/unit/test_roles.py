"""What hearback takes when it shares a bot with the host's own handlers, and how it starts."""

from __future__ import annotations

from bot.roles import Entry, is_ours
from flows.actions import Menu, PickCategory


def test_standalone_hearback_takes_everything() -> None:
    entry = Entry()
    assert entry.takes_text("/start") and entry.takes_text("/help") and entry.takes_text(None)
    assert entry.takes_button("anything") and entry.takes_button(None)
    raw = {"update_id": 1, "message": {"text": "/complaint"}}
    assert entry.rewritten(raw) == raw


def test_embedded_hearback_leaves_the_hosts_commands_and_buttons_alone() -> None:
    entry = Entry.embedded(command="complaint", button="complain")
    assert not entry.takes_text("/start") and not entry.takes_text("/help@shop_bot")
    assert entry.takes_text("/complaint") and entry.takes_text("/status") and entry.takes_text("hi")
    assert not entry.takes_command("/start") and entry.takes_command("/status")
    assert not entry.takes_button("menu:orders") and not entry.takes_button(None)
    assert entry.takes_button("complain")
    assert entry.takes_button(PickCategory("ab12", "delivery").pack())  # a stale one of ours too


def test_the_hosts_entry_command_and_button_start_a_complaint() -> None:
    entry = Entry.embedded(command="complaint", button="complain")
    command = {
        "update_id": 7,
        "message": {
            "message_id": 3,
            "text": "/complaint@shop_bot please",
            "entities": [{"type": "bot_command", "offset": 0, "length": 19}],
        },
    }
    message = entry.rewritten(command)["message"]
    assert message["text"] == "/new please"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 4}]
    assert command["message"]["text"] == "/complaint@shop_bot please", "the original is kept"
    press = {"update_id": 8, "callback_query": {"id": "q", "data": "complain"}}
    assert entry.rewritten(press)["callback_query"]["data"] == Menu("file").pack()
    other = {"update_id": 9, "callback_query": {"id": "q", "data": "menu:orders"}}
    assert entry.rewritten(other) == other


def test_only_well_formed_payloads_are_ours() -> None:
    assert is_ours(Menu("file").pack())
    assert not is_ours("complain") and not is_ours("") and not is_ours(None)
