"""The storage contract, one suite run on the fake, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import IntegrityError, StatementError

from flows import promise
from flows.conversation import Conversation
from flows.incoming import Media, Text
from flows.intake import Draft, DraftAttachment, Part, Step
from flows.lifecycle import CaseState
from flows.messages import (
    TRACK_TO_CUSTOMER,
    AnswerButton,
    Button,
    Chart,
    ChartDay,
    Copy,
    CreateTopic,
    Edit,
    Html,
    React,
    Say,
    Track,
)
from flows.model import (
    Attachment,
    AuditEntry,
    Case,
    CaseLogEntry,
    Customer,
    Escalation,
    Mark,
    Prompt,
    Relay,
    Review,
    StaffMember,
    Timer,
)
from flows.ports import CaseChanged, CaseSearch
from flows.promise import Owes

Store = Callable[[], Any]  # a unit-of-work factory: FakeUnitOfWork or Database.uow
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WARSAW = ZoneInfo("Europe/Warsaw")


def customer(telegram_id: int = 77) -> Customer:
    return Customer(telegram_id=telegram_id, first_name="Anna", language="en", created_at=NOW)


def case(number: str, customer_id: int, state: CaseState = CaseState.WAITING_FOR_AGENT) -> Case:
    return Case(
        number=number,
        customer_id=customer_id,
        category="delivery",
        team="support",
        manager="maria",
        description="Lost <b>parcel</b> — ünïcode ✓",
        contact="telegram",
        state=state,
        created_at=NOW,
        updated_at=NOW,
        first_response_due=NOW + timedelta(hours=2),
        resolve_due=NOW + timedelta(days=2),
        promise=promise.for_team(
            "support", Owes.ANSWER, NOW + timedelta(hours=2), promise.REGISTERED, NOW
        ),
    )


def entry(number: str, n: int, kind: str = "message", **data: Any) -> CaseLogEntry:
    return CaseLogEntry(number, NOW + timedelta(seconds=n), kind, "customer", f"t{n}", data)


def say(chat_id: int, key: str, priority: int = 0) -> Say:
    return Say(chat_id=chat_id, key=key, language="en", priority=priority)


async def stored_customer(store: Store, telegram_id: int = 77) -> Customer:
    async with store() as tx:
        added: Customer = await tx.customers.add(customer(telegram_id))
        await tx.commit()
    return added


# -- customers and cases --------------------------------------------------------------------


async def test_customers_round_trip(store: Store) -> None:
    added = await stored_customer(store)
    assert added.id is not None
    async with store() as tx:
        found = await tx.customers.by_telegram_id(77)
        assert found == added
        found.exported_at, found.unreachable, found.username = NOW, True, "anna_k"
        await tx.customers.save(found)
        await tx.commit()
    async with store() as tx:
        again = await tx.customers.by_id(added.id)
        assert again == found
        assert await tx.customers.by_id(added.id + 1000) is None
        assert await tx.customers.by_telegram_id(78) is None


async def test_a_customer_reads_as_last_written_within_one_unit_of_work(store: Store) -> None:
    added = await stored_customer(store)
    assert added.id is not None
    async with store() as tx:
        first = await tx.customers.by_id(added.id)
        assert first is not None
        first.username = "changed here, never saved"
        again = await tx.customers.by_telegram_id(77)
        assert again is not None and again.username == added.username
        await tx.customers.save(replace(again, username="anna_k"))
        saved = await tx.customers.by_id(added.id)
        assert saved is not None and saved.username == "anna_k"
        await tx.privacy.delete_customer(added.id)
        assert await tx.customers.by_id(added.id) is None
        assert await tx.customers.by_telegram_id(77) is None
        await tx.commit()


async def test_datetimes_come_back_aware_and_in_utc(store: Store) -> None:
    local = datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=WARSAW)  # 09:00:00.123456 UTC
    async with store() as tx:
        added = await tx.customers.add(replace(customer(), created_at=local))
        await tx.commit()
    async with store() as tx:
        found = await tx.customers.by_id(added.id)
    assert found.created_at == local  # the same instant, to the microsecond
    assert found.created_at.utcoffset() == timedelta(0)


async def test_naive_datetimes_are_refused(store: Store) -> None:
    async with store() as tx:
        with pytest.raises((ValueError, StatementError)):
            await tx.customers.add(replace(customer(), created_at=datetime(2026, 1, 1)))


async def test_unique_and_foreign_keys_hold(store: Store) -> None:
    owner = await stored_customer(store)
    async with store() as tx:
        with pytest.raises((ValueError, IntegrityError)):
            await tx.customers.add(customer(owner.telegram_id))
    async with store() as tx:
        await tx.cases.add(case("HB-AAAAAA", owner.id))
        with pytest.raises((ValueError, IntegrityError)):
            await tx.cases.add(case("HB-AAAAAA", owner.id))
    async with store() as tx:
        with pytest.raises((ValueError, IntegrityError)):
            await tx.cases.add(case("HB-BBBBBB", owner.id + 1000))


async def test_cases_round_trip_with_aware_times_and_state(store: Store) -> None:
    owner = await stored_customer(store)
    async with store() as tx:
        first = await tx.cases.add(case("HB-AAAAAA", owner.id))
        await tx.cases.add(case("HB-BBBBBB", owner.id, CaseState.CLOSED))
        await tx.commit()
    assert first.id is not None
    async with store() as tx:
        found = await tx.cases.get("HB-AAAAAA")
        assert found == first
        assert found.state is CaseState.WAITING_FOR_AGENT
        assert found.first_response_due.utcoffset() == timedelta(0)
        found.state, found.owner_id, found.owner_name = CaseState.ASSIGNED, 2**40, "Olga"
        assert found.promise is not None and found.promise.due == NOW + timedelta(hours=2)
        owed = promise.for_staff(2**40, "Olga", "support", Owes.UPDATE, NOW, "taken", NOW)
        found.promise = replace(owed, due=datetime(2026, 11, 23, 12, 0, tzinfo=WARSAW))
        await tx.cases.save(found)
        await tx.commit()
    async with store() as tx:
        numbers = [c.number for c in await tx.cases.for_customer(owner.id)]
        assert numbers == ["HB-AAAAAA", "HB-BBBBBB"]
        assert await tx.cases.for_customer(owner.id + 1000) == []
        saved = await tx.cases.get("HB-AAAAAA")
        assert saved.state is CaseState.ASSIGNED and saved.owner_id == 2**40
        assert saved.owner_name == "Olga" and saved.promise == found.promise
        assert saved.promise.due.utcoffset() is not None
        assert await tx.cases.exists("HB-BBBBBB")
        assert not await tx.cases.exists("HB-CCCCCC")
        assert await tx.cases.get("HB-CCCCCC") is None
        assert not await tx.cases.erased("HB-AAAAAA") and not await tx.cases.erased("HB-CCCCCC")
        await tx.cases.save(replace(saved, erased_at=NOW))
        assert await tx.cases.erased("HB-AAAAAA")


async def test_a_case_saved_by_someone_else_meanwhile_is_not_overwritten(store: Store) -> None:
    owner = await stored_customer(store)
    async with store() as tx:
        await tx.cases.add(case("HB-AAAAAA", owner.id))
        await tx.commit()
    async with store() as tx:
        read = await tx.cases.get("HB-AAAAAA")
    async with store() as tx:
        taken = await tx.cases.get("HB-AAAAAA")
        saved = await tx.cases.save(replace(taken, owner_id=1, owner_name="Piotr"))
        assert saved.version == taken.version + 1
        again = await tx.cases.save(replace(saved, owner_name="Piotr (Support)"))
        assert again.version == taken.version + 2
        await tx.commit()
    async with store() as tx:
        with pytest.raises(CaseChanged):
            await tx.cases.save(replace(read, owner_id=2, owner_name="Ola"))
    async with store() as tx:
        kept = await tx.cases.get("HB-AAAAAA")
    assert (kept.owner_id, kept.owner_name, kept.version) == (1, "Piotr (Support)", 2)


async def test_cases_by_topic_team_and_owner(store: Store) -> None:
    owner = await stored_customer(store)
    base = case("HB-AAAAAA", owner.id)
    async with store() as tx:
        await tx.cases.add(replace(base, topic_chat_id=-100, topic_id=7))
        await tx.cases.add(replace(base, number="HB-BBBBBB", created_at=NOW - timedelta(hours=1)))
        await tx.cases.add(replace(base, number="HB-CCCCCC", owner_id=5, state=CaseState.ASSIGNED))
        await tx.cases.add(replace(base, number="HB-DDDDDD", owner_id=5, state=CaseState.CLOSED))
        await tx.cases.add(replace(base, number="HB-EEEEEE", team="billing"))
        await tx.commit()
    async with store() as tx:
        found = await tx.cases.by_topic(-100, 7)
        assert found is not None and found.number == "HB-AAAAAA"
        assert await tx.cases.by_topic(-100, 8) is None
        support = [c.number for c in await tx.cases.open_for_team("support")]
        assert support == ["HB-BBBBBB", "HB-AAAAAA", "HB-CCCCCC"], "open only, oldest first"
        assert [c.number for c in await tx.cases.open_for_owner(5)] == ["HB-CCCCCC"]


async def test_finding_cases_for_staff_and_their_first_answers(store: Store) -> None:
    owner = await stored_customer(store)
    base = case("HB-AAAAAA", owner.id)
    async with store() as tx:
        await tx.cases.add(replace(base, phone="+48 600-100-200", first_response_at=NOW))
        await tx.cases.add(
            replace(
                base, number="HB-BBBBBB", description="Где посылка?", created_at=NOW + timedelta(1)
            )
        )
        await tx.cases.add(replace(base, number="HB-CCCCCC", team="billing"))
        await tx.cases.add(replace(base, number="HB-DDDDDD", description="50%_off a_b"))
        await tx.log.append(
            CaseLogEntry("HB-BBBBBB", NOW, "message", "customer", "Courier LATE again")
        )
        await tx.commit()

    async def numbers(team: str, search: CaseSearch, limit: int = 10) -> tuple[list[str], int]:
        async with store() as tx:
            found, total = await tx.cases.find(team, search, limit)
        return [c.number for c in found], total

    assert await numbers("support", CaseSearch(number="HB-AAAAAA")) == (["HB-AAAAAA"], 1)
    assert await numbers("support", CaseSearch(number="HB-CCCCCC")) == ([], 0), "not our team"
    assert await numbers("support", CaseSearch(phone="600100200")) == (["HB-AAAAAA"], 1)
    both = await numbers("support", CaseSearch(words=("ANNA",)))
    assert both == (["HB-BBBBBB", "HB-DDDDDD", "HB-AAAAAA"], 3), "by name, newest first"
    assert await numbers("support", CaseSearch(words=("anna",)), limit=1) == (["HB-BBBBBB"], 3)
    assert await numbers("support", CaseSearch(words=("late", "courier"))) == (["HB-BBBBBB"], 1)
    assert await numbers("support", CaseSearch(words=("посылка",))) == (["HB-BBBBBB"], 1)
    assert await numbers("support", CaseSearch(words=("ПОСЫЛКА",))) == (["HB-BBBBBB"], 1)
    assert await numbers("support", CaseSearch(words=("ГДЕ", "late"))) == (["HB-BBBBBB"], 1)
    assert await numbers("support", CaseSearch(words=("%",))) == (["HB-DDDDDD"], 1)
    assert await numbers("support", CaseSearch(words=("a_b",))) == (["HB-DDDDDD"], 1)
    assert await numbers("support", CaseSearch(words=("lost", "nowhere"))) == ([], 0)
    async with store() as tx:
        assert await tx.cases.first_answers("delivery", NOW) == [(NOW, NOW)]
        assert await tx.cases.first_answers("delivery", NOW + timedelta(seconds=1)) == []
        assert await tx.cases.first_answers("quality", NOW - timedelta(days=7)) == []


async def test_a_staff_members_last_assignment_outlives_their_visits(store: Store) -> None:
    seen = StaffMember(7001, "Piotr", "support", NOW)
    async with store() as tx:
        await tx.staff.seen(seen)
        await tx.staff.assigned(7001, NOW + timedelta(minutes=1))
        await tx.staff.seen(replace(seen, last_seen=NOW + timedelta(minutes=2)))
        await tx.commit()
    async with store() as tx:
        assert await tx.staff.get(7001) == replace(
            seen, last_seen=NOW + timedelta(minutes=2), last_assigned=NOW + timedelta(minutes=1)
        )


async def test_relays_staff_and_prompts(store: Store) -> None:
    relay = Relay("HB-AAAAAA", 5001, 11, -100, 2**40, NOW)
    seen = StaffMember(7001, "Piotr", "support", NOW, "piotr")
    later = StaffMember(7002, "Ola", "support", NOW + timedelta(minutes=1))
    prompt = Prompt(-100, 7, 7001, "HB-AAAAAA", "transfer", NOW, {"kind": "t", "target": "x"})
    async with store() as tx:
        await tx.relays.add(relay)
        await tx.staff.seen(seen)
        await tx.staff.seen(later)
        await tx.staff.seen(replace(seen, first_name="Piotr W.", team="billing"))
        await tx.prompts.set(prompt)
        await tx.prompts.set(replace(prompt, action="ask", data={}))
        await tx.commit()
    async with store() as tx:
        by_source = await tx.relays.by_source(5001, 11)
        by_target = await tx.relays.by_target(-100, 2**40)
        assert by_source is not None and by_target is not None
        assert replace(by_source, id=None) == relay == replace(by_target, id=None)
        assert await tx.relays.by_source(-100, 2**40) is None
        assert [m.first_name for m in await tx.staff.in_team("support")] == ["Ola"]
        assert await tx.staff.get(7001) == replace(seen, first_name="Piotr W.", team="billing")
        asked = await tx.prompts.get(-100, 7, 7001)
        assert asked == replace(prompt, action="ask", data={})
        assert await tx.prompts.get(-100, 7, 7002) is None
        await tx.prompts.delete(-100, 7, 7001)
        await tx.commit()
    async with store() as tx:
        assert await tx.prompts.get(-100, 7, 7001) is None


# -- what reports read ----------------------------------------------------------------------


async def test_cases_active_since_a_moment(store: Store) -> None:
    owner = await stored_customer(store)
    old = NOW - timedelta(days=10)
    closed = dict(state=CaseState.CLOSED, created_at=old, updated_at=old)
    async with store() as tx:
        await tx.cases.add(replace(case("HB-AAAAAA", owner.id), created_at=old, updated_at=old))
        await tx.cases.add(replace(case("HB-BBBBBB", owner.id), **closed))
        await tx.cases.add(replace(case("HB-CCCCCC", owner.id), **closed))
        await tx.cases.add(replace(case("HB-DDDDDD", owner.id), **{**closed, "updated_at": NOW}))
        await tx.cases.add(replace(case("HB-EEEEEE", owner.id), state=CaseState.DECLINED))
        await tx.log.append(CaseLogEntry("HB-BBBBBB", old, "confirm", "customer"))
        # A rating changes no case column, but it is news of the period.
        await tx.log.append(CaseLogEntry("HB-CCCCCC", NOW - timedelta(hours=1), "rating", "x"))
        await tx.commit()
    async with store() as tx:
        found = await tx.cases.active_since(NOW - timedelta(hours=2))
        # Open (A), logged since (C), changed since (D), filed since (E); not B. Oldest first.
        assert [c.number for c in found] == ["HB-AAAAAA", "HB-CCCCCC", "HB-DDDDDD", "HB-EEEEEE"]
        assert found[1].state is CaseState.CLOSED and found[1].created_at == old
        everything = await tx.cases.active_since(old)
        assert len(everything) == 5


async def test_the_log_of_many_cases_by_kind(store: Store) -> None:
    owner = await stored_customer(store)
    async with store() as tx:
        for number in ("HB-AAAAAA", "HB-BBBBBB", "HB-CCCCCC"):
            await tx.cases.add(case(number, owner.id))
        await tx.log.append(entry("HB-AAAAAA", 1, "register"))
        await tx.log.append(entry("HB-BBBBBB", 2, "register"))
        await tx.log.append(entry("HB-AAAAAA", 3, "message"))
        await tx.log.append(entry("HB-AAAAAA", 4, "rating", stars=2))
        await tx.log.append(entry("HB-CCCCCC", 5, "register"))
        await tx.commit()
    async with store() as tx:
        # More numbers than one IN (...) takes: the query goes in parts, the order stays.
        many = [f"HB-{n:06d}" for n in range(1200)] + ["HB-BBBBBB", "HB-AAAAAA"]
        found = await tx.log.of_cases(many, {"register", "rating"})
        assert [(e.case_number, e.kind) for e in found] == [
            ("HB-AAAAAA", "register"),
            ("HB-BBBBBB", "register"),
            ("HB-AAAAAA", "rating"),
        ]
        assert found[2].data == {"stars": 2} and found[2].at == NOW + timedelta(seconds=4)
        every = await tx.log.of_cases(["HB-AAAAAA"])
        assert [e.kind for e in every] == ["register", "message", "rating"]
        assert await tx.log.of_cases([], {"register"}) == []


async def test_escalations_and_reviews_of_many_cases(store: Store) -> None:
    async with store() as tx:
        first = await tx.escalations.add(Escalation("HB-AAAAAA", "staff", "maria", 0, NOW, NOW))
        await tx.escalations.add(Escalation("HB-BBBBBB", "appeal", "jan", 1, NOW, NOW))
        await tx.escalations.add(Escalation("HB-AAAAAA", "reopened", "maria", 0, NOW, NOW))
        review = await tx.reviews.add(Review("HB-CCCCCC", "maria", "low-rating", NOW))
        await tx.reviews.add(Review("HB-AAAAAA", "maria", "staff", NOW, "late", "Staffing", NOW))
        await tx.commit()
    async with store() as tx:
        found = await tx.escalations.for_cases(["HB-AAAAAA", "HB-ZZZZZZ"])
        assert [(e.case_number, e.trigger) for e in found] == [
            ("HB-AAAAAA", "staff"),
            ("HB-AAAAAA", "reopened"),
        ]
        assert found[0] == first
        reviews = await tx.reviews.for_cases(["HB-CCCCCC", "HB-AAAAAA"])
        assert [(r.case_number, r.root_cause) for r in reviews] == [
            ("HB-CCCCCC", None),
            ("HB-AAAAAA", "Staffing"),
        ]
        assert reviews[0] == review
        assert await tx.reviews.for_cases([]) == []


async def test_a_managers_live_escalations_one_per_open_case_newest_first(store: Store) -> None:
    async with store() as tx:
        owner = await tx.customers.add(customer())
        assert owner.id is not None
        await tx.cases.add(case("HB-AAAAAA", owner.id))
        await tx.cases.add(case("HB-BBBBBB", owner.id))
        await tx.cases.add(case("HB-CCCCCC", owner.id, CaseState.CLOSED))
        old = NOW - timedelta(days=8)
        await tx.escalations.add(Escalation("HB-AAAAAA", "staff", "maria", 0, NOW, NOW))
        await tx.escalations.add(Escalation("HB-BBBBBB", "staff", "maria", 0, old, old))
        await tx.escalations.add(Escalation("HB-CCCCCC", "staff", "maria", 0, NOW, NOW))
        await tx.escalations.add(Escalation("HB-BBBBBB", "staff", "jan", 1, NOW, NOW))
        newest = await tx.escalations.add(
            Escalation("HB-AAAAAA", "reopened", "maria", 1, NOW, NOW + timedelta(hours=1))
        )
        await tx.commit()
    async with store() as tx:
        since = NOW - timedelta(days=7)
        assert await tx.escalations.live_for_manager("maria", since) == [newest]
        assert [e.case_number for e in await tx.escalations.live_for_manager("jan", since)] == [
            "HB-BBBBBB"
        ]
        assert len(await tx.escalations.live_for_manager("maria", old)) == 2


# -- transactions ---------------------------------------------------------------------------


async def test_leaving_without_commit_discards_everything(store: Store) -> None:
    async with store() as tx:
        await tx.customers.add(customer(1))
        await tx.outbox.add(say(1, "help"), NOW)
        await tx.timers.set(Timer("remind", "1", NOW))
        await tx.conversations.save(Conversation(1, held=(Text("hi", 5),)), NOW)
        await tx.inbox.add_many([{"update_id": 1}])
    async with store() as tx:
        assert await tx.customers.by_telegram_id(1) is None
        assert await tx.outbox.pending(NOW, 10) == []
        assert await tx.timers.claim_due(NOW, 10) == []
        assert await tx.conversations.get(1) is None
        assert await tx.inbox.last_update_id() is None
        await tx.customers.add(customer(7))
        await tx.commit()  # the next commit on the same connection keeps only its own
    async with store() as tx:
        assert await tx.customers.by_telegram_id(1) is None
        assert await tx.customers.by_telegram_id(7) is not None


async def test_an_exception_rolls_back(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store() as tx:
            await tx.customers.add(customer(2))
            raise RuntimeError("boom")
    async with store() as tx:
        assert await tx.customers.by_telegram_id(2) is None


async def test_rollback_discards_only_what_came_after_the_commit(store: Store) -> None:
    async with store() as tx:
        await tx.customers.add(customer(3))
        await tx.commit()
        await tx.customers.add(customer(4))
        await tx.rollback()
        assert await tx.customers.by_telegram_id(4) is None
        await tx.customers.add(customer(5))
    async with store() as tx:
        assert await tx.customers.by_telegram_id(3) is not None
        assert await tx.customers.by_telegram_id(4) is None
        assert await tx.customers.by_telegram_id(5) is None, "left without a second commit"


async def test_uncommitted_changes_are_invisible_to_another_unit_of_work(store: Store) -> None:
    async with store() as writer:
        await writer.customers.add(customer(6))
        assert await writer.customers.by_telegram_id(6) is not None, "it reads its own writes"
        async with store() as reader:
            assert await reader.customers.by_telegram_id(6) is None


# -- log and attachments --------------------------------------------------------------------


async def test_the_log_keeps_order_and_finds_messages(store: Store) -> None:
    async with store() as tx:
        await tx.log.append(entry("HB-AAAAAA", 0, "register", message_ids=[100, 101]))
        for n in (1, 2):
            await tx.log.append(entry("HB-AAAAAA", n, message_id=100 + n, nested={"a": [1, "ü"]}))
        await tx.log.append(entry("HB-BBBBBB", 3, message_id=500))
        await tx.log.append(entry("HB-CCCCCC", 4, message_id=True))  # not a message id
        await tx.commit()
    async with store() as tx:
        entries = await tx.log.for_case("HB-AAAAAA")
        assert [e.kind for e in entries] == ["register", "message", "message"]
        assert entries[0].data == {"message_ids": [100, 101]}
        assert entries[1].data == {"message_id": 101, "nested": {"a": [1, "ü"]}}
        assert entries[2].at == NOW + timedelta(seconds=2)
        assert entries[2].at.utcoffset() == timedelta(0)
        assert all(e.id is not None for e in entries)
        assert entries == sorted(entries, key=lambda e: e.id)
        both = ["HB-AAAAAA", "HB-BBBBBB"]
        assert await tx.log.case_of_message(both, 500) == "HB-BBBBBB"
        assert await tx.log.case_of_message(both, 102) == "HB-AAAAAA"
        assert await tx.log.case_of_message(["HB-AAAAAA"], 500) is None
        assert await tx.log.case_of_message(both, 100) is None, "lists are not looked into"
        assert await tx.log.case_of_message(["HB-CCCCCC"], 1) is None
        assert await tx.log.case_of_message([], 101) is None
        assert await tx.log.for_case("HB-ZZZZZZ") == []


async def test_attachments_and_albums(store: Store) -> None:
    document = Attachment(
        "HB-AAAAAA", "document", "fd", "ud", NOW, caption="bill", message_id=2**35
    )
    async with store() as tx:
        for n in range(3):
            await tx.attachments.add(
                Attachment("HB-AAAAAA", "photo", f"f{n}", f"u{n}", NOW, media_group_id="album")
            )
        await tx.attachments.add(document)
        await tx.commit()
    async with store() as tx:
        files = await tx.attachments.for_case("HB-AAAAAA")
        assert [f.file_id for f in files] == ["f0", "f1", "f2", "fd"]
        assert files[3] == Attachment(**{**document.__dict__, "id": files[3].id})
        assert files[3].id is not None
        assert await tx.attachments.has_media_group("HB-AAAAAA", "album")
        assert not await tx.attachments.has_media_group("HB-AAAAAA", "other")
        assert not await tx.attachments.has_media_group("HB-BBBBBB", "album")
        assert await tx.attachments.for_case("HB-BBBBBB") == []


# -- conversations --------------------------------------------------------------------------


async def test_conversations_round_trip_a_draft_and_held_messages(store: Store) -> None:
    draft = Draft(
        id="d1",
        step=Step.CONTACT,
        started_at=NOW,
        updated_at=NOW + timedelta(minutes=1),
        category="delivery",
        parts=(Part(10, "Lost parcel ✓"),),
        attachments=(DraftAttachment("photo", "f", "u", 11, "cap", "g"),),
        contact=None,
        reminded=True,
    )
    held = (Text("more", 12, forwarded_from="Bob"), Media("video", "v", "vu", 13))
    async with store() as tx:
        await tx.conversations.save(Conversation(77, draft, held), NOW)
        await tx.conversations.save(Conversation(88, held=held[:1]), NOW)
        await tx.commit()
    async with store() as tx:
        assert await tx.conversations.get(77) == Conversation(77, draft, held)
        await tx.conversations.save(Conversation(77, None, held[1:]), NOW)
        await tx.commit()
    async with store() as tx:
        assert await tx.conversations.get(77) == Conversation(77, None, held[1:])
        await tx.conversations.delete(77)
        await tx.conversations.delete(78)  # deleting nothing is fine
        assert await tx.conversations.get(77) is None
        await tx.commit()
    async with store() as tx:
        assert await tx.conversations.get(77) is None
        assert await tx.conversations.get(88) == Conversation(88, held=held[:1])


# -- inbox ----------------------------------------------------------------------------------


async def test_inbox_ignores_duplicates_and_remembers_the_offset(store: Store) -> None:
    updates = [{"update_id": n, "message": {"text": f"{n} ✓"}} for n in (5, 6, 7)]
    async with store() as tx:
        assert await tx.inbox.last_update_id() is None
        assert await tx.inbox.add_many([]) == 0
        assert await tx.inbox.add_many(updates) == 3
        await tx.commit()
    async with store() as tx:
        assert await tx.inbox.add_many([*updates[1:], {"update_id": 8}, {"update_id": 8}]) == 1
        await tx.commit()
    async with store() as tx:
        assert [u.update_id for u in await tx.inbox.pending(10)] == [5, 6, 7, 8]
        assert [u.update_id for u in await tx.inbox.pending(2)] == [5, 6]
        await tx.inbox.mark_done(5, NOW)
        await tx.inbox.mark_attempt_failed(6, "boom", dead=False)
        await tx.inbox.mark_attempt_failed(7, "boom", dead=True)
        await tx.commit()
    async with store() as tx:
        pending = await tx.inbox.pending(10)
        assert [(u.update_id, u.attempts) for u in pending] == [(6, 1), (8, 0)]
        assert pending[0].payload == {"update_id": 6, "message": {"text": "6 ✓"}}
        assert await tx.inbox.last_update_id() == 8


async def test_a_failed_update_waits_for_its_next_attempt(store: Store) -> None:
    async with store() as tx:
        await tx.inbox.add_many([{"update_id": n} for n in (1, 2)])
        await tx.inbox.mark_attempt_failed(1, "boom", False, NOW + timedelta(seconds=2))
        await tx.commit()
    async with store() as tx:
        assert [u.update_id for u in await tx.inbox.pending(10, NOW)] == [2]
        later = NOW + timedelta(seconds=2)
        assert [u.update_id for u in await tx.inbox.pending(10, later)] == [1, 2]


async def test_purging_the_inbox_keeps_the_newest_row_for_the_offset(store: Store) -> None:
    async with store() as tx:
        await tx.inbox.add_many([{"update_id": n} for n in (1, 2, 3, 4)])
        for n in (1, 2, 4):
            await tx.inbox.mark_done(n, NOW)
        await tx.commit()
    async with store() as tx:
        assert await tx.inbox.purge_done(NOW) == 0, "nothing done before NOW"
        assert await tx.inbox.purge_done(NOW + timedelta(days=1)) == 2
        await tx.commit()
    async with store() as tx:
        assert await tx.inbox.last_update_id() == 4
        assert [u.update_id for u in await tx.inbox.pending(10)] == [3]


# -- outbox ---------------------------------------------------------------------------------


def keys(rows: list[Any]) -> list[tuple[int, str | None]]:
    return [(r.chat_id, getattr(r.message, "key", None)) for r in rows]


async def test_outbox_sends_each_chat_in_order_and_the_urgent_first(store: Store) -> None:
    answer = AnswerButton("q", "en", key="done", alert=True, chat_id=3)
    rich = Say(
        chat_id=2,
        key="c",
        language="pl",
        params={"due": NOW, "n": 1, "none": None},
        lines=(("line", {"at": NOW}),),
        buttons=((Button("b", data="x:1"),),),
        keyboard=((Button("phone", request_contact=True),),),
        pin=True,
        reply_to=9,
        thread_id=4,
        priority=5,
    )
    async with store() as tx:
        await tx.outbox.add(say(1, "a", priority=9), NOW)
        await tx.outbox.add(say(1, "b", priority=0), NOW)
        await tx.outbox.add(rich, NOW)
        await tx.outbox.add(answer, NOW)
        await tx.commit()
    async with store() as tx:
        heads = await tx.outbox.pending(NOW, 10)
        # chat 1's second message waits for its first, whatever its priority
        assert keys(heads) == [(3, "done"), (2, "c"), (1, "a")]
        assert heads[0].message == answer and heads[0].priority == 0
        assert heads[1].message == rich and heads[1].priority == 5
        assert heads[1].created_at == NOW and heads[1].attempts == 0
        assert keys(await tx.outbox.pending(NOW, 2)) == [(3, "done"), (2, "c")]
        # Only postpone() holds a message back: the sender's clock need not match the services'.
        assert keys(await tx.outbox.pending(NOW - timedelta(days=1), 10)) == keys(heads)
        await tx.outbox.mark_sent(heads[0].id, NOW, None)
        await tx.outbox.mark_sent(heads[1].id, NOW, 41)
        await tx.outbox.postpone(heads[2].id, NOW + timedelta(seconds=30), "429")
        await tx.commit()
    async with store() as tx:
        assert await tx.outbox.pending(NOW, 10) == [], "a postponed head holds back its chat"
        later = await tx.outbox.pending(NOW + timedelta(seconds=30), 10)
        assert keys(later) == [(1, "a")] and later[0].attempts == 1
        await tx.outbox.mark_sent(later[0].id, NOW, 42)
        await tx.commit()
    async with store() as tx:
        (nxt,) = await tx.outbox.pending(NOW, 10)
        assert keys([nxt]) == [(1, "b")]
        await tx.outbox.mark_failed(nxt.id, NOW, "400 Bad Request")
        await tx.commit()
    async with store() as tx:
        assert await tx.outbox.pending(NOW + timedelta(days=1), 10) == []
        assert await tx.outbox.counts() == {"sent": 3, "failed": 1}


async def test_every_kind_of_outgoing_message_round_trips(store: Store) -> None:
    track = Track(TRACK_TO_CUSTOMER, "HB-AAAAAA", -100, 5)
    messages = [
        Say(
            1, "staff-reply", "en", params={"text": Html("<b>hi</b>")}, topic_of="HB-A", track=track
        ),
        Copy(2, -100, 5, "en", caption_key="c", params={"x": Html("")}, reply_to=3, track=track),
        Edit(-100, "card", "en", card_of="HB-AAAAAA", buttons=((Button("b", data="k:1"),),)),
        CreateTopic(-101, "HB-AAAAAA · Delivery · Anna K.", "HB-AAAAAA"),
        React(-102, 9, "👌"),
        Chart(
            3,
            "pl",
            (ChartDay("2026-11-22", 0, 0, 0), ChartDay("2026-11-23", 5, 2, 4, 3.25)),
            "digest-chart",
            params={"days": 2, "waited": timedelta(hours=5, minutes=30), "average": 4.5},
        ),
    ]
    async with store() as tx:
        for message in messages:
            await tx.outbox.add(message, NOW)
        await tx.commit()
    async with store() as tx:
        heads = await tx.outbox.pending(NOW, 10)
    assert sorted((h.message for h in heads), key=repr) == sorted(messages, key=repr)


async def test_a_requeued_message_goes_after_everything_queued_for_its_chat(
    store: Store,
) -> None:
    async with store() as tx:
        await tx.outbox.add(say(1, "waits-for-topic"), NOW)
        await tx.outbox.add(say(1, "opens-topic"), NOW)
        await tx.commit()
    async with store() as tx:
        (head,) = await tx.outbox.pending(NOW, 10)
        await tx.outbox.requeue(head.id, NOW)
        await tx.commit()
    async with store() as tx:
        (head,) = await tx.outbox.pending(NOW, 10)
        assert keys([head]) == [(1, "opens-topic")]
        await tx.outbox.mark_sent(head.id, NOW, 1)
        await tx.commit()
    async with store() as tx:
        (head,) = await tx.outbox.pending(NOW, 10)
        assert keys([head]) == [(1, "waits-for-topic")] and head.attempts == 1


async def test_outbox_chats_do_not_wait_for_each_other(store: Store) -> None:
    async with store() as tx:
        for chat in (10, 11, 12):  # add_all keeps the order it was given
            await tx.outbox.add_all([say(chat, "first", priority=9), say(chat, "second")], NOW)
        await tx.commit()
    async with store() as tx:
        heads = await tx.outbox.pending(NOW, 10)
        assert keys(heads) == [(10, "first"), (11, "first"), (12, "first")]
        await tx.outbox.mark_sent(heads[1].id, NOW, 1)
        await tx.commit()
    async with store() as tx:
        heads = await tx.outbox.pending(NOW, 10)
        assert keys(heads) == [(11, "second"), (10, "first"), (12, "first")]
        assert await tx.outbox.counts() == {"pending": 5, "sent": 1}


async def test_outbox_tells_which_case_a_sent_message_is_about(store: Store) -> None:
    about = Say(chat_id=7, key="case-message-added", language="en", params={"number": "HB-A1"})
    async with store() as tx:
        await tx.outbox.add_all([about, say(7, "hello")], NOW)
        await tx.commit()
    async with store() as tx:
        rows = sorted(await tx.outbox.pending(NOW, 10), key=lambda r: r.id)
        await tx.outbox.mark_sent(rows[0].id, NOW, 31)
        await tx.commit()
    async with store() as tx:
        (hello,) = await tx.outbox.pending(NOW, 10)
        await tx.outbox.mark_sent(hello.id, NOW, 32)
        await tx.commit()
    async with store() as tx:
        assert await tx.outbox.case_of_sent(7, 31) == "HB-A1"
        assert await tx.outbox.case_of_sent(7, 32) is None, "a message about no case"
        assert await tx.outbox.case_of_sent(8, 31) is None, "ids are per chat"


async def test_outbox_tells_what_is_still_to_go_after_a_mark(store: Store) -> None:
    async with store() as tx:
        assert await tx.outbox.newest_id() == 0
        await tx.outbox.add(say(9, "before"), NOW)
        await tx.commit()
    async with store() as tx:
        mark = await tx.outbox.newest_id()
        assert mark > 0 and await tx.outbox.pending_after(mark) == 0
        await tx.outbox.add_all([say(1, "a"), say(2, "b"), say(3, "c")], NOW)
        await tx.commit()
    async with store() as tx:
        assert await tx.outbox.newest_id() > mark
        assert await tx.outbox.pending_after(mark) == 3
        assert await tx.outbox.pending_after(0) == 4, "the row before the mark counts from 0"
        first, second, third = sorted(await tx.outbox.pending(NOW, 10), key=lambda r: r.id)[1:]
        await tx.outbox.mark_sent(first.id, NOW, 1)
        await tx.outbox.mark_failed(second.id, NOW, "403 Forbidden")
        await tx.outbox.postpone(third.id, NOW + timedelta(minutes=1), "429")
        await tx.commit()
    async with store() as tx:
        assert await tx.outbox.pending_after(mark) == 1, "a postponed row is still to go"


# -- timers ---------------------------------------------------------------------------------


async def test_timers_upsert_claim_only_due_and_survive_a_reset(store: Store) -> None:
    async with store() as tx:
        await tx.timers.set(Timer("remind", "1", NOW + timedelta(minutes=30)))
        await tx.timers.set_all(
            [
                Timer("remind", "1", NOW + timedelta(minutes=10), {"n": 1}),
                Timer("drop", "1", NOW + timedelta(minutes=20), {"at": "x"}),
            ]
        )
        await tx.timers.set(Timer("remind", "2", NOW + timedelta(hours=5)))
        await tx.commit()
    async with store() as tx:
        assert await tx.timers.claim_due(NOW, 10) == []
        due = await tx.timers.claim_due(NOW + timedelta(minutes=10), 10)
        assert [(t.kind, t.key, t.payload) for t in due] == [("remind", "1", {"n": 1})]
        assert due[0].due_at == NOW + timedelta(minutes=10) and due[0].id is not None
        both = await tx.timers.claim_due(NOW + timedelta(minutes=20), 10)
        assert [(t.kind, t.key) for t in both] == [("remind", "1"), ("drop", "1")]
        assert len(await tx.timers.claim_due(NOW + timedelta(days=1), 2)) == 2
        # moved after it was claimed (by a timer fired before it): it is not taken, and stays
        await tx.timers.set(Timer("remind", "1", NOW + timedelta(hours=1), {"n": 2}))
        assert await tx.timers.take(due[0]) is None
        await tx.commit()
    async with store() as tx:
        again = await tx.timers.claim_due(NOW + timedelta(hours=1), 10)
        assert [(t.kind, t.key) for t in again] == [("drop", "1"), ("remind", "1")]
        # changed after it was claimed, but still due at the same time: taken as it is now
        await tx.timers.set(Timer("drop", "1", NOW + timedelta(minutes=20), {"at": "y"}))
        taken = [await tx.timers.take(timer) for timer in again]
        assert [(t.kind, t.payload) for t in taken if t] == [
            ("drop", {"at": "y"}),
            ("remind", {"n": 2}),
        ]
        assert await tx.timers.take(again[0]) is None, "taken once only"
        await tx.timers.cancel("remind", "2")
        await tx.timers.cancel("remind", "nothing")
        await tx.commit()
    async with store() as tx:
        assert await tx.timers.claim_due(NOW + timedelta(days=1), 10) == []


async def test_a_timer_can_be_read_by_its_kind_and_key(store: Store) -> None:
    async with store() as tx:
        await tx.timers.set(Timer("digest", "maria", NOW, {"since": NOW.isoformat()}))
        await tx.commit()
    async with store() as tx:
        found = await tx.timers.get("digest", "maria")
        assert found is not None and found.id is not None
        assert (found.due_at, found.payload) == (NOW, {"since": NOW.isoformat()})
        assert await tx.timers.get("digest", "jan") is None
        assert await tx.timers.get("load_watch", "maria") is None


async def test_next_due_is_the_earliest_time_in_a_window(store: Store) -> None:
    async with store() as tx:
        assert await tx.timers.next_due(NOW, NOW + timedelta(days=1)) is None
        await tx.timers.set_all(
            [
                Timer("remind", "1", NOW + timedelta(hours=2)),
                Timer("drop", "1", NOW + timedelta(minutes=30)),
                Timer("page", "7", NOW + timedelta(hours=2)),
                Timer("remind", "2", NOW - timedelta(minutes=5)),  # overdue
            ]
        )
        await tx.commit()
    async with store() as tx:
        window = NOW + timedelta(days=1)
        assert await tx.timers.next_due(NOW, window) == NOW + timedelta(minutes=30)
        assert await tx.timers.next_due(NOW - timedelta(hours=1), window) == NOW - timedelta(
            minutes=5
        )
        # `after` is left out, `until` is kept: a moment already lived through is not again.
        after_drop = await tx.timers.next_due(NOW + timedelta(minutes=30), window)
        assert after_drop == NOW + timedelta(hours=2)
        assert after_drop is not None and after_drop.utcoffset() == timedelta(0)
        assert await tx.timers.next_due(NOW, NOW + timedelta(minutes=30)) == NOW + timedelta(
            minutes=30
        )
        assert await tx.timers.next_due(NOW, NOW + timedelta(minutes=29)) is None
        assert await tx.timers.next_due(NOW + timedelta(hours=2), window) is None


# -- marks ----------------------------------------------------------------------------------


async def test_marks_find_each_message_sent_for_a_thing_until_forgotten(store: Store) -> None:
    async with store() as tx:
        await tx.marks.add(Mark("escalation-card", "7", 111111, 5, NOW))
        await tx.marks.add(Mark("escalation-card", "7", -1001234567890, 2**40, NOW))
        await tx.marks.add(Mark("receipt", "HB-AAAAAA", 77, 3, NOW))
        await tx.commit()
    async with store() as tx:
        found = await tx.marks.find("escalation-card", "7")
        assert [(m.chat_id, m.message_id) for m in found] == [(111111, 5), (-1001234567890, 2**40)]
        await tx.marks.forget("escalation-card", "7")
        await tx.commit()
    async with store() as tx:
        assert await tx.marks.find("escalation-card", "7") == []
        (receipt,) = await tx.marks.find("receipt", "HB-AAAAAA")
        assert receipt.created_at == NOW


# -- privacy: erasure, retention, audit -----------------------------------------------------


async def test_erasing_a_case_keeps_only_its_figures(store: Store) -> None:
    owner = await stored_customer(store)
    number = "HB-ERASE1"
    topic_card = Say(chat_id=-100, key="card", language="en", topic_of=number)
    async with store() as tx:
        await tx.cases.add(replace(case(number, owner.id), phone="+48600100200", rating=4))
        await tx.log.append(entry(number, 1, message_id=31, stars=4))
        await tx.attachments.add(Attachment(number, "photo", "f1", "u1", NOW, caption="box"))
        await tx.relays.add(Relay(number, 77, 31, -100, 41, NOW))
        await tx.relays.add(Relay("HB-OTHER1", 77, 32, -100, 42, NOW))
        await tx.outbox.add(topic_card, NOW)
        await tx.outbox.add(say(-100, "queue"), NOW)
        await tx.commit()
    async with store() as tx:
        [row, _] = await tx.outbox.pending(NOW, 10) + [None]
        assert row is not None
        await tx.outbox.mark_sent(row.id, NOW, 51)
        await tx.commit()
    async with store() as tx:
        sent = await tx.privacy.erase_case(number, NOW, frozenset({"stars"}))
        assert {chat: sorted(ids) for chat, ids in sent.items()} == {-100: [41, 51]}
        await tx.commit()
    async with store() as tx:
        erased = await tx.cases.get(number)
        assert erased is not None and erased.erased_at == NOW and erased.customer_id is None
        assert (erased.description, erased.phone, erased.rating) == ("", None, 4)
        assert [(e.kind, e.text, e.data) for e in await tx.log.for_case(number)] == [
            ("message", "", {"stars": 4})
        ]
        assert await tx.attachments.for_case(number) == []
        assert await tx.relays.by_source(77, 31) is None
        assert await tx.relays.by_source(77, 32) is not None, "another case's relay stays"
        assert await tx.privacy.erase_case(number, NOW, frozenset()) == {}
        assert [r.message for r in await tx.outbox.pending(NOW, 10)] == [say(-100, "queue")]


async def test_erasing_a_person_reaches_their_chat_and_their_dead_updates(store: Store) -> None:
    owner = await stored_customer(store)
    theirs = {"update_id": 1, "message": {"from": {"id": 77}, "text": "my words"}}
    others = {"update_id": 2, "message": {"from": {"id": 78}, "text": "other words"}}
    async with store() as tx:
        await tx.conversations.save(Conversation(77, comment_for="HB-X"), NOW)
        await tx.outbox.add(say(77, "help"), NOW)
        await tx.outbox.add(say(78, "help"), NOW)
        await tx.inbox.add_many([theirs, others])
        await tx.inbox.mark_attempt_failed(1, "boom", dead=True)
        await tx.inbox.mark_attempt_failed(2, "boom", dead=True)
        await tx.commit()
    async with store() as tx:
        await tx.privacy.erase_person(77)
        await tx.privacy.delete_customer(owner.id)
        await tx.commit()
    async with store() as tx:
        assert await tx.conversations.get(77) is None
        assert await tx.customers.by_telegram_id(77) is None
        assert [r.chat_id for r in await tx.outbox.pending(NOW, 10)] == [78]


async def test_retention_finds_ended_cases_files_and_idle_customers(store: Store) -> None:
    busy, idle = await stored_customer(store, 77), await stored_customer(store, 78)
    old = NOW - timedelta(days=400)
    async with store() as tx:
        await tx.cases.add(replace(case("HB-OLD001", busy.id, CaseState.CLOSED), updated_at=old))
        await tx.cases.add(replace(case("HB-OPEN01", busy.id), updated_at=old))
        await tx.cases.add(case("HB-NEW001", busy.id, CaseState.DECLINED))
        await tx.attachments.add(Attachment("HB-OLD001", "photo", "f", "u", old, caption="c"))
        await tx.log.append(CaseLogEntry("HB-OLD001", old, "attachment", "customer", "c"))
        await tx.commit()
    async with store() as tx:
        assert await tx.privacy.ended_before(NOW, 10) == ["HB-OLD001"]
        assert await tx.privacy.ended_before(NOW + timedelta(days=1), 10) == [
            "HB-OLD001",
            "HB-NEW001",
        ]
        assert await tx.privacy.ended_before(NOW + timedelta(days=1), 1) == ["HB-OLD001"]
        assert await tx.privacy.with_files_ended_before(NOW, 10) == ["HB-OLD001"]
        await tx.privacy.erase_files("HB-OLD001")
        assert await tx.privacy.with_files_ended_before(NOW, 10) == []
        assert [e.text for e in await tx.log.for_case("HB-OLD001")] == [""]
        assert await tx.privacy.idle_customers(NOW + timedelta(seconds=1), 10) == [idle.id]
        assert await tx.privacy.idle_customers(NOW, 10) == [], "known since NOW, not before"


async def test_handled_updates_and_delivered_messages_go_after_a_week(store: Store) -> None:
    async with store() as tx:
        await tx.inbox.add_many([{"update_id": 1, "message": {"text": "secret"}}, {"update_id": 2}])
        await tx.inbox.mark_done(1, NOW)
        await tx.outbox.add(say(77, "help"), NOW)
        await tx.commit()
    async with store() as tx:
        [row] = await tx.outbox.pending(NOW, 10)
        await tx.outbox.mark_sent(row.id, NOW, 9)
        await tx.commit()
    later = NOW + timedelta(days=8)
    async with store() as tx:
        assert await tx.privacy.prune(later, 10) == 2
        assert await tx.inbox.last_update_id() == 2
        assert await tx.outbox.counts() == {}
        await tx.audit.record(AuditEntry(NOW, "operator:ann", "export", {"cases": 2}))
        await tx.commit()
    async with store() as tx:
        [kept] = await tx.audit.latest(5)
    assert (kept.at, kept.actor, kept.action, kept.detail) == (
        NOW,
        "operator:ann",
        "export",
        {"cases": 2},
    )
