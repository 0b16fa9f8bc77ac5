import { afterEach, describe, expect, it } from "vitest";
import { createMonitor, WorkflowContext, WorkflowTemplate, type ToolContext, type WorkflowResolver } from "toolweave";
import type { Engine } from "../../../helpers/engines.js";

const databaseBackup = new WorkflowTemplate({
  name: "database_backup",
  description: "Dump a database and upload the dump",
  steps: [
    { id: "dump", toolName: "pg_dump", parameters: { db: "{{db}}" } },
    { id: "upload", toolName: "upload", parameters: { file: "{{dump.file}}" }, dependsOn: ["dump"] },
  ],
  outputs: { location: "{{upload.url}}", bytes: "{{dump.bytes}}" },
});

const library = (...workflows: WorkflowTemplate[]): WorkflowResolver => ({
  get: (name) => workflows.find((w) => w.name === name),
  listAll: () => workflows,
});

const tools = {
  pg_dump: (p: Record<string, unknown>) => ({ file: `/backups/${String(p.db)}.sql`, bytes: 2048 }),
  upload: (p: Record<string, unknown>) => ({ url: `s3://bucket${String(p.file)}` }),
  notify: (p: Record<string, unknown>) => p,
};

const parent = (workflow: unknown) =>
  new WorkflowTemplate({
    name: "nightly",
    steps: [
      { id: "backup", toolName: "execute_workflow", parameters: { workflow: workflow as string, context: { db: "{{database_name}}" } } },
      {
        id: "notify",
        toolName: "notify",
        parameters: { text: "backup at {{backup.location}} ({{backup.bytes}} bytes)" },
        dependsOn: ["backup"],
      },
    ],
    outputs: { where: "{{backup.location}}" },
  });

