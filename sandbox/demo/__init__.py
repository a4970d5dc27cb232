"""`hearback demo`: the sandbox where the whole product can be tried without Telegram.

The real bot (the same composition root as `hearback run`) talks to the built-in Bot API
emulator on SQLite; a web page shows the customer, staff and manager sides of it. The
scripted variant (`--script`) prints one customer's conversation instead.
"""

from pathlib import Path

DEMO_CONFIG = Path(__file__).parent / "hearback.toml"
DEMO_TOKEN = "123456:DEMO-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
