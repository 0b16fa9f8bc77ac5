/**
 * A realistic synthetic tool-call log, deterministic (seeded): recurring workflows of tools (deploys, CI runs, issue
 * fixes, backups...) with variations, noise calls, failures and retries, many executions running at once and
 * interleaved in the log as the monitor writes it (at each call's end), plus some calls without an execution id.
 *
 * The log is kept as columns (typed arrays): `recordAt(log, i)` makes the i-th record object on demand, as reading a
 * JSONL line would, so mining a million records does not need a million objects alive at once.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { ToolCallRecord } from "../../src/patterns/index.js";
import { seeded } from "../dags.js";

const WORKFLOWS: readonly (readonly [weight: number, tools: readonly string[]])[] = [
  [10, ["docker_build", "docker_push", "kubectl_apply", "kubectl_rollout_status", "slack_notify"]],
  [8, ["git_clone", "npm_install", "npm_test", "coverage_upload"]],
  [6, ["github_list_issues", "git_branch", "git_commit", "github_create_pr", "slack_notify"]],
  [5, ["db_snapshot", "gzip", "s3_upload", "verify_checksum", "prune_backups"]],
  [5, ["search_docs", "read_file", "edit_file", "run_tests"]],
  [4, ["terraform_plan", "terraform_apply", "dns_update", "http_healthcheck"]],
  [3, ["fetch_metrics", "detect_anomaly", "pagerduty_alert"]],
  [3, ["read_file", "lint", "format", "git_commit", "git_push"]],
];
const NOISE = [
  "http_get",
  "read_file",
  "list_dir",
  "grep",
  "search_web",
  "sql_query",
  "cache_get",
  "cache_set",
  "send_email",
  "calendar_lookup",
  "translate",
  "summarize",
  "ocr",
  "resize_image",
  "parse_pdf",
  "jira_get",
  "jira_comment",
  "github_get_file",
  "s3_list",
  "ssh_exec",
  "kubectl_logs",
  "docker_ps",
  "git_log",
  "npm_audit",
  "weather",
  "currency",
  "geocode",
  "vector_search",
  "embed",
  "classify",
];

export interface ToolLog {
  readonly n: number;
  readonly tool: Int32Array;
  /** Index into execIds, -1 for a call without an execution id. */
  readonly exec: Int32Array;
  readonly step: Int32Array;
  readonly attempt: Uint8Array;
  readonly success: Uint8Array;
  readonly timestamp: Float64Array;
  readonly duration: Float64Array;
  readonly toolNames: readonly string[];
  readonly execIds: readonly string[];
  readonly stepIds: readonly string[];
}

/** About `concurrency` executions open at any time; records ordered by end time, cut at `n`. */
export function generateToolLog(n: number, seed = 42, concurrency = 200): ToolLog {
  const random = seeded(seed);
  const toolNames: string[] = [];
  const toolId = new Map<string, number>();
  const idOf = (name: string): number => {
    let id = toolId.get(name);
    if (id === undefined) toolId.set(name, (id = toolNames.push(name) - 1));
    return id;
  };
  const workflows = WORKFLOWS.map(([w, tools]) => [w, tools.map(idOf)] as const);
  const noise = NOISE.map(idOf);
  const totalWeight = workflows.reduce((s, [w]) => s + w, 0);
  const duration = (): number => Math.round(20 + 400 * -Math.log(1 - random() * 0.999) * (0.5 + random()));

  // generous capacity: executions are generated until there are more than n records
  const cap = Math.ceil(n * 1.25) + 64;
  const cols = {
    tool: new Int32Array(cap),
    exec: new Int32Array(cap),
    step: new Int32Array(cap),
    attempt: new Uint8Array(cap),
    success: new Uint8Array(cap),
    timestamp: new Float64Array(cap),
    duration: new Float64Array(cap),
  };
  let count = 0;
  const push = (tool: number, exec: number, step: number, attempt: number, ok: boolean, ts: number, dur: number): void => {
    cols.tool[count] = tool;
    cols.exec[count] = exec;
    cols.step[count] = step;
    cols.attempt[count] = attempt;
    cols.success[count] = ok ? 1 : 0;
    cols.timestamp[count] = ts;
    cols.duration[count] = dur;
    count++;
  };

  const execIds: string[] = [];
  const meanExecutionMs = 5 * 700;
  const gapMs = meanExecutionMs / concurrency;
  let start = 1_700_000_000_000;
  let agentClock = start;
  while (count < n * 1.2 && count < cap - 40) {
    start += Math.round(-Math.log(1 - random()) * gapMs);
    const anonymous = random() < 0.05;
    const exec = anonymous ? -1 : execIds.push(`run-${((execIds.length * 2654435761) % 4294967296).toString(36)}-${execIds.length}`) - 1;
    let r = random() * totalWeight;
    let chain = workflows[0]![1];
    for (const [w, tools] of workflows)
      if ((r -= w) < 0) {
        chain = tools;
        break;
      }
    // calls without an execution id: one agent working through its tasks, with pauses between them
    let t = anonymous ? Math.max(agentClock, start) : start;
    let step = 0;
    for (const tool of chain) {
      if (random() < 0.03) continue;
      if (random() < 0.08) {
        const d = duration();
        push(noise[Math.floor(random() * noise.length)]!, exec, step++, 1, random() > 0.02, t, d);
        t += d + 5;
      }
      let attempt = 1;
      let ok = random() > 0.04;
      let d = duration();
      push(tool, exec, step, attempt, ok, t, d);
      t += d + 5;
      while (!ok && attempt < 3 && random() < 0.7) {
        t += 200;
        attempt++;
        ok = random() > 0.2;
        d = duration();
        push(tool, exec, step, attempt, ok, t, d);
        t += d + 5;
      }
      step++;
      if (!ok) break;
    }
    if (anonymous) agentClock = t + (random() < 0.5 ? 400_000 : 2_000);
  }

  // the monitor writes a record when the call ends
  const order = Array.from({ length: count }, (_, i) => i).sort(
    (a, b) => cols.timestamp[a]! + cols.duration[a]! - (cols.timestamp[b]! + cols.duration[b]!) || a - b,
  );
  const size = Math.min(n, count);
  const pick = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (k: number) => T): T => {
    const out = make(size);
    for (let i = 0; i < size; i++) out[i] = a[order[i]!]!;
    return out;
  };
  const maxStep = 16;
  return {
    n: size,
    tool: pick(cols.tool, (k) => new Int32Array(k)),
    exec: pick(cols.exec, (k) => new Int32Array(k)),
    step: pick(cols.step, (k) => new Int32Array(k)),
    attempt: pick(cols.attempt, (k) => new Uint8Array(k)),
    success: pick(cols.success, (k) => new Uint8Array(k)),
    timestamp: pick(cols.timestamp, (k) => new Float64Array(k)),
    duration: pick(cols.duration, (k) => new Float64Array(k)),
    toolNames,
    execIds,
    stepIds: Array.from({ length: maxStep }, (_, i) => `step-${i}`),
  };
}

