/**
 * Writes two tool-call logs from elsewhere for the mining tests (test/fixtures/logs/), the same every time (a seeded
 * random generator, a fixed clock):
 *
 * - original-system.jsonl: what the original Python system's monitor appends (`dataclasses.asdict(ToolCallMetric)`:
 *   `timestamp` ISO-8601 with microseconds, written when the call ended, `tool_name`, `success`, `latency` in
 *   seconds, `error`, `execution_id`). 40 executions, interleaved: 24 releases (docker_build → security_scan →
 *   kubectl_apply; a scan that finds a critical CVE stops the release, a flaky build is retried as a second call) and
 *   16 triages (github_list_issues → github_create_pr → slack_send_message). Noise: interactive calls without an
 *   execution id, a status check inside some releases, a token-usage and a search line from the monitor's other
 *   files (`cat .tool_logs/*.jsonl`), and a last line cut off by a crash.
 * - other-program.jsonl: toolweave's field names as another program writes them: ISO-8601 timestamps, no `stepId`
 *   or `attempt`, with parameters and results. 16 releases (docker_build → security_scan → kubectl_apply, where the
 *   scan returns the image id it was given) and 12 multi-region rollouts (docker_build → deploy_region × 3 →
 *   verify_regions, where each deploy_region returns the image id it was given), plus interactive noise.
 *
 *   npx tsx scripts/generate-foreign-logs.ts
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const OUT = path.join(fileURLToPath(new URL("..", import.meta.url)), "test", "fixtures", "logs");

/** mulberry32: a small seeded generator, so the files are the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const START = Date.UTC(2025, 2, 3, 9, 0, 0);
const hex = (rnd: () => number, n: number): string => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join("");
/** Python's `datetime.now(timezone.utc).isoformat()`: microseconds and `+00:00`. */
const pythonIso = (ms: number): string =>
  `${new Date(Math.floor(ms)).toISOString().slice(0, 19)}.${String(Math.floor((ms % 1000) * 1000)).padStart(6, "0")}+00:00`;

interface Call {
  tool: string;
  execution: string | null;
  start: number;
  seconds: number;
  success: boolean;
  error?: string;
  parameters?: unknown;
  result?: unknown;
}

/** Appends calls one after another from `at`, with a short pause between them; returns the time after the last. */
function sequence(out: Call[], at: number, rnd: () => number, calls: Omit<Call, "start">[]): number {
  let t = at;
  for (const c of calls) {
    out.push({ ...c, start: t });
    t += c.seconds * 1000 + 10 + rnd() * 190;
  }
  return t;
}

const between = (rnd: () => number, lo: number, hi: number): number => Math.round((lo + rnd() * (hi - lo)) * 1e6) / 1e6;

function originalSystemLog(): string {
  const rnd = random(13);
  const calls: Call[] = [];
  const interactive = ["search_docs", "read_file", "get_weather", "github_get_issue", "run_sql"];
  let releases = 0;
  for (let i = 0; i < 40; i++) {
    const execution = `exec-${String(i + 1).padStart(4, "0")}-${hex(rnd, 8)}`;
    const at = START + i * 75_000 + rnd() * 40_000; // a new one every 75 s or so, while others still run
    if (i % 5 < 3) {
      releases++;
      const list: Omit<Call, "start">[] = [];
      if (releases % 8 === 5)
        list.push({ tool: "docker_build", execution, seconds: between(rnd, 3, 9), success: false, error: "docker daemon not responding" });
      list.push({ tool: "docker_build", execution, seconds: between(rnd, 20, 60), success: true });
      if (releases % 6 === 2) list.push({ tool: "get_build_status", execution, seconds: between(rnd, 0.1, 0.4), success: true });
      const cve = releases % 8 === 3;
      list.push({
        tool: "security_scan",
        execution,
        seconds: between(rnd, 5, 15),
        success: !cve,
        ...(cve ? { error: "CVE-2025-1234: critical vulnerability in openssl" } : {}),
      });
      if (!cve) list.push({ tool: "kubectl_apply", execution, seconds: between(rnd, 10, 30), success: true });
      sequence(calls, at, rnd, list);
    } else {
      const failedPr = i === 9;
      sequence(calls, at, rnd, [
        { tool: "github_list_issues", execution, seconds: between(rnd, 0.3, 1.2), success: true },
        {
          tool: "github_create_pr",
          execution,
          seconds: between(rnd, 1, 3),
          success: !failedPr,
          ...(failedPr ? { error: "422 Unprocessable Entity: a pull request already exists" } : {}),
        },
        ...(failedPr ? [] : [{ tool: "slack_send_message", execution, seconds: between(rnd, 0.1, 0.5), success: true }]),
      ]);
    }
  }
  // interactive sessions without an execution id, hours apart from each other
  for (let k = 0; k < 12; k++) {
    const at = START + k * 7_200_000 + 3_600_000 + rnd() * 600_000;
    const n = 2 + Math.floor(rnd() * 4);
    sequence(
      calls,
      at,
      rnd,
      Array.from({ length: n }, () => ({
        tool: interactive[Math.floor(rnd() * interactive.length)]!,
        execution: null,
        seconds: between(rnd, 0.05, 2),
        success: rnd() > 0.1,
      })),
    );
  }
  // the original wrote a line when a call ended
  const lines = calls
    .map((c) => ({ end: c.start + c.seconds * 1000, c }))
    .sort((a, b) => a.end - b.end)
    .map(({ end, c }) => ({
      end,
      text: JSON.stringify({
        timestamp: pythonIso(end),
        tool_name: c.tool,
        success: c.success,
        latency: c.seconds,
        error: c.error ?? null,
        execution_id: c.execution,
      }),
    }));
  const at = (ms: number): number => lines.findIndex((l) => l.end > ms);
  // lines of the monitor's other files, as `cat .tool_logs/*.jsonl > all.jsonl` mixes them in
  lines.splice(at(START + 600_000), 0, {
    end: 0,
    text: JSON.stringify({ timestamp: pythonIso(START + 600_000), input: 1843, output: 412, cached: 1024 }),
  });
  lines.splice(at(START + 1_500_000), 0, {
    end: 0,
    text: JSON.stringify({
      timestamp: pythonIso(START + 1_500_000),
      query: "deploy to kubernetes",
      num_results: 5,
      latency: 0.0421,
      cache_hit: false,
    }),
  });
  const text = lines.map((l) => l.text).join("\n");
  // a crash while a line was written
  return `${text}\n${JSON.stringify({ timestamp: pythonIso(START + 90_000_000), tool_name: "docker_build", success: true, latency: 41.2 }).slice(0, 57)}`;
}