export function defineSubWorkflowTests(engine: Engine): void {
  afterEach(() => engine.cleanup());

  describe("sub-workflows", () => {
    it("runs a workflow named in the executor's library and yields its outputs", async () => {
      const context = new WorkflowContext({ database_name: "orders" });
      const result = await engine.executor({ tools, library: library(databaseBackup) }).execute(parent("database_backup"), context);
      expect(result.status).toBe("completed");
      expect(context.getResult("backup")).toEqual({ location: "s3://bucket/backups/orders.sql", bytes: 2048 });
      expect(context.getResult("notify", "text")).toBe("backup at s3://bucket/backups/orders.sql (2048 bytes)");
      expect(result.outputs).toEqual({ where: "s3://bucket/backups/orders.sql" });
    });

    it("runs an embedded template (its own placeholders resolve inside the sub-run)", async () => {
      const context = new WorkflowContext({ database_name: "users" });
      const result = await engine.executor({ tools }).execute(parent(databaseBackup.toJSON()), context);
      expect(result.status).toBe("completed");
      expect(context.getResult("backup", "location")).toBe("s3://bucket/backups/users.sql");
    });

    it("accepts a WorkflowTemplate instance and, without declared outputs, yields every step's result", async () => {
      const noOutputs = new WorkflowTemplate({ name: "plain", steps: databaseBackup.steps });
      const context = new WorkflowContext({ database_name: "x" });
      await engine.executor({ tools }).execute(
        new WorkflowTemplate({
          name: "p",
          steps: [
            { id: "b", toolName: "execute_workflow", parameters: { workflow: noOutputs.toJSON(), context: { db: "{{database_name}}" } } },
          ],
        }),
        context,
      );
      expect(context.getResult("b")).toEqual({
        dump: { file: "/backups/x.sql", bytes: 2048 },
        upload: { url: "s3://bucket/backups/x.sql" },
      });
    });

    it("fills input defaults from the sub-workflow's inputs schema", async () => {
      const withDefaults = new WorkflowTemplate({
        name: "dump_with_defaults",
        inputs: { type: "object", properties: { db: { type: "string", default: "main" }, format: { type: "string", default: "sql" } } },
        steps: [{ id: "dump", toolName: "pg_dump", parameters: { db: "{{db}}.{{format}}" } }],
        outputs: { file: "{{dump.file}}" },
      });
      const context = new WorkflowContext();
      await engine.executor({ tools, library: library(withDefaults) }).execute(
        new WorkflowTemplate({
          name: "p",
          steps: [{ id: "b", toolName: "execute_workflow", parameters: { workflow: "dump_with_defaults", context: { format: "csv" } } }],
        }),
        context,
      );
      expect(context.getResult("b")).toEqual({ file: "/backups/main.csv.sql" });
    });

    it("fails the step when the sub-workflow fails, with the inner error", async () => {
      const failing = {
        ...tools,
        upload: () => {
          throw new Error("bucket is full");
        },
      };
      const result = await engine
        .executor({ tools: failing, library: library(databaseBackup) })
        .execute(parent("database_backup"), new WorkflowContext({ database_name: "x" }));
      expect(result.failedSteps).toMatchObject([
        { id: "backup", error: 'sub-workflow "database_backup" failed: step "upload" failed: bucket is full' },
      ]);
      expect(result.skippedSteps).toEqual([{ id: "notify", reason: 'dependency "backup" failed' }]);
      expect(result.outputs).toEqual({});
    });

    it("runs every step of a sub-workflow again when its step is retried", async () => {
      const calls: string[] = [];
      let uploads = 0;
      const counted = {
        ...tools,
        pg_dump: (p: Record<string, unknown>) => (calls.push("dump"), tools.pg_dump(p)),
        upload: (p: Record<string, unknown>) => {
          calls.push("upload");
          if (++uploads === 1) throw new Error("bucket is busy");
          return tools.upload(p);
        },
      };
      const nightly = parent("database_backup");
      const retried = new WorkflowTemplate({
        ...nightly.toJSON(),
        steps: nightly.steps.map((s) => (s.id === "backup" ? { ...s.toJSON(), maxRetries: 1, retryDelayMs: 1 } : s.toJSON())),
      } as never);
      const result = await engine
        .executor({ tools: counted, library: library(databaseBackup) })
        .execute(retried, new WorkflowContext({ database_name: "x" }));
      expect(result.status).toBe("completed");
      expect(result.completedSteps).toMatchObject([{ id: "backup", attempts: 2 }, { id: "notify" }]);
      expect(calls).toEqual(["dump", "upload", "dump", "upload"]);
    });

    it("names the library's workflows when the name is unknown", async () => {
      const result = await engine
        .executor({ tools, library: library(databaseBackup) })
        .execute(parent("databse_backup"), new WorkflowContext({ database_name: "x" }));
      expect(result.failedSteps[0]!.error).toBe('unknown workflow "databse_backup" in step "backup". the library has "database_backup"');
    });

    it("says how to fix a name without a library", async () => {
      const result = await engine.executor({ tools }).execute(parent("database_backup"), new WorkflowContext({ database_name: "x" }));
      expect(result.failedSteps[0]!.error).toMatch(/the executor has no library. pass \{ library \} to new WorkflowExecutor\(\)/);
    });

    it("refuses recursion", async () => {
      const loop = new WorkflowTemplate({
        name: "loop",
        steps: [{ id: "again", toolName: "execute_workflow", parameters: { workflow: "loop" } }],
      });
      const result = await engine.executor({ tools, library: library(loop) }).execute(loop);
      expect(result.failedSteps[0]!.error).toBe("sub-workflow recursion: loop -> loop");
    });

    it("records the sub-workflow's tool calls in the monitor under a derived run id", async () => {
      const monitor = createMonitor();
      const result = await engine
        .executor({ tools, library: library(databaseBackup), monitor })
        .execute(parent("database_backup"), new WorkflowContext({ database_name: "x" }), undefined, {
          runId: "run-1",
        });
      expect(result.runId).toBe("run-1");
      expect(monitor.toolCallLog.map((m) => [m.executionId, m.stepId, m.toolName])).toEqual([
        ["run-1/backup", "dump", "pg_dump"],
        ["run-1/backup", "upload", "upload"],
        ["run-1", "backup", "execute_workflow"],
        ["run-1", "notify", "notify"],
      ]);
    });
  });

  describe("step results and workflow outputs", () => {
    it("keeps results as they are: objects, arrays, null, and undefined apart from null", async () => {
      const context = new WorkflowContext();
      const values: Record<string, unknown> = {
        obj: { a: [1, "x", { b: true }] },
        arr: [1, 2],
        nil: null,
        none: undefined,
        text: "t",
        num: 1.5,
      };
      const template = new WorkflowTemplate({
        name: "w",
        steps: Object.keys(values).map((id) => ({ id, toolName: "t" })),
        outputs: { nested: "{{obj.a[2].b}}", text: "n={{num}}" },
      });
      const result = await engine
        .executor({ tools: { t: (_p: unknown, ctx: ToolContext) => values[ctx.stepId] } })
        .execute(template, context);
      expect(result.status).toBe("completed");
      for (const [id, value] of Object.entries(values)) expect(context.getResult(id)).toStrictEqual(value);
      expect(context.hasResult("none")).toBe(true);
      expect(result.outputs).toEqual({ nested: true, text: "n=1.5" });
    });

    it("keeps the type of a whole-value output and renders text outputs", async () => {
      const wf = new WorkflowTemplate({
        name: "w",
        steps: [{ id: "a", toolName: "t" }],
        outputs: { all: "{{a}}", n: "{{a.n}}", text: "n={{a.n}}", constant: 7 },
      });
      const result = await engine.executor({ tools: { t: () => ({ n: 3 }) } }).execute(wf);
      expect(result.outputs).toEqual({ all: { n: 3 }, n: 3, text: "n=3", constant: 7 });
    });

    it("fails a completed run whose output reads a missing field, naming the output", async () => {
      const wf = new WorkflowTemplate({ name: "w", steps: [{ id: "a", toolName: "t" }], outputs: { url: "{{a.url}}" } });
      const result = await engine.executor({ tools: { t: () => ({ n: 3 }) } }).execute(wf);
      expect(result.status).toBe("failed");
      expect(result.error).toMatch(/^output "url": cannot resolve "\{\{a.url\}\}"/);
    });
  });
}
