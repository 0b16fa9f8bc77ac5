/**
 * Hostile tool values (issue 12, class 7): whatever a tool throws or returns, `execute()` settles with a result
 * that records the failure as text, and the other steps go on. Nothing escapes synchronously, nothing hangs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WorkflowContext, WorkflowExecutor, WorkflowTemplate, type ToolFunction } from "toolweave";
import { errorMessage } from "../../src/executor/errors.js";

const throwingProxy = new Proxy(
  {},
  {
    get: () => {
      throw new Error("trap");
    },
    getPrototypeOf: () => {
      throw new Error("trap");
    },
    ownKeys: () => {
      throw new Error("trap");
    },
  },
);
const nullProtoWithBigInt = Object.assign(Object.create(null) as object, { amount: 10n });
class GetterError extends Error {
  override get message(): string {
    throw new Error("no message for you");
  }
}

const HOSTILE: [string, ToolFunction][] = [
  [
    "throws a Proxy whose traps throw",
    () => {
      throw throwingProxy;
    },
  ],
  [
    "throws a null-prototype object holding a BigInt",
    () => {
      throw nullProtoWithBigInt;
    },
  ],
  [
    "throws an Error whose message getter throws",
    () => {
      throw new GetterError();
    },
  ],
  [
    "throws a BigInt",
    () => {
      throw 12n;
    },
  ],
  [
    "throws undefined",
    () => {
      throw undefined;
    },
  ],
  [
    "throws a Symbol",
    () => {
      throw Symbol("s");
    },
  ],
  ["rejects with a Proxy", () => Promise.reject(throwingProxy)],
  [
    "returns a thenable whose then throws",
    () =>
      ({
        then: () => {
          throw new Error("then exploded");
        },
      }) as unknown as Promise<unknown>,
  ],
  ["returns a Proxy whose then cannot be read", () => throwingProxy as Promise<unknown>],
];

describe("a tool that throws or returns a hostile value", () => {
  it.each(HOSTILE)("%s: the step fails with a printable error, the run settles, other branches complete", async (_name, hostile) => {
    const template = new WorkflowTemplate({
      name: "w",
      steps: [
        { id: "bad", toolName: "hostile", maxRetries: 1, retryDelayMs: 0 },
        { id: "after", toolName: "ok", dependsOn: ["bad"] },
        { id: "other", toolName: "ok" },
      ],
    });
    const executor = new WorkflowExecutor({ tools: { hostile, ok: () => ({ ok: true }) } });
    let result: Awaited<ReturnType<WorkflowExecutor["execute"]>> | undefined;
    expect(() => {
      void executor.execute(template, new WorkflowContext()).then((r) => (result = r));
    }).not.toThrow();
    await expect.poll(() => result, { timeout: 2_000 }).toBeDefined();
    expect(result!.status).toBe("failed");
    expect(result!.failedSteps).toMatchObject([{ id: "bad", attempts: 2 }]);
    expect(typeof result!.failedSteps[0]!.error).toBe("string");
    expect(result!.completedSteps.map((s) => s.id)).toEqual(["other"]);
    expect(result!.skippedSteps.map((s) => s.id)).toEqual(["after"]);
  });
});

describe("property: errorMessage", () => {
  it("gives a string for anything thrown, and never throws", () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withNullPrototype: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
          withBoxedValues: true,
        }),
        (value) => {
          expect(typeof errorMessage(value)).toBe("string");
        },
      ),
      { numRuns: 500 },
    );
    for (const value of [throwingProxy, nullProtoWithBigInt, new GetterError(), 5n, Symbol("x"), undefined])
      expect(typeof errorMessage(value)).toBe("string");
  });
});
