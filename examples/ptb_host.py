"""A team's own python-telegram-bot Application with hearback mounted in it.

The shop's /start and /help stay the shop's (handler group 0); hearback's handlers go into
group 1, and a complaint starts with the shop's own /complaint command or the "Complain" button
of its menu. hearback's sender and timers start after the Application's post_init and stop in
its post_stop.

    BOT_TOKEN=... HEARBACK_CONFIG=hearback.toml DATABASE_URL=sqlite+aiosqlite:///shop.db \\
        python examples/ptb_host.py
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.ptb_runtime import PtbHearback
from bot.roles import Entry
from bot.settings import Settings, load_org


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The shop's own welcome, with its menu."""
    menu = [[InlineKeyboardButton("📝 Complain", callback_data="complain")]]
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        "Welcome to Acme Shop! Ask about an order here.",
        reply_markup=InlineKeyboardMarkup(menu),
    )


async def help_(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The shop's own help."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        "Acme Shop bot: /start for the menu, /complaint to file a complaint."
    )


def main() -> None:
    """Poll Telegram with the shop's Application, hearback's handlers in group 1."""
    settings = Settings()
    builder = Application.builder().token(settings.token())
    if settings.telegram_api_base:  # a self-hosted Bot API server
        base = settings.telegram_api_base.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    application = builder.build()
    application.add_handlers([CommandHandler("start", start), CommandHandler("help", help_)])

    hearback = PtbHearback(
        application,
        settings,
        load_org(settings.hearback_config),
        Entry.embedded(command="complaint", button="complain"),
    )
    application.add_handlers(hearback.handlers(), group=1)
    hearback.run_with(application)

    application.run_polling(timeout=5)


if __name__ == "__main__":
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # it would log every request's URL
    main()
