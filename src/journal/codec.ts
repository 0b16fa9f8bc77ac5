/**
 * @module Journal lines: one JSON object per line, the header first. Parsing tells a torn last line (a write cut
 * short: recoverable, the run continues from the record before it) from damage in the middle (an error naming the line).
 *
 * Every line ends with `"chk"`, a check that chains it to the line before: the first 16 hex digits of
 * sha256(previous line's check, "\n", the line's JSON without its check). The header (which holds the run id) starts
 * the chain, so a character changed inside a stored result, a line added, removed or moved, or a header swapped in
 * from another run breaks it, and the journal is refused with the line where the chain breaks. A write cut short
 * cannot pass for tampering: it leaves a line that is not JSON. The check is not a signature: whoever can write the
 * file and knows this format can forge a chain; the file's permissions keep others out.
 */
import { createHash } from "node:crypto";
import { JournalCorruptError, JournalEncodeError, JournalVersionError } from "./errors.js";
import { JOURNAL_FORMAT, READABLE_JOURNAL_FORMATS, type JournalHeader, type JournalRecord } from "./types.js";

/** `,"chk":"<16 hex>"}` closing a line: the check, appended after the record's own fields. */
const CHECK_SUFFIX = /,"chk":"([0-9a-f]{16})"\}$/;

function lineCheck(previous: string, text: string): string {
  return createHash("sha256").update(previous).update("\n").update(text).digest("hex").slice(0, 16);
}

/**
 * Encodes the lines of one journal in the order they are written, each checked against the one before.
 * A new journal starts with no previous check; a journal appended to after a restart continues from the check of its
 * last good line ({@link ParsedJournal.lastCheck}).
 */
export class JournalChain {
  #last: string;

  constructor(lastCheck = "") {
    this.#last = lastCheck;
  }

