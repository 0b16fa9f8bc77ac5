/**
 * The timeout piece: past the call's `timeoutMs` the tool's signal is aborted with an AttemptTimeoutError and the
 * attempt fails with it at once, whatever the tool does later; the signal it was given aborting first passes its reason.
 */
import { describe, expect, it } from "vitest";
import { abortable } from "../../../../src/executor/chain/abortable.js";
import { callTool, compose, type ChainCall } from "../../../../src/executor/chain/compose.js";
import { PendingOutcome } from "../../../../src/executor/chain/outcome.js";
import { AttemptTimeoutError, timeout } from "../../../../src/executor/chain/timeout.js";
import type { ToolContext } from "../../../../src/executor/types.js";

const contextWith = (signal: AbortSignal): ToolContext => ({
  signal,
  stepId: "s",
  attempt: 1,
  runId: "r",
  workflowName: "w",
  idempotencyKey: "r:s",
});
const settle = (outcome: unknown): Promise<unknown> => Promise.resolve(outcome as PromiseLike<unknown>);
const chain = compose<ChainCall>([timeout], callTool);

describe("timeout", () => {
  it("passes a call without a bound through untouched", () => {
    const signal = new AbortController().signal;
    let seen: AbortSignal | undefined;
    expect(chain({ tool: (_p, ctx) => ((seen = ctx.signal), 7), params: {}, context: contextWith(signal), timeoutMs: null })).toBe(7);
    expect(seen).toBe(signal);
  });

  it("fails the attempt with an AttemptTimeoutError once the bound passes, its signal aborted first", async () => {
    const events: string[] = [];
    const tool = (_p: unknown, ctx: ToolContext) => {
      ctx.signal.addEventListener("abort", () => events.push(`tool saw ${(ctx.signal.reason as Error).message}`));
      return new Promise(() => undefined);
    };
    const outcome = chain({ tool, params: {}, context: contextWith(new AbortController().signal), timeoutMs: 10 });
    expect(outcome).toBeInstanceOf(PendingOutcome);
    const error = await settle(outcome).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttemptTimeoutError);
    expect(error).toMatchObject({ message: "timed out after 10 ms", timeoutMs: 10 });
    expect(events).toEqual(["tool saw timed out after 10 ms"]);
  });

  it("returns a synchronous value as it is", () => {
    expect(chain({ tool: () => "now", params: {}, context: contextWith(new AbortController().signal), timeoutMs: 5 })).toBe("now");
  });

  it("fails with the reason of the signal it was given when that aborts first", async () => {
    const parent = new AbortController();
    const outcome = chain({ tool: () => new Promise(() => undefined), params: {}, context: contextWith(parent.signal), timeoutMs: 60_000 });
    parent.abort(new Error("run cancelled"));
    await expect(settle(outcome)).rejects.toThrow("run cancelled");
  });

  it("ignores what the tool does after the bound passed", async () => {
    let resolve!: (v: unknown) => void;
    const outcome = chain({
      tool: () => new Promise((r) => (resolve = r)),
      params: {},
      context: contextWith(new AbortController().signal),
      timeoutMs: 5,
    });
    await expect(settle(outcome)).rejects.toBeInstanceOf(AttemptTimeoutError);
    resolve("too late");
    await expect(settle(outcome)).rejects.toBeInstanceOf(AttemptTimeoutError);
  });
});

describe("abortable", () => {
  it("fails the attempt with its signal's reason, a tool that ignores its signal does not hold it", async () => {
    const controller = new AbortController();
    const outcome = compose<ChainCall>(
      [abortable],
      callTool,
    )({ tool: () => new Promise(() => undefined), params: {}, context: contextWith(controller.signal), timeoutMs: null });
    controller.abort(new Error("released"));
    await expect(settle(outcome)).rejects.toThrow("released");
  });
});
