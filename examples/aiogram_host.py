"""A team's own aiogram bot with hearback mounted in it.

The shop's /start and /help stay the shop's; a complaint starts with the shop's own /complaint
command or the "Complain" button of its menu, and from there hearback runs the whole case: the
guided intake, the staff group's topic, the manager. hearback's sender and timers start and
stop with the Dispatcher.

    BOT_TOKEN=... HEARBACK_CONFIG=hearback.toml DATABASE_URL=sqlite+aiosqlite:///shop.db \\
        python examples/aiogram_host.py
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Dispatcher, Router
from aiogram.filters import Command, CommandStart
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.aiogram_runtime import AiogramHearback, make_bot
from bot.roles import Entry
from bot.settings import Settings, load_org

shop = Router(name="shop")


@shop.message(CommandStart())
async def start(message: Message) -> None:
    """The shop's own welcome, with its menu."""
    menu = [[InlineKeyboardButton(text="📝 Complain", callback_data="complain")]]
    await message.answer(
        "Welcome to Acme Shop! Ask about an order here.",
        reply_markup=InlineKeyboardMarkup(inline_keyboard=menu),
    )


@shop.message(Command("help"))
async def help_(message: Message) -> None:
    """The shop's own help."""
    await message.answer("Acme Shop bot: /start for the menu, /complaint to file a complaint.")


async def main() -> None:
    """Poll Telegram with the shop's Dispatcher, hearback's routers included."""
    settings = Settings()
    bot = make_bot(settings.token(), settings.telegram_api_base)
    dispatcher = Dispatcher()
    dispatcher.include_router(shop)

    hearback = AiogramHearback(
        bot,
        settings,
        load_org(settings.hearback_config),
        Entry.embedded(command="complaint", button="complain"),
    )
    dispatcher.include_routers(*hearback.routers())
    hearback.run_with(dispatcher)

    await dispatcher.start_polling(bot, polling_timeout=5)


if __name__ == "__main__":
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(main())