  /** One record as a line (with its newline). @throws JournalEncodeError when it is not JSON-encodable */
  encode(input: JournalRecord | JournalHeader): string {
    const record = input.type === "done" ? doneRecord(input) : input;
    let text: string | undefined;
    try {
      text = JSON.stringify(record);
    } catch (error) {
      const what =
        "step" in record
          ? `the result of step "${record.step}"`
          : record.type === "run"
            ? "the run's variables"
            : `a "${record.type}" record`;
      // JSON.stringify recurses: a value nested thousands of levels deep overflows the stack, which says nothing useful
      const why =
        error instanceof RangeError
          ? "it is nested too deeply to be written as JSON (thousands of levels)"
          : error instanceof Error
            ? error.message
            : String(error);
      throw new JournalEncodeError(`${what} cannot be journaled: ${why}. a durable run keeps JSON values only`, { cause: error });
    }
    const check = lineCheck(this.#last, text);
    this.#last = check;
    return `${text.slice(0, -1)},"chk":"${check}"}\n`;
  }
}

/**
 * A `done` record as written: a tool that returned `undefined` gets `void: true` (so a `result` left out cannot pass
 * for nothing), and a function or symbol, which JSON would drop without a word, is refused.
 * @throws JournalEncodeError
 */
function doneRecord(record: Extract<JournalRecord, { type: "done" }>): JournalRecord {
  if (record.void === true) return record;
  const result: unknown = record.result;
  if (result === undefined) {
    const { result: _, ...rest } = record;
    return { ...rest, void: true };
  }
  if (typeof result === "function" || typeof result === "symbol") {
    throw new JournalEncodeError(
      `the result of step "${record.step}" cannot be journaled: it is a ${typeof result}. a durable run keeps JSON values only`,
    );
  }
  return record;
}

/** Where a line's check fails, or undefined when it holds; `previous` is the check of the line before. */
function verifyLine(raw: string, previous: string): { check: string; problem?: undefined } | { check?: undefined; problem: string } {
  const match = CHECK_SUFFIX.exec(raw);
  if (!match) return { problem: `the line has no integrity check ("chk"): it was not written by this toolweave, or was edited` };
  const check = match[1]!;
  if (lineCheck(previous, `${raw.slice(0, match.index)}}`) !== check) {
    return {
      problem:
        "the integrity check fails: this line, or one before it, was changed, added or removed after it was written. the journal cannot be trusted to resume from; start a new run",
    };
  }
  return { check };
}

export interface ParsedJournal {
  readonly header: JournalHeader;
  readonly records: JournalRecord[];
  readonly warnings: string[];
  /** Length in bytes of the good part: where the next record goes once a torn tail is cut off. */
  readonly goodBytes: number;
  /** The last good record lacks its newline (the write stopped just before it): add one before appending. */
  readonly missingNewline: boolean;
  /** The good part is shorter than the file: a torn tail to cut off. */
  readonly torn: boolean;
  /** The check of the last good line, for a {@link JournalChain} that appends after it. */
  readonly lastCheck: string;
}

/**
 * @param text the whole journal
 * @param location named in warnings and errors
 * @throws JournalCorruptError (a bad header, or a bad record that is not the last line), JournalVersionError
 */
export function parseJournal(text: string, location: string): ParsedJournal {
  if (text.length === 0) throw new JournalCorruptError(location, 1, "the journal is empty (no header)");
  const records: JournalRecord[] = [];
  const warnings: string[] = [];
  let header: JournalHeader | undefined;
  let offset = 0;
  let goodBytes = 0;
  let missingNewline = false;
  let torn = false;
  let lastCheck = "";
  for (let line = 1; offset < text.length; line++) {
    const newline = text.indexOf("\n", offset);
    const last = newline === -1;
    const end = last ? text.length : newline;
    const raw = text.slice(offset, end);
    let problem: string | undefined;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      problem = `not JSON (${error instanceof Error ? error.message : String(error)})`;
    }
    if (problem === undefined) {
      // tampering, not a torn write (which leaves a line that is not JSON): refused wherever it is
      const verified = verifyLine(raw, lastCheck);
      if (verified.problem !== undefined) {
        if (line === 1 && isObject(value) && value.type === "run" && !READABLE_JOURNAL_FORMATS.includes(value.format as number))
          throw new JournalVersionError(location, value.format, JOURNAL_FORMAT);
        throw new JournalCorruptError(location, line, verified.problem);
      }
      lastCheck = verified.check;
      delete (value as { chk?: unknown }).chk;
      if (line === 1) {
        const version = (value as { format?: unknown } | null)?.format;
        if (isObject(value) && value.type === "run" && !READABLE_JOURNAL_FORMATS.includes(version as number))
          throw new JournalVersionError(location, version, JOURNAL_FORMAT);
        problem = checkHeader(value);
        if (problem === undefined) header = value as unknown as JournalHeader;
      } else {
        problem = checkRecord(value, header?.format ?? JOURNAL_FORMAT);
        if (problem === undefined) records.push(value as JournalRecord);
      }
    }
    if (problem !== undefined) {
      // Only the unterminated last line can be a write cut short: every record is written with its newline in one go.
      if (!last || line === 1) throw new JournalCorruptError(location, line, problem);
      warnings.push(
        `journal ${location}: line ${line} is incomplete (a write cut short, e.g. by a crash); recovered the run up to line ${line - 1}`,
      );
      torn = true;
      break;
    }
    goodBytes += Buffer.byteLength(raw, "utf8") + (last ? 0 : 1);
    missingNewline = last;
    offset = end + 1;
  }
  return { header: header!, records, warnings, goodBytes, missingNewline, torn, lastCheck };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isString = (v: unknown): boolean => typeof v === "string";
const isNumber = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v);
const isCount = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
const isScope = (v: unknown): boolean => Array.isArray(v) && v.length > 0 && v.every(isString);

function checkHeader(value: unknown): string | undefined {
  if (!isObject(value) || value.type !== "run") return `the first line must be the run's header ({"type":"run",...})`;
  for (const key of ["runId", "workflow", "templateHash", "createdAt"]) if (!isString(value[key])) return `the header has no "${key}" text`;
  for (const key of ["template", "variables"]) if (!isObject(value[key])) return `the header has no "${key}" object`;
  if (value.origin !== undefined && !isObject(value.origin)) return `the header's "origin" is not an object`;
  if (value.subWorkflows !== undefined && (!isObject(value.subWorkflows) || !Object.values(value.subWorkflows).every(isString)))
    return `the header's "subWorkflows" is not an object of hashes`;
  if (value.secretInputs !== undefined && !(Array.isArray(value.secretInputs) && value.secretInputs.every(isString)))
    return `the header's "secretInputs" is not a list of names`;
  if (value.variableSecrets !== undefined && !isSpots(value.variableSecrets))
    return `the header's "variableSecrets" is not a list of secret spots`;
  if (value.secretChecks !== undefined && (!isObject(value.secretChecks) || !Object.values(value.secretChecks).every(isString)))
    return `the header's "secretChecks" is not an object of checks`;
  return undefined;
}

