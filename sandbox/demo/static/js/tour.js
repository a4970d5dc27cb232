// A short guided tour on the first visit; dismissed once, it stays away (localStorage).

import { el } from "./ui.js";

const KEY = "hearback.sandbox.tour";
const STEPS = [
  {
    target: "#customer-pane",
    title: "1 · File a complaint",
    text:
      "You are Anna, a customer. Press START, then 📝 File a complaint: choose a category, " +
      "describe what went wrong, add a picture with 📎 if you like, and confirm. The case " +
      "number comes back, pinned.",
  },
  {
    target: "#staff-pane",
    title: "2 · Take it as staff",
    text:
      "The case gets a topic of its own in the team's group, its card pinned on top. Open it and " +
      "press 🙋 Take: Anna is told who has her case. What you write in the topic goes to her, " +
      "signed with your name; start with ! for an internal note.",
  },
  {
    target: "#clock",
    title: "3 · Then jump 2 hours",
    text:
      "Anna was promised a first answer by a concrete time, and taking the case keeps that " +
      "time. Leave it unanswered and press +2 h: the promise breaks, so the bot tells Anna " +
      "honestly, in one message, and puts the case before its manager. (⏱ More time on the " +
      "card asks Anna for a new time, with a reason, before it passes.)",
  },
  {
    target: "#manager-pane",
    title: "4 · Acknowledge as manager",
    text:
      "Maria's escalation card arrives here. Press ✅ Acknowledge within 30 minutes, or Jan, next " +
      "in the chain, is paged: Anna hears Maria's name, title and when she will answer, and " +
      "Maria is reminded if that time passes. Then resolve the case as staff (with a one-line " +
      "resolution), and confirm and rate it as Anna.",
  },
];

export function tourDone() {
  try {
    return localStorage.getItem(KEY) === "done";
  } catch {
    return false;
  }
}

export function startTour() {
  document.querySelector(".tour")?.remove();
  let index = 0;
  const spotlight = el("div", { class: "tour-spotlight" });
  const card = el("div", {
    class: "tour-card",
    role: "dialog",
    "aria-label": "Guided tour",
    "data-testid": "tour",
  });
  const overlay = el("div", { class: "tour" }, spotlight, card);
  const finish = () => {
    try {
      localStorage.setItem(KEY, "done");
    } catch {
      // private mode: the tour may come back, which is harmless
    }
    overlay.remove();
    window.removeEventListener("resize", place);
    document.removeEventListener("keydown", onKey);
  };
  const onKey = (event) => {
    if (event.key === "Escape") finish();
  };
  function place() {
    const target = document.querySelector(STEPS[index].target);
    const box = target.getBoundingClientRect();
    const inset = box.height < 100 ? -4 : 4; // a thin bar gets a margin, a pane a border
    Object.assign(spotlight.style, {
      left: `${box.left + inset}px`,
      top: `${box.top + inset}px`,
      width: `${box.width - 2 * inset}px`,
      height: `${box.height - 2 * inset}px`,
    });
    const width = 340;
    const left = Math.min(
      Math.max(12, box.left + box.width / 2 - width / 2),
      window.innerWidth - width - 12,
    );
    const below = box.height < window.innerHeight / 2;
    card.style.left = `${left}px`;
    card.style.top = below
      ? `${box.bottom + 14}px`
      : `${Math.max(12, box.top + box.height / 2 - 110)}px`;
  }
  function show() {
    const step = STEPS[index];
    const last = index === STEPS.length - 1;
    card.replaceChildren(
      el("div", { class: "tour-title", text: step.title }),
      el("p", { class: "tour-text", text: step.text }),
      el(
        "div",
        { class: "tour-actions" },
        el(
          "span",
          { class: "tour-dots" },
          STEPS.map((_, i) => el("i", { class: i === index ? "on" : "" })),
        ),
        el("button", {
          class: "tour-skip",
          type: "button",
          text: last ? "" : "Skip",
          hidden: last,
          onclick: finish,
        }),
        el("button", {
          class: "tour-next",
          type: "button",
          text: last ? "Got it" : "Next",
          onclick: () => {
            if (last) finish();
            else {
              index += 1;
              show();
            }
          },
        }),
      ),
    );
    place();
    card.querySelector(".tour-next").focus();
  }
  document.body.append(overlay);
  window.addEventListener("resize", place);
  document.addEventListener("keydown", onKey);
  show();
}
