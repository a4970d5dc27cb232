"""The managers' digest and /report over the seeded fortnight (tests/seeded.py): every number
against the expectation worked out by hand there, the text a manager reads, the chart's days,
who sees which categories, and a digest timer that fires once per working day."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Renderer
from bot.render import message_text
from flows import digest, records, report
from flows.config import OrgConfig
from flows.durations import WorkingDuration, parse_duration
from flows.env import Env
from flows.incoming import Command, Update
from flows.manager_service import handle
from flows.messages import Chart, ChartDay, Say
from flows.model import Profile, Timer
from tests.fakes import FakeUnitOfWork
from tests.seeded import COURIER, DIGEST_SINCE, DIGEST_UNTIL, SLOW, at, seed

MARIA, JAN = 111111, 222222
WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
async def store() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await seed(uow)
    return uow


def env(org: OrgConfig, now: datetime) -> Env:
    return Env(org, now, lambda n: b"\x01" * n)


async def built(
    store: FakeUnitOfWork, org: OrgConfig, manager: str, since: datetime, until: datetime
) -> report.Report:
    async with store() as tx:
        found = await records.fetch(tx, until - timedelta(days=40), ["maria", "jan"])
    keys = digest.categories_of(org, org.manager(manager))
    return report.build(found, org, keys, since, until, digest.chain_below(org, manager))


def hm(hours: int = 0, minutes: int = 0, days: int = 0) -> timedelta:
    return timedelta(days=days, hours=hours, minutes=minutes)


async def test_marias_day_bad_news_and_numbers_match_the_hand_count(
    store: FakeUnitOfWork, org: OrgConfig
) -> None:
    got = await built(store, org, "maria", DIGEST_SINCE, DIGEST_UNTIL)
    assert got.categories == ("delivery", "quality")
    assert got.first_late == ("HB-BBBBBB", "HB-CCCCCC")
    assert got.broken == ("HB-IIIIII",)  # C's broken promise was its first answer
    assert got.resolve_late == ("HB-DDDDDD", "HB-IIIIII")
    assert got.unacknowledged == (report.Unacknowledged("HB-CCCCCC", "Jan Nowak", hm(17, 30)),)
    assert got.reopened == ("HB-DDDDDD",)
    assert got.appealed == ("HB-EEEEEE",)
    assert got.low_ratings == (report.LowRating("HB-FFFFFF", 1, "Nobody called me back"),)
    assert got.waiting == (
        report.Waiting("HB-DDDDDD", "quality", hm(23, days=5)),
        report.Waiting("HB-IIIIII", "quality", hm(22, 30, days=5)),
        report.Waiting("HB-EEEEEE", "quality", hm(22, 30, days=4)),
        report.Waiting("HB-BBBBBB", "delivery", hm(21, 30)),
        report.Waiting("HB-CCCCCC", "delivery", hm(19, 30)),
    )
    assert got.open_reviews == 2  # C and E; G's is Jan's
    assert (got.opened, got.closed, got.withdrawn) == (5, 2, 1)  # A B C F H; A and F; J
    # Delivery's first answers: F 15m, A 30m, H 30m, B 3h; quality answered none on Monday.
    assert got.first_answers == (
        report.FirstAnswers("delivery", 4, hm(0, 30), hm(3), WorkingDuration.of_hours(2), 3),
    )
    assert (got.resolved, got.resolved_in_time) == (3, 2)  # A, F in time; D after its due
    assert (got.ratings, got.average_rating) == (2, 3.0)
    assert got.causes == (
        report.Cause(COURIER, 1, (("HB-FFFFFF", "Courier never called the customer"),)),
        report.Cause(SLOW, 1, (("HB-BBBBBB", "We had two people off sick."),)),
    )
    # The courier three times in thirty days: X1 on the 10th, X2 on the 16th, F on the 23rd.
    assert [(c.cause, c.count) for c in got.repeats] == [(COURIER, 3)]
    assert got.bad_news and not got.empty


async def test_the_top_of_the_chain_sees_the_categories_below_it(
    store: FakeUnitOfWork, org: OrgConfig
) -> None:
    assert digest.chain_below(org, "jan") == {"jan", "maria"}
    assert digest.chain_below(org, "maria") == {"maria"}
    got = await built(store, org, "jan", DIGEST_SINCE, DIGEST_UNTIL)
    assert got.categories == ("delivery", "quality", "billing")
    assert got.first_late == ("HB-GGGGGG", "HB-BBBBBB", "HB-CCCCCC")
    assert (got.opened, got.closed, got.withdrawn, got.open_reviews) == (6, 2, 1, 3)
    assert "HB-GGGGGG" in [w.number for w in got.waiting]


async def test_the_chart_has_the_fourteen_days_before_the_digest(
    store: FakeUnitOfWork, org: OrgConfig
) -> None:
    async with store() as tx:
        found = await records.fetch(tx, at(1, 0))
    days = report.chart_days(found, org, ("delivery", "quality"), DIGEST_UNTIL)
    assert [d.day for d in days] == [f"2026-11-{n:02d}" for n in range(10, 24)]
    expected = {
        "2026-11-10": ChartDay("2026-11-10", 0, 1, 0, None),  # X1 confirmed
        "2026-11-16": ChartDay("2026-11-16", 0, 1, 0, None),  # X2 confirmed
        "2026-11-18": ChartDay("2026-11-18", 2, 0, 0, None),  # D and I filed
        "2026-11-19": ChartDay("2026-11-19", 1, 0, 0, None),  # E filed
        "2026-11-20": ChartDay("2026-11-20", 1, 1, 0, None),  # J filed, E declined
        # A B C F H filed, A and F closed (J withdrawn is not closed), B and C answered late,
        # I's update promise broken, D and I not resolved in time.
        "2026-11-23": ChartDay("2026-11-23", 5, 2, 5, 3.0),
    }
    for day in days:
        assert day == expected.get(day.day, ChartDay(day.day, 0, 0, 0, None))


async def test_the_digest_reads_bad_news_first(store: FakeUnitOfWork, org: OrgConfig) -> None:
    async with store() as tx:
        messages = await digest.compile_report(
            tx, env(org, DIGEST_UNTIL), org.manager("maria"), DIGEST_SINCE, DIGEST_UNTIL, True
        )
    chart, text = messages
    assert isinstance(chart, Chart) and isinstance(text, Say)
    assert chart.chat_id == text.chat_id == MARIA and len(chart.days) == 14
    renderer = Renderer(WARSAW)
    assert renderer.text("en", chart.caption_key, chart.params).startswith(
        "📊 Maria Kowalska: the last 14 days. 🟦 opened · 🟩 closed · 🟥 deadlines missed"
    )
    assert message_text(renderer, text).splitlines() == [
        "<b>Maria Kowalska: Mon 23 Nov, 08:30 (Warsaw) to Tue 24 Nov, 08:30 (Warsaw)</b>",
        "Delivery, Product quality",
        "⚠️ <b>Bad news first</b>",
        "• First answer later than promised: 2 cases, HB-BBBBBB, HB-CCCCCC",
        "• Other promises to the customer broken: one case, HB-IIIIII",
        "• Not resolved in time: 2 cases, HB-DDDDDD, HB-IIIIII",
        "• Reopened by the customer: one case, HB-DDDDDD",
        "• Declines the customer appealed: one case, HB-EEEEEE",
        "• Escalations nobody has acknowledged: 1",
        "   ◦ HB-CCCCCC waits for Jan Nowak, for 17h 30m",
        "• Rated 1 ★ on HB-FFFFFF: “Nobody called me back”",
        "• 5 customers are still waiting for us; the longest:",
        "   ◦ HB-DDDDDD (Product quality), for 5d 23h",
        "   ◦ HB-IIIIII (Product quality), for 5d 22h",
        "   ◦ HB-EEEEEE (Product quality), for 4d 22h",
        "• 🔁 Repeat cause: 3 cases in 30 days, Courier or partner",
        "• Review items waiting for your answer: 2 (/reviews)",
        "📈 <b>Numbers</b>",
        "New: 5 · Closed: 2 · Withdrawn by the customer: 1",
        "Delivery: first answer in 30m (median), 90% within 3h; target 2h, met in 3 of 4 cases",
        "Resolved within target: 2 of 3 (67%)",
        "Average rating: 3.0 ★ from 2 ratings",
        "🔎 <b>Root causes</b>: what should we have done differently?",
        "1. Courier or partner: one case",
        "   “Courier never called the customer” (HB-FFFFFF)",
        "2. Slow response: one case",
        "   “We had two people off sick.” (HB-BBBBBB)",
    ]


@pytest.mark.parametrize("language", ["en", "ru", "pl", "ta"])
async def test_every_line_of_the_digest_exists_in_every_language(
    store: FakeUnitOfWork, org: OrgConfig, language: str
) -> None:
    async with store() as tx:
        _, text = await digest.compile_report(
            tx, env(org, DIGEST_UNTIL), org.manager("jan"), DIGEST_SINCE, DIGEST_UNTIL, True
        )
    assert isinstance(text, Say)
    rendered = message_text(Renderer(WARSAW), Say(**{**text.__dict__, "language": language}))
    keys = [text.key, *(key for key, _ in text.lines)]
    assert not any(key in rendered for key in keys), "a key was left unrendered"
    assert "HB-GGGGGG" in rendered and "none" not in rendered


async def test_a_quiet_day_says_so_in_one_line(org: OrgConfig) -> None:
    quiet = FakeUnitOfWork()
    async with quiet() as tx:
        messages = await digest.compile_report(
            tx, env(org, DIGEST_UNTIL), org.manager("maria"), DIGEST_SINCE, DIGEST_UNTIL, True
        )
    [line] = messages
    assert isinstance(line, Say) and not line.lines
    assert message_text(Renderer(WARSAW), line) == (
        "☀️ Maria Kowalska: a quiet time in Delivery, Product quality from Mon 23 Nov, 08:30 "
        "(Warsaw) to Tue 24 Nov, 08:30 (Warsaw): no new cases, nobody waiting, nothing to review."
    )


async def test_a_target_of_working_days_is_measured_in_working_hours(
    store: FakeUnitOfWork, org: OrgConfig
) -> None:
    # A 09:00–18:00 day holds 9 working hours: "1d" is 9h, "24h" is two days and six hours.
    assert report.in_days(org, WorkingDuration(days=1)) == hm(days=1)
    assert report.in_days(org, parse_duration("24h")) == hm(6, days=2)
    assert report.in_days(org, hm(11)) == hm(2, days=1)
    day_target = [
        c.model_copy(update={"first_response": WorkingDuration(days=1)})
        if c.key == "delivery"
        else c
        for c in org.categories
    ]
    relaxed = org.model_copy(update={"categories": tuple(day_target)})
    got = await built(store, relaxed, "maria", DIGEST_SINCE, DIGEST_UNTIL)
    # B's 3 working hours are within one working day: all four first answers met it.
    assert got.first_answers == (
        report.FirstAnswers("delivery", 4, hm(0, 30), hm(3), WorkingDuration(days=1), 4),
    )
    lines = dict(digest.numbers(got, relaxed, "en"))
    assert lines["digest-first-answer"]["target"] == hm(days=1)


def test_the_statistics_are_the_textbook_ones() -> None:
    values = [hm(0, m) for m in (40, 10, 30, 20)]
    assert report.median(values) == hm(0, 25)
    assert report.median(values[:3]) == hm(0, 30)
    assert report.percentile([hm(0, m) for m in range(1, 11)], 0.9) == hm(0, 9)
    assert report.percentile([hm(0, m) for m in range(1, 12)], 0.9) == hm(0, 10)


# -- when digests go out -------------------------------------------------------------------


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WARSAW)


def test_digests_go_out_on_working_days_only(org: OrgConfig) -> None:
    hours = org.organisation
    at_830 = org.manager("maria").digest_time(hours)
    assert at_830 is not None and (at_830.hour, at_830.minute) == (8, 30)
    assert digest.next_digest(hours, at_830, local(23, 10)) == local(24, 8, 30)
    assert digest.next_digest(hours, at_830, local(27, 8, 30)) == local(30, 8, 30)  # Fri → Mon
    christmas = datetime(2026, 12, 23, 9, tzinfo=WARSAW)  # 24–26 Dec are holidays
    assert digest.next_digest(hours, at_830, christmas) == datetime(
        2026, 12, 28, 8, 30, tzinfo=WARSAW
    )
    assert digest.last_digest(hours, at_830, local(30, 8)) == local(27, 8, 30)


async def test_each_manager_gets_one_digest_per_working_day_from_a_timer(org: OrgConfig) -> None:
    org = org.model_copy(
        update={
            "managers": (
                org.manager("maria").model_copy(update={"digest_at": time(7, 45)}),
                org.manager("jan").model_copy(update={"digest_at": "off"}),
            )
        }
    )
    uow = FakeUnitOfWork()
    await seed(uow)
    async with uow() as tx:
        await digest.arm(tx, env(org, local(23, 10)))
        await digest.arm(tx, env(org, local(23, 10)))  # a restart changes nothing
        await tx.commit()
    timers = dict(uow.state.timers)
    assert list(timers) == [(digest.DIGEST, "maria")]  # Jan said "off"
    timer = timers[(digest.DIGEST, "maria")]
    assert timer.due_at == local(24, 7, 45)
    assert timer.payload == {"since": local(23, 7, 45).astimezone(UTC).isoformat()}

    fired = await tick(uow, org, local(24, 7, 45))
    assert fired == [(MARIA, "digest-chart"), (MARIA, "digest-title")]
    assert await tick(uow, org, local(24, 12)) == []  # once a day
    [again] = uow.state.timers.values()
    assert again.due_at == local(25, 7, 45)
    assert again.payload == {"since": local(24, 7, 45).astimezone(UTC).isoformat()}
    assert len(await tick(uow, org, local(25, 7, 45))) == 2  # the next working day


async def tick(uow: FakeUnitOfWork, org: OrgConfig, now: datetime) -> list[tuple[int, str]]:
    """What the scheduler would do at `now`: fire each due timer, as bot/scheduler.py does."""
    before = len(uow.state.outbox)
    while True:
        async with uow() as tx:
            due = await tx.timers.claim_due(now, 1)
            if not due:
                break
            await tx.timers.take(due[0])
            await digest.fire(tx, env(org, now), due[0])
            await tx.commit()
    out = []
    for row in uow.state.outbox[before:]:
        message = row.message
        key = message.caption_key if isinstance(message, Chart) else getattr(message, "key", "")
        out.append((message.chat_id, str(key)))
    return out


async def test_a_digest_missed_while_the_bot_was_down_covers_the_whole_gap(
    org: OrgConfig,
) -> None:
    uow = FakeUnitOfWork()
    await seed(uow)
    async with uow() as tx:
        await tx.timers.set(
            Timer(digest.DIGEST, "maria", local(20, 8, 30), {"since": at(19, 7, 30).isoformat()})
        )
        await tx.commit()
    assert len(await tick(uow, org, DIGEST_UNTIL)) == 2
    [title] = [r.message for r in uow.state.outbox if isinstance(r.message, Say)]
    assert (title.params["since"], title.params["until"]) == (at(19, 7, 30), DIGEST_UNTIL)


# -- /report ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "since"),
    [
        ("", DIGEST_UNTIL - timedelta(days=1)),
        ("7d", DIGEST_UNTIL - timedelta(days=7)),
        ("30D", DIGEST_UNTIL - timedelta(days=30)),
        ("12h", DIGEST_UNTIL - timedelta(hours=12)),
        ("2w", DIGEST_UNTIL - timedelta(days=14)),
        ("2026-11-23", at(22, 23)),  # local midnight
        ("2026-11-18 2026-11-20", at(17, 23)),
    ],
)
def test_report_periods(org: OrgConfig, args: str, since: datetime) -> None:
    period = digest.parse_period(org, args, DIGEST_UNTIL)
    assert period is not None and period[0] == since
    if args == "2026-11-18 2026-11-20":
        assert period[1] == at(20, 23)


@pytest.mark.parametrize(
    "args", ["soon", "0d", "500d", "7x", "2026-13-01", "2026-11-20 2026-11-18"]
)
def test_a_period_it_cannot_read_is_refused(org: OrgConfig, args: str) -> None:
    assert digest.parse_period(org, args, DIGEST_UNTIL) is None


async def test_report_in_the_managers_chat(store: FakeUnitOfWork, org: OrgConfig) -> None:
    async def command(args: str) -> list[object]:
        before = len(store.state.outbox)
        async with store() as tx:
            update = Update(Profile(MARIA, "Maria"), MARIA, Command("report", args, 10))
            assert await handle(tx, env(org, DIGEST_UNTIL), update)
            await tx.commit()
        return [row.message for row in store.state.outbox[before:]]

    chart, text = await command("30d")
    assert isinstance(chart, Chart) and len(chart.days) == 30
    assert isinstance(text, Say) and text.params["since"] == DIGEST_UNTIL - timedelta(days=30)
    lines = dict(text.lines)
    # Delivery and quality in thirty days: all eleven filed; A, F, X1, X2 confirmed, E declined;
    # J withdrawn.
    assert lines["digest-new-closed"] == {"opened": 11, "closed": 5, "withdrawn": 1}
    [usage] = await command("whenever")
    assert isinstance(usage, Say) and usage.key == "report-usage"


async def test_an_escalation_counts_as_unacknowledged_once_its_time_to_acknowledge_passed(
    store: FakeUnitOfWork, org: OrgConfig
) -> None:
    # C was paged to Jan at 14:30; he has 30 working minutes to acknowledge.
    within = await built(store, org, "maria", DIGEST_SINCE, at(23, 14, 59))
    assert within.unacknowledged == ()
    past = await built(store, org, "maria", DIGEST_SINCE, at(23, 15))
    assert past.unacknowledged == (report.Unacknowledged("HB-CCCCCC", "Jan Nowak", hm(1)),)
