"""The tone guard's rules, measured on labelled sentences in every language.

Each file in tests/unit/tone holds real-sounding replies, half of them passing the customer on
or promising without a time ("H": held), half innocent ("S": sent), among them the near misses
that matter: negations, "not my department, but I will handle it myself", a time given after
"as soon as". Precision and recall are printed; no innocent sentence may be held.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import load_org
from bot.tone_rules import builtin_rules
from flows.config import LANGUAGES, Tone, ToneRules
from flows.tone import Concern, concerns
from tests.conftest import DEMO_CONFIG

SETS = Path(__file__).parent / "tone"


def _labelled(language: str) -> list[tuple[bool, str]]:
    lines = (SETS / f"{language}.txt").read_text(encoding="utf-8").splitlines()
    return [(line[0] == "H", line[2:]) for line in lines if line[:2] in ("H ", "S ")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_labelled_set_is_held_exactly(language: str) -> None:
    rules = builtin_rules()
    labelled = _labelled(language)
    held = sum(1 for bad, _ in labelled if bad)
    assert len(labelled) >= 40 and held * 2 == len(labelled), "half deflecting, half innocent"
    wrongly_held = [s for bad, s in labelled if not bad and concerns(s, rules)]
    missed = [s for bad, s in labelled if bad and not concerns(s, rules)]
    caught = held - len(missed)
    precision = caught / (caught + len(wrongly_held)) if caught + len(wrongly_held) else 1.0
    recall = caught / held
    print(
        f"tone guard {language}: precision {precision:.2f}, recall {recall:.2f} ({len(labelled)})"
    )
    assert wrongly_held == [], "an innocent reply must never be held"
    assert missed == []


def test_the_reason_names_what_is_wrong() -> None:
    rules = builtin_rules()
    assert concerns("Not my department, we will answer soon.", rules) == (
        Concern.DEFLECT,
        Concern.VAGUE,
    )
    assert concerns("We will answer soon.", rules) == (Concern.VAGUE,)
    assert concerns("We will answer by 15:00.", rules) == ()


def test_the_organisation_extends_the_rules_in_its_toml() -> None:
    extra = Tone(rules={"en": ToneRules(deflect=(r"\bask the shop\b",))})
    merged = extra.with_builtin(builtin_rules()).rules
    assert concerns("Please ask the shop.", merged) == (Concern.DEFLECT,)
    assert concerns("Please ask the shop.", builtin_rules()) == ()
    assert concerns("Sorry, it's not my department.", merged) == (Concern.DEFLECT,)


def test_the_demo_organisation_loads_the_built_in_rules() -> None:
    org = load_org(DEMO_CONFIG)
    assert set(org.tone.rules) == set(LANGUAGES) and org.tone.hold


def test_a_broken_pattern_in_the_toml_is_explained() -> None:
    with pytest.raises(ValueError, match="is not a regular expression"):
        ToneRules(deflect=("(unclosed",))
