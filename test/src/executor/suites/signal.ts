// Tools listening to the run's shared abort signal: many at once is normal use, not a leak Node should warn about.
import { afterEach, describe, expect, it } from "vitest";
import type { ToolContext } from "../../../../src/executor/types.js";
import { WorkflowTemplate } from "../../../../src/model/template.js";
import type { Engine } from "../../../helpers/engines.js";

export function defineSignalTests(engine: Engine): void {
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning);
  afterEach(async () => {
    process.off("warning", onWarning);
    await engine.cleanup();
  });

  describe("the run's abort signal", () => {
    it("30 concurrent tools each listening to the run's signal raise no MaxListenersExceededWarning", async () => {
      process.on("warning", onWarning);
      const steps = Array.from({ length: 30 }, (_, i) => ({ id: `s${i}`, toolName: "listen" }));
      const listen = (_params: unknown, ctx: ToolContext) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener("abort", () => resolve("aborted"), { once: true });
          setTimeout(() => resolve("done"), 10);
        });
      const result = await engine.executor({ tools: { listen } }).execute(new WorkflowTemplate({ name: "w", steps }));
      expect(result.status).toBe("completed");
      // warnings are emitted on the next tick
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    });
  });
}
