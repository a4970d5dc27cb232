"""Malformed and unfamiliar updates, generated with hypothesis, and a way to hand them to the bot.

Every shape Telegram could send by mistake or add tomorrow: wrong types, missing keys, entity
offsets past the text or through an emoji, unknown update kinds, unknown fields and attachment
kinds. The envelope's update_id is always right: it is the offset Telegram itself counts with.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from sandbox.emulator import BotApiEmulator

Json = dict[str, Any]
# Users who only ever send malformed updates (the real customers have other ids).
STRANGERS = range(9001, 9020)

junk: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63),
    st.text(max_size=12),
    st.floats(allow_nan=False),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)
text = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["😀😀 broken", "ẞ👍🏽x", "plain", ""]
)
entity = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["bold", "italic", "text_link", "code", "future_style", 7]),
        "offset": st.integers(-3, 60) | junk,
        "length": st.integers(-3, 60) | junk,
    },
    optional={"url": st.text(max_size=10) | junk, "language": junk},
)


@st.composite
def message(draw: st.DrawFn, kind: str = "message") -> Json:
    """A private-chat message with some of its fields broken."""
    user_id = draw(st.sampled_from(STRANGERS))
    base: Json = {
        "message_id": draw(st.integers(1, 10**6)),
        "date": 1_764_000_000,
        "chat": {"id": user_id, "type": "private", "first_name": "Stranger"},
        "from": {"id": user_id, "is_bot": False, "first_name": "Stranger", "language_code": "en"},
        "text": draw(text),
        "entities": draw(st.lists(entity, max_size=3)),
    }
    extras = draw(
        st.dictionaries(
            st.sampled_from(
                [
                    "forward_origin",
                    "caption",
                    "caption_entities",
                    "photo",
                    "document",
                    "hologram",
                    "reply_to_message",
                    "future_field",
                    "media_group_id",
                ]
            ),
            st.one_of(
                junk,
                st.fixed_dictionaries({"type": st.sampled_from(["future_origin", "user", 5])}),
                st.fixed_dictionaries({"file_id": st.text(min_size=1, max_size=8)}),
                st.lists(st.fixed_dictionaries({"file_id": junk, "width": junk}), max_size=2),
            ),
            max_size=3,
        )
    )
    base.update(extras)
    # Break a few of the fields Telegram always sends: wrong types, or missing.
    for key in draw(
        st.lists(st.sampled_from(["message_id", "chat", "from", "text", "date"]), max_size=2)
    ):
        if draw(st.booleans()):
            base.pop(key, None)
        else:
            base[key] = draw(junk)
    return base


@st.composite
def update(draw: st.DrawFn) -> Json:
    """One malformed or unfamiliar update (without its update_id)."""
    kind = draw(
        st.sampled_from(
            ["message", "edited_message", "callback_query", "business_message", "future_update"]
        )
    )
    if kind == "callback_query":
        inner = draw(message())
        return {
            "callback_query": {
                "id": draw(st.text(max_size=6) | junk),
                "from": inner.get("from", {}),
                "message": inner,
                "data": draw(st.text(max_size=20) | junk),
            }
        }
    if kind == "future_update":
        return {"future_update": draw(st.dictionaries(st.text(max_size=5), junk, max_size=4))}
    return {kind: draw(message())}


def draw(count: int, seed_value: int) -> list[Json]:
    """`count` generated updates, the same ones for the same seed."""
    found: list[Json] = []

    @seed(seed_value)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(update())
    def collect(value: Json) -> None:
        found.append(value)

    collect()
    return found[:count]


def inject(emu: BotApiEmulator, update: Json) -> int:
    """Queue `update` for the bot as Telegram would send it; return its update_id."""
    update_id = emu.state.next_update_id
    emu.state.updates.append({"update_id": update_id, **update})
    emu.state.next_update_id += 1
    emu.notify()
    return update_id
