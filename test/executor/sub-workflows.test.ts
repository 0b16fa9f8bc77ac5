import { describe, expect, it } from "vitest";
import { createMonitor, WorkflowContext, WorkflowExecutor, WorkflowTemplate, type WorkflowResolver } from "../../src/index.js";

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
      { id: "notify", toolName: "notify", parameters: { text: "backup at {{backup.location}} ({{backup.bytes}} bytes)" }, dependsOn: ["backup"] },
    ],
    outputs: { where: "{{backup.location}}" },
  });

describe("sub-workflows", () => {
  it("runs a workflow named in the executor's library and yields its outputs", async () => {
    const context = new WorkflowContext({ database_name: "orders" });
    const result = await new WorkflowExecutor({ tools, library: library(databaseBackup) }).execute(parent("database_backup"), context);
    expect(result.status).toBe("completed");
    expect(context.getResult("backup")).toEqual({ location: "s3://bucket/backups/orders.sql", bytes: 2048 });
    expect(context.getResult("notify", "text")).toBe("backup at s3://bucket/backups/orders.sql (2048 bytes)");
    expect(result.outputs).toEqual({ where: "s3://bucket/backups/orders.sql" });
  });

  it("runs an embedded template (its own placeholders resolve inside the sub-run)", async () => {
    const context = new WorkflowContext({ database_name: "users" });
    const result = await new WorkflowExecutor({ tools }).execute(parent(databaseBackup.toJSON()), context);
    expect(result.status).toBe("completed");
    expect(context.getResult("backup", "location")).toBe("s3://bucket/backups/users.sql");
  });

  it("accepts a WorkflowTemplate instance and, without declared outputs, yields every step's result", async () => {
    const noOutputs = new WorkflowTemplate({ name: "plain", steps: databaseBackup.steps });
    const context = new WorkflowContext({ database_name: "x" });
    await new WorkflowExecutor({ tools }).execute(
      new WorkflowTemplate({ name: "p", steps: [{ id: "b", toolName: "execute_workflow", parameters: { workflow: noOutputs.toJSON(), context: { db: "{{database_name}}" } } }] }),
      context,
    );
    expect(context.getResult("b")).toEqual({ dump: { file: "/backups/x.sql", bytes: 2048 }, upload: { url: "s3://bucket/backups/x.sql" } });
  });

  it("fills input defaults from the sub-workflow's inputs schema", async () => {
    const withDefaults = new WorkflowTemplate({
      name: "dump_with_defaults",
      inputs: { type: "object", properties: { db: { type: "string", default: "main" }, format: { type: "string", default: "sql" } } },
      steps: [{ id: "dump", toolName: "pg_dump", parameters: { db: "{{db}}.{{format}}" } }],
      outputs: { file: "{{dump.file}}" },
    });
    const context = new WorkflowContext();
    await new WorkflowExecutor({ tools, library: library(withDefaults) }).execute(
      new WorkflowTemplate({ name: "p", steps: [{ id: "b", toolName: "execute_workflow", parameters: { workflow: "dump_with_defaults", context: { format: "csv" } } }] }),
      context,
    );
    expect(context.getResult("b")).toEqual({ file: "/backups/main.csv.sql" });
  });

  it("fails the step when the sub-workflow fails, with the inner error", async () => {
    const failing = { ...tools, upload: () => { throw new Error("bucket is full"); } };
    const result = await new WorkflowExecutor({ tools: failing, library: library(databaseBackup) }).execute(parent("database_backup"), new WorkflowContext({ database_name: "x" }));
    expect(result.failedSteps).toMatchObject([{ id: "backup", error: 'sub-workflow "database_backup" failed: step "upload" failed: bucket is full' }]);
    expect(result.skippedSteps).toEqual([{ id: "notify", reason: 'dependency "backup" failed' }]);
    expect(result.outputs).toEqual({});
  });

  it("names the library's workflows when the name is unknown", async () => {
    const result = await new WorkflowExecutor({ tools, library: library(databaseBackup) }).execute(parent("databse_backup"), new WorkflowContext({ database_name: "x" }));
    expect(result.failedSteps[0]!.error).toBe('unknown workflow "databse_backup" in step "backup". the library has "database_backup"');
  });

  it("says how to fix a name without a library", async () => {
    const result = await new WorkflowExecutor({ tools }).execute(parent("database_backup"), new WorkflowContext({ database_name: "x" }));
    expect(result.failedSteps[0]!.error).toMatch(/the executor has no library. pass \{ library \} to new WorkflowExecutor\(\)/);
  });

  it("refuses recursion", async () => {
    const loop = new WorkflowTemplate({ name: "loop", steps: [{ id: "again", toolName: "execute_workflow", parameters: { workflow: "loop" } }] });
    const result = await new WorkflowExecutor({ tools, library: library(loop) }).execute(loop);
    expect(result.failedSteps[0]!.error).toBe("sub-workflow recursion: loop -> loop");
  });

  it("records the sub-workflow's tool calls in the monitor under a derived run id", async () => {
    const monitor = createMonitor();
    const result = await new WorkflowExecutor({ tools, library: library(databaseBackup), monitor }).execute(parent("database_backup"), new WorkflowContext({ database_name: "x" }), undefined, {
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

describe("workflow outputs", () => {
  it("keeps the type of a whole-value output and renders text outputs", async () => {
    const wf = new WorkflowTemplate({
      name: "w",
      steps: [{ id: "a", toolName: "t" }],
      outputs: { all: "{{a}}", n: "{{a.n}}", text: "n={{a.n}}", constant: 7 },
    });
    const result = await new WorkflowExecutor({ tools: { t: () => ({ n: 3 }) } }).execute(wf);
    expect(result.outputs).toEqual({ all: { n: 3 }, n: 3, text: "n=3", constant: 7 });
  });

  it("fails a completed run whose output reads a missing field, naming the output", async () => {
    const wf = new WorkflowTemplate({ name: "w", steps: [{ id: "a", toolName: "t" }], outputs: { url: "{{a.url}}" } });
    const result = await new WorkflowExecutor({ tools: { t: () => ({ n: 3 }) } }).execute(wf);
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/^output "url": cannot resolve "\{\{a.url\}\}"/);
  });
});
