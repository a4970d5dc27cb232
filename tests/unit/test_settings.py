"""Configuration problems are explained in plain words; `hearback check-config` exits non-zero."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.cli import main
from bot.settings import ConfigError, Settings, load_org, token_problem
from tests.conftest import DEMO_CONFIG

TOKEN = "123456:TEST-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

ISSUE_EXAMPLE = """
[organisation]
name = "Acme"
timezone = "Europe/Warsaw"
business_hours = { days = "mon-fri", start = "09:00", end = "18:00" }

[[teams]]
key = "support"
chat_id = -1001234567890

[[managers]]
key = "maria"
name = "Maria Kowalska"
title = "Head of Customer Care"
telegram_id = 111111
escalates_to = "jan"

[[managers]]
key = "jan"
name = "Jan Nowak"
telegram_id = 222222

[[categories]]
key = "delivery"
title = { en = "Delivery", ru = "Доставка", pl = "Dostawa", ta = "டெலிவரி" }
team = "support"
manager = "maria"
first_response = "2h"
resolve_within = "2d"
check_in_every = "4h"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hearback.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_documented_shape_loads(tmp_path: Path) -> None:
    org = load_org(write(tmp_path, ISSUE_EXAMPLE))
    category = org.category("delivery")
    assert category is not None and category.title_in("ta") == "டெலிவரி"
    assert org.manager("maria").escalates_to == "jan"


def test_digest_times_read_as_people_write_them(tmp_path: Path) -> None:
    text = ISSUE_EXAMPLE.replace('name = "Acme"\n', 'name = "Acme"\ndigest_at = 07:45:00\n', 1)
    text = text.replace('escalates_to = "jan"', 'escalates_to = "jan"\ndigest_at = "off"')
    text = text.replace("telegram_id = 222222", 'telegram_id = 222222\ndigest_at = "9:05"')
    org = load_org(write(tmp_path, text))
    assert org.organisation.digest_at == time(7, 45)
    assert org.manager("maria").digest_time(org.organisation) is None
    assert org.manager("jan").digest_time(org.organisation) == time(9, 5)
    default = load_org(write(tmp_path, ISSUE_EXAMPLE)).organisation
    assert (default.digest_at, default.max_open_per_agent, default.after_hours_share) == (
        time(8, 30),
        15,
        0.3,
    )


