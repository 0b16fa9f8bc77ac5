// analyzeLogs on logs from elsewhere (test/fixtures/logs, written by scripts/generate-foreign-logs.ts): the original
// system's records as it logged them, and toolweave's field names with ISO-8601 timestamps and no step ids.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { AnyToolCallRecord } from "../../../src/monitor/log-record.js";
import { readToolCallLog } from "../../../src/monitor/read-log.js";
import { PatternDetector } from "../../../src/patterns/index.js";

const ORIGINAL = "test/fixtures/logs/original-system.jsonl";
const OTHER = "test/fixtures/logs/other-program.jsonl";

/** The lines of a log that parse as JSON, as plain objects (what a caller holding the raw records passes). */
function rawRecords(file: string): (AnyToolCallRecord & Record<string, unknown>)[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as AnyToolCallRecord & Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

const figures = (p: { tools: readonly string[]; frequency: number; successRate: number }) => [
  p.tools.join(" → "),
  p.frequency,
  p.successRate,
];

describe("analyzeLogs on the original system's records", () => {
  const records = rawRecords(ORIGINAL).filter((r) => "tool_name" in r);

  it("reads them as they are: latency in seconds, the time a call ended, execution ids or idle gaps", () => {
    expect(records).toHaveLength(165);
    const patterns = new PatternDetector().analyzeLogs(records, { closed: false });
    expect(patterns.slice(0, 6).map(figures)).toEqual([
      ["security_scan → kubectl_apply", 21, 1],
      ["docker_build → security_scan → kubectl_apply", 17, 1],
      ["docker_build → security_scan", 20, 0.85],
      ["github_list_issues → github_create_pr → slack_send_message", 15, 1],
      ["github_create_pr → slack_send_message", 15, 1],
      ["github_list_issues → github_create_pr", 16, 15 / 16],
    ]);
    // by default closed patterns only: create_pr → slack_send_message is part of every list → create_pr → slack
    expect(new PatternDetector().analyzeLogs(records).map(figures)).toEqual([
      ["security_scan → kubectl_apply", 21, 1],
      ["docker_build → security_scan → kubectl_apply", 17, 1],
      ["docker_build → security_scan", 20, 0.85],
      ["github_list_issues → github_create_pr → slack_send_message", 15, 1],
      ["github_list_issues → github_create_pr", 16, 15 / 16],
      ["docker_build → get_build_status → security_scan → kubectl_apply", 4, 1],
      ["get_weather → get_weather", 4, 1],
      ["get_weather → read_file", 3, 1],
      ["get_weather → search_docs", 3, 1],
    ]);
    // durations in ms: a release's three calls take about a minute
    const release = patterns.find((p) => p.tools.join(" ") === "docker_build security_scan kubectl_apply")!;
    expect(release.avgDurationMs).toBeGreaterThan(40_000);
    expect(release.avgDurationMs).toBeLessThan(110_000);
    // the calls of an occurrence start in order, each where the one before ended (timestamp - latency)
    const calls = release.samples[0]!.calls;
    expect(calls.map((c) => c.stepId)).toEqual(["", "", ""]);
    for (let k = 1; k < calls.length; k++)
      expect(calls[k]!.timestamp).toBeGreaterThanOrEqual(calls[k - 1]!.timestamp + calls[k - 1]!.durationMs);
  });

  it("finds what readToolCallLog and weave mine find", async () => {
    const fromFile = await readToolCallLog(ORIGINAL);
    expect(fromFile.problems.map((p) => p.line)).toEqual([25, 62, 168]);
    const detector = new PatternDetector();
    expect(detector.analyzeLogs(records).map(figures)).toEqual(detector.analyzeLogs(fromFile.records).map(figures));
  });

  it("refuses a record that is neither format, naming it and why", () => {
    const all = rawRecords(ORIGINAL);
    expect(() => new PatternDetector().analyzeLogs(all)).toThrow(
      new TypeError(
        'record 25: neither "toolName" (toolweave\'s records) nor "tool_name" (the original system\'s): not a tool call. its keys are "timestamp", "input", "output", "cached"',
      ),
    );
    expect(() => new PatternDetector().analyzeLogs([{ ...records[0]!, latency: "54" } as never])).toThrow(
      new TypeError(
        'record 1 (tool "docker_build"): "latency" must be a number of seconds, 0 or more, got "54" (a record of the original system)',
      ),
    );
  });
});

describe("analyzeLogs on toolweave's field names from another program", () => {
  it("reads ISO-8601 timestamps and records without stepId or attempt", () => {
    const records = rawRecords(OTHER);
    expect(records.every((r) => typeof r.timestamp === "string" && !("stepId" in r) && !("attempt" in r))).toBe(true);
    const patterns = new PatternDetector().analyzeLogs(records);
    expect(patterns.map(figures)).toEqual([
      ["deploy_region → deploy_region", 24, 1],
      ["docker_build → security_scan → kubectl_apply", 16, 1],
      ["docker_build → deploy_region → deploy_region → deploy_region → verify_regions", 12, 1],
      ["search_docs → read_file", 6, 1],
    ]);
  });
});
