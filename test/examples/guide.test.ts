/**
 * The user guide's examples end to end. Error Recovery: deploy fails with a partial result naming the resource it
 * created, and the cleanup handler removes that resource; the DSL example and the JSON template behave the same,
 * from the API and through `weave run`. Best Practice 5: setup, three test suites in parallel, a report; the suites
 * overlap (by the run's own records of each call) and the template lints clean.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lint } from "toolweave/compiler";
import { WorkflowContext, WorkflowExecutor, WorkflowTemplate, type ExecutionResult } from "toolweave";
import { errorRecovery } from "../../examples/error-recovery.js";
import errorRecoveryTools from "../../examples/error-recovery-tools.js";
import { ROOT, weave } from "../cli/weave-process.js";

const created: string[] = [];
async function freshDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `toolweave-guide-${name}-`));
  created.push(dir);
  return dir;
}
afterAll(() => Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true }))));

const TEMPLATE = "examples/error-recovery.workflow.json";
const TOOLS = "examples/error-recovery-tools.ts";
const jsonTemplate = async (): Promise<WorkflowTemplate> =>
  WorkflowTemplate.fromJSON(JSON.parse(await readFile(join(ROOT, TEMPLATE), "utf8")));

/** Both forms, run from the API in `workDir`. */
const forms: [string, (vars: { workDir: string; breakHealthCheck?: boolean }) => Promise<ExecutionResult>][] = [
  ["the DSL example", (vars) => errorRecovery.run(vars) as Promise<ExecutionResult>],
  [
    "the JSON template",
    async (vars) =>
      new WorkflowExecutor({ tools: errorRecoveryTools }).execute(
        await jsonTemplate(),
        new WorkflowContext({ manifest: "staging.yaml", breakHealthCheck: true, ...vars }),
      ),
  ],
];

async function resourcesIn(workDir: string): Promise<string[]> {
  return existsSync(join(workDir, "resources")) ? readdir(join(workDir, "resources")) : [];
}

describe("Error Recovery: cleanup after a failed deployment", () => {
  it("the JSON template and the DSL example are the same workflow (steps, parameters, dependencies, handler)", async () => {
    const json = (await jsonTemplate()).toJSON();
    const dsl = errorRecovery.template.toJSON();
    const shape = (t: typeof json) =>
      t.steps.map((s) => ({
        id: s.id,
        toolName: s.toolName,
        parameters: s.parameters,
        dependsOn: s.dependsOn,
        description: s.description,
      }));
    expect(shape(json)).toEqual(shape(dsl));
    expect(json.outputs).toEqual(dsl.outputs);
    // the guide writes == False, the DSL's failed(deploy) == false: the same condition
    expect(json.steps[1]!.condition).toBe("{{deploy.success}} == False");
    expect(dsl.steps[1]!.condition).toBe("{{deploy.success}} == false");
  });

  it.each(forms)("%s: deploy fails with its partial result, cleanup removes the resource deploy created", async (_, run) => {
    const workDir = await freshDir("recovery");
    const result = await run({ workDir });
    expect(result.status).toBe("failed");
    expect(result.failedSteps).toMatchObject([
      {
        id: "deploy",
        error: expect.stringContaining("readiness probe /healthz-broken failed"),
        result: { resource_id: expect.stringMatching(/^res-[0-9a-f]{10}$/) },
      },
    ]);
    const resourceId = (result.failedSteps[0]!.result as { resource_id: string }).resource_id;
    expect(result.completedSteps.map((s) => s.id)).toEqual(["cleanup"]);
    expect(await resourcesIn(workDir)).toEqual([]);
    expect(await readFile(join(workDir, "cleanup.log"), "utf8")).toMatch(
      new RegExp(`removed ${resourceId}: deploy of staging.yaml failed: readiness probe /healthz-broken failed`),
    );
  });

  it.each(forms)("%s: with breakHealthCheck=false the deploy succeeds and cleanup is skipped", async (_, run) => {
    const workDir = await freshDir("healthy");
    const result = await run({ workDir, breakHealthCheck: false });
    expect(result.status).toBe("completed");
    expect(result.skippedSteps).toMatchObject([{ id: "cleanup", reason: expect.stringContaining("is false") }]);
    const [resource] = await resourcesIn(workDir);
    expect(result.outputs).toEqual({ url: `file://${join(workDir, "resources", resource!)}` });
    expect(existsSync(join(workDir, "cleanup.log"))).toBe(false);
  });
});

