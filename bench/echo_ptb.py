"""The python-telegram-bot baseline: a bare PTB echo bot, polling the same emulator the same way.

Updates are handled concurrently and up to 100 requests share the HTTP pool, as aiogram's
polling and session do by default, so both baselines measure their framework rather than one's
sequential defaults (PTB's pool holds one connection unless told otherwise). With
ECHO_PTB_DEFAULTS=1 it runs with PTB's defaults instead, shown beside the tuned one.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo a text."""
    if update.message is not None:
        await update.message.reply_text(update.message.text or "ok")


async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a button and say its data."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    if query.message is not None:
        await context.bot.send_message(query.message.chat.id, query.data or "ok")


def main() -> None:
    """Echo every text and answer every button, until SIGTERM."""
    base = os.environ["TELEGRAM_API_BASE"].rstrip("/")
    builder = (
        Application.builder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
    )
    if not os.environ.get("ECHO_PTB_DEFAULTS"):
        builder = builder.concurrent_updates(True).connection_pool_size(100)
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(press))
    application.run_polling(timeout=1)


if __name__ == "__main__":
    main()