/** The i-th record as a fresh object, with small parameters and a result, as a JSONL reader would produce it. */
export function recordAt(log: ToolLog, i: number): ToolCallRecord {
  const exec = log.exec[i]!;
  const ok = log.success[i] === 1;
  const step = log.stepIds[log.step[i]! & 15]!;
  return {
    toolName: log.toolNames[log.tool[i]!]!,
    stepId: step,
    executionId: exec < 0 ? "" : log.execIds[exec]!,
    attempt: log.attempt[i]!,
    timestamp: log.timestamp[i]!,
    durationMs: log.duration[i]!,
    success: ok,
    parameters: { target: step, n: i & 1023 },
    result: ok ? { id: i } : undefined,
  };
}

/** Every record, made on demand. */
export function* records(log: ToolLog): Generator<ToolCallRecord> {
  for (let i = 0; i < log.n; i++) yield recordAt(log, i);
}

const COLUMNS = ["tool", "exec", "step", "attempt", "success", "timestamp", "duration"] as const;

/** Writes the log as `<base>.json` (names) and `<base>.bin` (the columns), for a child process to load cheaply. */
export function saveToolLog(log: ToolLog, base: string): void {
  writeFileSync(`${base}.json`, JSON.stringify({ n: log.n, toolNames: log.toolNames, execIds: log.execIds, stepIds: log.stepIds }));
  writeFileSync(`${base}.bin`, Buffer.concat(COLUMNS.map((c) => Buffer.from(log[c].buffer, log[c].byteOffset, log[c].byteLength))));
}

export function loadToolLog(base: string): ToolLog {
  const names = JSON.parse(readFileSync(`${base}.json`, "utf8")) as {
    n: number;
    toolNames: string[];
    execIds: string[];
    stepIds: string[];
  };
  const bin = readFileSync(`${base}.bin`);
  const n = names.n;
  let at = 0;
  const take = <T>(make: (buffer: ArrayBuffer, offset: number, length: number) => T, bytes: number): T => {
    const copy = new ArrayBuffer(n * bytes);
    new Uint8Array(copy).set(bin.subarray(at, at + n * bytes));
    at += n * bytes;
    return make(copy, 0, n);
  };
  return {
    n,
    tool: take((b, o, l) => new Int32Array(b, o, l), 4),
    exec: take((b, o, l) => new Int32Array(b, o, l), 4),
    step: take((b, o, l) => new Int32Array(b, o, l), 4),
    attempt: take((b, o, l) => new Uint8Array(b, o, l), 1),
    success: take((b, o, l) => new Uint8Array(b, o, l), 1),
    timestamp: take((b, o, l) => new Float64Array(b, o, l), 8),
    duration: take((b, o, l) => new Float64Array(b, o, l), 8),
    toolNames: names.toolNames,
    execIds: names.execIds,
    stepIds: names.stepIds,
  };
}
