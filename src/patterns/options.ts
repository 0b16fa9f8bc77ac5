/**
 * @module The detector's options: documented defaults, and validation with a `TypeError` that names the option.
 */

export interface DetectorOptions {
  /** Report a sequence only if it occurs at least this often. A positive integer. @default 3 */
  minFrequency?: number;
  /** Report a sequence only if this share of its occurrences succeeded completely, 0 to 1. @default 0.7 */
  minSuccessRate?: number;
}

export interface AnalyzeOptions {
  /** Longest sequence counted, in calls: an integer of 2 or more. @default 5 */
  maxSequenceLength?: number;
  /**
   * Closed patterns only: leave out a sequence that occurs exactly as often as a longer reported sequence containing
   * it (every occurrence of it is part of one of the longer), so the list is not mostly overlapping sub-sequences.
   * `false` reports every sequence that meets the thresholds. @default true
   */
  closed?: boolean;
  /**
   * Calls without an execution id are split into sessions where a call starts more than this many ms after the
   * latest end of the calls before it. 0 or more, or Infinity. @default 300_000 (5 minutes)
   */
  idleGapMs?: number;
  /**
   * Memory bound for long logs: a session is counted and forgotten once the log's clock (the latest call start
   * seen) is this many ms past its last call's end; a later call of the same execution starts a new session.
   * Above 0, or Infinity to keep every session open until the end. @default 3_600_000 (1 hour)
   */
  sessionTimeoutMs?: number;
  /** Memory bound: at most this many sessions open at once; the least recently active is counted first. @default 20_000 */
  maxOpenSessions?: number;
  /** Occurrences kept per sequence, with their parameters and results, for `suggestWorkflow`. 0 or more. @default 20 */
  sampleSize?: number;
}

export interface MinerOptions extends DetectorOptions, AnalyzeOptions {}

export type ResolvedOptions = Required<MinerOptions>;

export const DEFAULTS: ResolvedOptions = Object.freeze({
  minFrequency: 3,
  minSuccessRate: 0.7,
  maxSequenceLength: 5,
  closed: true,
  idleGapMs: 300_000,
  sessionTimeoutMs: 3_600_000,
  maxOpenSessions: 20_000,
  sampleSize: 20,
});

const show = (v: unknown): string =>
  typeof v === "string" ? JSON.stringify(v) : typeof v === "number" || typeof v === "boolean" ? String(v) : v === null ? "null" : typeof v;

function integer(name: string, v: unknown, min: number, infinite = false): number {
  if (typeof v !== "number" || !((Number.isSafeInteger(v) && v >= min) || (infinite && v === Infinity))) {
    throw new TypeError(`${name} must be an integer of ${min} or more${infinite ? " (or Infinity)" : ""}, got ${show(v)}`);
  }
  return v;
}

function duration(name: string, v: unknown, allowZero: boolean): number {
  if (typeof v !== "number" || Number.isNaN(v) || (allowZero ? v < 0 : v <= 0)) {
    throw new TypeError(
      `${name} must be a number of milliseconds ${allowZero ? "of 0 or more" : "above 0"} (Infinity allowed), got ${show(v)}`,
    );
  }
  return v;
}

export const DETECTOR_KEYS: readonly (keyof DetectorOptions)[] = ["minFrequency", "minSuccessRate"];
export const ANALYZE_KEYS: readonly (keyof AnalyzeOptions)[] = [
  "maxSequenceLength",
  "closed",
  "idleGapMs",
  "sessionTimeoutMs",
  "maxOpenSessions",
  "sampleSize",
];

/** @throws TypeError when `options` is not an object or has a key not in `allowed` (a typo would be ignored otherwise) */
export function checkKeys(options: unknown, allowed: readonly string[], what: string): void {
  if (options === null || typeof options !== "object" || Array.isArray(options))
    throw new TypeError(`${what} must be an object, got ${show(options)}`);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key))
      throw new TypeError(`unknown option ${JSON.stringify(key)} in ${what}. options are ${allowed.map((k) => `"${k}"`).join(", ")}`);
  }
}

/** Applies defaults and checks every option. @throws TypeError naming the first bad option */
export function resolveOptions(options: MinerOptions): ResolvedOptions {
  checkKeys(options, [...DETECTOR_KEYS, ...ANALYZE_KEYS], "the options");
  const o = { ...DEFAULTS, ...withoutUndefined(options) };
  integer("minFrequency", o.minFrequency, 1);
  if (typeof o.minSuccessRate !== "number" || !(o.minSuccessRate >= 0 && o.minSuccessRate <= 1)) {
    throw new TypeError(`minSuccessRate must be a number from 0 to 1, got ${show(o.minSuccessRate)}`);
  }
  integer("maxSequenceLength", o.maxSequenceLength, 2);
  if (typeof o.closed !== "boolean") throw new TypeError(`closed must be a boolean, got ${show(o.closed)}`);
  duration("idleGapMs", o.idleGapMs, true);
  duration("sessionTimeoutMs", o.sessionTimeoutMs, false);
  integer("maxOpenSessions", o.maxOpenSessions, 1, true);
  integer("sampleSize", o.sampleSize, 0);
  return o;
}

function withoutUndefined(options: MinerOptions): MinerOptions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (v !== undefined) out[k] = v;
  return out as MinerOptions;
}
