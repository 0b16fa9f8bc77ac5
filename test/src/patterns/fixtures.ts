/** Logs for the suggestion tests: a CI pipeline whose calls exchange data, run several times with different inputs. */
import type { ToolCallRecord } from "../../../src/patterns/index.js";

let clock = 1_700_000_000_000;

export function record(
  executionId: string,
  toolName: string,
  parameters: unknown,
  result: unknown,
  extra: Partial<ToolCallRecord> = {},
): ToolCallRecord {
  clock += 1000;
  return {
    executionId,
    stepId: toolName,
    toolName,
    attempt: 1,
    timestamp: clock,
    durationMs: 100,
    success: true,
    parameters,
    result,
    ...extra,
  };
}

/**
 * git_clone → docker_build → run_tests → docker_push → slack_notify, where build and tests both read the clone's
 * directory (and nothing of each other), push reads the build's image id, and notify the push's ref.
 */
export function ciRun(n: number): ToolCallRecord[] {
  const e = `ci-${n}`;
  const repo = `acme/app-${n % 3}`;
  const dir = `/work/checkout-${n}`;
  const imageId = `sha256:${String(n).repeat(8)}`;
  const ref = `registry.local/app@${imageId}`;
  return [
    record(e, "git_clone", { repo, branch: "main", depth: 1 }, { dir, sha: `c0ffee${n}`, files: 120 + n }),
    record(
      e,
      "docker_build",
      { context: dir, tag: `app:1.${n}`, options: { pull: true, platforms: ["linux/amd64"] } },
      { imageId, sizeMb: 100 + n },
    ),
    record(
      e,
      "run_tests",
      { dir, suites: ["unit", "e2e"], retries: 1 },
      { passed: 40 + n, failed: 0, reportUrl: `https://ci.local/report/${n}` },
    ),
    record(e, "docker_push", { imageId, registry: "registry.local", tag: `app:1.${n}` }, { ref, digest: imageId }),
    record(e, "slack_notify", { channel: "#ci", ref, report: `https://ci.local/report/${n}` }, { ts: `${n}.0001` }),
  ];
}

/**
 * Awkward names and values: tool names that are not identifiers, keys that need quotes, a result field with a "-",
 * an array item, a primitive result, a tool used twice, nullable and mixed values, a parameter only sometimes
 * given, an input name that is a step id, a literal that looks like a placeholder.
 */
export function oddRun(n: number): ToolCallRecord[] {
  const e = `odd-${n}`;
  const items = [
    { id: 100 + n, title: `Issue ${n}`, "html-url": `https://gh.local/${n}` },
    { id: 5, title: "older" },
  ];
  return [
    record(e, "list.issues", { repo: "acme/x", state: "open" }, { items, total: n === 2 ? null : n + 10 }),
    record(
      e,
      "3d-render",
      { "issue-id": 100 + n, "content-type": "text/plain", then: `x${n}`, title: `Issue ${n}`, link: `https://gh.local/${n}` },
      { "image-id": `img-${n}`, value: n % 2 ? "a" : 5 },
    ),
    record(
      e,
      "k8s.apply",
      { image: `img-${n}`, replicas: 1, mode: n % 2 ? null : "fast", ...(n === 1 ? { extra: true } : {}), k8s_apply: `z${n}` },
      `ok-${n}`,
    ),
    record(e, "notify", { text: `ok-${n}`, count: 1 }, { sent: true }),
    record(e, "list.issues", { repo: "acme/x", state: "{{weird}}" }, { items: [], total: 0 }),
  ];
}