@pytest.mark.parametrize(
    ("change", "explanation"),
    [
        (
            ('first_response = "2h"', 'first_response = "2 hours"'),
            'categories[0] "delivery" → first_response',
        ),
        (('manager = "maria"', 'manager = "marta"'), 'names manager "marta"'),
        (('timezone = "Europe/Warsaw"', 'timezone = "Mars/Olympus"'), "not a known time zone"),
        (('team = "support"', 'team = "sales"'), 'names team "sales"'),
        (('escalates_to = "jan"', 'escalates_to = "maria"'), "loops back"),
        (('check_in_every = "4h"', 'check_in_evry = "4h"'), "not a setting hearback knows"),
        (('days = "mon-fri"', 'days = "monday-friday"'), "not a list of days"),
        (('name = "Acme"\n', "\n"), "organisation → name: is required but missing"),
        (
            ('name = "Acme"\n', 'name = "Acme"\ndigest_at = "8.30"\n'),
            'organisation → digest_at: "8.30" is not a time of day; write it like "08:30"',
        ),
        (
            ('escalates_to = "jan"', 'escalates_to = "jan"\ndigest_at = "25:00"'),
            'managers[0] "maria" → digest_at: "25:00" is not a time of day',
        ),
        (
            ('name = "Acme"\n', 'name = "Acme"\nafter_hours_share = 30\n'),
            "organisation → after_hours_share: Input should be less than or equal to 1",
        ),
    ],
)
def test_each_mistake_is_explained_where_it_is(
    tmp_path: Path, change: tuple[str, str], explanation: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_org(write(tmp_path, ISSUE_EXAMPLE.replace(*change, 1)))
    assert explanation in str(caught.value)


def test_broken_toml_and_missing_file_are_explained(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_org(write(tmp_path, "[organisation\nname="))
    with pytest.raises(ConfigError, match="does not exist"):
        load_org(tmp_path / "nope.toml")


def test_token_problems_never_repeat_the_token() -> None:
    bad = "12345:short-secret"
    problem = token_problem(SecretStr(bad))
    assert problem is not None and bad not in problem
    assert token_problem(None) is not None
    assert token_problem(SecretStr(TOKEN)) is None


def test_check_config_passes_on_a_good_setup(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("HEARBACK_CONFIG", str(DEMO_CONFIG))
    assert main(["check-config"]) == 0
    out = capsys.readouterr()
    assert "is fine" in out.out
    assert TOKEN not in out.out + out.err


def test_check_config_lists_every_problem_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/db")
    monkeypatch.setenv(
        "HEARBACK_CONFIG", str(write(tmp_path, ISSUE_EXAMPLE.replace("2h", "2x", 1)))
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check-config"]) == 1
    err = capsys.readouterr().err
    assert "3 problem(s)" in err
    assert "BOT_TOKEN is not set" in err
    assert "mysql" in err
    assert "first_response" in err


def test_settings_read_the_documented_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1/test")
    monkeypatch.setenv("TELEGRAM_API_BASE", "http://127.0.0.1:8081")
    monkeypatch.setenv("HEARBACK_CONFIG", "/etc/hearback.toml")
    settings = Settings()
    assert settings.token() == TOKEN
    assert settings.database_url.startswith("postgresql")
    assert settings.telegram_api_base == "http://127.0.0.1:8081"
    assert settings.hearback_config == Path("/etc/hearback.toml")
    assert TOKEN not in repr(settings)


def test_team_names_and_manager_titles_may_be_translated(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from flows import promise
    from flows.promise import Owes

    text = ISSUE_EXAMPLE.replace(
        'key = "support"', 'key = "support"\nname = { en = "Support", ru = "Поддержка" }'
    ).replace(
        'title = "Head of Customer Care"',
        'title = { en = "Head of Customer Care", pl = "Kierowniczka obsługi klienta" }',
    )
    org = load_org(write(tmp_path, text))
    support, maria = org.team("support"), org.manager("maria")
    assert (support.title_in("ru"), support.title_in("pl")) == ("Поддержка", "Support")
    assert maria.title_in("pl") == "Kierowniczka obsługi klienta"
    assert maria.title_in("ta") == "Head of Customer Care", "English when not translated"
    assert org.manager("jan").title_in("en") == "", "no title at all is fine"
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    waiting = promise.for_team("support", Owes.ANSWER, now, promise.REGISTERED, now)
    assert promise.params(waiting, org, "ru")["p_name"] == "Поддержка"
    piotr = promise.for_staff(7001, "Piotr", "support", Owes.UPDATE, now, promise.TAKEN, now)
    assert promise.label(piotr, org, "ru") == "Piotr (Поддержка)"
    acked = promise.for_manager("maria", Owes.ANSWER, now, promise.ACKNOWLEDGED, now)
    assert promise.params(acked, org, "pl")["p_title"] == "Kierowniczka obsługi klienta"


def test_a_plain_name_is_every_languages_name(tmp_path: Path) -> None:
    org = load_org(
        write(
            tmp_path, ISSUE_EXAMPLE.replace('key = "support"', 'key = "support"\nname = "Obsługa"')
        )
    )
    assert {org.team("support").title_in(lang) for lang in ("en", "ru", "pl", "ta")} == {"Obsługa"}


@pytest.mark.parametrize(
    ("retention", "explanation"),
    [
        ('closed_cases = "12h"', "whole calendar days or weeks"),
        ('closed_cases = "1y"', "whole calendar days or weeks"),
        ('attachments = "0d"', "would erase data at once"),
        ("attachments = 90", '"90" is not a retention period'),
        ('closed_cases = "40000d"', "more than a hundred years"),
        ('closed_cases = "30d"\nattachments = "90d"', "attachments (90d) would outlive"),
        ('closed_cases = "365d"\nfiles = "90d"', "not a setting hearback knows"),
    ],
)
def test_nonsense_retention_is_refused_with_a_reason(
    tmp_path: Path, retention: str, explanation: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_org(write(tmp_path, f"{ISSUE_EXAMPLE}\n[retention]\n{retention}\n"))
    assert "retention" in str(caught.value) and explanation in str(caught.value)


def test_retention_counts_calendar_days(tmp_path: Path) -> None:
    default = load_org(write(tmp_path, ISSUE_EXAMPLE)).retention
    assert (default.closed_cases.days, default.attachments.days) == (365, 90)
    text = f'{ISSUE_EXAMPLE}\n[retention]\nclosed_cases = "52w"\nattachments = "30d"\n'
    chosen = load_org(write(tmp_path, text)).retention
    assert (chosen.closed_cases.days, chosen.attachments.days) == (364, 30)


def test_check_config_says_how_long_data_is_kept(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("HEARBACK_CONFIG", str(DEMO_CONFIG))
    assert main(["check-config"]) == 0
    assert "kept 365 days, its files 90 days (calendar days" in capsys.readouterr().out