const isPath = (v: unknown): boolean => Array.isArray(v) && v.every((p) => isString(p) || isCount(p));
const isRef = (v: unknown): boolean =>
  isObject(v) &&
  isString(v.secret) &&
  (v.path === undefined || isPath(v.path)) &&
  (v.encoding === undefined || v.encoding === "json" || v.encoding === "uri");
const isParts = (v: unknown): boolean => Array.isArray(v) && v.every((p) => isString(p) || isRef(p));

/** Spots where secrets were masked (see `SecretSpot`): a path, and the text, value or key that stood there. */
function isSpots(v: unknown): boolean {
  return (
    Array.isArray(v) &&
    v.every(
      (spot) =>
        isObject(spot) &&
        isPath(spot.at) &&
        (spot.value !== undefined ? isRef(spot.value) : isParts(spot.text) && (spot.key === undefined || isString(spot.key))),
    )
  );
}

/** Field checks per record type: each returns whether the field is well-formed. */
const SHAPES: Record<string, Record<string, (v: unknown) => boolean>> = {
  session: { session: isCount, pid: isCount, host: isString, at: isNumber },
  sub: { scope: isScope, workflow: isString, templateHash: isString, at: isNumber },
  start: { step: isString, attempt: isCount, at: isNumber },
  done: { step: isString, attempts: isCount, durationMs: isNumber, at: isNumber },
  failed: { step: isString, attempts: isCount, durationMs: isNumber, error: isString, at: isNumber },
  skipped: { step: isString, reason: isString, at: isNumber },
  redo: { from: isString, steps: (v) => Array.isArray(v) && v.every(isString), at: isNumber },
  end: {
    status: (v) => v === "completed" || v === "failed" || v === "cancelled",
    durationMs: isNumber,
    parallelSpeedup: isNumber,
    outputs: isObject,
    at: isNumber,
  },
};

function checkRecord(value: unknown, format: number): string | undefined {
  if (!isObject(value)) return "not a JSON object";
  const shape = typeof value.type === "string" ? SHAPES[value.type] : undefined;
  if (!shape) return `unknown record type ${JSON.stringify(value.type)}`;
  for (const [key, ok] of Object.entries(shape)) if (!ok(value[key])) return `a "${value.type}" record with a bad or missing "${key}"`;
  if (value.scope !== undefined && !isScope(value.scope)) return `a "${value.type}" record with a bad "scope"`;
  if (value.type === "end" && value.error !== undefined && !isString(value.error)) return `an "end" record with a bad "error"`;
  if (
    (value.type === "start" || value.type === "done") &&
    value.item !== undefined &&
    !(Number.isInteger(value.item) && (value.item as number) >= 0)
  )
    return `a "${value.type}" record with a bad "item"`;
  if (value.type === "done" && value.itemKey !== undefined && !isString(value.itemKey)) return `a "done" record with a bad "itemKey"`;
  if (
    value.secrets !== undefined &&
    !(
      (value.type === "done" || value.type === "end" || (value.type === "failed" && Object.hasOwn(value, "result"))) &&
      isSpots(value.secrets)
    )
  )
    return `a "${value.type}" record with a bad "secrets"`;
  if (value.type === "done" && format >= 3) {
    // a result left out by mistake must not pass for a tool that returned nothing
    const hasResult = Object.hasOwn(value, "result");
    if (hasResult === (value.void === true))
      return hasResult ? `a "done" record with both "result" and "void"` : `a "done" record with neither "result" nor "void": true`;
    if (value.void !== undefined && value.void !== true) return `a "done" record with a bad "void"`;
  }
  return undefined;
}
