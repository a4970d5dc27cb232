// The simulated clock: shown in the organisation's time zone, run faster or jumped ahead.

import { post } from "./api.js";
import { clockLabel, el, toast } from "./ui.js";

const SPEEDS = [1, 60, 3600];
const JUMPS = [
  ["+15 min", 15 * 60],
  ["+1 h", 3600],
  ["+2 h", 2 * 3600],
  ["+1 day", 24 * 3600],
];

export class ClockControl {
  constructor(root) {
    this.root = root;
    this.state = null;
    this.received = 0;
    this.day = el("span", { class: "clock-day", "data-testid": "clock-day" });
    this.time = el("span", { class: "clock-time", "data-testid": "clock-time" });
    this.zone = el("span", { class: "clock-zone" });
    // While a jump runs: where it goes. The time beside it moves through each due time.
    this.jumping = el("span", {
      class: "clock-jumping",
      role: "status",
      "data-testid": "clock-jumping",
      hidden: true,
    });
    this.speeds = SPEEDS.map((speed) =>
      el("button", {
        class: "segment",
        type: "button",
        text: `×${speed}`,
        title: speed === 1 ? "Real time" : `${speed} simulated seconds per second`,
        "aria-pressed": "false",
        onclick: () => this.change({ speed }),
      }),
    );
    this.jumps = JUMPS.map(([label, seconds]) =>
      el("button", {
        class: "jump",
        type: "button",
        text: label,
        onclick: () => this.change({ jump: seconds }),
      }),
    );
    root.replaceChildren(
      el(
        "div",
        { class: "clock-face", title: "Simulated time in the organisation's time zone" },
        this.day,
        this.time,
        this.zone,
        this.jumping,
      ),
      el("div", { class: "segmented", role: "group", "aria-label": "Clock speed" }, this.speeds),
      el("div", { class: "jumps", role: "group", "aria-label": "Jump ahead" }, this.jumps),
    );
    setInterval(() => this.tick(), 200);
  }

  setZone(name) {
    this.zone.textContent = name.split("/").pop().replaceAll("_", " ");
    this.zone.title = `Time zone: ${name}`;
  }

  update(state) {
    // An answer to a request may arrive after the event stream told a newer state.
    if (this.state && state.version < this.state.version) return;
    this.state = state;
    this.received = performance.now();
    this.speeds.forEach((button, i) =>
      button.setAttribute("aria-pressed", String(SPEEDS[i] === state.speed)),
    );
    const to = state.jumping_to;
    this.jumping.hidden = to === null;
    if (to !== null) {
      const label = clockLabel(to);
      this.jumping.textContent = `jumping to ${label.day}, ${label.time.slice(0, 5)}`;
    }
    const busy = "The clock is still jumping; jump again once it is there.";
    for (const button of this.jumps) {
      button.disabled = to !== null;
      button.title = to === null ? "" : busy;
    }
    this.tick();
  }

  now() {
    if (!this.state) return null;
    if (this.state.held) return this.state.now; // stands still but for each due time of a jump
    return this.state.now + ((performance.now() - this.received) / 1000) * this.state.speed;
  }

  tick() {
    const now = this.now();
    if (now === null) return;
    const label = clockLabel(now);
    if (this.day.textContent !== label.day) this.day.textContent = label.day;
    if (this.time.textContent !== label.time) this.time.textContent = label.time;
  }

  async change(body) {
    try {
      this.update(await post("/api/clock", body));
    } catch (error) {
      toast(document.body, error.message, "error");
    }
  }
}
