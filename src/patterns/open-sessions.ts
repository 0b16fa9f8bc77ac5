/**
 * @module The sessions a `PatternMiner` holds open: the records of each execution id (those without one form one
 * anonymous session), kept in order of last activity so that the least recently active is counted first.
 *
 * A session is counted when it closes: at `result()`, when the log's clock passes its last call by
 * `sessionTimeoutMs`, or when more than `maxOpenSessions` are open. Its calls are ordered by start time first
 * (stable: ties keep log order). A session that grows past 4,096 records is counted in batches (the last calls of a
 * batch carry over, so no window is lost; ordering and retry merging then work within a batch and the 512 records
 * that follow it), so one endless execution does not hold the whole log.
 */
import type { ResolvedOptions } from "./options.js";
import { NO_CARRY, type CarriedCall, type SessionCounter } from "./session-counter.js";
import type { ToolCallRecord } from "./types.js";

const BATCH = 4096;
const MARGIN = 512;

export interface Session {
  readonly key: string;
  records: ToolCallRecord[];
  sorted: boolean;
  lastStart: number;
  lastEnd: number;
  prev: Session | undefined;
  next: Session | undefined;
  /** The last calls of the batches counted so far (at most maxLength - 1), for the windows that span batches. */
  carry: readonly CarriedCall[];
  /** The latest end among the calls counted so far (calls without an execution id: where an idle gap starts). */
  carryEnd: number;
  /** Whether a batch of it has been counted (and the session counted in the stats). */
  counted: boolean;
}

export class OpenSessions {
  readonly #options: Readonly<ResolvedOptions>;
  readonly #counter: SessionCounter;
  readonly #open = new Map<string, Session>();
  /** Least recently active first: a doubly linked list, so moving a session to the end costs no search. */
  #head: Session | undefined;
  #tail: Session | undefined;
  #clock = -Infinity;

  constructor(options: Readonly<ResolvedOptions>, counter: SessionCounter) {
    this.#options = options;
    this.#counter = counter;
  }

  /** Sessions open now. */
  get size(): number {
    return this.#open.size;
  }

  /** Adds `record` to its session, then counts the sessions it closes. */
  add(record: ToolCallRecord): void {
    const key = typeof record.executionId === "string" ? record.executionId : "";
    let session = this.#open.get(key);
    if (session === undefined) {
      session = {
        key,
        records: [],
        sorted: true,
        lastStart: -Infinity,
        lastEnd: -Infinity,
        prev: undefined,
        next: undefined,
        carry: NO_CARRY,
        carryEnd: -Infinity,
        counted: false,
      };
      this.#open.set(key, session);
      this.#append(session);
    } else if (session !== this.#tail) {
      this.#unlink(session);
      this.#append(session);
    }
    const start = record.timestamp;
    if (start < session.lastStart) session.sorted = false;
    else session.lastStart = start;
    if (start + record.durationMs > session.lastEnd) session.lastEnd = start + record.durationMs;
    session.records.push(record);
    if (session.records.length >= BATCH) this.#countBatch(session);
    if (start > this.#clock) this.#clock = start;
    const { sessionTimeoutMs, maxOpenSessions } = this.#options;
    for (
      let s = this.#head;
      s !== undefined && (s.lastEnd + sessionTimeoutMs < this.#clock || this.#open.size > maxOpenSessions);
      s = this.#head
    )
      this.#close(s);
  }

  /** Closes and counts every open session. */
  closeAll(): void {
    while (this.#head) this.#close(this.#head);
  }

  #append(s: Session): void {
    s.prev = this.#tail;
    s.next = undefined;
    if (this.#tail) this.#tail.next = s;
    else this.#head = s;
    this.#tail = s;
  }

  #unlink(s: Session): void {
    if (s.prev) s.prev.next = s.next;
    else this.#head = s.next;
    if (s.next) s.next.prev = s.prev;
    else this.#tail = s.prev;
    s.prev = s.next = undefined;
  }

  #close(s: Session): void {
    this.#unlink(s);
    this.#open.delete(s.key);
    if (!s.sorted) sortByStart(s.records);
    this.#counter.count(s, s.records, true);
  }

  /** A long session: counts all but its last MARGIN records now. */
  #countBatch(s: Session): void {
    if (!s.sorted) sortByStart(s.records);
    const keep = s.records.splice(s.records.length - MARGIN, MARGIN);
    this.#counter.count(s, s.records, false);
    s.records = keep;
    s.sorted = true;
    s.lastStart = -Infinity;
    for (const r of keep) {
      if (r.timestamp < s.lastStart) s.sorted = false;
      else s.lastStart = r.timestamp;
    }
  }
}

function sortByStart(records: ToolCallRecord[]): void {
  records.sort((a, b) => a.timestamp - b.timestamp);
}
