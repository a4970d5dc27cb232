"""Stand-ins for what the bot does not do yet: a case topic with its pinned card and buttons.

They act through the Bot API exactly as the bot will, so the page is tested on the same
requests; once the bot opens case topics itself, tests file a complaint instead.
"""

from __future__ import annotations

from tests.browser.running import RunningSandbox

SUPPORT = -1001234567890
OLA, PIOTR = 7001, 7002
CARD = (
    "<b>HB-7K3Q9M</b> · Delivery\n"
    "Customer: Anna Kowalczyk (@anna_k), en\n"
    "State: <i>waiting for an agent</i>"
)
BUTTONS = {
    "inline_keyboard": [
        [{"text": "Take", "callback_data": "t:1"}, {"text": "Transfer", "callback_data": "x:1"}],
        [
            {"text": "Resolve", "callback_data": "r:1"},
            {"text": "Decline", "callback_data": "d:1"},
            {"text": "Escalate", "callback_data": "e:1"},
        ],
    ]
}


def open_case_topic(running: RunningSandbox) -> tuple[int, int]:
    """A case topic as the bot will make one: a topic, its card with buttons, pinned."""
    topic = running.bot_api(
        "createForumTopic",
        chat_id=SUPPORT,
        name="HB-7K3Q9M · Delivery · Anna K.",
        icon_color=16766590,
    )
    thread = int(topic["message_thread_id"])
    card = running.bot_api(
        "sendMessage",
        chat_id=SUPPORT,
        message_thread_id=thread,
        text=CARD,
        parse_mode="HTML",
        reply_markup=BUTTONS,
    )
    running.bot_api("pinChatMessage", chat_id=SUPPORT, message_id=card["message_id"])
    return thread, int(card["message_id"])
