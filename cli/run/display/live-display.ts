/**
 * @module The live progress display on a terminal: re-renders its block of lines in place with ANSI cursor
 * movement, on a timer (for spinners and elapsed times) and on events.
 */
import type { Palette } from "../../shared/color.js";
import { renderLive } from "./render-live.js";
import type { RunProgress } from "./run-progress.js";

const INTERVAL_MS = 80;
/** Events can arrive thousands per second; redrawing on each would cost more than the steps. */
const MIN_EVENT_REDRAW_MS = 16;
const HIDE_CURSOR = "\x1b[?25l";
const SHOW_CURSOR = "\x1b[?25h";

export class LiveDisplay {
  #lines = 0;
  #frame = 0;
  #lastDraw = -Infinity;
  #timer: ReturnType<typeof setInterval> | undefined;
  #notice: string | undefined;
  readonly #restoreCursor = (): void => void this.out.write(SHOW_CURSOR);

  constructor(
    readonly progress: RunProgress,
    readonly out: NodeJS.WriteStream,
    readonly palette: Palette,
  ) {}

  start(): void {
    this.out.write(HIDE_CURSOR);
    process.once("exit", this.#restoreCursor);
    this.#timer = setInterval(() => {
      this.#frame++;
      this.#draw();
    }, INTERVAL_MS);
    this.#timer.unref();
    this.#draw();
  }

  /** Call after the progress has applied an event. */
  update(): void {
    if (performance.now() - this.#lastDraw >= MIN_EVENT_REDRAW_MS) this.#draw();
  }

  notice(text: string): void {
    this.#notice = text;
    this.#draw();
  }

  /** Erases the block (the summary that follows says it all) and shows the cursor again. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.out.write(`${this.#up()}\x1b[J${SHOW_CURSOR}`);
    this.#lines = 0;
    process.removeListener("exit", this.#restoreCursor);
  }

  #draw(): void {
    this.#lastDraw = performance.now();
    const lines = renderLive(this.progress.steps, {
      palette: this.palette,
      now: this.#lastDraw,
      frame: this.#frame,
      rows: this.out.rows || 24,
      columns: this.out.columns || 80,
      ...(this.#notice === undefined ? {} : { notice: this.#notice }),
    });
    this.out.write(`${this.#up()}${lines.map((line) => `\x1b[2K${line}\n`).join("")}\x1b[J`);
    this.#lines = lines.length;
  }

  #up(): string {
    return this.#lines > 0 ? `\x1b[${this.#lines}A` : "";
  }
}
