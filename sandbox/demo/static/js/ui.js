// Small pieces of UI shared by the panes: elements, avatars, times, toasts and dialogs.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Telegram's seven peer colours: avatar gradients and sender-name colours.
const PEER = [
  ["#ff885e", "#ff516a", "#c03d33"],
  ["#ffcd6a", "#ffa85c", "#ce671b"],
  ["#e0a2f3", "#d669ed", "#8544d6"],
  ["#a0de7e", "#54cb68", "#3d9d2c"],
  ["#53edd6", "#28c9b7", "#1a8f8c"],
  ["#72d5fd", "#2a9ef1", "#2f7fc1"],
  ["#ffa8a8", "#ff719a", "#c7508b"],
];

export function peer(id) {
  return PEER[Math.abs(Number(id)) % PEER.length];
}

export function initials(name) {
  const words = String(name || "?")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const letters = words.slice(0, 2).map((w) => Array.from(w)[0] || "");
  return letters.join("").toUpperCase() || "?";
}

export function avatar(id, name, size = "") {
  const [from, to] = peer(id);
  const node = el("div", { class: `avatar ${size}`.trim(), "aria-hidden": "true" }, initials(name));
  node.style.backgroundImage = `linear-gradient(${from}, ${to})`;
  return node;
}

// The bot's own picture, wherever Telegram would show its avatar.
export function botAvatar(size = "") {
  return el(
    "div",
    { class: `avatar bot ${size}`.trim(), "aria-hidden": "true" },
    el("img", { src: "/static/icon.svg", alt: "" }),
  );
}

export function nameColor(id) {
  return peer(id)[2];
}

// Times are shown in the organisation's time zone, as the bot's promises are.
let zone = "UTC";
const formats = new Map();

export function setTimeZone(name) {
  zone = name;
  formats.clear();
}

function format(key, options, locale = "en-GB") {
  const id = `${key}:${locale}`;
  if (!formats.has(id)) {
    formats.set(id, new Intl.DateTimeFormat(locale, { timeZone: zone, ...options }));
  }
  return formats.get(id);
}

export function hhmm(seconds) {
  return format("hm", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
    seconds * 1000,
  );
}

export function dayKey(seconds) {
  return format("day", { year: "numeric", month: "2-digit", day: "2-digit" }).format(
    seconds * 1000,
  );
}

// The day above a day's messages, in the reader's language ("Monday 23 November").
export function dayLabel(seconds, locale = "en-GB") {
  return format("dayLabel", { weekday: "long", day: "numeric", month: "long" }, locale).format(
    seconds * 1000,
  );
}

export function clockLabel(seconds) {
  const date = format("clockDay", { weekday: "short", day: "numeric", month: "short" });
  const time = format("clockTime", {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });
  return { day: date.format(seconds * 1000), time: time.format(seconds * 1000) };
}

// A toast inside a pane (the way Telegram shows a bot's short answer to a button).
export function toast(pane, text, kind = "") {
  let box = pane.querySelector(".toasts");
  if (!box) {
    box = el("div", { class: "toasts", "aria-live": "polite" });
    pane.append(box);
  }
  const item = el("div", { class: `toast ${kind}`.trim(), role: "status" }, text);
  box.append(item);
  setTimeout(() => item.classList.add("leaving"), 2600);
  setTimeout(() => item.remove(), 3000);
  return item;
}

// A modal dialog; resolves with the pressed button's value (or null when dismissed).
export function dialog({ title, body = [], buttons = [{ label: "OK", value: true }], pane }) {
  return new Promise((resolve) => {
    const backdrop = el("div", { class: "dialog-backdrop" });
    const close = (value) => {
      backdrop.remove();
      document.removeEventListener("keydown", onKey);
      resolve(value);
    };
    const onKey = (event) => {
      if (event.key === "Escape") close(null);
    };
    const actions = buttons.map((b) =>
      el("button", {
        class: `dialog-button ${b.primary ? "primary" : ""}`.trim(),
        type: b.submit ? "submit" : "button",
        text: b.label,
        onclick: b.submit ? undefined : () => close(b.value),
      }),
    );
    const form = el(
      "form",
      { class: "dialog", role: "dialog", "aria-modal": "true", "aria-label": title || "Message" },
      title ? el("h2", { class: "dialog-title", text: title }) : null,
      body,
      el("div", { class: "dialog-actions" }, actions),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const submit = buttons.find((b) => b.submit);
      close(submit ? submit.value(form) : true);
    });
    backdrop.addEventListener("click", (event) => {
      if (event.target === backdrop) close(null);
    });
    backdrop.append(form);
    (pane || document.body).append(backdrop);
    document.addEventListener("keydown", onKey);
    const focus = form.querySelector("input, select") || form.querySelector(".primary");
    if (focus) focus.focus();
  });
}

export function alertDialog(pane, text, ok = "OK") {
  return dialog({
    pane,
    body: [el("p", { class: "dialog-text", text })],
    buttons: [{ label: ok, value: true }],
  });
}
