// One item of a chat as Telegram draws it: a day separator, a service line, or a bubble (an
// album is one bubble) with its inline keyboard.

import { renderText } from "./text.js";
import { avatar, botAvatar, dayLabel, el, hhmm, nameColor } from "./ui.js";
import { words } from "./words.js";

const MAX_PHOTO_WIDTH = 300;
const MAX_PHOTO_HEIGHT = 320;
const OVERLAID = new Set(["photo", "video", "animation", "video_note", "sticker"]);

// ctx: { viewer, bot, name(id), chat, byId, group, onPress, onButton, onCommand, onLink,
//        onReply, onJump, t (the reader's words, see words.js) }
export function itemNode(item, ctx) {
  if (item.type === "day") {
    return el("div", { class: "day" }, el("span", { text: dayLabel(item.date, ctx.t.locale) }));
  }
  if (item.type === "service") return serviceNode(item.msgs[0], ctx);
  return bubbleNode(item, ctx);
}

export function mediaLabel(msg, t = words("en")) {
  const labels = {
    photo: t("photo"),
    document: (msg.media && msg.media.file_name) || t("file"),
    voice: t("voice"),
    video: t("video"),
    video_note: t("videoNote"),
    animation: t("gif"),
    audio: t("audio"),
    sticker: `${(msg.media && msg.media.emoji) || ""} ${t("sticker")}`.trim(),
    contact: t("contact"),
    location: t("location"),
    poll: t("poll"),
  };
  return labels[msg.kind] || "";
}

export function snippet(msg, t = words("en")) {
  if (!msg) return "";
  const text = (msg.text || "").replace(/\s+/g, " ").trim();
  if (msg.kind === "text") return text;
  return [mediaLabel(msg, t), text].filter(Boolean).join(" · ");
}

export function serviceText(msg, ctx) {
  const t = ctx.t || words("en");
  const who = ctx.name(msg.from);
  const service = msg.service;
  if (service.forum_topic_created)
    return t("topicCreated", { who, name: service.forum_topic_created.name });
  if (service.forum_topic_edited) {
    const name = service.forum_topic_edited.name;
    return name ? t("topicRenamed", { who, name }) : t("topicIcon", { who });
  }
  if (service.forum_topic_closed) return t("topicClosed", { who });
  if (service.forum_topic_reopened) return t("topicReopened", { who });
  if (service.pinned_message) {
    const pinned = ctx.byId.get(service.pinned_message.id);
    const text = pinned ? snippet(pinned, t) : service.pinned_message.text;
    return t("pinnedService", { who, text: truncate(text, 60) });
  }
  const name = Object.keys(service)[0] || "event";
  return `${who}: ${name.replaceAll("_", " ")}`;
}

function truncate(text, length) {
  const chars = Array.from(text || "");
  return chars.length > length ? `${chars.slice(0, length - 1).join("")}…` : chars.join("");
}

function serviceNode(msg, ctx) {
  const target = msg.service.pinned_message && msg.service.pinned_message.id;
  return el(
    "div",
    { class: "service", dataset: { id: msg.id }, "data-testid": "service" },
    el("span", {
      text: serviceText(msg, ctx),
      class: target ? "clickable" : "",
      onclick: target ? () => ctx.onJump(target) : undefined,
    }),
  );
}

