"""The customer pane: a complaint filed entirely in the page, languages, more customers."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.pages import SandboxPage
from tests.browser.running import RunningSandbox

CUSTOMER = 5001


def test_a_customer_files_a_complaint_entirely_in_the_page(
    sandbox: SandboxPage, running: RunningSandbox, picture: Path
) -> None:
    anna = sandbox.customer
    expect(anna.pane.get_by_text("Press START")).to_be_visible()
    anna.start()
    anna.message("Hello, Anna!")
    anna.press("File a complaint")
    anna.message("What is your complaint about?")
    anna.press("Delivery")
    anna.message("please describe the problem")
    anna.write("The parcel was due on Friday; tracking says 'in transit' for six days.")
    anna.message("it's noted")

    anna.attach(picture)
    photo = anna.messages.locator("img").last
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 240
    anna.message("1 file attached")
    sandbox.screenshot("customer-describing")

    anna.press("Continue")
    anna.message("How may we reach you?")
    anna.share_contact()
    anna.message("+48 601")  # the contact bubble with her number
    expect(anna.pane.get_by_test_id("reply-keyboard")).to_be_hidden()
    summary = anna.message("Please check your complaint")
    expect(summary).to_contain_text("phone +48 601")
    expect(summary).to_contain_text("Files: 1")
    anna.press("Confirm")

    receipt = anna.message(re.compile(r"registered as HB-[0-9A-Z]{6}"))
    number = re.search(r"HB-[0-9A-Z]{6}", receipt.inner_text())
    assert number is not None
    expect(receipt.locator("strong").first).to_have_text(number.group(0))
    expect(anna.pinned).to_contain_text(f"registered as {number.group(0)}")
    sandbox.screenshot("customer-filed")  # the README's picture
    anna.pinned.click()
    expect(receipt).to_have_class(re.compile("flash"))

    stored = running.call(lambda s: [m.text for m in s.emu.messages(CUSTOMER) if m.pinned])
    assert any(number.group(0) in text for text in stored)


def test_a_language_switch_changes_the_bots_language_for_new_messages(
    sandbox: SandboxPage,
) -> None:
    anna = sandbox.customer
    anna.start()
    english = anna.message("Hello, Anna!")
    anna.language("pl")
    anna.write("/start")
    anna.message("Dzień dobry, Anna!")
    anna.press("Nowa reklamacja")
    anna.message("Czego dotyczy reklamacja?")
    expect(english).to_contain_text("Hello, Anna!")  # what was said stays as it was
    sandbox.screenshot("customer-polish")


def test_a_second_customer_can_be_added_and_has_a_chat_of_their_own(
    sandbox: SandboxPage,
) -> None:
    customers = sandbox.customer
    customers.start()
    customers.message("Hello, Anna!")
    customers.add_customer("Zofia", "Nowak", language="pl")
    expect(customers.messages).to_have_count(0)
    customers.start()
    customers.message("Dzień dobry, Zofia!")
    customers.act_as("Anna Kowalczyk")
    customers.message("Hello, Anna!")
    expect(customers.messages.filter(has_text="Zofia")).to_have_count(0)
    customers.act_as("Ivan Petrov")  # his Telegram speaks Russian
    expect(customers.start_button).to_have_text("ЗАПУСТИТЬ")


def test_nothing_a_customer_writes_becomes_markup_in_the_page(sandbox: SandboxPage) -> None:
    anna = sandbox.customer
    attack = '<img src=x onerror="document.body.dataset.owned=1"><b>urgent</b> &amp;'
    anna.start()
    anna.press("File a complaint")
    anna.press("Delivery")
    describe = anna.message("please describe the problem")
    expect(describe.locator("strong")).to_have_text("Delivery")  # the bot's own HTML is shown
    anna.write(attack)
    anna.press("Continue")
    anna.reply_keyboard(re.compile("Telegram only"))
    summary = anna.message("Please check your complaint")
    expect(summary).to_contain_text(attack)
    for bubble in (summary, anna.messages.filter(has_text=attack).first):
        expect(bubble.locator("img, b")).to_have_count(0)
    assert sandbox.page.evaluate("document.body.dataset.owned") is None


def test_files_and_the_command_menu(sandbox: SandboxPage, tmp_path: Path) -> None:
    note = tmp_path / "delivery-note.txt"
    note.write_text("Signed for by a neighbour at no. 12", encoding="utf-8")
    anna = sandbox.customer
    anna.start()
    anna.pane.get_by_role("button", name="Menu").click()
    anna.pane.get_by_role("menuitem").filter(has_text="File a complaint").click()
    anna.message("What is your complaint about?")
    anna.press("Delivery")
    anna.write("The courier left it with a neighbour.")
    anna.attach(note)
    file = anna.messages.locator(".file").last
    expect(file).to_contain_text("delivery-note.txt")
    expect(file).to_have_attribute("href", re.compile(r"^/api/files/"))
    anna.message("1 file attached")


def test_a_stale_button_gets_the_bots_alert(sandbox: SandboxPage) -> None:
    anna = sandbox.customer
    anna.start()
    anna.press("File a complaint")
    anna.message("What is your complaint about?")
    anna.write("/cancel")
    anna.message("nothing was filed")
    anna.press("Product quality")
    alert = anna.alert("This button belongs to an earlier step.")
    alert.get_by_role("button", name="OK").click()
    expect(alert).to_be_hidden()


def test_the_customers_app_speaks_the_customers_language(sandbox: SandboxPage) -> None:
    anna = sandbox.customer
    anna.start()
    anna.message("Hello, Anna!")
    anna.language("ru")
    anna.toast("Теперь Telegram передаёт язык")
    expect(anna.message_box).to_have_attribute("placeholder", "Сообщение")
    adding = anna.open_add_customer()
    expect(adding.get_by_role("heading")).to_have_text("Добавить клиента")
    expect(adding.get_by_label("Фамилия")).to_be_visible()
    adding.get_by_role("button", name="Отмена").click()
    expect(adding).to_be_hidden()

    anna.write("/new")
    anna.message("Чего касается Ваша жалоба?")
    anna.press("Доставка")
    anna.write("Посылка так и не пришла.")
    anna.press("Продолжить")
    anna.reply_keyboard(re.compile("Отправить мой номер"))
    sharing = anna.pane.get_by_role("dialog")
    expect(sharing).to_contain_text("Поделиться номером телефона?")
    sharing.get_by_role("button", name="Поделиться").click()
    anna.message("Пожалуйста, проверьте Вашу жалобу")
    anna.pane.get_by_role("button", name="Меню").click()
    withdraw = anna.pane.get_by_role("menuitem").filter(has_text="/withdraw")
    expect(withdraw).to_contain_text("Отозвать жалобу")  # the bot's menu in her language
    sandbox.screenshot("customer-russian")

    anna.language("en")
    expect(anna.message_box).to_have_attribute("placeholder", "Message")
    expect(anna.pane.get_by_role("button", name="Menu")).to_be_visible()


def test_every_language_of_the_app_has_all_its_words(sandbox: SandboxPage) -> None:
    missing = sandbox.page.evaluate(
        "async () => (await import('/static/js/words.js')).missingWords()"
    )
    assert missing == {"en": [], "ru": [], "pl": [], "ta": []}
