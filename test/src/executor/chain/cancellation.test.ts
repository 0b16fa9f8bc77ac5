/** The cancellation piece: once the run's signal has aborted, an attempt's outcome no longer reaches the pieces outside. */
import { describe, expect, it } from "vitest";
import { dropWhenCancelled } from "../../../../src/executor/chain/cancellation.js";
import { callTool, compose, type ChainCall } from "../../../../src/executor/chain/compose.js";
import { PendingOutcome } from "../../../../src/executor/chain/outcome.js";
import type { ToolContext } from "../../../../src/executor/types.js";

const run = new AbortController();
const context: ToolContext = { signal: run.signal, stepId: "s", attempt: 1, runId: "r", workflowName: "w", idempotencyKey: "r:s" };

describe("dropWhenCancelled", () => {
  it("passes outcomes on while the run goes, and drops them once it was cancelled", async () => {
    const chain = compose<ChainCall>([dropWhenCancelled(run.signal)], callTool);
    expect(chain({ tool: () => 1, params: {}, context, timeoutMs: null })).toBe(1);
    let resolve!: (v: unknown) => void;
    const outcome = chain({ tool: () => new Promise((r) => (resolve = r)), params: {}, context, timeoutMs: null }) as PendingOutcome;
    run.abort(new Error("cancelled"));
    resolve("after the cancellation");
    await new Promise((r) => setTimeout(r, 5));
    expect(outcome.settled).toBe(false);
    const dropped = chain({
      tool: () => {
        throw new Error("x");
      },
      params: {},
      context,
      timeoutMs: null,
    });
    expect(dropped).toBeInstanceOf(PendingOutcome);
    expect((dropped as PendingOutcome).settled).toBe(false);
  });
});
