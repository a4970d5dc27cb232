// The three panes. Each has a strip of sandbox controls (who you are) above a Telegram chat.

import { post } from "./api.js";
import { ChatView } from "./chat.js";
import { serviceText, snippet } from "./message.js";
import { avatar, botAvatar, dialog, el, hhmm, toast } from "./ui.js";
import { words } from "./words.js";

const LANGUAGE_NAMES = { en: "English", ru: "Русский", pl: "Polski", ta: "தமிழ்" };

function tabs(label, people, selected, onSelect) {
  return el(
    "div",
    { class: "tabs", role: "tablist", "aria-label": label },
    people.map((p) =>
      el(
        "button",
        {
          class: "tab",
          type: "button",
          role: "tab",
          "aria-selected": String(p.id === selected),
          "aria-label": p.name,
          title: p.title ? `${p.name}, ${p.title}` : p.name,
          onclick: () => onSelect(p.id),
        },
        avatar(p.id, p.name, "tiny"),
        el("span", { class: "tab-name", text: p.name.split(" ")[0] }),
      ),
    ),
  );
}

function botHeader(store, chat, thread, t) {
  const bot = store.people.bot;
  return el(
    "div",
    { class: "chat-header-inner" },
    botAvatar(),
    el(
      "div",
      { class: "chat-title" },
      el("div", { class: "title", text: bot.name }),
      el("div", { class: "subtitle", text: t("bot") }),
    ),
  );
}

class Pane {
  constructor(app, root, label) {
    this.app = app;
    this.root = root;
    this.controls = el("div", { class: "pane-controls" });
    this.label = el("span", { class: "pane-label", text: label });
    this.bar = el("div", { class: "pane-bar" }, this.label, this.controls);
    this.body = el("div", { class: "pane-body" });
    root.replaceChildren(this.bar, this.body);
    this.controlsKey = null;
  }

  // Controls are rebuilt only when what they show changed, so an open menu stays open.
  setControls(key, build) {
    const signature = JSON.stringify(key);
    if (signature === this.controlsKey) return;
    this.controlsKey = signature;
    this.controls.replaceChildren(...build());
  }
}

// The customer's own Telegram app: its words follow the customer's Telegram language.
export class CustomerPane extends Pane {
  constructor(app, root) {
    super(app, root, "Customer");
    this.selected = null;
    this.chat = new ChatView({
      pane: root,
      allowStart: true,
      header: botHeader,
      empty: (store, chat, thread, t) => t("startHint", { bot: store.people.bot.name }),
      onLink: (url, event) => app.openLink(url, event),
      language: (store) => this.language(store),
    });
    this.body.append(this.chat.root);
  }

  person(store) {
    return store.people.customers.find((p) => p.id === this.selected);
  }

  language(store) {
    const person = this.person(store);
    return person ? person.language : store.people.org.default_language;
  }

  select(id) {
    this.selected = id;
    this.app.render();
  }

  render(store) {
    const customers = store.people.customers;
    if (!customers.some((p) => p.id === this.selected))
      this.selected = customers[0] && customers[0].id;
    const person = this.person(store);
    const languages = store.people.org.languages;
    const t = words(this.language(store));
    this.setControls([customers, this.selected, languages, t.language], () => {
      const language = el(
        "select",
        {
          class: "language",
          "aria-label": t("language"),
          title: t("languageHint"),
          "data-testid": "language-switch",
          onchange: (event) => this.setLanguage(event.target.value),
        },
        languages.map((code) =>
          el("option", {
            value: code,
            title: LANGUAGE_NAMES[code],
            text: `🌐 ${code.toUpperCase()}`,
          }),
        ),
      );
      if (person) language.value = person.language;
      return [
        tabs(t("customers"), customers, this.selected, (id) => this.select(id)),
        el("button", {
          class: "add-person",
          type: "button",
          title: t("addCustomer"),
          "aria-label": t("addCustomer"),
          "data-testid": "add-customer",
          text: "+",
          onclick: () => this.addCustomer(),
        }),
        language,
      ];
    });
    this.chat.show(this.selected, null, this.selected);
    this.chat.render(store);
  }

  async setLanguage(code) {
    try {
      await post(`/api/users/${this.selected}/language`, { language: code });
      toast(this.root, words(code)("languageSwitched", { code }));
    } catch (error) {
      toast(this.root, error.message, "error");
    }
  }

