/**
 * Property tests of the monitor's copies (issue 12, item 10): whatever a tool takes or returns, with hostile values
 * anywhere inside (getters and Proxies that throw, BigInts, cycles, values thousands of levels deep), `redact`
 * and the log line never throw, never leave a secret readable, write valid JSON, and change nothing else of a
 * value JSON can hold as it is.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMonitor, redact } from "../../../src/monitor/index.js";
import { toJsonLine, type ToolCallMetric } from "../../../src/monitor/metric.js";
import { hostileValue } from "./hostile.js";

const KEYS = ["token", "password", "apiKey"];
const SECRET = new Set(KEYS.map((k) => k.toLowerCase()));

const metricWith = (parameters: unknown, result: unknown): ToolCallMetric => ({
  toolName: "t",
  stepId: "s",
  executionId: "r",
  attempt: 1,
  timestamp: 0,
  durationMs: 1,
  success: true,
  parameters,
  result,
});

/** Every value under a secret key, anywhere in a copy (iterative: copies may be 256 levels deep). */
function secretsIn(copy: unknown): unknown[] {
  const found: unknown[] = [];
  const stack = [copy];
  const seen = new Set<unknown>();
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== "object" || seen.has(v)) continue;
    seen.add(v);
    // only the copy's own containers: values kept by reference (a Date) are not walked
    if (!Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype) continue;
    for (const [key, child] of Object.entries(v)) {
      if (SECRET.has(key.toLowerCase())) found.push(child);
      else stack.push(child);
    }
  }
  return found;
}

describe("property: the monitor's copies of hostile values", () => {
  it('redact never throws, and every secret key it leaves has the value "[REDACTED]"', () => {
    fc.assert(
      fc.property(hostileValue(), ({ value }) => {
        const copy = redact(value, KEYS);
        for (const secret of secretsIn(copy)) expect(secret).toBe("[REDACTED]");
      }),
      { numRuns: 300 },
    );
  });

  it("the log line never throws, is one line of valid JSON, and keeps the record's facts", () => {
    fc.assert(
      fc.property(hostileValue(), hostileValue(), ({ value: parameters }, { value: result }) => {
        const line = toJsonLine(metricWith(parameters, result));
        expect(line).not.toContain("\n");
        expect(JSON.parse(line)).toMatchObject({ toolName: "t", stepId: "s", attempt: 1, success: true });
      }),
      { numRuns: 300 },
    );
  });

  it("record never throws into the run, with or without redaction", () => {
    const monitors = [createMonitor(), createMonitor({ redact: KEYS })];
    fc.assert(
      fc.property(hostileValue(), ({ value }) => {
        for (const monitor of monitors) expect(() => monitor.record(metricWith({ value }, value))).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it("a JSON value without secret keys comes out of redact and the log line exactly as it went in", () => {
    const noSecrets = fc.jsonValue().filter((v) => !/"(token|password|apikey)":/i.test(JSON.stringify(v)));
    fc.assert(
      fc.property(noSecrets, (value) => {
        expect(redact(value, KEYS)).toEqual(value);
        expect(toJsonLine(metricWith(value, redact(value, KEYS)))).toBe(JSON.stringify(metricWith(value, value)));
      }),
      { numRuns: 500 },
    );
  });
});
