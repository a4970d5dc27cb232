// The sandbox page: keeps the state the server streams, and draws the three panes from it.

import { ClockControl } from "./clock.js";
import { CustomerPane, ManagerPane, StaffPane } from "./panes.js";
import { startTour, tourDone } from "./tour.js";
import { setTimeZone, toast } from "./ui.js";

class Sandbox {
  constructor() {
    this.store = { people: null, chats: new Map() };
    this.waiters = [];
    this.frame = 0;
    this.clock = new ClockControl(document.querySelector("#clock"));
    this.status = document.querySelector("#connection");
    this.panes = null;
    document.querySelector("#tour-open").addEventListener("click", () => startTour());
    for (const tab of document.querySelectorAll(".pane-switch button")) {
      tab.addEventListener("click", () => this.focusPane(tab.dataset.pane));
    }
    this.connect();
  }

  connect() {
    const source = new EventSource("/api/events");
    source.onopen = () => this.setStatus("live", "Live");
    source.onerror = () => {
      this.setStatus("offline", "Reconnecting…");
      // The browser retries a dropped stream by itself, but not one the server refused.
      if (source.readyState === EventSource.CLOSED) setTimeout(() => this.connect(), 2000);
    };
    source.onmessage = (event) => this.apply(JSON.parse(event.data));
  }

  setStatus(state, text) {
    this.status.dataset.state = state;
    this.status.textContent = text;
  }

  apply(update) {
    if (update.full) this.store.chats.clear();
    if (update.people) {
      this.store.people = update.people;
      setTimeZone(update.people.org.timezone);
      this.clock.setZone(update.people.org.timezone);
    }
    if (update.clock) this.clock.update(update.clock);
    for (const chat of update.chats || []) this.store.chats.set(chat.id, chat);
    for (const id of update.gone || []) this.store.chats.delete(id);
    this.render();
  }

  // Coalesce bursts of updates into one redraw per frame.
  render() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw() {
    const store = this.store;
    if (!store.people) return;
    if (!this.panes) {
      this.panes = {
        customer: new CustomerPane(this, document.querySelector("#customer-pane")),
        staff: new StaffPane(this, document.querySelector("#staff-pane")),
        manager: new ManagerPane(this, document.querySelector("#manager-pane")),
      };
    }
    for (const pane of Object.values(this.panes)) pane.render(store);
    document.body.dataset.ready = "true";
    this.waiters = this.waiters.filter(([test, resolve]) => !(test(store) && (resolve(), true)));
    if (!this.toured && !tourDone()) startTour();
    this.toured = true;
  }

  until(test) {
    return new Promise((resolve) => {
      if (test(this.store)) resolve();
      else this.waiters.push([test, resolve]);
    });
  }

  focusPane(name) {
    document.body.dataset.pane = name;
    for (const tab of document.querySelectorAll(".pane-switch button")) {
      tab.setAttribute("aria-selected", String(tab.dataset.pane === name));
    }
  }

  // t.me/c/<id>/<thread>/<message> links (as in escalation cards) open the staff topic here.
  openLink(url) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    const match =
      parsed.hostname === "t.me" && parsed.pathname.match(/^\/c\/(\d+)\/(\d+)(?:\/(\d+))?/);
    if (!match) return false;
    const chatId = Number(`-100${match[1]}`);
    const chat = this.store.chats.get(chatId);
    if (!chat) {
      toast(document.body, "That group is not in the sandbox.");
      return true;
    }
    let thread = Number(match[2]);
    if (!match[3]) {
      const message = chat.messages.find((m) => m.id === thread);
      thread = message ? (message.thread ?? null) : null;
    }
    this.panes.staff.open(chatId, chat.topics.some((t) => t.id === thread) ? thread : null);
    this.focusPane("staff");
    return true;
  }
}

window.sandbox = new Sandbox();