  async addCustomer() {
    const store = this.app.store;
    const languages = store.people.org.languages;
    const t = words(this.language(store));
    const values = await dialog({
      pane: this.root,
      title: t("addCustomer"),
      body: [
        el(
          "label",
          { class: "field" },
          t("firstName"),
          el("input", { name: "first_name", required: true, maxlength: 64, autocomplete: "off" }),
        ),
        el(
          "label",
          { class: "field" },
          t("lastName"),
          el("input", { name: "last_name", maxlength: 64, autocomplete: "off" }),
        ),
        el(
          "label",
          { class: "field" },
          t("language"),
          el(
            "select",
            { name: "language" },
            languages.map((code) =>
              el("option", { value: code, text: LANGUAGE_NAMES[code] || code }),
            ),
          ),
        ),
      ],
      buttons: [
        { label: t("cancel"), value: null },
        {
          label: t("add"),
          primary: true,
          submit: true,
          value: (form) => Object.fromEntries(new FormData(form).entries()),
        },
      ],
    });
    if (!values) return;
    try {
      const person = await post("/api/customers", values);
      this.selected = person.id;
      await this.app.until((store) => store.people.customers.some((p) => p.id === person.id));
      this.app.render();
    } catch (error) {
      toast(this.root, error.message, "error");
    }
  }
}

export class StaffPane extends Pane {
  constructor(app, root) {
    super(app, root, "Staff");
    this.group = null;
    this.member = new Map(); // group chat id -> the staff member acting there
    this.topic = new Map(); // group chat id -> open topic (null = General)
    this.seen = new Map(); // "chat:thread" -> newest message id read
    this.seeded = new Set(); // chats whose history was there before the page opened
    this.topics = el("nav", { class: "topics", "aria-label": "Topics" });
    this.chat = new ChatView({
      pane: root,
      header: (store, chat, thread) => this.header(store, chat, thread),
      empty: (store, chat, thread) =>
        thread === null
          ? "Cases get a topic each; open one on the left."
          : "No messages in this topic yet.",
      onLink: (url, event) => app.openLink(url, event),
    });
    this.body.classList.add("with-sidebar");
    this.body.append(this.topics, this.chat.root);
  }

  groups(store) {
    return store.people.groups;
  }

  people(store, group) {
    return [...group.staff, ...store.people.managers];
  }

  render(store) {
    const groups = this.groups(store);
    if (!groups.some((g) => g.chat_id === this.group)) this.group = groups[0] && groups[0].chat_id;
    const group = groups.find((g) => g.chat_id === this.group);
    if (!group) return;
    const people = this.people(store, group);
    if (!people.some((p) => p.id === this.member.get(group.chat_id)))
      this.member.set(group.chat_id, people[0].id);
    const chat = store.chats.get(group.chat_id);
    const topic = this.topic.get(group.chat_id) ?? null;
    if (topic !== null && !(chat && chat.topics.some((t) => t.id === topic)))
      this.topic.set(group.chat_id, null);
    const member = this.member.get(group.chat_id);
    this.setControls([groups, group.chat_id, people, member], () => {
      const team = el(
        "select",
        {
          class: "team",
          "aria-label": "Team group",
          onchange: (event) => this.openGroup(Number(event.target.value)),
        },
        groups.map((g) => el("option", { value: g.chat_id, text: g.name })),
      );
      team.value = String(group.chat_id);
      return [
        team,
        tabs("Staff members", people, member, (id) => {
          this.member.set(group.chat_id, id);
          this.app.render();
        }),
      ];
    });
    const thread = this.topic.get(group.chat_id) ?? null;
    this.chat.show(group.chat_id, thread, this.member.get(group.chat_id));
    this.chat.render(store);
    this.markSeen(chat, thread);
    this.renderTopics(store, group, chat, thread);
  }

  openGroup(chatId) {
    this.group = chatId;
    this.app.render();
  }

  open(chatId, threadId) {
    this.group = chatId;
    this.topic.set(chatId, threadId);
    this.app.render();
  }

  markSeen(chat, thread) {
    if (!chat) return;
    const mine = chat.messages.filter((m) => (m.thread ?? null) === thread);
    if (mine.length) this.seen.set(`${chat.id}:${thread}`, mine[mine.length - 1].id);
  }

