import { afterEach, describe, expect, it } from "vitest";
import { WorkflowContext, WorkflowTemplate, type ExecutionEvent } from "toolweave";
import { makeDag } from "../../../../bench/dags.js";
import type { Engine } from "../../../helpers/engines.js";
import { events, gate, sleep } from "../../../helpers/tools.js";

const wf = (steps: Record<string, string[]>, toolName = "t") =>
  new WorkflowTemplate({ name: "w", steps: Object.entries(steps).map(([id, dependsOn]) => ({ id, toolName, dependsOn })) });

export function defineSchedulingTests(engine: Engine): void {
  afterEach(() => engine.cleanup());

  describe("ready-queue scheduling", () => {
    it("starts a step the moment its own dependencies finish, not when a level finishes", async () => {
      // a1 -> a2 (fast chain) beside b1 -> b2 (slow chain): a2 must start while b1 is still running.
      const g = gate();
      const run = engine.executor({ tools: { t: g.tool } }).execute(wf({ a1: [], b1: [], a2: ["a1"], b2: ["b1"] }));
      await g.started("a1");
      await g.started("b1");
      g.release("a1");
      await g.started("a2");
      expect([...g.waiting].sort()).toEqual(["a2", "b1"]);
      g.release("a2");
      g.release("b1");
      await g.started("b2");
      g.release("b2");
      expect((await run).status).toBe("completed");
    });

    it("runs a step whose two parents sit at different depths (the original reported a false cycle)", async () => {
      const ev = events();
      const result = await engine
        .executor({ tools: { t: () => 1 } })
        .execute(wf({ a: [], b: ["a"], c: ["b"], d: ["a", "c"] }), undefined, undefined, { onEvent: ev.onEvent });
      expect(result.status).toBe("completed");
      expect(ev.order("step_finished")).toEqual(["a", "b", "c", "d"]);
    });

    it("runs a diamond with the join after both branches", async () => {
      const g = gate();
      const run = engine.executor({ tools: { t: g.tool } }).execute(wf({ top: [], l: ["top"], r: ["top"], join: ["l", "r"] }));
      await g.started("top");
      g.release("top");
      await g.started("l");
      await g.started("r");
      expect([...g.waiting].sort()).toEqual(["l", "r"]);
      g.release("l");
      await sleep(20);
      expect(g.waiting).toEqual(["r"]);
      g.release("r");
      await g.started("join");
      g.release("join");
      expect((await run).completedSteps.map((s) => s.id)).toEqual(["top", "l", "r", "join"]);
    });

    it("finishes two chains of opposite speeds in about the slower chain's time", async () => {
      // fast: 4 x 10 ms, slow: 1 x 40 ms + 3 x 0 ms -- level barriers would make it ~4 x 40 ms.
      const durations: Record<string, number> = { f1: 10, f2: 10, f3: 10, f4: 10, s1: 40, s2: 0, s3: 0, s4: 40 };
      const steps = { f1: [], f2: ["f1"], f3: ["f2"], f4: ["f3"], s1: [], s2: ["s1"], s3: ["s2"], s4: ["s3"] };
      const tools = { t: (_p: unknown, ctx: { stepId: string }) => sleep(durations[ctx.stepId]!) };
      const result = await engine.executor({ tools }).execute(wf(steps));
      expect(result.status).toBe("completed");
      // Critical path is 80 ms; a level-barrier engine needs 4 levels x 40 ms = 160 ms at best.
      expect(result.durationMs).toBeGreaterThanOrEqual(78);
      expect(result.durationMs).toBeLessThan(140 + engine.slackMs);
    });

    it("never runs more than `concurrency` steps at once", async () => {
      let running = 0;
      let peak = 0;
      const tools = {
        t: async () => {
          running++;
          peak = Math.max(peak, running);
          await sleep(2);
          running--;
        },
      };
      const result = await engine.executor({ tools, concurrency: 3 }).execute(makeDag("random", 60, "t", 7));
      expect(result.status).toBe("completed");
      expect(result.completedSteps).toHaveLength(60);
      expect(peak).toBe(3);
    });

    // In-process only: what this checks is the scheduler's stack when 20,000 synchronous tools settle within one
    // tick. Through a queue no call settles synchronously (each waits for a Redis event), so the case does not arise
    // on the distributed engine (where the three runs would add some 25 s of jobs): there the cases are not defined.
    if (engine.name === "in-process") {
      it.each(["wide", "chain", "random"] as const)(
        "completes a 20,000-step %s DAG of synchronous tools without growing the stack",
        async (shape) => {
          const result = await engine.executor({ tools: { noop: () => undefined } }).execute(makeDag(shape, 20_000));
          expect(result.status).toBe("completed");
          expect(result.completedSteps).toHaveLength(20_000);
        },
      );
    }

    it("skips the rest of a 20,000-step chain whose first step fails, without recursion", async () => {
      const result = await engine
        .executor({
          tools: {
            noop: () => {
              throw new Error("first fails");
            },
          },
        })
        .execute(makeDag("chain", 20_000));
      expect(result.failedSteps).toHaveLength(1);
      expect(result.skippedSteps).toHaveLength(19_999);
      expect(result.skippedSteps[0]).toEqual({ id: "s1", reason: 'dependency "s0" failed' });
      expect(result.skippedSteps[1]).toEqual({ id: "s2", reason: 'dependency "s1" was skipped' });
    });

    it("reports parallel speedup as busy time over wall time", async () => {
      const result = await engine.executor({ tools: { t: () => sleep(30) } }).execute(wf({ a: [], b: [], c: [], d: [] }));
      expect(result.parallelSpeedup).toBeGreaterThan(2.5);
      expect(result.parallelSpeedup).toBeLessThanOrEqual(4.2);
    });

    it("reports progress events in order", async () => {
      const ev = events();
      const result = await engine
        .executor({ tools: { t: () => 1 } })
        .execute(wf({ a: [], b: ["a"], c: ["a", "b"] }), undefined, undefined, { onEvent: ev.onEvent, runId: "r" });
      expect(result.status).toBe("completed");
      const trace = ev.all.map((e: ExecutionEvent) => `${e.type}${"stepId" in e ? ` ${e.stepId}` : ""}`);
      expect(trace).toEqual([
        "run_started",
        "step_started a",
        "step_finished a",
        "step_started b",
        "step_finished b",
        "step_started c",
        "step_finished c",
        "run_finished",
      ]);
    });

    it("stores results in the given context", async () => {
      const context = new WorkflowContext({ n: 2 });
      await engine
        .executor({ tools: { t: (p) => ({ doubled: (p.n as number) * 2 }) } })
        .execute(new WorkflowTemplate({ name: "w", steps: [{ id: "a", toolName: "t", parameters: { n: "{{n}}" } }] }), context);
      expect(context.getResult("a", "doubled")).toBe(4);
    });
  });
}
