"""The sandbox: a Telegram Bot API emulator and the browser demo around the real bot."""
