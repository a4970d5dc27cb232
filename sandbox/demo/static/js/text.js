// Telegram text + entities → DOM. Only text nodes and a fixed set of elements are created, so
// nothing anybody writes can become markup. Offsets are UTF-16 code units, like JS strings.

import { el } from "./ui.js";

const COMMAND = /(^|[\s(])(\/[A-Za-z0-9_]{1,32})(?=$|[\s.,;:!?)])/g;
const HYPHENATED = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/gu;
const SAFE_SCHEMES = new Set(["http:", "https:", "mailto:", "tg:"]);

export function safeUrl(value) {
  try {
    const url = new URL(String(value), window.location.href);
    return SAFE_SCHEMES.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

// options: { onCommand(command), onLink(url, event) -> handled?, commands: bool }
export function renderText(text, entities = [], options = {}) {
  const fragment = document.createDocumentFragment();
  const sorted = [...entities]
    .filter((e) => e && e.length > 0)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  build(text, 0, text.length, sorted, options, fragment);
  return fragment;
}

function build(text, start, end, entities, options, parent) {
  let pos = start;
  let i = 0;
  while (i < entities.length) {
    const entity = entities[i];
    const from = Math.max(entity.offset, start);
    const to = Math.min(entity.offset + entity.length, end);
    if (from >= end) break;
    if (from < pos || to <= from) {
      i += 1; // overlaps the previous sibling: Telegram never nests entities that way
      continue;
    }
    plain(text.slice(pos, from), options, parent);
    let j = i + 1;
    while (j < entities.length && entities[j].offset < to) j += 1;
    const node = element(entity, text.slice(from, to), options);
    build(text, from, to, entities.slice(i + 1, j), options, node.inner || node);
    parent.append(node.outer || node);
    pos = to;
    i = j;
  }
  plain(text.slice(pos, end), options, parent);
}

function plain(text, options, parent) {
  if (!text) return;
  if (!options.commands) {
    words(text, parent);
    return;
  }
  let last = 0;
  for (const match of text.matchAll(COMMAND)) {
    const at = match.index + match[1].length;
    words(text.slice(last, at), parent);
    parent.append(command(match[2], options, match[2]));
    last = at + match[2].length;
  }
  words(text.slice(last), parent);
}

// A short hyphenated word (a case number such as HB-7K3Q9M) is never split across two lines.
function words(text, parent) {
  let last = 0;
  for (const match of text.matchAll(HYPHENATED)) {
    if (match[0].length > 24) continue;
    parent.append(document.createTextNode(text.slice(last, match.index)));
    parent.append(el("span", { class: "nowrap", text: match[0] }));
    last = match.index + match[0].length;
  }
  parent.append(document.createTextNode(text.slice(last)));
}

function command(name, options, label = "") {
  return el("a", {
    class: "command",
    href: "#",
    text: label,
    onclick: (event) => {
      event.preventDefault();
      if (options.onCommand) options.onCommand(name);
    },
  });
}

function link(url, options) {
  const href = safeUrl(url);
  if (!href) return el("span", { class: "link-unsafe" });
  return el("a", {
    href,
    target: "_blank",
    rel: "noopener noreferrer",
    onclick: (event) => {
      if (options.onLink && options.onLink(href, event)) event.preventDefault();
    },
  });
}

function element(entity, content, options) {
  switch (entity.type) {
    case "bold":
      return el("strong");
    case "italic":
      return el("em");
    case "underline":
      return el("u");
    case "strikethrough":
      return el("s");
    case "spoiler":
      return el("span", {
        class: "spoiler",
        onclick: (event) => event.currentTarget.classList.add("revealed"),
      });
    case "code":
      return el("code");
    case "pre": {
      const inner = el("code");
      if (entity.language) inner.dataset.language = entity.language;
      return { outer: el("pre", {}, inner), inner };
    }
    case "blockquote":
    case "expandable_blockquote":
      return el("blockquote");
    case "text_link":
      return link(entity.url, options);
    case "url":
      return link(/^[a-z][a-z0-9+.-]*:/i.test(content) ? content : `https://${content}`, options);
    case "email":
      return link(`mailto:${content}`, options);
    case "bot_command":
      return command(content.split("@")[0], options);
    case "mention":
    case "text_mention":
    case "hashtag":
    case "cashtag":
      return el("span", { class: "mention" });
    default:
      return el("span");
  }
}