describe.concurrent("Error Recovery through weave run, both forms", () => {
  const commands: [string, string[]][] = [
    ["examples/error-recovery.ts", ["run", "examples/error-recovery.ts"]],
    [`${TEMPLATE} --tools ${TOOLS}`, ["run", TEMPLATE, "--tools", TOOLS]],
  ];

  it.each(commands)("weave run %s: exit 1, deploy failed, cleanup completed and the resource is gone", async (_, args) => {
    const workDir = await freshDir("cli");
    const { code, stdout, stderr } = await weave([...args, "--var", `workDir=${workDir}`]);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^deploy +deploy_app +failed +1 +\d+ ms +deploy of staging\.yaml failed: readiness probe \/healthz-broken failed: connection refused$/m,
    );
    expect(stdout).toMatch(/^cleanup +cleanup_resources +completed +1 +\d+ ms$/m);
    expect(stdout).toMatch(/^failed in \d+ ms: step "deploy" failed: /m);
    expect(await resourcesIn(workDir)).toEqual([]);
    expect(await readFile(join(workDir, "cleanup.log"), "utf8")).toMatch(/removed res-[0-9a-f]{10}: deploy of staging\.yaml failed/);
  });

  it.each(commands)("weave run %s --var breakHealthCheck=false: exit 0, cleanup skipped, the resource stays", async (_, args) => {
    const workDir = await freshDir("cli-healthy");
    const { code, stdout } = await weave([...args, "--var", `workDir=${workDir}`, "--var", "breakHealthCheck=false", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: "completed", skippedSteps: [{ id: "cleanup" }] });
    expect(await resourcesIn(workDir)).toHaveLength(1);
  });

  it("both lint clean: the handler's read of deploy's partial result is suppressed where it is made, with the reason", async () => {
    const { code, stdout } = await weave(["lint", "examples/error-recovery.ts", TEMPLATE]);
    expect(code).toBe(0);
    expect(stdout).toBe("no problems in 2 files (2 suppressed)\n");
  });
});

describe("Best Practice 5: setup, three test suites in parallel, a report", () => {
  const TEMPLATE_BP5 = "test/examples/fixtures/guide-parallel-tests.workflow.json";
  const TOOLS_BP5 = "test/examples/fixtures/guide-parallel-tests-tools.ts";

  it("lints clean: no unnecessary-serialization for the guide's recommended fan-out", async () => {
    const result = await lint({ cwd: ROOT, paths: [TEMPLATE_BP5] });
    expect(result.diagnostics).toEqual([]);
  });

  it("weave run: the three suites overlap (each call's start and end as the run logged them), the report comes after them all", async () => {
    const workDir = await freshDir("bp5");
    const log = join(workDir, "calls.jsonl");
    const { code, stdout } = await weave([
      "run",
      TEMPLATE_BP5,
      "--tools",
      TOOLS_BP5,
      "--var",
      `workDir=${workDir}`,
      "--var",
      "suiteMs=150",
      "--log",
      log,
      "--json",
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: "completed", outputs: { passed: true } });
    const calls = (await readFile(log, "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { stepId: string; timestamp: number; durationMs: number });
    const span = (id: string) => {
      const call = calls.find((c) => c.stepId === id)!;
      return { start: call.timestamp, end: call.timestamp + call.durationMs };
    };
    const suites = ["test_unit", "test_integration", "test_e2e"].map(span);
    // every suite started before any suite ended: all three ran at once
    expect(Math.max(...suites.map((s) => s.start))).toBeLessThan(Math.min(...suites.map((s) => s.end)));
    expect(Math.min(...suites.map((s) => s.start))).toBeGreaterThanOrEqual(span("setup").end - 1);
    expect(span("report").start).toBeGreaterThanOrEqual(Math.max(...suites.map((s) => s.end)) - 1);
    const report = JSON.parse(await readFile(join(workDir, "report.json"), "utf8")) as { written: string[] };
    expect(report.written).toEqual(["e2e.json", "integration.json", "unit.json"]);
  });
});
