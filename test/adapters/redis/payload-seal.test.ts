// Sealed job payloads (WEAVE_PAYLOAD_KEY): AES-256-GCM bound to the job's id. No Redis needed.
import { describe, expect, it } from "vitest";
import { NonRetryableError } from "../../../src/executor/errors.js";
import { jobData, openJobPayload, stepJobId, unwrapResult, type StepJobData } from "../../../adapters/redis/job.js";
import { PayloadOpenError, PayloadSeal } from "../../../adapters/redis/payload-seal.js";
import type { ToolCall } from "../../../src/executor/types.js";

const JOB = stepJobId("run-1", [], "deploy", 1);
const OTHER = stepJobId("run-1", [], "deploy", 2);
const SECRET = "tok_9f8e7d6c5b4a/+=";

/** Flips one bit of the ciphertext part of a sealed payload. */
function tamper(sealed: string): string {
  const [v, iv, tag, data] = sealed.split(".") as [string, string, string, string];
  const bytes = Buffer.from(data, "base64url");
  bytes[0] = bytes[0]! ^ 1;
  return [v, iv, tag, bytes.toString("base64url")].join(".");
}

function call(secrets: Record<string, unknown>): ToolCall {
  return {
    toolName: "kubectl_apply",
    params: { header: `Bearer ${SECRET}`, n: 1 },
    context: {
      signal: new AbortController().signal,
      stepId: "deploy",
      attempt: 1,
      runId: "run-1",
      workflowName: "w",
      idempotencyKey: "run-1:deploy",
    },
    timeoutMs: null,
    rootRunId: "run-1",
    scope: [],
    tool: () => undefined,
    secrets,
  };
}

describe("PayloadSeal", () => {
  const seal = new PayloadSeal("correct horse battery staple");

  it("round-trips JSON values, as v1.<iv>.<tag>.<ciphertext> in base64url, with a fresh IV each time", () => {
    for (const value of [
      { params: { a: [1, "x", null] }, secrets: { token: SECRET } },
      null,
      0,
      "text",
      [],
      { nested: { deep: [true] } },
    ]) {
      const sealed = seal.seal(value, JOB);
      expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
      expect(seal.open(sealed, JOB)).toEqual(value);
    }
    expect(seal.seal({ a: 1 }, JOB)).not.toBe(seal.seal({ a: 1 }, JOB));
    expect(seal.seal({ token: SECRET }, JOB)).not.toContain(SECRET);
  });

  it("is opened by another instance with the same passphrase (another process derives the same key)", () => {
    expect(new PayloadSeal("correct horse battery staple").open(seal.seal({ x: 1 }, JOB), JOB)).toEqual({ x: 1 });
  });

  it("refuses another key, altered bytes and a payload moved to another job, with a clear error", () => {
    const sealed = seal.seal({ params: {}, secrets: { token: SECRET } }, JOB);
    const attempts: [string, () => unknown][] = [
      ["wrong key", () => new PayloadSeal("another passphrase").open(sealed, JOB)],
      ["tampered", () => seal.open(tamper(sealed), JOB)],
      ["moved", () => seal.open(sealed, OTHER)],
    ];
    for (const [what, open] of attempts) {
      let error: unknown;
      try {
        open();
      } catch (e) {
        error = e;
      }
      expect(error, what).toBeInstanceOf(PayloadOpenError);
      expect((error as PayloadOpenError).reason, what).toBe("authentication");
      expect((error as Error).message, what).toBe(
        "the sealed payload does not authenticate: it was sealed with another key, or for another job, or its bytes were altered",
      );
      expect((error as PayloadOpenError).nonRetryable).toBe(true);
    }
  });

  it("says what is wrong with a malformed payload or one of another version", () => {
    expect(() => seal.open("not sealed", JOB)).toThrow(
      /^the sealed payload is malformed: expected v1\.<iv>\.<tag>\.<ciphertext> in base64url$/,
    );
    expect(() => seal.open("v1.AAAA.AAAA.AAAA", JOB)).toThrow(/its IV or authentication tag has the wrong length/);
    expect(() => seal.open(seal.seal(1, JOB).replace(/^v1/, "v9"), JOB)).toThrow(
      /sealed in format "v9", which this toolweave cannot read \(it reads v1\)/,
    );
  });

  it("refuses an empty passphrase", () => {
    expect(() => new PayloadSeal("")).toThrow("a payload key must be a non-empty string");
  });
});

