"""The tone guard's built-in rules: one TOML file per language beside its Fluent file."""

from __future__ import annotations

import tomllib
from functools import cache

from bot.i18n import LOCALES_DIR
from flows.config import LANGUAGES, ToneRules

RULES_FILE = "tone.toml"


@cache
def builtin_rules() -> dict[str, ToneRules]:
    """Every language's built-in tone rules (bot/locales/<lang>/tone.toml)."""
    rules = {}
    for language in LANGUAGES:
        path = LOCALES_DIR / language / RULES_FILE
        if path.exists():
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
            rules[language] = ToneRules.model_validate(raw)
    return rules
