/**
 * @module Appending lines to a file in the background, in order, in batches.
 *
 * `write` only queues; one writer loop at a time appends everything queued so far as a single chunk, so lines
 * that arrive while a write is in flight are batched into the next one. Write errors never escape as unhandled
 * rejections: the first one is kept and `flush` / `close` reject with it.
 */
import { mkdir, open } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { dirname } from "node:path";

export class JsonlSink {
  #pending: string[] = [];
  #writing: Promise<void> | undefined;
  #handle: FileHandle | undefined;
  #failure: Error | undefined;
  #closing: Promise<void> | undefined;

  constructor(readonly file: string) {}

  /** Queues one line (without its newline). After a write error, lines are dropped. */
  write(line: string): void {
    if (this.#closing !== undefined) throw new Error(`Tool-call log "${this.file}" is closed`);
    if (this.#failure !== undefined) return;
    this.#pending.push(`${line}\n`);
    this.#start();
  }

  /** Resolves once every line queued so far is in the file; rejects with the first write error. */
  async flush(): Promise<void> {
    await this.#drained();
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Flushes, then closes the file. Idempotent: later calls return the same promise. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await this.#drained();
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle !== undefined) {
      try {
        await handle.close();
      } catch (error) {
        this.#fail(error);
      }
    }
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #drained(): Promise<void> {
    // Loop: a line queued between the writer's last check and its exit would otherwise wait for the next write.
    while (this.#writing !== undefined || (this.#pending.length > 0 && this.#failure === undefined)) {
      this.#start();
      await this.#writing;
    }
  }

  #start(): void {
    if (this.#writing === undefined && this.#pending.length > 0 && this.#failure === undefined) {
      this.#writing = this.#writeQueued();
    }
  }

  /** Only started with lines pending, so it always awaits before its `finally` clears `#writing`. */
  async #writeQueued(): Promise<void> {
    try {
      this.#handle ??= await openForAppend(this.file);
      while (this.#pending.length > 0) {
        const chunk = this.#pending.join("");
        this.#pending = [];
        // FileHandle.appendFile loops until the whole chunk is written (a bare write may be partial).
        await this.#handle.appendFile(chunk, "utf8");
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#writing = undefined;
    }
  }

  #fail(error: unknown): void {
    this.#pending = [];
    const reason = error instanceof Error ? error.message : String(error);
    this.#failure ??= new Error(`Cannot write tool-call log "${this.file}": ${reason}`, { cause: error });
  }
}

async function openForAppend(file: string): Promise<FileHandle> {
  await mkdir(dirname(file), { recursive: true });
  return open(file, "a");
}