function otherProgramLog(): string {
  const rnd = random(7);
  const calls: Call[] = [];
  const isoMs = (ms: number): string => new Date(Math.floor(ms)).toISOString();
  for (let i = 0; i < 28; i++) {
    const execution = `run-${hex(rnd, 12)}`;
    const at = START + i * 60_000 + rnd() * 30_000;
    const service = ["shop", "api", "billing", "search"][i % 4]!;
    const image = `${service}:${1 + (i % 3)}.${i}.0`;
    const imageId = `sha256:${hex(rnd, 64)}`;
    const build = {
      tool: "docker_build",
      execution,
      seconds: between(rnd, 2, 6),
      success: true,
      parameters: { image, context: `./services/${service}` },
      result: { imageId, sizeMb: 80 + Math.floor(rnd() * 60) },
    };
    if (i % 7 < 4) {
      const findings = Math.floor(rnd() * 3);
      sequence(calls, at, rnd, [
        build,
        // echoes the image id it was given
        {
          tool: "security_scan",
          execution,
          seconds: between(rnd, 1, 3),
          success: true,
          parameters: { imageId, severity: "high" },
          result: { imageId, findings, passed: true },
        },
        {
          tool: "kubectl_apply",
          execution,
          seconds: between(rnd, 1, 4),
          success: true,
          parameters: { imageId, namespace: "staging", replicas: 2 + (i % 3) },
          result: { deployment: `${service}-staging`, url: `https://${service}.staging.example.com`, revision: 10 + i },
        },
      ]);
    } else {
      const regions = ["us-east-1", "eu-west-1", "ap-southeast-1"];
      const urls = regions.map((r) => `https://${service}.${r}.example.com`);
      sequence(calls, at, rnd, [
        build,
        // each returns the image id it was given: no data flows from one region to the next
        ...regions.map((region, k) => ({
          tool: "deploy_region",
          execution,
          seconds: between(rnd, 1, 3),
          success: true,
          parameters: { imageId, region },
          result: { imageId, region, url: urls[k] },
        })),
        { tool: "verify_regions", execution, seconds: between(rnd, 0.5, 1), success: true, parameters: { urls }, result: { healthy: 3 } },
      ]);
    }
  }
  for (let k = 0; k < 6; k++) {
    const at = START + k * 3_600_000 + 1_800_000;
    sequence(calls, at, rnd, [
      {
        tool: "search_docs",
        execution: null,
        seconds: between(rnd, 0.1, 0.5),
        success: true,
        parameters: { query: `rollback ${k}` },
        result: { hits: k },
      },
      {
        tool: "read_file",
        execution: null,
        seconds: between(rnd, 0.01, 0.05),
        success: true,
        parameters: { path: `docs/runbook-${k}.md` },
        result: { bytes: 1000 + k },
      },
    ]);
  }
  return calls
    .sort((a, b) => a.start - b.start)
    .map((c) =>
      JSON.stringify({
        toolName: c.tool,
        ...(c.execution ? { executionId: c.execution } : {}),
        timestamp: isoMs(c.start),
        durationMs: Math.round(c.seconds * 1000),
        success: c.success,
        parameters: c.parameters,
        result: c.result,
      }),
    )
    .join("\n");
}

mkdirSync(OUT, { recursive: true });
writeFileSync(path.join(OUT, "original-system.jsonl"), `${originalSystemLog()}\n`);
writeFileSync(path.join(OUT, "other-program.jsonl"), `${otherProgramLog()}\n`);
process.stderr.write(`wrote ${path.relative(process.cwd(), OUT)}/original-system.jsonl and other-program.jsonl\n`);
