// executor.execute() given a workflow made with the DSL's workflow(): its template runs with its own tools (issue 13).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FileJournalStore, tool, workflow, WorkflowContext, WorkflowExecutor, WorkflowInputError } from "toolweave";

const build = tool("build", {
  input: z.object({ image: z.string() }),
  output: z.object({ imageId: z.string() }),
  run: ({ image }) => ({ imageId: `sha256:${image}` }),
});
// no run: an implementation comes from the executor or the call
const deployTool = tool("deploy", {
  input: z.object({ imageId: z.string(), replicas: z.number() }),
  output: z.object({ url: z.string() }),
});

const inner = workflow("inner", { input: z.object({ image: z.string() }) }, ({ input, step }) => {
  const b = step("build").tool(build).with({ image: input.image });
  return { imageId: b.out.imageId };
});

const release = workflow("release", { input: z.object({ image: z.string(), replicas: z.number().default(2) }) }, ({ input, step }) => {
  const sub = step("inner").workflow(inner).with({ image: input.image });
  const d = step("deploy").tool(deployTool).with({ imageId: sub.out.imageId, replicas: input.replicas });
  return { url: d.out.url };
});

const deployImpl = (p: Record<string, unknown>) => ({ url: `https://staging/${String(p.imageId)}?r=${String(p.replicas)}` });

describe("executor.execute(dslWorkflow)", () => {
  it("runs its template with its own tools and sub-workflows; the executor's tools fill in a tool without run", async () => {
    const executor = new WorkflowExecutor({ tools: { deploy: deployImpl } });
    const context = new WorkflowContext({ image: "app", replicas: 3 });
    const result = await executor.execute(release, context);
    expect(result.status).toBe("completed");
    expect(result.outputs).toEqual({ url: "https://staging/sha256:app?r=3" });
    expect(context.getResult("deploy")).toEqual({ url: "https://staging/sha256:app?r=3" });
  });

  it("the call's tools replace the workflow's, validated by the tool's schemas", async () => {
    const result = await new WorkflowExecutor().execute(release, new WorkflowContext({ image: "app", replicas: 1 }), {
      deploy: () => ({ url: 42 }),
    });
    expect(result.status).toBe("failed");
    expect(result.failedSteps[0]!.error).toMatch(/tool "deploy" returned an invalid result: url/);
  });

  it("checks the variables by the input schema; without a context, the run gets the schema's defaults", async () => {
    const executor = new WorkflowExecutor({ tools: { deploy: deployImpl } });
    await expect(executor.execute(release, new WorkflowContext({ image: 5 }))).rejects.toThrow(WorkflowInputError);
    const bare = workflow("bare", { input: z.object({ image: z.string().default("web") }) }, ({ input, step }) => {
      const b = step("build").tool(build).with({ image: input.image });
      return { imageId: b.out.imageId };
    });
    expect((await executor.execute(bare)).outputs).toEqual({ imageId: "sha256:web" });
  });

  it("runs durably too, and resumes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "weave-execute-dsl-"));
    try {
      const executor = new WorkflowExecutor({ tools: { deploy: deployImpl }, journal: new FileJournalStore({ dir }) });
      const result = await executor.execute(release, new WorkflowContext({ image: "app", replicas: 2 }), undefined, { runId: "dsl-1" });
      expect(result.status).toBe("completed");
      expect(result.journal?.location).toContain(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("anything else is a TypeError saying what to pass, not a crash inside", async () => {
    const executor = new WorkflowExecutor();
    await expect(executor.execute({} as never)).rejects.toThrow(
      new TypeError(
        "execute() takes a WorkflowTemplate or a workflow made with workflow(), got a plain object (a template's JSON?). for a template file, pass WorkflowTemplate.fromJSON(json)",
      ),
    );
    await expect(executor.execute(release.template.toJSON() as never)).rejects.toThrow(/got a plain object \(a template's JSON\?\)/);
    await expect(executor.execute(undefined as never)).rejects.toThrow(/got undefined/);
  });
});
