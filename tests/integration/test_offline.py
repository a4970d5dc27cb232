"""`hearback export` and `hearback report` on a SQLite database holding the seeded fortnight
(tests/seeded.py): the CSV round-trips through Python's csv reader with the hand-counted rows,
and the report prints the digest and writes its chart."""

from __future__ import annotations

import contextlib
import csv
import struct
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from bot.offline import Period, export_rows, save_csv
from flows.config import OrgConfig
from flows.export import CASE_COLUMNS, EVENT_COLUMNS
from storage.database import Database
from tests.conftest import DEMO_CONFIG
from tests.seeded import CASES, DIGEST_UNTIL, seed


@pytest.fixture
async def database(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hearback.db'}"
    async with Database(url) as db:
        await db.migrate()
        await seed(db.uow)
    return url


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


async def test_the_export_round_trips_through_the_csv_reader(
    database: str, org: OrgConfig, tmp_path: Path
) -> None:
    month = Period.of(org, date(2026, 11, 1), date(2026, 11, 30), DIGEST_UNTIL)
    out = tmp_path / "cases.csv"
    save_csv(await export_rows(database, org, month, False, DIGEST_UNTIL), False, out)
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(CASE_COLUMNS)
    rows = {row["number"]: row for row in read(out)}
    assert len(rows) == len(CASES) == 12
    a, c, d = rows["HB-AAAAAA"], rows["HB-CCCCCC"], rows["HB-DDDDDD"]
    assert a == {
        "number": "HB-AAAAAA",
        "category": "delivery",
        "team": "support",
        "manager": "maria",
        "state": "closed",
        "outcome": "closed",
        "created_at": "2026-11-23T10:00:00+01:00",
        "first_response_due": "2026-11-23T12:00:00+01:00",
        "first_response_at": "2026-11-23T10:30:00+01:00",
        "first_answer_minutes": "30",
        "first_answer_late": "no",
        "resolve_due": "2026-11-25T10:00:00+01:00",
        "resolved_at": "2026-11-23T15:00:00+01:00",
        "resolution_late": "no",
        "ended_at": "2026-11-23T16:00:00+01:00",
        "owner_id": "7001",
        "owner_name": "Piotr (Support)",
        "transfers": "0",
        "reopened": "0",
        "escalations": "0",
        "promises_broken": "0",
        "rating": "5",
    }
    assert (c["outcome"], c["first_answer_late"], c["escalations"], c["promises_broken"]) == (
        "open",
        "yes",
        "1",
        "1",
    )
    assert c["owner_id"] == "" and rows["HB-IIIIII"]["promises_broken"] == "1"
    # Withdrawn by the customer: an outcome of its own, ended when they withdrew it.
    j = rows["HB-JJJJJJ"]
    assert (j["state"], j["outcome"], j["ended_at"], j["first_answer_late"]) == (
        "withdrawn",
        "withdrawn",
        "2026-11-23T09:30:00+01:00",
        "no",
    )
    assert (d["state"], d["resolution_late"], d["reopened"], d["ended_at"]) == (
        "reopened",
        "yes",
        "1",
        "",
    )
    assert rows["HB-EEEEEE"]["first_answer_minutes"] == "60"

    monday = Period.of(org, date(2026, 11, 23), date(2026, 11, 23), DIGEST_UNTIL)
    filed = [r["number"] for r in await export_rows(database, org, monday, False, DIGEST_UNTIL)]
    assert filed == ["HB-FFFFFF", "HB-AAAAAA", "HB-GGGGGG", "HB-BBBBBB", "HB-CCCCCC", "HB-HHHHHH"]


async def test_the_audit_log_export_has_one_row_per_entry(
    database: str, org: OrgConfig, tmp_path: Path
) -> None:
    month = Period.of(org, date(2026, 11, 1), None, DIGEST_UNTIL)
    out = tmp_path / "events.csv"
    save_csv(await export_rows(database, org, month, True, DIGEST_UNTIL), True, out)
    rows = read(out)
    assert list(rows[0]) == list(EVENT_COLUMNS)
    assert len(rows) == len(CASES) + sum(len(s.events) for s in CASES) == 48
    rating = next(r for r in rows if r["case_number"] == "HB-FFFFFF" and r["kind"] == "rating")
    assert (rating["at"], rating["text"], rating["data"]) == (
        "2026-11-23T11:35:00+01:00",
        "1",
        '{"stars": 1}',
    )


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_commands_from_the_shell(
    database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database)
    monkeypatch.setenv("HEARBACK_CONFIG", str(DEMO_CONFIG))
    out = tmp_path / "cases.csv"
    assert main(["export", "--since", "2026-11-01", "--out", str(out)]) == 0
    assert len(read(out)) == 12
    assert f"Wrote 12 cases to {out}." in capsys.readouterr().out
    assert main(["export", "--since", "2026-11-23", "--out", str(out), "--events"]) == 0
    assert len(read(out)) == 6 + 5 + 2 + 2 + 5 + 2  # Monday's A B C F G H: filed, and since
    capsys.readouterr()

    chart = tmp_path / "report.png"
    day = ["--since", "2026-11-23", "--until", "2026-11-23"]
    assert main(["report", *day, "--manager", "maria", "--png", str(chart)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("📊 Maria Kowalska: the last 14 days.")
    assert printed[1] == "Maria Kowalska: Mon 23 Nov, 00:00 (Warsaw) to Tue 24 Nov, 00:00 (Warsaw)"
    assert "• First answer later than promised: 2 cases, HB-BBBBBB, HB-CCCCCC" in printed
    assert "• Not resolved in time: 2 cases, HB-DDDDDD, HB-IIIIII" in printed
    assert "• Other promises to the customer broken: one case, HB-IIIIII" in printed
    assert "New: 5 · Closed: 2 · Withdrawn by the customer: 1" in printed
    assert printed[-1] == f"The chart is in {chart}."
    assert png_size(chart) == (960, 540)

    assert main(["report", *day]) == 0  # everything: Jan's billing case too
    assert "New: 6 · Closed: 2 · Withdrawn by the customer: 1" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["export", "--since", "2026-11-31", "--out", "x.csv"], "is not a date; write it as"),
        (["report", "--since", "2026-11-20", "--until", "2026-11-19"], "must be before --until"),
        (["report", "--since", "2026-11-20", "--manager", "zoe"], 'there is no manager "zoe"'),
    ],
)
def test_a_wrong_period_or_manager_is_explained(
    database: str,
    args: list[str],
    says: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database)
    monkeypatch.setenv("HEARBACK_CONFIG", str(DEMO_CONFIG))
    bad_date = "2026-11-31" in args  # argparse refuses it and exits with 2 itself
    with pytest.raises(SystemExit) if bad_date else contextlib.nullcontext():
        assert main(args) == 2
    assert says in capsys.readouterr().err
