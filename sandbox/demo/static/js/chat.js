// A Telegram chat view over one chat (or one forum topic) as one person sees it: header,
// pinned bar, messages, reply keyboard and composer. Whatever the bot does in the chat is in
// the data it is given, so no feature of the bot needs code here.

import { pictureSize, post, upload } from "./api.js";
import { itemNode, snippet } from "./message.js";
import { alertDialog, dayKey, dialog, el, toast } from "./ui.js";
import { words } from "./words.js";

const GROUP_WITHIN = 10 * 60; // seconds: messages closer than this share one group of bubbles

export class ChatView {
  // options: { pane, header(store, chat, thread, t) -> node, empty(store, chat, thread, t) -> text,
  //            allowStart, onLink, language(store) -> the viewer's Telegram language }
  constructor(options) {
    this.options = options;
    this.t = words("en");
    this.placeholder = null; // the bot's input_field_placeholder while a forced reply is open
    this.chatId = null;
    this.threadId = null;
    this.viewer = null;
    this.cache = new Map();
    this.replyTo = null;
    this.keyboardShown = new Map(); // message id of a reply keyboard -> shown or not
    this.forced = new Set(); // messages whose force_reply has opened a reply already
    this.stick = true;
    this.store = null;
    this.build();
  }

  build() {
    this.header = el("div", { class: "chat-header" });
    this.pinned = el("button", {
      class: "pinned-bar",
      type: "button",
      hidden: true,
      "data-testid": "pinned",
    });
    this.list = el("div", {
      class: "messages",
      "data-testid": "messages",
      role: "log",
      "aria-live": "polite",
    });
    this.empty = el("div", { class: "empty", hidden: true });
    this.scroller = el("div", { class: "scroller" }, this.empty, this.list);
    this.scroller.addEventListener("scroll", () => {
      const s = this.scroller;
      this.stick = s.scrollHeight - s.scrollTop - s.clientHeight < 80;
      this.down.hidden = this.stick;
    });
    this.down = el("button", {
      class: "to-bottom",
      type: "button",
      hidden: true,
      text: "⌄",
      onclick: () => this.scrollToBottom(),
    });
    new ResizeObserver(() => {
      if (this.stick) this.scrollToBottom();
    }).observe(this.list);

    this.replyBar = el("div", { class: "reply-bar", hidden: true });
    this.notice = el("div", { class: "chat-notice", hidden: true });
    this.input = el("textarea", {
      class: "input",
      rows: 1,
      maxlength: 4096,
      "data-testid": "message-input",
      onkeydown: (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.sendText();
        }
      },
      oninput: () => this.autosize(),
    });
    this.file = el("input", {
      type: "file",
      class: "file-input",
      hidden: true,
      "data-testid": "attach-input",
      onchange: () => this.sendFile(),
    });
    this.menu = el("button", {
      class: "menu-button",
      type: "button",
      hidden: true,
      onclick: () => this.showMenu(),
    });
    this.keyboardToggle = el("button", {
      class: "icon-button keyboard-toggle",
      type: "button",
      hidden: true,
      text: "⌨",
      onclick: () => this.toggleKeyboard(),
    });
    this.composer = el(
      "div",
      { class: "composer" },
      this.menu,
      el(
        "div",
        { class: "input-box" },
        (this.attach = el("button", {
          class: "icon-button attach",
          type: "button",
          text: "📎",
          onclick: () => this.file.click(),
        })),
        this.input,
        this.keyboardToggle,
      ),
      (this.sendButton = el("button", {
        class: "send",
        type: "button",
        onclick: () => this.sendText(),
      })),
      this.file,
    );
    this.start = el("button", {
      class: "start-button",
      type: "button",
      hidden: true,
      "data-testid": "start",
      onclick: () => this.send("/start"),
    });
    this.keyboard = el("div", {
      class: "reply-keyboard",
      hidden: true,
      "data-testid": "reply-keyboard",
    });
    this.root = el(
      "div",
      { class: "chat" },
      this.header,
      this.pinned,
      el("div", { class: "scroller-wrap" }, this.scroller, this.down),
      el(
        "div",
        { class: "bottom" },
        this.notice,
        this.replyBar,
        this.composer,
        this.start,
        this.keyboard,
      ),
    );
    this.localize();
  }

  // The app's own words in the viewer's language: labels, hints, the message box.
  localize() {
    const t = this.t;
    this.down.setAttribute("aria-label", t("toBottom"));
    this.input.placeholder = this.placeholder || t("message");
    this.input.setAttribute("aria-label", t("message"));
    this.menu.textContent = t("menu");
    this.keyboardToggle.title = t("keyboard");
    this.keyboardToggle.setAttribute("aria-label", t("showKeyboard"));
    this.attach.title = t("attachHint");
    this.attach.setAttribute("aria-label", t("attach"));
    this.sendButton.setAttribute("aria-label", t("send"));
    this.start.textContent = t("start");
    this.notice.textContent = t("topicIsClosed");
  }

  // -- which conversation -------------------------------------------------------------------

  show(chatId, threadId, viewer) {
    if (chatId === this.chatId && threadId === this.threadId && viewer === this.viewer) return;
    this.chatId = chatId;
    this.threadId = threadId;
    this.viewer = viewer;
    this.cache.clear();
    this.replyTo = null;
    this.stick = true;
    if (this.store) this.render(this.store);
  }

  chat() {
    return this.store && this.store.chats.get(this.chatId);
  }

  visible(chat) {
    if (!chat) return [];
    if (!chat.forum) return chat.messages;
    return chat.messages.filter((m) => (m.thread ?? null) === this.threadId);
  }

  // -- drawing ------------------------------------------------------------------------------

  render(store) {
    this.store = store;
    const t = words(this.options.language ? this.options.language(store) : "en");
    if (t !== this.t) {
      this.t = t;
      this.localize();
    }
    const chat = this.chat();
    const messages = this.visible(chat);
    const byId = new Map((chat ? chat.messages : []).map((m) => [m.id, m]));
    this.header.replaceChildren(this.options.header(store, chat, this.threadId, this.t) || "");
    this.renderMessages(messages, byId, chat);
    this.renderPinned(messages);
    this.renderKeyboard(messages);
    const fresh = this.options.allowStart && chat && chat.messages.length === 0;
    this.start.hidden = !fresh;
    this.composer.hidden = fresh;
    this.menu.hidden = !(chat && chat.type === "private" && this.commands().length);
    const topic = chat && chat.forum && chat.topics.find((t) => t.id === this.threadId);
    this.notice.hidden = !(topic && topic.closed);
    this.forceReply(messages);
    this.renderReplyBar(byId);
  }

  context(chat, byId) {
    const people = this.store.people;
    return {
      viewer: this.viewer,
      bot: people.bot.id,
      chat,
      byId,
      group: chat.type !== "private",
      name: (id) => (people.users[id] ? people.users[id].name : `User ${id}`),
      onButton: (msg, button, node) => this.button(msg, button, node),
      onCommand: (command) => this.send(command),
      onLink: (url, event) => (this.options.onLink ? this.options.onLink(url, event) : false),
      onReply: (msg) => this.reply(msg),
      onJump: (id) => this.jumpTo(id),
      t: this.t,
    };
  }

  renderMessages(messages, byId, chat) {
    this.empty.hidden = messages.length > 0;
    this.empty.textContent = this.options.empty(this.store, chat, this.threadId, this.t);
    if (!chat) {
      this.list.replaceChildren();
      return;
    }
    const ctx = this.context(chat, byId);
    const names = this.store.people.users;
    const nodes = [];
    const keep = new Set();
    for (const item of items(messages)) {
      const quoted = item.msgs ? item.msgs.map((m) => m.reply_to && byId.get(m.reply_to)) : [];
      const pinned = item.type === "service" && item.msgs[0].service.pinned_message;
      const signature = JSON.stringify([
        item,
        quoted,
        pinned ? byId.get(pinned.id) : null,
        this.viewer,
        this.t.language,
        item.msgs ? names[item.msgs[0].from] : null,
      ]);
      let cached = this.cache.get(item.key);
      if (!cached || cached.signature !== signature) {
        cached = { signature, node: itemNode(item, ctx) };
        this.cache.set(item.key, cached);
      }
      keep.add(item.key);
      nodes.push(cached.node);
    }
    for (const key of this.cache.keys()) if (!keep.has(key)) this.cache.delete(key);
    const current = this.list.children;
    const same = current.length === nodes.length && nodes.every((n, i) => current[i] === n);
    if (!same) this.list.replaceChildren(...nodes);
    if (this.stick) this.scrollToBottom();
  }

  renderPinned(messages) {
    const pinned = messages.filter((m) => m.pinned && !m.service);
    if (!pinned.length) {
      this.pinned.hidden = true;
      return;
    }
    const last = pinned[pinned.length - 1];
    const t = this.t;
    const label = pinned.length > 1 ? t("pinnedNth", { n: pinned.length }) : t("pinned");
    this.pinned.hidden = false;
    this.pinned.replaceChildren(
      el("span", { class: "pinned-line" }),
      el(
        "span",
        { class: "pinned-body" },
        el("span", { class: "pinned-label", text: label }),
        el("span", { class: "pinned-text", text: snippet(last, t) }),
      ),
      el("span", { class: "pinned-icon", "aria-hidden": "true", text: "📌" }),
    );
    this.pinned.onclick = () => this.jumpTo(last.id);
  }

  activeKeyboard(messages) {
    const bot = this.store.people.bot.id;
    for (let i = messages.length - 1; i >= 0; i -= 1) {
      const m = messages[i];
      if (m.from !== bot || !m.markup) continue;
      if (m.markup.keyboard) {
        const answered = messages.slice(i + 1).some((later) => later.from === this.viewer);
        return { msg: m, collapsed: Boolean(m.markup.one_time_keyboard) && answered };
      }
      if (m.markup.remove_keyboard) return null;
    }
    return null;
  }

  renderKeyboard(messages) {
    const active = this.activeKeyboard(messages);
    this.keyboardToggle.hidden = !active;
    if (!active) {
      this.keyboard.hidden = true;
      return;
    }
    const shown = this.keyboardShown.has(active.msg.id)
      ? this.keyboardShown.get(active.msg.id)
      : !active.collapsed;
    this.keyboard.hidden = !shown;
    this.keyboardToggle.classList.toggle("active", shown);
    this.keyboard.replaceChildren(
      ...active.msg.markup.keyboard.map((row) =>
        el(
          "div",
          { class: "keyboard-row" },
          row.map((button) => {
            const b = typeof button === "string" ? { text: button } : button;
            return el("button", {
              class: "reply-button",
              type: "button",
              text: b.text,
              onclick: () => this.replyButton(active.msg, b),
            });
          }),
        ),
      ),
    );
    this.keyboard.dataset.message = active.msg.id;
  }

  renderReplyBar(byId) {
    const target = this.replyTo && byId.get(this.replyTo);
    if (!target) {
      this.replyTo = null;
      this.replyBar.hidden = true;
      return;
    }
    const names = this.store.people.users;
    this.replyBar.hidden = false;
    this.replyBar.replaceChildren(
      el("span", { class: "reply-icon", text: "↩" }),
      el(
        "div",
        { class: "reply-body" },
        el("div", {
          class: "reply-name",
          text: this.t("replyTo", { name: names[target.from] ? names[target.from].name : "" }),
        }),
        el("div", { class: "reply-text", text: snippet(target, this.t) }),
      ),
      el("button", {
        class: "icon-button",
        type: "button",
        "aria-label": this.t("cancelReply"),
        text: "✕",
        onclick: () => this.reply(null),
      }),
    );
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.stick = true;
    this.down.hidden = true;
  }

  jumpTo(messageId) {
    const node = this.list.querySelector(`[data-id="${Number(messageId)}"]`);
    if (!node) {
      toast(this.root, this.t("gone"));
      return;
    }
    node.scrollIntoView({ block: "center" });
    node.classList.remove("flash");
    void node.offsetWidth; // restart the highlight animation
    node.classList.add("flash");
  }

  autosize() {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, 160)}px`;
  }

  // -- acting -------------------------------------------------------------------------------

  where() {
    return { user_id: this.viewer, thread_id: this.threadId, reply_to: this.replyTo };
  }

  // A bot message with force_reply opens a reply to itself, as Telegram apps do (once).
  forceReply(messages) {
    const bot = this.store.people.bot.id;
    const last = messages[messages.length - 1];
    if (!last || last.from !== bot || !last.markup || !last.markup.force_reply) return;
    if (this.forced.has(last.id)) return;
    this.forced.add(last.id);
    this.replyTo = last.id;
    if (last.markup.input_field_placeholder) {
      this.placeholder = last.markup.input_field_placeholder;
      this.input.placeholder = this.placeholder;
    }
  }

  reply(msg) {
    this.replyTo = msg ? msg.id : null;
    if (!msg) {
      this.placeholder = null;
      this.input.placeholder = this.t("message");
    }
    if (this.store) this.render(this.store);
    if (msg) this.input.focus();
  }

  async send(text) {
    try {
      await post(`/api/chats/${this.chatId}/messages`, { ...this.where(), text });
      this.stick = true;
      this.reply(null);
      return true;
    } catch (error) {
      toast(this.root, error.message, "error");
      return false;
    }
  }

  async sendText() {
    const text = this.input.value;
    if (!text.trim()) return;
    this.input.value = "";
    this.autosize();
    if (!(await this.send(text))) this.input.value = text;
  }

  async sendFile() {
    const file = this.file.files[0];
    this.file.value = "";
    if (!file) return;
    const caption = this.input.value.trim();
    const fields = { ...this.where(), caption };
    const size = await pictureSize(file);
    if (size) Object.assign(fields, size);
    try {
      await upload(`/api/chats/${this.chatId}/files`, fields, file);
      this.input.value = "";
      this.stick = true;
      this.reply(null);
    } catch (error) {
      toast(this.root, error.message, "error");
    }
  }

  async replyButton(msg, button) {
    const t = this.t;
    if (button.request_contact) {
      const person = this.store.people.users[this.viewer];
      const who = person ? person.name : t("thisAccount");
      const ok = await dialog({
        pane: this.options.pane,
        title: t("sharePhoneTitle"),
        body: [
          el("p", {
            class: "dialog-text",
            text: t("sharePhoneText", { bot: this.store.people.bot.name, who }),
          }),
        ],
        buttons: [
          { label: t("cancel"), value: false },
          { label: t("share"), value: true, primary: true },
        ],
      });
      if (!ok) return;
      try {
        await post(`/api/chats/${this.chatId}/contact`, {
          user_id: this.viewer,
          thread_id: this.threadId,
        });
        this.stick = true;
      } catch (error) {
        toast(this.root, error.message, "error");
      }
      return;
    }
    if (
      button.request_location ||
      button.request_poll ||
      button.request_users ||
      button.request_chat
    ) {
      toast(this.root, t("cannotShare"));
      return;
    }
    if (msg.markup.one_time_keyboard) this.keyboardShown.set(msg.id, false);
    await this.send(button.text);
  }

  toggleKeyboard() {
    const id = Number(this.keyboard.dataset.message);
    this.keyboardShown.set(id, this.keyboard.hidden);
    this.render(this.store);
  }

  async button(msg, button, node) {
    if (button.url) {
      const handled = this.options.onLink && this.options.onLink(button.url);
      if (!handled) window.open(button.url, "_blank", "noopener,noreferrer");
      return;
    }
    if (button.copy_text) {
      await navigator.clipboard.writeText(button.copy_text.text).catch(() => {});
      toast(this.root, this.t("copied"));
      return;
    }
    if (!button.callback_data) {
      toast(this.root, this.t("inertButton"));
      return;
    }
    node.classList.add("pending");
    try {
      const answer = await post("/api/press", {
        user_id: this.viewer,
        chat_id: this.chatId,
        message_id: msg.id,
        data: button.callback_data,
      });
      if (answer.text && answer.alert)
        await alertDialog(this.options.pane, answer.text, this.t("ok"));
      else if (answer.text) toast(this.root, answer.text);
      else if (!answer.answered) toast(this.root, this.t("noAnswer"), "muted");
    } catch (error) {
      toast(this.root, error.message, "error");
    } finally {
      node.classList.remove("pending");
    }
  }

  commands() {
    return this.store.people.commands[this.chatId] || [];
  }

  showMenu() {
    const commands = this.commands();
    const existing = this.options.pane.querySelector(".command-menu");
    if (existing) {
      existing.remove();
      return;
    }
    const menu = el(
      "div",
      { class: "command-menu", role: "menu" },
      commands.map((c) =>
        el(
          "button",
          {
            class: "command-item",
            type: "button",
            role: "menuitem",
            onclick: () => {
              menu.remove();
              this.send(`/${c.command}`);
            },
          },
          el("span", { class: "command-name", text: `/${c.command}` }),
          el("span", { class: "command-description", text: c.description }),
        ),
      ),
    );
    this.root.querySelector(".bottom").append(menu);
  }
}

// Day separators, service lines, bubbles; albums become one bubble; runs of one sender's
// messages form a group (name on the first, avatar and tail on the last).
export function items(messages) {
  const out = [];
  let day = null;
  let previous = null;
  for (let i = 0; i < messages.length; i += 1) {
    const m = messages[i];
    const key = dayKey(m.date);
    if (key !== day) {
      out.push({ key: `d${key}`, type: "day", date: m.date });
      day = key;
      previous = null;
    }
    if (m.service) {
      out.push({ key: `m${m.id}`, type: "service", msgs: [m] });
      previous = null;
      continue;
    }
    const msgs = [m];
    while (
      m.album &&
      i + 1 < messages.length &&
      messages[i + 1].album === m.album &&
      messages[i + 1].from === m.from
    ) {
      i += 1;
      msgs.push(messages[i]);
    }
    const item = { key: `m${m.id}`, type: "message", msgs, first: true, last: true };
    if (
      previous &&
      previous.msgs[0].from === m.from &&
      m.date - previous.msgs[previous.msgs.length - 1].date < GROUP_WITHIN
    ) {
      item.first = false;
      previous.last = false;
    }
    out.push(item);
    previous = item;
  }
  return out;
}