  renderTopics(store, group, chat, open) {
    const threads = [
      { id: null, name: "General", color: null, closed: false },
      ...(chat ? chat.topics : []),
    ];
    const last = new Map();
    for (const m of chat ? chat.messages : []) last.set(m.thread ?? null, m);
    if (chat && !this.seeded.has(chat.id)) {
      // Only what arrives while the page is open counts as unread.
      for (const t of threads)
        if (last.has(t.id)) this.seen.set(`${chat.id}:${t.id}`, last.get(t.id).id);
      this.seeded.add(chat.id);
    }
    const ordered = [
      threads[0],
      ...threads
        .slice(1)
        .sort((a, b) => (last.get(b.id)?.date || 0) - (last.get(a.id)?.date || 0) || b.id - a.id),
    ];
    const users = store.people.users;
    this.topics.replaceChildren(
      el(
        "div",
        { class: "topics-head" },
        avatar(group.chat_id, group.name),
        el(
          "div",
          {},
          el("div", { class: "title", text: chat ? chat.title : group.name }),
          el("div", { class: "subtitle", text: `${chat ? chat.members : 0} members · topics` }),
        ),
      ),
      el(
        "div",
        { class: "topic-list", role: "list" },
        ordered.map((t) => {
          const m = last.get(t.id);
          const seen = this.seen.get(`${group.chat_id}:${t.id}`) || 0;
          const unread = chat
            ? chat.messages.filter((x) => (x.thread ?? null) === t.id && x.id > seen && !x.service)
                .length
            : 0;
          const name = (id) => (users[id] ? users[id].name : "");
          const who = m && !m.service ? `${users[m.from] ? users[m.from].first_name : ""}: ` : "";
          const preview = !m
            ? ""
            : m.service
              ? serviceText(m, { name, byId: new Map() })
              : who + snippet(m);
          return el(
            "button",
            {
              class: `topic ${t.id === open ? "active" : ""}`.trim(),
              type: "button",
              role: "listitem",
              "data-testid": "topic",
              "aria-current": t.id === open ? "true" : undefined,
              onclick: () => this.open(group.chat_id, t.id),
            },
            topicIcon(t),
            el(
              "div",
              { class: "topic-body" },
              el(
                "div",
                { class: "topic-top" },
                el("span", { class: "topic-name", text: t.name }),
                t.closed ? el("span", { class: "lock", title: "Closed", text: "🔒" }) : null,
                m ? el("time", { text: hhmm(m.date) }) : null,
              ),
              el(
                "div",
                { class: "topic-bottom" },
                el("span", { class: "topic-preview", text: preview }),
                unread && t.id !== open ? el("span", { class: "badge", text: unread }) : null,
              ),
            ),
          );
        }),
      ),
    );
  }

  header(store, chat, thread) {
    if (!chat) return null;
    const topic = chat.topics.find((t) => t.id === thread) || {
      id: null,
      name: "General",
      color: null,
      closed: false,
    };
    return el(
      "div",
      { class: "chat-header-inner" },
      topicIcon(topic, "large"),
      el(
        "div",
        { class: "chat-title" },
        el("div", { class: "title", text: topic.name }),
        el("div", {
          class: "subtitle",
          text: topic.closed ? `${chat.title} · closed` : chat.title,
        }),
      ),
    );
  }
}

function topicIcon(topic, size = "") {
  if (topic.id === null)
    return el("div", { class: `topic-icon general ${size}`.trim(), text: "#" });
  const icon = el("div", {
    class: `topic-icon ${size}`.trim(),
    "aria-hidden": "true",
    text: Array.from(topic.name)[0] || "",
  });
  icon.style.backgroundColor = `#${Number(topic.color || 7322096)
    .toString(16)
    .padStart(6, "0")}`;
  return icon;
}

export class ManagerPane extends Pane {
  constructor(app, root) {
    super(app, root, "Manager");
    this.selected = null;
    this.chat = new ChatView({
      pane: root,
      header: botHeader,
      empty: (store) => {
        const m = store.people.managers.find((p) => p.id === this.selected);
        return `Escalated cases for ${m ? m.name : "this manager"} arrive here, to be acknowledged.`;
      },
      onLink: (url, event) => app.openLink(url, event),
    });
    this.body.append(this.chat.root);
  }

  render(store) {
    const managers = store.people.managers;
    if (!managers.some((p) => p.id === this.selected))
      this.selected = managers[0] && managers[0].id;
    this.setControls([managers, this.selected], () => [
      tabs("Managers", managers, this.selected, (id) => {
        this.selected = id;
        this.app.render();
      }),
    ]);
    this.chat.show(this.selected, null, this.selected);
    this.chat.render(store);
  }
}
