/**
 * The chain every attempt's tool call goes through: the pieces run outermost first, a synchronous outcome stays
 * synchronous through them, and an asynchronous one reaches the caller in the microtask its promise settles in.
 */
import { describe, expect, it } from "vitest";
import { callTool, compose, type ChainCall, type Interceptor } from "../../../../src/executor/chain/compose.js";
import { after, PendingOutcome, rethrow } from "../../../../src/executor/chain/outcome.js";
import type { ToolContext } from "../../../../src/executor/types.js";

const context: ToolContext = {
  signal: new AbortController().signal,
  stepId: "s",
  attempt: 1,
  runId: "r",
  workflowName: "w",
  idempotencyKey: "r:s",
};
const call = (tool: ChainCall["tool"]): ChainCall => ({ tool, params: { x: 1 }, context, timeoutMs: null });

/** A piece that logs when the call passes in and when its outcome passes out. */
const logging =
  (name: string, log: string[]): Interceptor =>
  (c, next) => {
    log.push(`${name} in`);
    return after(
      next,
      c,
      (value) => {
        log.push(`${name} out ${String(value)}`);
        return value;
      },
      (error) => {
        log.push(`${name} failed ${(error as Error).message}`);
        throw error;
      },
    );
  };

describe("compose", () => {
  it("with no pieces is the call itself", () => {
    expect(compose([], callTool)).toBe(callTool);
  });

  it("runs the pieces outermost first around the call, and outcomes back out innermost first", () => {
    const log: string[] = [];
    const chain = compose([logging("a", log), logging("b", log)], callTool);
    expect(chain(call((p) => (p as { x: number }).x + 1))).toBe(2);
    expect(log).toEqual(["a in", "b in", "b out 2", "a out 2"]);
  });

  it("keeps a synchronous throw synchronous, and a piece may turn a value into a failure", () => {
    const refuse: Interceptor = (c, next) =>
      after(
        next,
        c,
        () => {
          throw new Error("refused");
        },
        rethrow,
      );
    const log: string[] = [];
    const chain = compose([logging("outer", log), refuse], callTool);
    expect(() => chain(call(() => 1))).toThrow("refused");
    expect(log).toEqual(["outer in", "outer failed refused"]);
  });

  it("hands an asynchronous outcome out in the microtask its promise settles in, however many pieces wrap it", async () => {
    const log: string[] = [];
    const chain = compose([logging("a", log), logging("b", log), logging("c", log)], callTool);
    const outcome = chain(call(() => Promise.resolve("v")));
    expect(outcome).toBeInstanceOf(PendingOutcome);
    let seen: unknown;
    (outcome as PendingOutcome).then((v) => (seen = v), rethrow);
    await null;
    expect(seen).toBe("v");
    expect(log).toEqual(["a in", "b in", "c in", "c out v", "b out v", "a out v"]);
  });

  it("a thenable whose then cannot be read is a failure", () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error("no then");
        },
      },
    );
    const log: string[] = [];
    expect(() => compose([logging("a", log)], callTool)(call(() => hostile))).toThrow("no then");
    expect(log).toEqual(["a in", "a failed no then"]);
  });
});

describe("PendingOutcome", () => {
  it("settles once and calls its observers synchronously, also those that come later", () => {
    const pending = new PendingOutcome();
    const seen: unknown[] = [];
    pending.then((v) => seen.push(["first", v]), rethrow);
    expect(pending.resolve(1)).toBe(true);
    expect(pending.reject(new Error("late"))).toBe(false);
    pending.then((v) => seen.push(["second", v]), rethrow);
    expect(seen).toEqual([
      ["first", 1],
      ["second", 1],
    ]);
  });

  it("is adopted by await", async () => {
    const pending = new PendingOutcome();
    setTimeout(() => pending.reject(new Error("no")), 1);
    await expect((async () => await (pending as unknown as Promise<unknown>))()).rejects.toThrow("no");
  });
});