function bubbleNode(item, ctx) {
  const first = item.msgs[0];
  const out = first.from === ctx.viewer;
  const captioned = item.msgs.find((m) => m.text) || first;
  const classes = ["msg", out ? "out" : "in"];
  if (item.first) classes.push("first");
  if (item.last) classes.push("last");
  if (ctx.group && !out) classes.push("with-avatar");
  const bubble = el("div", { class: `bubble kind-${first.kind}` });
  if (ctx.group && !out && item.first) {
    const name = el("div", { class: "sender", text: ctx.name(first.from) });
    name.style.color = nameColor(first.from);
    bubble.append(name);
  }
  if (first.forward)
    bubble.append(
      el("div", { class: "forwarded", text: ctx.t("forwarded", { name: first.forward }) }),
    );
  if (first.reply_to) bubble.append(quoteNode(first.reply_to, ctx));
  const media = item.msgs.length > 1 ? albumNode(item.msgs, ctx) : mediaNode(first, ctx);
  if (media) bubble.append(media);
  const meta = el(
    "span",
    { class: "meta" },
    item.msgs.some((m) => m.edited) ? el("span", { class: "edited", text: ctx.t("edited") }) : null,
    el("time", { text: hhmm(first.date) }),
  );
  if (captioned.text) {
    const text = el("div", { class: "text", dir: "auto" });
    text.append(
      renderText(captioned.text, captioned.entities || [], {
        commands: first.from === ctx.bot,
        onCommand: ctx.onCommand,
        onLink: ctx.onLink,
      }),
    );
    text.append(el("span", { class: "meta-space" }), meta);
    bubble.append(text);
    if (first.reactions) bubble.append(reactionsNode(first.reactions, ctx));
  } else {
    // Pictures and stickers carry the time on themselves; other media beneath, as text does.
    bubble.classList.add(OVERLAID.has(first.kind) ? "bare" : "media-only");
    bubble.append(meta);
  }
  const reply = el("button", {
    class: "reply-action",
    type: "button",
    title: ctx.t("reply"),
    "aria-label": ctx.t("reply"),
    text: "\u21a9\ufe0e",
    onclick: () => ctx.onReply(first),
  });
  const column = el("div", { class: "column" }, bubble, keyboardNode(item.msgs, ctx));
  const node = el(
    "div",
    {
      class: classes.join(" "),
      dataset: { id: first.id, from: first.from },
      "data-testid": "message",
      ondblclick: (event) => {
        if (!event.target.closest("button, a")) ctx.onReply(first);
      },
    },
    ctx.group && !out ? sideAvatar(item, ctx) : null,
    column,
    reply,
  );
  return node;
}

// The bot's reactions, as Telegram shows them: a chip per emoji at the foot of the bubble.
function reactionsNode(reactions, ctx) {
  const by = ctx.name(ctx.bot);
  return el(
    "div",
    { class: "reactions" },
    reactions.map((emoji) =>
      el("span", {
        class: "reaction",
        title: ctx.t("reacted", { name: by, emoji }),
        // ✍ and the like are text symbols unless asked to look like emoji, as Telegram draws them.
        text: /\p{Emoji_Presentation}|\ufe0f/u.test(emoji) ? emoji : `${emoji}\ufe0f`,
      }),
    ),
  );
}

function sideAvatar(item, ctx) {
  const from = item.msgs[0].from;
  if (!item.last) return el("div", { class: "avatar-space" });
  return from === ctx.bot ? botAvatar("small") : avatar(from, ctx.name(from), "small");
}

function quoteNode(id, ctx) {
  const target = ctx.byId.get(id);
  const quote = el(
    "div",
    { class: "quote", role: "button", tabindex: "0", onclick: () => ctx.onJump(id) },
    el("div", { class: "quote-name", text: target ? ctx.name(target.from) : ctx.t("deleted") }),
    el("div", { class: "quote-text", text: target ? snippet(target, ctx.t) : "" }),
  );
  if (target) quote.style.setProperty("--quote-color", nameColor(target.from));
  return quote;
}

function fitted(width, height) {
  const w = width || 1280;
  const h = height || 960;
  const scale = Math.min(1, MAX_PHOTO_WIDTH / w, MAX_PHOTO_HEIGHT / h);
  return {
    width: Math.max(120, Math.round(w * scale)),
    height: Math.max(60, Math.round(h * scale)),
  };
}

function photoNode(media, box, alt = "") {
  const size = box || fitted(media.width, media.height);
  const frame = el("div", { class: "photo" });
  frame.style.width = `${size.width}px`;
  frame.style.height = `${size.height}px`;
  if (media.has_data) {
    frame.append(
      el("img", {
        src: `/api/files/${encodeURIComponent(media.file)}`,
        alt,
        loading: "lazy",
      }),
    );
  } else {
    frame.classList.add("placeholder");
    frame.append(el("span", { text: "🖼" }));
  }
  return frame;
}