describe("sealed step jobs", () => {
  const seal = new PayloadSeal("k1");

  it("carry no params in clear: the worker opens the params and the run's secrets; without a key, params in clear and no secrets", () => {
    const data = jobData(call({ token: SECRET }), { seal, jobId: JOB });
    expect(data.params).toBeUndefined();
    expect(JSON.stringify(data)).not.toContain(SECRET);
    expect(JSON.stringify(data)).not.toContain(encodeURIComponent(SECRET));
    expect(openJobPayload(data, JOB, seal)).toEqual({ params: { header: `Bearer ${SECRET}`, n: 1 }, secrets: { token: SECRET } });
    const clear = jobData(call({}));
    expect(clear.sealed).toBeUndefined();
    expect(openJobPayload(clear, JOB, seal)).toEqual({ params: { header: `Bearer ${SECRET}`, n: 1 }, secrets: {} });
    expect(openJobPayload(clear, JOB, undefined)).toEqual({ params: { header: `Bearer ${SECRET}`, n: 1 }, secrets: {} });
  });

  it("fail on a worker without the key, or with another one, not retried, saying what to do", () => {
    const data = jobData(call({ token: SECRET }), { seal, jobId: JOB });
    expect(() => openJobPayload(data, JOB, undefined)).toThrow(NonRetryableError);
    expect(() => openJobPayload(data, JOB, undefined)).toThrow(
      `the payload of job ${JOB} is encrypted (the coordinator has a payload key), and this worker has none to open it: start weave worker with WEAVE_PAYLOAD_KEY set, the same as the coordinator's (from code: StepWorker's payloadKey)`,
    );
    expect(() => openJobPayload(data, JOB, new PayloadSeal("k2"))).toThrow(
      /^cannot open the payload of job .*: the worker's WEAVE_PAYLOAD_KEY differs from the coordinator's \(or the job's data was altered in Redis, or copied from another job\)\. start every worker with the coordinator's WEAVE_PAYLOAD_KEY$/,
    );
    expect(() => openJobPayload(data, OTHER, seal)).toThrow(NonRetryableError);
    // a result copied over the job's data authenticates, but is not a payload
    const result: StepJobData = { ...data, sealed: seal.seal({ value: 1 }, JOB) };
    expect(() => openJobPayload(result, JOB, seal)).toThrow(/what it holds is not a job's parameters/);
  });

  it("return their results sealed: undefined and null stay apart; no key or another key at the coordinator is a clear error", () => {
    expect(unwrapResult({ sealed: seal.seal({}, JOB) }, JOB, seal)).toBeUndefined();
    expect(unwrapResult({ sealed: seal.seal({ value: null }, JOB) }, JOB, seal)).toBeNull();
    expect(unwrapResult({ sealed: seal.seal({ value: { a: SECRET } }, JOB) }, JOB, seal)).toEqual({ a: SECRET });
    // results in clear (a job of a coordinator without a key) read as ever
    expect(unwrapResult({}, JOB, seal)).toBeUndefined();
    expect(unwrapResult({ value: null }, JOB, undefined)).toBeNull();
    const sealed = { sealed: seal.seal({ value: 1 }, JOB) };
    expect(() => unwrapResult(sealed, JOB, undefined)).toThrow(
      /^the result of job .* is encrypted \(its worker had a payload key\), and this coordinator has none to open it: set WEAVE_PAYLOAD_KEY/,
    );
    expect(() => unwrapResult(sealed, JOB, new PayloadSeal("k2"))).toThrow(
      /the coordinator's WEAVE_PAYLOAD_KEY differs from the key of the worker that ran it/,
    );
    expect(() => unwrapResult(sealed, OTHER, seal)).toThrow(NonRetryableError);
    // the job's own payload copied over its result authenticates, but is refused
    expect(() => unwrapResult({ sealed: jobData(call({}), { seal, jobId: JOB }).sealed }, JOB, seal)).toThrow(/is not a job result/);
  });
});
