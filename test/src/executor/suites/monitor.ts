import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMonitor, readToolCallLog, WorkflowContext, WorkflowTemplate, type ToolContext } from "toolweave";
import type { Engine } from "../../../helpers/engines.js";

export function defineMonitorTests(engine: Engine): void {
  afterEach(() => engine.cleanup());

  describe("the executor records every tool call", () => {
    it("one metric per attempt, with run, step, timing, outcome and redacted parameters", async () => {
      const dir = await mkdtemp(join(tmpdir(), "weave-monitor-"));
      try {
        const logFile = join(dir, "calls.jsonl");
        const monitor = createMonitor({ logFile, redact: ["token"] });
        let first = true;
        const tools = {
          login: (p: Record<string, unknown>) => ({ session: `s-${String(p.user)}`, token: "secret-result" }),
          fetch: () => {
            if (first) {
              first = false;
              throw new Error("503");
            }
            return { rows: 2 };
          },
        };
        const wf = new WorkflowTemplate({
          name: "w",
          steps: [
            { id: "login", toolName: "login", parameters: { user: "ada", token: "{{token}}" } },
            {
              id: "fetch",
              toolName: "fetch",
              parameters: { session: "{{login.session}}" },
              dependsOn: ["login"],
              maxRetries: 1,
              retryDelayMs: 1,
            },
          ],
        });
        const before = Date.now();
        await engine.executor({ tools, monitor }).execute(wf, new WorkflowContext({ token: "hunter2" }), undefined, { runId: "r1" });
        await monitor.close();
        const log = monitor.toolCallLog;
        expect(log.map((m) => [m.stepId, m.attempt, m.success, m.error])).toEqual([
          ["login", 1, true, undefined],
          ["fetch", 1, false, "503"],
          ["fetch", 2, true, undefined],
        ]);
        expect(log[0]).toMatchObject({
          toolName: "login",
          executionId: "r1",
          workflowName: "w",
          parameters: { user: "ada", token: "[REDACTED]" },
          result: { session: "s-ada", token: "[REDACTED]" },
        });
        for (const m of log) {
          expect(m.durationMs).toBeGreaterThanOrEqual(0);
          expect(m.timestamp).toBeGreaterThanOrEqual(before - 1);
        }
        const fromFile = await readToolCallLog(logFile);
        expect(fromFile.problems).toEqual([]);
        expect(fromFile.records).toEqual(log);
        expect(JSON.stringify(fromFile.records)).not.toContain("hunter2");
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe("the tool context", () => {
    it("gives tools their step, attempt, run, workflow and idempotency key", async () => {
      const seen: Omit<ToolContext, "signal" | "progress">[] = [];
      // progress is the in-process engine's only (test/src/executor/progress.test.ts)
      const tool = (_p: unknown, { signal: _signal, progress: _progress, ...ctx }: ToolContext) => {
        seen.push(ctx);
        if (ctx.attempt === 1) throw new Error("again");
        return null;
      };
      const template = new WorkflowTemplate({ name: "w", steps: [{ id: "s", toolName: "t", maxRetries: 1, retryDelayMs: 1 }] });
      const result = await engine.executor({ tools: { t: tool } }).execute(template, undefined, undefined, { runId: "run-7" });
      expect(result.status).toBe("completed");
      expect(seen).toEqual([
        { stepId: "s", attempt: 1, runId: "run-7", workflowName: "w", idempotencyKey: "run-7:s" },
        { stepId: "s", attempt: 2, runId: "run-7", workflowName: "w", idempotencyKey: "run-7:s" },
      ]);
    });
  });
}