function albumNode(msgs, ctx) {
  const grid = el("div", { class: "album" });
  const cell = Math.floor(MAX_PHOTO_WIDTH / 2) - 1;
  for (const msg of msgs) {
    if (msg.kind === "photo")
      grid.append(photoNode(msg.media, { width: cell, height: cell }, ctx.t("photo")));
    else grid.append(fileNode(msg, ctx.t));
  }
  return grid;
}

function duration(seconds) {
  const s = Math.max(0, Math.round(seconds || 0));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function size(bytes) {
  if (!bytes && bytes !== 0) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function fileNode(msg, t) {
  const media = msg.media || {};
  const name = media.file_name || mediaLabel(msg, t);
  const extension = (name.includes(".") ? name.split(".").pop() : "file").slice(0, 4);
  const icon = el("div", { class: "file-icon", text: extension.toUpperCase() });
  const details = el(
    "div",
    { class: "file-details" },
    el("div", { class: "file-name", text: name }),
    el("div", {
      class: "file-size",
      text: [size(media.file_size), media.mime_type].filter(Boolean).join(" · "),
    }),
  );
  if (media.has_data) {
    return el(
      "a",
      { class: "file", href: `/api/files/${encodeURIComponent(media.file)}`, download: name },
      icon,
      details,
    );
  }
  return el("div", { class: "file" }, icon, details);
}

function mediaNode(msg, ctx) {
  const media = msg.media;
  if (!media) return null;
  switch (msg.kind) {
    case "photo":
      return photoNode(media, null, ctx.t("photo"));
    case "document":
    case "audio":
      return fileNode(msg, ctx.t);
    case "voice": {
      const wave = el("div", { class: "wave" });
      for (let i = 0; i < 28; i += 1) {
        const bar = el("i");
        bar.style.height = `${4 + ((i * 7919) % 13)}px`;
        wave.append(bar);
      }
      return el(
        "div",
        { class: "voice" },
        el("div", { class: "play", text: "\u25b6\ufe0e" }),
        wave,
        el("span", { text: duration(media.duration) }),
      );
    }
    case "video":
    case "video_note":
    case "animation": {
      const box = photoNode({ ...media, has_data: false });
      box.classList.add("video");
      box.replaceChildren(
        el("span", { text: "\u25b6\ufe0e" }),
        el("small", { text: `${mediaLabel(msg, ctx.t)} · ${duration(media.duration)}` }),
      );
      return box;
    }
    case "sticker":
      return el("div", { class: "sticker", text: media.emoji || "🙂" });
    case "contact": {
      const name = [media.first_name, media.last_name].filter(Boolean).join(" ");
      return el(
        "div",
        { class: "contact" },
        avatar(media.user_id || name, name),
        el(
          "div",
          {},
          el("div", { class: "contact-name", text: name }),
          el("div", { class: "contact-phone", text: media.phone_number }),
        ),
      );
    }
    case "location":
      return el("div", {
        class: "location",
        text: `📍 ${Number(media.latitude).toFixed(4)}, ${Number(media.longitude).toFixed(4)}`,
      });
    case "poll":
      return el(
        "div",
        { class: "poll" },
        el("div", { class: "poll-question", text: media.question }),
        (media.options || []).map((o) => el("div", { class: "poll-option", text: o })),
      );
    default:
      return el("div", { class: "unknown-media", text: mediaLabel(msg, ctx.t) || msg.kind });
  }
}

function keyboardNode(msgs, ctx) {
  const markup = msgs.map((m) => m.markup).find((m) => m && m.inline_keyboard);
  if (!markup) return null;
  const owner = msgs.find((m) => m.markup === markup);
  const rows = markup.inline_keyboard.map((row) =>
    el(
      "div",
      { class: "keyboard-row" },
      row.map((button) => {
        const kind = button.url
          ? "url"
          : button.callback_data
            ? "callback"
            : Object.keys(button).find((k) => k !== "text") || "none";
        return el("button", {
          class: `inline-button kind-${kind}`,
          type: "button",
          text: button.text,
          onclick: (event) => ctx.onButton(owner, button, event.currentTarget),
        });
      }),
    ),
  );
  return el("div", { class: "inline-keyboard" }, rows);
}
