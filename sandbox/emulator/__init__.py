"""A Telegram Bot API emulator: an aiohttp server real clients talk to, driven from tests."""

from sandbox.emulator.driver import DEFAULT_TOKEN, BotApiEmulator
from sandbox.emulator.limits import EntityParseError, RateLimits, parse_html
from sandbox.emulator.state import ApiError, Chat, Message, Stats, Topic, User

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "BotApiEmulator",
    "Chat",
    "EntityParseError",
    "Message",
    "RateLimits",
    "Stats",
    "Topic",
    "User",
    "parse_html",
]
